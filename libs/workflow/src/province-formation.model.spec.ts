// Model-based test (STYLE habit 2): walk every state the machine can reach with a finite alphabet of
// events, try every event of the alphabet in every such state through the engine, and hold each
// outcome to an expectation computed from TRANSITION_TABLE and an independent reading of SPEC §2.
import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { describeMachine } from './machine-description.js';
import { allowedEvents, applyEvent, initialFormationState, replay, type ApplyResult } from './province-formation.engine.js';
import { provinceFormationMachine } from './province-formation.machine.js';
import {
  TRANSITION_TABLE,
  type EventType,
  type FormationEvent,
  type FormationPayload,
  type GuardReason,
  type TransitionRow,
} from './province-formation.table.js';
import { MACHINE_REF, STAGES, type FormationContext, type FormationState, type Stage } from './province-formation.types.js';
import type { CycleRules } from './deadline.js';

const SEATS = 15;
/** SPEC §2: "9 of 15" — written out here rather than computed, so the test does not share the formula. */
const MAJORITY_OF_15 = 9;
const AT = '2024-01-20T09:00:00.000Z';
const RULES: CycleRules = {
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  timezone: 'Asia/Baghdad',
  tierByDays: 21,
  candidateByDays: 7,
};

const at = (payload: FormationPayload): FormationEvent => ({ ...payload, occurredAt: AT }) as FormationEvent;

/**
 * The finite alphabet: every event type, with payloads that pass and payloads that make each guard
 * fail. Two candidate names (plus a third spelling of one and a stranger) keep the state space finite.
 */
const ALPHABET: FormationEvent[] = [
  at({ type: 'SET_CRITERIA', criteria: 'a governor from the largest bloc' }),
  at({ type: 'ASSIGN_TIER', tier: 'A' }),
  at({ type: 'ASSIGN_TIER', tier: 'C' }),
  at({ type: 'CONVENE', chair: 'the eldest member' }),
  at({ type: 'CONVENE' }),
  at({ type: 'NOMINATE', candidate: { name: 'Ali Hassan', nameAr: 'علي حسن', bloc: 'Coordination Framework' } }),
  at({ type: 'NOMINATE', candidate: { name: 'Sara Kareem' } }),
  // The same person as "Ali Hassan", typed differently: refused once Ali is nominated.
  at({ type: 'NOMINATE', candidate: { name: '  ali   HASSAN ' } }),
  at({ type: 'WITHDRAW', candidate: 'Ali Hassan', reason: 'withdrew' }),
  at({ type: 'WITHDRAW', candidate: 'sara kareem' }),
  at({ type: 'WITHDRAW', candidate: 'Omar Stranger' }),
  at({ type: 'APPOINT', governor: 'Ali Hassan' }),
  at({ type: 'APPOINT', governor: 'Sara Kareem', votes: MAJORITY_OF_15, present: 12 }),
  at({ type: 'APPOINT', governor: 'Ali Hassan', votes: MAJORITY_OF_15 - 1, present: 12 }),
  at({ type: 'APPOINT', governor: 'Ali Hassan', votes: 10, present: 9 }),
  at({ type: 'APPOINT', governor: 'Ali Hassan', votes: MAJORITY_OF_15, present: SEATS + 1 }),
  at({ type: 'APPOINT', governor: 'Sara Kareem', votes: SEATS + 1 }),
  at({ type: 'APPOINT', governor: 'Omar Stranger', votes: 12, present: 15 }),
  at({ type: 'DECREE', decreeDate: '2024-02-20' }),
  at({ type: 'DECREE' }),
  at({ type: 'REVOKE', reason: 'the Federal Supreme Court annulled the session' }),
  at({ type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court-extended deadline' }),
  at({ type: 'REPORT', kind: 'rumor', text: 'a deal is said to be close' }),
  at({ type: 'REPORT', kind: 'session_failed', text: 'no quorum' }),
];

// ---- an independent reading of SPEC §2 (deliberately not importing the guards) ----

const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();
const isNominee = (context: FormationContext, name: string) => context.nominees.some((n) => sameName(n.name, name));

function expectedGuardFailure(context: FormationContext, event: FormationEvent): GuardReason | null {
  switch (event.type) {
    case 'CONVENE':
      return context.convenedAt !== null ? 'already-convened' : null;
    case 'NOMINATE':
      return isNominee(context, event.candidate.name) ? 'already-nominated' : null;
    case 'WITHDRAW':
      return isNominee(context, event.candidate) ? null : 'not-a-nominee';
    case 'APPOINT': {
      if (!isNominee(context, event.governor)) return 'not-a-nominee';
      // Each numeric payload of the alphabet breaks at most one of these rules, so their order is moot.
      if (event.present != null && event.present > context.seats) return 'present-exceeds-seats';
      if (event.votes != null && event.votes > (event.present ?? context.seats)) return 'votes-exceed-present';
      if (event.votes != null && event.votes < MAJORITY_OF_15) return 'majority-not-reached';
      return null;
    }
    case 'DECREE':
      return context.decree !== null ? 'decree-already-recorded' : null;
    default:
      return null;
  }
}

/** The context after an accepted event, as SPEC §2 describes its effect. */
function expectedContext(context: FormationContext, event: FormationEvent): FormationContext {
  const c = structuredClone(context);
  switch (event.type) {
    case 'SET_CRITERIA':
      return { ...c, criteria: event.criteria };
    case 'ASSIGN_TIER':
      return { ...c, tier: event.tier };
    case 'CONVENE':
      return { ...c, convenedAt: event.occurredAt, chair: event.chair ?? null };
    case 'NOMINATE': {
      const { name, nameAr = null, bloc = null } = event.candidate;
      return { ...c, nominees: [...c.nominees, { name, nameAr, bloc, nominatedAt: event.occurredAt }] };
    }
    case 'WITHDRAW':
      return { ...c, nominees: c.nominees.filter((n) => !sameName(n.name, event.candidate)) };
    case 'APPOINT': {
      const nominee = c.nominees.find((n) => sameName(n.name, event.governor))!;
      const governor = {
        name: nominee.name,
        nameAr: nominee.nameAr ?? null,
        bloc: nominee.bloc ?? null,
        votes: event.votes ?? null,
        present: event.present ?? null,
        appointedAt: event.occurredAt,
      };
      return { ...c, governor };
    }
    case 'DECREE':
      return { ...c, decree: { recordedAt: event.occurredAt, decreeDate: event.decreeDate ?? null } };
    case 'REVOKE':
      // "the revoked governor leaves the nominee list"
      return { ...c, governor: null, decree: null, nominees: c.nominees.filter((n) => !sameName(n.name, c.governor!.name)) };
    case 'SET_DEADLINE':
      return { ...c, deadline: event.deadline, deadlineBasis: event.basis };
    case 'REPORT':
      return c;
  }
}

function expectedStage(row: TransitionRow, stage: Stage, after: FormationContext): Stage {
  if (row.to === 'same') return stage;
  if (row.to === 'candidate-or-tier') return after.nominees.length > 0 ? 'candidate' : 'tier';
  return row.to;
}

function expectedAllowed(state: FormationState): EventType[] {
  return TRANSITION_TABLE.filter((row) => row.from.includes(state.stage))
    .map((row) => row.event)
    .filter((type) => !(type === 'CONVENE' && state.context.convenedAt) && !(type === 'DECREE' && state.context.decree));
}

// ---- the walk ----

/** Stage plus context, timestamps left out: two provinces in the same position are one state. */
function serialize(stage: unknown, context: FormationContext): string {
  return JSON.stringify({
    stage,
    ...context,
    convenedAt: context.convenedAt !== null,
    nominees: context.nominees.map(({ nominatedAt: _, ...n }) => n),
    governor: context.governor && (({ appointedAt: _, ...g }) => g)(context.governor),
    decree: context.decree && context.decree.decreeDate,
  });
}

const paths = getShortestPaths(provinceFormationMachine, {
  input: { seats: SEATS },
  events: ALPHABET,
  serializeState: (snapshot) => serialize(snapshot.value, snapshot.context),
});

const reached: FormationState[] = paths.map((path) => ({
  machine: MACHINE_REF,
  stage: path.state.value as Stage,
  context: structuredClone(path.state.context),
}));

type Outcome = { state: FormationState; event: FormationEvent; result: ApplyResult; mutated: boolean };
const outcomes: Outcome[] = reached.flatMap((state) =>
  ALPHABET.map((event) => {
    const before = JSON.stringify(state);
    const result = applyEvent(state, event, RULES);
    return { state, event, result, mutated: JSON.stringify(state) !== before };
  }),
);

const label = ({ state, event }: Outcome) => `${serialize(state.stage, state.context)} + ${JSON.stringify(event)}`;

describe('province-formation, model-based (SPEC §2 against TRANSITION_TABLE)', () => {
  it('reaches every stage: criteria → tier → candidate → appointed', () => {
    expect(new Set(reached.map((s) => s.stage))).toEqual(new Set(STAGES));
  });

  it('walks a state space large enough that the comparison cannot pass vacuously', () => {
    // 732 states × 24 events = 17,568 pairs when written; the floors catch a walk that silently shrinks.
    expect(reached.length).toBeGreaterThanOrEqual(500);
    expect(outcomes.length).toBe(reached.length * ALPHABET.length);
    expect(outcomes.length).toBeGreaterThanOrEqual(12_000);
  });

  it("every accepted event ends in exactly the state XState's own transition() gives (the engine skips it for transitions without target or actions)", () => {
    const accepted = outcomes.filter((o) => o.result.ok);
    const unchanged = accepted.filter((o) => o.result.ok && o.result.state.stage === o.state.stage && JSON.stringify(o.result.state.context) === JSON.stringify(o.state.context));
    // Both kinds are exercised: transitions that change the state and ones that leave it (REPORT and others).
    expect(unchanged.length).toBeGreaterThan(500);
    expect(accepted.length - unchanged.length).toBeGreaterThan(500);
    const differing = accepted.filter(({ state, event, result }) => {
      const snapshot = provinceFormationMachine.resolveState({ value: state.stage, context: structuredClone(state.context) });
      const [next] = transition(provinceFormationMachine, snapshot, event);
      const engine = (result as Extract<ApplyResult, { ok: true }>).state;
      return engine.stage !== next.value || JSON.stringify(engine.context) !== JSON.stringify(next.context);
    });
    expect(differing.map(label)).toEqual([]);
  });

  it('applyEvent never mutates the stored state it is given', () => {
    expect(outcomes.filter((o) => o.mutated).map(label)).toEqual([]);
  });

  it('the engine replays every shortest path of the machine to the same state', () => {
    const start = initialFormationState(SEATS);
    for (const path of paths) {
      // xstate/graph opens every path with the machine's own init step, which is not a workflow event.
      const events = path.steps.map((s) => s.event).filter((e) => (e.type as string) !== 'xstate.init');
      const run = replay(start, events, (e) => e, RULES);
      expect(run.failed).toBeNull();
      expect(serialize(run.state.stage, run.state.context)).toBe(serialize(path.state.value, path.state.context));
    }
  });

  it('an event the stage does not accept is refused as invalid-transition, naming the allowed events', () => {
    let checked = 0;
    for (const outcome of outcomes) {
      const { state, event, result } = outcome;
      if (TRANSITION_TABLE.find((r) => r.event === event.type)!.from.includes(state.stage)) continue;
      checked++;
      expect({ at: label(outcome), result }).toEqual({
        at: label(outcome),
        result: { ok: false, refusal: { code: 'invalid-transition', stage: state.stage, allowedEvents: expectedAllowed(state) } },
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('an accepted stage with a failing guard is refused as guard-failed with the reason, and the table lists that reason', () => {
    let checked = 0;
    for (const outcome of outcomes) {
      const { state, event, result } = outcome;
      const row = TRANSITION_TABLE.find((r) => r.event === event.type)!;
      const reason = row.from.includes(state.stage) ? expectedGuardFailure(state.context, event) : null;
      if (reason === null) continue;
      checked++;
      expect(row.guards).toContain(reason);
      expect({ at: label(outcome), result }).toEqual({
        at: label(outcome),
        result: { ok: false, refusal: { code: 'guard-failed', stage: state.stage, reason } },
      });
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('every other event is accepted: the stage goes where the table says and the context changes as SPEC §2 says', () => {
    let checked = 0;
    for (const outcome of outcomes) {
      const { state, event, result } = outcome;
      const row = TRANSITION_TABLE.find((r) => r.event === event.type)!;
      if (!row.from.includes(state.stage) || expectedGuardFailure(state.context, event) !== null) continue;
      checked++;
      const context = expectedContext(state.context, event);
      const stage = expectedStage(row, state.stage, context);
      expect({ at: label(outcome), result }).toEqual({
        at: label(outcome),
        result: {
          ok: true,
          state: { machine: MACHINE_REF, stage, context },
          record: expect.objectContaining({ fromStage: state.stage, toStage: stage }),
        },
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('allowedEvents in every reached state are the table row events less a second CONVENE or DECREE', () => {
    for (const state of reached) expect(allowedEvents(state)).toEqual(expectedAllowed(state));
  });

  it('exercises every (stage, event) pair of the table with an accepted event, and every guard reason of the table', () => {
    const accepted = new Set(outcomes.filter((o) => o.result.ok).map((o) => `${o.state.stage}:${o.event.type}`));
    const tablePairs = TRANSITION_TABLE.flatMap((row) => row.from.map((stage) => `${stage}:${row.event}`));
    expect([...accepted].sort()).toEqual([...tablePairs].sort());

    const refusedWith = new Set(outcomes.flatMap((o) => (!o.result.ok && o.result.refusal.code === 'guard-failed' ? [`${o.event.type}:${o.result.refusal.reason}`] : [])));
    const tableReasons = TRANSITION_TABLE.flatMap((row) => row.guards.map((reason) => `${row.event}:${reason}`));
    expect([...refusedWith].sort()).toEqual([...tableReasons].sort());
  });

  it('takes both branches of WITHDRAW and REVOKE: candidate while a nominee remains, else tier', () => {
    const branches = new Set(
      outcomes.flatMap((o) =>
        o.result.ok && (o.event.type === 'WITHDRAW' || o.event.type === 'REVOKE') ? [`${o.event.type}→${o.result.state.stage}`] : [],
      ),
    );
    expect([...branches].sort()).toEqual(['REVOKE→candidate', 'REVOKE→tier', 'WITHDRAW→candidate', 'WITHDRAW→tier']);
  });
});

describe('the XState machine and TRANSITION_TABLE describe the same workflow', () => {
  const { transitions } = describeMachine();
  const rowOf = (event: EventType) => TRANSITION_TABLE.find((r) => r.event === event)!;

  it('the machine has a transition for exactly the (stage, event) pairs of the table', () => {
    const machinePairs = new Set(transitions.map((t) => `${t.from}:${t.event}`));
    const tablePairs = new Set(TRANSITION_TABLE.flatMap((row) => row.from.map((stage) => `${stage}:${row.event}`)));
    expect([...machinePairs].sort()).toEqual([...tablePairs].sort());
  });

  it('every machine transition targets a stage the table allows for it', () => {
    for (const t of transitions) {
      const { to } = rowOf(t.event);
      const allowed = to === 'same' ? [t.from] : to === 'candidate-or-tier' ? ['candidate', 'tier'] : [to];
      expect({ transition: t, allowed: allowed.includes(t.to) }).toEqual({ transition: t, allowed: true });
    }
  });

  it('guarded rows have a guard on every branch; unguarded rows keep a branch no guard can refuse', () => {
    for (const row of TRANSITION_TABLE) {
      for (const stage of row.from) {
        const branches = transitions.filter((t) => t.from === stage && t.event === row.event);
        const guards = branches.map((t) => t.guard);
        if (row.guards.length > 0) expect({ pair: `${stage}:${row.event}`, unguarded: guards.includes(null) }).toEqual({ pair: `${stage}:${row.event}`, unguarded: false });
        else expect({ pair: `${stage}:${row.event}`, unguarded: guards.includes(null) }).toEqual({ pair: `${stage}:${row.event}`, unguarded: true });
      }
    }
  });
});
