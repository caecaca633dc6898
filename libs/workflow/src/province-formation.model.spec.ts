// Model-based test (STYLE habit 2): for each version of the machine, walk every state it can reach with
// a finite alphabet of events, try every event of the alphabet in every such state through the engine,
// and hold each outcome to an expectation computed from the version's table and an independent reading
// of SPEC §2 (@1) and §8 (what @2 adds).
import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { describeMachine } from './machine-description.js';
import { allowedEvents, applyEvent, initialFormationState, replay, type ApplyResult } from './province-formation.engine.js';
import { formationMachine } from './province-formation.machine.js';
import {
  transitionTable,
  type EventType,
  type FormationEvent,
  type FormationPayload,
  type GuardReason,
  type TransitionRow,
} from './province-formation.table.js';
import {
  MACHINE_VERSIONS,
  machineRef,
  stagesOf,
  type FormationContext,
  type FormationState,
  type MachineVersion,
  type Stage,
} from './province-formation.types.js';
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
 * The finite alphabet: every event type of every version, with payloads that pass and payloads that make
 * each guard fail. Two candidate names (plus a third spelling of one and a stranger) keep the state space
 * finite. Under @1 the types @2 added must be refused, so both versions walk the same alphabet.
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
  at({ type: 'VACATE', reason: 'dismissed' }),
  at({ type: 'VACATE', reason: 'elected_elsewhere' }),
  at({ type: 'ACTING', name: 'Khalid Acting', kind: 'acting' }),
  at({ type: 'ACTING', name: 'Ali Hassan', nameAr: 'علي حسن', kind: 'caretaker' }),
  at({ type: 'CONTEST', by: 'the losing bloc', grounds: 'no quorum at the vote' }),
  at({ type: 'RULING', authority: 'administrative court', outcome: 'upheld' }),
  at({ type: 'RULING', authority: 'administrative court', outcome: 'overturned' }),
];

// ---- an independent reading of SPEC §2 and §8 (deliberately not importing the guards or actions) ----

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
    case 'CONTEST':
      return context.contested !== null ? 'already-contested' : null;
    default:
      return null;
  }
}

/** §8: the governor leaves; the selection's own things go, kept in the vacancy for a ruling to restore. */
function vacated(c: FormationContext, reason: 'dismissed' | 'elected_elsewhere' | 'court_ruling'): FormationContext {
  return {
    ...c,
    governor: null,
    nominees: [],
    decree: null,
    deadline: null,
    deadlineBasis: null,
    selection: c.selection + 1,
    clockStartedAt: AT,
    contested: null,
    vacancy: {
      reason,
      since: AT,
      previousGovernor: c.governor!,
      interrupted: {
        selection: c.selection,
        nominees: c.nominees,
        decree: c.decree,
        deadline: c.deadline,
        deadlineBasis: c.deadlineBasis,
        clockStartedAt: c.clockStartedAt,
        vacancy: c.vacancy,
      },
    },
  };
}

/** The context after an accepted event in `stage`, as SPEC §2 and §8 describe its effect. */
function expectedContext(stage: Stage, context: FormationContext, event: FormationEvent): FormationContext {
  const c = structuredClone(context);
  switch (event.type) {
    case 'SET_CRITERIA':
      return { ...c, criteria: event.criteria };
    case 'ASSIGN_TIER':
      return { ...c, tier: event.tier };
    case 'CONVENE':
      // §8: the first selection's clock may count from the council's first session.
      return { ...c, convenedAt: event.occurredAt, chair: event.chair ?? null, clockStartedAt: c.selection === 1 ? event.occurredAt : c.clockStartedAt };
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
      // §8: an APPOINT ends the acting governor's time.
      return { ...c, governor, acting: null };
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
    case 'VACATE':
      return vacated(c, event.reason as 'dismissed' | 'elected_elsewhere');
    case 'ACTING':
      return { ...c, acting: { name: event.name, nameAr: event.nameAr ?? null, kind: event.kind, since: event.occurredAt } };
    case 'CONTEST':
      return { ...c, contested: { by: event.by, grounds: event.grounds, since: event.occurredAt, target: stage === 'appointed' ? 'appointment' : 'vacancy' } };
    case 'RULING': {
      if (event.outcome === 'upheld') return { ...c, contested: null };
      if (stage === 'appointed') return { ...vacated(c, 'court_ruling'), contested: null };
      // The removal undone: the governor back (appointedAt kept, reinstatedAt now) and their selection as it was.
      const { previousGovernor, interrupted } = c.vacancy!;
      return { ...c, ...interrupted, governor: { ...previousGovernor, reinstatedAt: event.occurredAt }, acting: null, contested: null };
    }
  }
}

function expectedStage(row: TransitionRow, stage: Stage, event: FormationEvent, after: FormationContext): Stage {
  if (row.to === 'same') return stage;
  // Back where the selection began: tier in the election's first, vacant in a vacancy's.
  if (row.to === 'candidate-or-back') return after.nominees.length > 0 ? 'candidate' : after.selection > 1 ? 'vacant' : 'tier';
  if (row.to === 'same-or-reversed') {
    if (event.type !== 'RULING' || event.outcome === 'upheld') return stage;
    return stage === 'appointed' ? 'vacant' : 'appointed';
  }
  return row.to;
}

const rowOf = (version: MachineVersion, event: EventType) => transitionTable(version).find((r) => r.event === event);
const acceptedBy = (version: MachineVersion, stage: Stage, event: EventType) => rowOf(version, event)?.from.includes(stage) ?? false;

function expectedAllowed(state: FormationState, version: MachineVersion): EventType[] {
  const { convenedAt, decree, contested } = state.context;
  return transitionTable(version)
    .filter((row) => row.from.includes(state.stage))
    .map((row) => row.event)
    .filter((type) => !(type === 'CONVENE' && convenedAt) && !(type === 'DECREE' && decree) && !(type === 'CONTEST' && contested));
}

// ---- the walk ----

/** @1's states: stage plus context, timestamps left out: two provinces in the same position are one state. */
function serializeV1(stage: unknown, context: FormationContext): string {
  return JSON.stringify({
    stage,
    ...context,
    convenedAt: context.convenedAt !== null,
    nominees: context.nominees.map(({ nominatedAt: _, ...n }) => n),
    governor: context.governor && (({ appointedAt: _, ...g }) => g)(context.governor),
    decree: context.decree && context.decree.decreeDate,
  });
}

type SelectionPart = Pick<FormationContext, 'selection' | 'nominees' | 'decree'>;
const selectionKey = (s: SelectionPart) => ({ later: s.selection > 1, nominees: s.nominees.map((n) => n.name).sort(), decree: s.decree !== null });

/**
 * @2's states, folded to what a guard, a branch or a ruling's restoration reads: the stage, whether this
 * is a vacancy's selection, the nominees, the governor, whether there is a decree, a council session, an
 * acting governor or a contest, and the vacancy with the selection it interrupted (whose own vacancy
 * folds to whether there is one). Every VACATE makes a new selection, so an unfolded walk never ends;
 * @1's own walk, above, keeps what this one folds (tier, criteria, chair, deadline, votes), and the
 * property in province-formation.compat.spec.ts holds @2 to @1 on @1's histories.
 */
function serializeV2(stage: unknown, context: FormationContext): string {
  const { vacancy, governor } = context;
  return JSON.stringify({
    stage,
    ...selectionKey(context),
    governor: governor && { name: governor.name, reinstated: governor.reinstatedAt !== undefined },
    convened: context.convenedAt !== null,
    acting: context.acting !== null,
    contested: context.contested !== null,
    vacancy: vacancy && {
      previousGovernor: vacancy.previousGovernor.name,
      interrupted: { ...selectionKey(vacancy.interrupted), vacancy: vacancy.interrupted.vacancy !== null },
    },
  });
}

const SERIALIZE: Record<MachineVersion, (stage: unknown, context: FormationContext) => string> = { 1: serializeV1, 2: serializeV2 };

/** JSON with object keys sorted: equal for equal plain data whatever order its keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

type Outcome = { state: FormationState; event: FormationEvent; result: ApplyResult; mutated: boolean };

/** Written down when the walk was built: the floors below catch a walk that silently shrinks. */
const FLOORS: Record<MachineVersion, { states: number; pairs: number }> = {
  // 732 states × 31 events = 22,692 pairs when written.
  1: { states: 700, pairs: 21_000 },
  // 3,132 (folded) states × 31 events = 97,092 pairs when written.
  2: { states: 3_000, pairs: 93_000 },
};

describe.each(MACHINE_VERSIONS.map((version) => [version]))('province-formation@%i, model-based (SPEC against its table)', (version) => {
  const machine = formationMachine(version);
  const table = transitionTable(version);
  const ref = machineRef(version);
  const serialize = SERIALIZE[version];

  const paths = getShortestPaths(machine, {
    input: { seats: SEATS },
    events: ALPHABET,
    serializeState: (snapshot) => serialize(snapshot.value, snapshot.context),
  });

  const reached: FormationState[] = paths.map((path) => ({
    machine: ref,
    stage: path.state.value as Stage,
    context: structuredClone(path.state.context),
  }));

  const outcomes: Outcome[] = reached.flatMap((state) =>
    ALPHABET.map((event) => {
      const before = JSON.stringify(state);
      const result = applyEvent(state, event, RULES, version);
      return { state, event, result, mutated: JSON.stringify(state) !== before };
    }),
  );

  const label = ({ state, event }: Outcome) => `${serialize(state.stage, state.context)} + ${JSON.stringify(event)}`;

  it(`reaches every stage of @${version}`, () => {
    expect(new Set(reached.map((s) => s.stage))).toEqual(new Set(stagesOf(version)));
  });

  it('walks a state space large enough that the comparison cannot pass vacuously', () => {
    expect(reached.length).toBeGreaterThanOrEqual(FLOORS[version].states);
    expect(outcomes.length).toBe(reached.length * ALPHABET.length);
    expect(outcomes.length).toBeGreaterThanOrEqual(FLOORS[version].pairs);
  });

  it("every accepted event ends in exactly the state XState's own transition() gives (the engine skips it for transitions without target or actions)", () => {
    const accepted = outcomes.filter((o) => o.result.ok);
    const unchanged = accepted.filter((o) => o.result.ok && o.result.state.stage === o.state.stage && JSON.stringify(o.result.state.context) === JSON.stringify(o.state.context));
    // Both kinds are exercised: transitions that change the state and ones that leave it (REPORT and others).
    expect(unchanged.length).toBeGreaterThan(500);
    expect(accepted.length - unchanged.length).toBeGreaterThan(500);
    const differing = accepted.filter(({ state, event, result }) => {
      const snapshot = machine.resolveState({ value: state.stage, context: structuredClone(state.context) });
      const [next] = transition(machine, snapshot, event);
      const engine = (result as Extract<ApplyResult, { ok: true }>).state;
      return engine.stage !== next.value || JSON.stringify(engine.context) !== JSON.stringify(next.context);
    });
    expect(differing.map(label)).toEqual([]);
  });

  it('applyEvent never mutates the stored state it is given', () => {
    expect(outcomes.filter((o) => o.mutated).map(label)).toEqual([]);
  });

  it('the engine replays every shortest path of the machine to the same state', () => {
    const start = initialFormationState(SEATS, version);
    for (const path of paths) {
      // xstate/graph opens every path with the machine's own init step, which is not a workflow event.
      const events = path.steps.map((s) => s.event).filter((e) => (e.type as string) !== 'xstate.init');
      const run = replay(start, events, (e) => e, RULES, version);
      expect(run.failed).toBeNull();
      expect(serialize(run.state.stage, run.state.context)).toBe(serialize(path.state.value, path.state.context));
    }
  });

  /**
   * Each outcome against its expectation, compared as canonical JSON rather than with jest's matchers
   * (tens of thousands of deep toEqual calls dominate the run; JSON drops undefined fields as toEqual
   * ignores them); a mismatch is kept with both sides, for one readable failure.
   */
  const mismatches = (checked: Outcome[], expected: (o: Outcome) => unknown, actual: (o: Outcome) => unknown = (o) => o.result) =>
    checked.flatMap((o) => {
      const want = expected(o);
      const got = actual(o);
      return canonical(got) === canonical(want) ? [] : [{ at: label(o), expected: want, got }];
    });

  it('an event the stage does not accept (or the version does not know) is refused as invalid-transition, naming the allowed events', () => {
    const checked = outcomes.filter(({ state, event }) => !acceptedBy(version, state.stage, event.type));
    expect(checked.length).toBeGreaterThan(1000);
    expect(
      mismatches(checked, ({ state }) => ({
        ok: false,
        refusal: { code: 'invalid-transition', stage: state.stage, allowedEvents: expectedAllowed(state, version) },
      })),
    ).toEqual([]);
  });

  it('an accepted stage with a failing guard is refused as guard-failed with the reason, and the table lists that reason', () => {
    const reasonOf = ({ state, event }: Outcome) => (acceptedBy(version, state.stage, event.type) ? expectedGuardFailure(state.context, event) : null);
    const checked = outcomes.filter((o) => reasonOf(o) !== null);
    expect(checked.length).toBeGreaterThan(500);
    for (const o of checked) expect(rowOf(version, o.event.type)!.guards).toContain(reasonOf(o));
    expect(mismatches(checked, (o) => ({ ok: false, refusal: { code: 'guard-failed', stage: o.state.stage, reason: reasonOf(o) } }))).toEqual([]);
  });

  it('every other event is accepted: the stage goes where the table says and the context changes as the SPEC says', () => {
    const checked = outcomes.filter(({ state, event }) => acceptedBy(version, state.stage, event.type) && expectedGuardFailure(state.context, event) === null);
    expect(checked.length).toBeGreaterThan(1000);
    const expected = ({ state, event }: Outcome) => {
      const context = expectedContext(state.stage, state.context, event);
      const stage = expectedStage(rowOf(version, event.type)!, state.stage, event, context);
      return { ok: true, state: { machine: ref, stage, context }, fromStage: state.stage, toStage: stage };
    };
    const actual = ({ result }: Outcome) => (result.ok ? { ok: true, state: result.state, fromStage: result.record.fromStage, toStage: result.record.toStage } : result);
    expect(mismatches(checked, expected, actual)).toEqual([]);
  });

  it('allowedEvents in every reached state are the table row events less a second CONVENE, DECREE or CONTEST', () => {
    for (const state of reached) expect(allowedEvents(state, version)).toEqual(expectedAllowed(state, version));
  });

  it('exercises every (stage, event) pair of the table with an accepted event, and every guard reason of the table', () => {
    const accepted = new Set(outcomes.filter((o) => o.result.ok).map((o) => `${o.state.stage}:${o.event.type}`));
    const tablePairs = table.flatMap((row) => row.from.map((stage) => `${stage}:${row.event}`));
    expect([...accepted].sort()).toEqual([...tablePairs].sort());

    const refusedWith = new Set(outcomes.flatMap((o) => (!o.result.ok && o.result.refusal.code === 'guard-failed' ? [`${o.event.type}:${o.result.refusal.reason}`] : [])));
    const tableReasons = table.flatMap((row) => row.guards.map((reason) => `${row.event}:${reason}`));
    expect([...refusedWith].sort()).toEqual([...tableReasons].sort());
  });

  it('takes every branch: WITHDRAW and REVOKE to candidate while a nominee remains, else back (tier, or vacant in a vacancy); RULING both ways', () => {
    const branches = new Set(
      outcomes.flatMap((o) =>
        o.result.ok && ['WITHDRAW', 'REVOKE', 'RULING'].includes(o.event.type) ? [`${o.event.type}:${o.state.stage}→${o.result.state.stage}`] : [],
      ),
    );
    const v1 = ['REVOKE:appointed→candidate', 'REVOKE:appointed→tier', 'WITHDRAW:candidate→candidate', 'WITHDRAW:candidate→tier'];
    const v2 = ['REVOKE:appointed→vacant', 'WITHDRAW:candidate→vacant', 'RULING:appointed→appointed', 'RULING:appointed→vacant', 'RULING:vacant→appointed', 'RULING:vacant→vacant'];
    expect([...branches].sort()).toEqual((version === 1 ? v1 : [...v1, ...v2]).sort());
  });

  describe('the XState machine and the table describe the same workflow', () => {
    const { transitions } = describeMachine(version);

    it('the machine has a transition for exactly the (stage, event) pairs of the table', () => {
      const machinePairs = new Set(transitions.map((t) => `${t.from}:${t.event}`));
      const tablePairs = new Set(table.flatMap((row) => row.from.map((stage) => `${stage}:${row.event}`)));
      expect([...machinePairs].sort()).toEqual([...tablePairs].sort());
    });

    it('every machine transition targets a stage the table allows for it', () => {
      const stages: readonly Stage[] = stagesOf(version);
      for (const t of transitions) {
        const { to } = rowOf(version, t.event)!;
        const allowed =
          to === 'same'
            ? [t.from]
            : to === 'candidate-or-back'
              ? ['candidate', 'tier', 'vacant']
              : to === 'same-or-reversed'
                ? [t.from, t.from === 'appointed' ? 'vacant' : 'appointed']
                : [to];
        expect({ transition: t, allowed: allowed.includes(t.to) && stages.includes(t.to) }).toEqual({ transition: t, allowed: true });
      }
    });

    it('guarded rows have a guard on every branch; unguarded rows keep a branch no guard can refuse', () => {
      for (const row of table) {
        for (const stage of row.from) {
          const branches = transitions.filter((t) => t.from === stage && t.event === row.event);
          const guards = branches.map((t) => t.guard);
          if (row.guards.length > 0) expect({ pair: `${stage}:${row.event}`, unguarded: guards.includes(null) }).toEqual({ pair: `${stage}:${row.event}`, unguarded: false });
          else expect({ pair: `${stage}:${row.event}`, unguarded: guards.includes(null) }).toEqual({ pair: `${stage}:${row.event}`, unguarded: true });
        }
      }
    });
  });
});

describe('@1 is the machine SPEC §2 describes, and @2 extends it', () => {
  /** SPEC §2, column "allowed in", written out. */
  const SPEC_2: Record<string, Stage[]> = {
    SET_CRITERIA: ['criteria'],
    ASSIGN_TIER: ['criteria', 'tier'],
    CONVENE: ['criteria', 'tier', 'candidate'],
    NOMINATE: ['criteria', 'tier', 'candidate'],
    WITHDRAW: ['candidate'],
    APPOINT: ['candidate'],
    DECREE: ['appointed'],
    REVOKE: ['appointed'],
    SET_DEADLINE: ['criteria', 'tier', 'candidate'],
    REPORT: ['criteria', 'tier', 'candidate', 'appointed'],
  };

  it("@1's table has exactly SPEC §2's events, stages and rows", () => {
    expect(Object.fromEntries(transitionTable(1).map((row) => [row.event, [...row.from]]))).toEqual(SPEC_2);
    expect(stagesOf(1)).toEqual(['criteria', 'tier', 'candidate', 'appointed']);
  });

  it("@2 keeps every row of @1 (a stage of @1 accepts in @2 all it accepted) and adds the vacant stage and §8's four events", () => {
    for (const row of transitionTable(1)) {
      const row2 = transitionTable(2).find((r) => r.event === row.event)!;
      expect({ event: row.event, from: row2.from.filter((s) => s !== 'vacant'), guards: row2.guards }).toEqual({ event: row.event, from: row.from, guards: row.guards });
    }
    expect(transitionTable(2).filter((row) => row.since === 2).map((row) => row.event)).toEqual(['VACATE', 'ACTING', 'CONTEST', 'RULING']);
    expect(stagesOf(2)).toEqual(['criteria', 'tier', 'candidate', 'appointed', 'vacant']);
  });
});
