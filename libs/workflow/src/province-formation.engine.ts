import { initialTransition, transition } from 'xstate';
import { effectiveDeadline, lateness, type CycleRules } from './deadline.js';
import { provinceFormationMachine } from './province-formation.machine.js';
import {
  contextRefusal,
  eventsAcceptedIn,
  guardFailure,
  type EventType,
  type FormationEvent,
  type GuardReason,
} from './province-formation.table.js';
import { startOfDay } from './time.js';
import { MACHINE_REF, type FormationState, type Stage } from './province-formation.types.js';

/** Why the workflow refuses an event. Codes are stable: the API maps each to a problem type. */
export type WorkflowRefusal =
  | { code: 'invalid-transition'; stage: Stage; allowedEvents: EventType[] }
  | { code: 'guard-failed'; stage: Stage; reason: GuardReason };

export interface TransitionRecord {
  fromStage: Stage;
  toStage: Stage;
  /** The deadline in force when the event occurred (before the event itself changed it). */
  deadline: string;
  late: boolean;
  daysToDeadline: number;
}

export type ApplyResult =
  | { ok: true; state: FormationState; record: TransitionRecord }
  | { ok: false; refusal: WorkflowRefusal };

type Snapshot = ReturnType<typeof provinceFormationMachine.resolveState>;

function toState(snapshot: Snapshot): FormationState {
  return { machine: MACHINE_REF, stage: snapshot.value as Stage, context: structuredClone(snapshot.context) };
}

function toSnapshot(state: FormationState): Snapshot {
  // Rebuilt through the machine (never read or written through XState's private fields).
  return provinceFormationMachine.resolveState({ value: state.stage, context: structuredClone(state.context) });
}

export function initialFormationState(seats: number): FormationState {
  const [snapshot] = initialTransition(provinceFormationMachine, { seats });
  return toState(snapshot);
}

/** The event types the province accepts now: the stage's, less those whose `context` guard already refuses. */
export function allowedEvents(state: FormationState): EventType[] {
  return eventsAcceptedIn(state.stage).filter((type) => contextRefusal(state.context, type) === null);
}

/** Apply one event to a stored state with XState's pure `transition`. Never throws for a refusal. */
export function applyEvent(state: FormationState, event: FormationEvent, rules: CycleRules): ApplyResult {
  const snapshot = toSnapshot(state);
  if (!eventsAcceptedIn(state.stage).includes(event.type)) {
    return { ok: false, refusal: { code: 'invalid-transition', stage: state.stage, allowedEvents: allowedEvents(state) } };
  }
  // Enabled transitions after guards. Not `snapshot.can(event)`: it also answers false for an enabled
  // transition with no target and no actions (REPORT), which refused every report as a guard failure.
  const enabled = provinceFormationMachine.getTransitionData(snapshot, event);
  if (enabled.length === 0) {
    const reason = guardFailure(state.context, event);
    // The stage accepts the event, so only a guard can have disabled it, and the table's guard names
    // which. No reason means the machine and the table disagree: a defect to report, not a refusal.
    if (reason === null) throw new Error(`the machine refused ${event.type} in ${state.stage}, but no guard of the table does`);
    return { ok: false, refusal: { code: 'guard-failed', stage: state.stage, reason } };
  }
  const deadline = effectiveDeadline(state, rules);
  const record = (toStage: Stage) => ({ fromStage: state.stage, toStage, deadline, ...lateness(deadline, new Date(event.occurredAt), rules) });
  // The machine's own transition definitions say whether it changes anything: one with no target and no
  // actions (a REPORT, the commonest event) leaves the state as it is, so XState's `transition` — which
  // builds an actor scope per call, ~6 % of a write's CPU — is not needed to know the result. The
  // model-based test holds every accepted pair to `transition`'s own answer.
  if (enabled.every((t) => !t.target?.length && t.actions.length === 0 && !t.reenter)) {
    return { ok: true, state: toState(snapshot), record: record(state.stage) };
  }
  const [next] = transition(provinceFormationMachine, snapshot, event);
  return { ok: true, state: toState(next), record: record(next.value as Stage) };
}

export type OccurredAtProblem = 'in-the-future' | 'before-election';

/** A new event may not claim to have happened more than 5 minutes from now, nor before election day. */
export function checkOccurredAt(occurredAt: Date, rules: CycleRules, now: Date): OccurredAtProblem | null {
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) return 'in-the-future';
  if (occurredAt.getTime() < startOfDay(rules.electionDate, rules.timezone).getTime()) return 'before-election';
  return null;
}

export interface ReplayStep<E> {
  item: E;
  result: ApplyResult;
}

/**
 * Apply events in order from a starting state, stopping at the first refusal.
 * Used for backdated inserts, retractions, as-of reads of the past and the integrity check.
 */
export function replay<E>(
  start: FormationState,
  items: readonly E[],
  eventOf: (item: E) => FormationEvent,
  rules: CycleRules,
): { state: FormationState; steps: ReplayStep<E>[]; failed: ReplayStep<E> | null } {
  let state = start;
  const steps: ReplayStep<E>[] = [];
  for (const item of items) {
    const result = applyEvent(state, eventOf(item), rules);
    const step = { item, result };
    steps.push(step);
    if (!result.ok) return { state, steps, failed: step };
    state = result.state;
  }
  return { state, steps, failed: null };
}
