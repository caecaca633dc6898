import { initialTransition, transition } from 'xstate';
import { effectiveDeadline, lateness, type CycleRules } from './deadline.js';
import { formationMachine, type FormationMachine } from './province-formation.machine.js';
import {
  contextRefusal,
  eventsAcceptedIn,
  guardFailure,
  type EventType,
  type FormationEvent,
  type GuardReason,
} from './province-formation.table.js';
import { startOfDay } from './time.js';
import { MACHINE_VERSION, machineRef, upgradeState, type FormationState, type MachineVersion, type Stage } from './province-formation.types.js';

/** Why the workflow refuses an event. Codes are stable: the API maps each to a problem type. */
export type WorkflowRefusal =
  | { code: 'invalid-transition'; stage: Stage; allowedEvents: EventType[] }
  | { code: 'guard-failed'; stage: Stage; reason: GuardReason };

export interface TransitionRecord {
  fromStage: Stage;
  toStage: Stage;
  /**
   * The deadline in force when the event occurred: the one before the event changed it (SET_DEADLINE is
   * judged by the deadline it replaces), or, for an event that opens a selection, the clock it starts.
   * Null when none was in force.
   */
  deadline: string | null;
  late: boolean;
  /** Null when no deadline was in force. */
  daysToDeadline: number | null;
}

export type ApplyResult =
  | { ok: true; state: FormationState; record: TransitionRecord }
  | { ok: false; refusal: WorkflowRefusal };

type Snapshot = ReturnType<FormationMachine['resolveState']>;

function toState(snapshot: Snapshot, version: MachineVersion): FormationState {
  return { machine: machineRef(version), stage: snapshot.value as Stage, context: structuredClone(snapshot.context) };
}

function toSnapshot(state: FormationState, version: MachineVersion): Snapshot {
  // Rebuilt through the machine (never read or written through XState's private fields).
  return formationMachine(version).resolveState({ value: state.stage, context: structuredClone(state.context) });
}

/**
 * A new province's state. Every function here works with the current machine unless another version
 * is named: a state stored by an earlier one (its stamp says which) is read as upgradeState reads it.
 */
export function initialFormationState(seats: number, version: MachineVersion = MACHINE_VERSION): FormationState {
  const [snapshot] = initialTransition(formationMachine(version), { seats });
  return toState(snapshot, version);
}

/** The event types the province accepts now: the stage's, less those whose `context` guard already refuses. */
export function allowedEvents(state: FormationState, version: MachineVersion = MACHINE_VERSION): EventType[] {
  const { stage, context } = upgradeState(state);
  return eventsAcceptedIn(stage, version).filter((type) => contextRefusal(context, type) === null);
}

/** Apply one event to a stored state with XState's pure `transition`. Never throws for a refusal. */
export function applyEvent(stored: FormationState, event: FormationEvent, rules: CycleRules, version: MachineVersion = MACHINE_VERSION): ApplyResult {
  const state = upgradeState(stored);
  if (!eventsAcceptedIn(state.stage, version).includes(event.type)) {
    return { ok: false, refusal: { code: 'invalid-transition', stage: state.stage, allowedEvents: allowedEvents(state, version) } };
  }
  const machine = formationMachine(version);
  const snapshot = toSnapshot(state, version);
  // Enabled transitions after guards. Not `snapshot.can(event)`: it also answers false for an enabled
  // transition with no target and no actions (REPORT), which refused every report as a guard failure.
  const enabled = machine.getTransitionData(snapshot, event);
  if (enabled.length === 0) {
    const reason = guardFailure(state.context, event);
    // The stage accepts the event, so only a guard can have disabled it, and the table's guard names
    // which. No reason means the machine and the table disagree: a defect to report, not a refusal.
    if (reason === null) throw new Error(`the machine refused ${event.type} in ${state.stage}, but no guard of the table does`);
    return { ok: false, refusal: { code: 'guard-failed', stage: state.stage, reason } };
  }
  const record = (next: FormationState) => {
    // Judged by the clock in force when it occurred: the one before it, unless the event opens a new
    // selection (VACATE, an overturning RULING), whose clock starts at that very instant.
    const deadline = effectiveDeadline(next.context.selection > state.context.selection ? next : state, rules);
    return { fromStage: state.stage, toStage: next.stage, deadline, ...lateness(deadline, new Date(event.occurredAt), rules) };
  };
  // The machine's own transition definitions say whether it changes anything: one with no target and no
  // actions (a REPORT, the commonest event) leaves the state as it is, so XState's `transition` — which
  // builds an actor scope per call, ~6 % of a write's CPU — is not needed to know the result. The
  // model-based test holds every accepted pair to `transition`'s own answer.
  if (enabled.every((t) => !t.target?.length && t.actions.length === 0 && !t.reenter)) {
    const same = toState(snapshot, version);
    return { ok: true, state: same, record: record(same) };
  }
  const [snapshotAfter] = transition(machine, snapshot, event);
  const next = toState(snapshotAfter, version);
  return { ok: true, state: next, record: record(next) };
}

export type OccurredAtProblem = 'in-the-future' | 'before-election';

/** A new event may not claim to have happened more than 5 minutes from now, nor before election day. */
export function checkOccurredAt(occurredAt: Date, rules: Pick<CycleRules, 'electionDate' | 'timezone'>, now: Date): OccurredAtProblem | null {
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
  version: MachineVersion = MACHINE_VERSION,
): { state: FormationState; steps: ReplayStep<E>[]; failed: ReplayStep<E> | null } {
  let state = start;
  const steps: ReplayStep<E>[] = [];
  for (const item of items) {
    const result = applyEvent(state, eventOf(item), rules, version);
    const step = { item, result };
    steps.push(step);
    if (!result.ok) return { state, steps, failed: step };
    state = result.state;
  }
  return { state, steps, failed: null };
}
