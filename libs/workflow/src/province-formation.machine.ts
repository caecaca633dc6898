import { assertEvent, assign, setup } from 'xstate';
import { findNominee, withoutNominee } from './nominees.js';
import { eventTypesOf, guardFailure, type EventType, type FormationEvent } from './province-formation.table.js';
import {
  MACHINE_ID,
  MACHINE_VERSION,
  MACHINE_VERSIONS,
  stagesOf,
  type FormationContext,
  type MachineVersion,
  type Stage,
  type VacateReason,
} from './province-formation.types.js';

/** The guard of the table's row for `type` (province-formation.table.ts), as an XState guard. */
const passes =
  (type: EventType) =>
  ({ context, event }: { context: FormationContext; event: FormationEvent }) => {
    assertEvent(event, type);
    return guardFailure(context, event) === null;
  };

/**
 * Each stage's transitions, by event type, in the current machine (@2): what the model-based spec holds
 * to the table (province-formation.table.ts). Written out, not generated from the table, so that the two
 * can disagree. An earlier version is this less its later stages, events and the branches into them.
 */
const STATES = {
  criteria: {
    on: {
      SET_CRITERIA: { actions: 'setCriteria' },
      ASSIGN_TIER: { target: 'tier', actions: 'assignTier' },
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      NOMINATE: { guard: 'notNominated', target: 'candidate', actions: 'nominate' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
      ACTING: { actions: 'setActing' },
    },
  },
  tier: {
    on: {
      ASSIGN_TIER: { actions: 'assignTier' },
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      NOMINATE: { guard: 'notNominated', target: 'candidate', actions: 'nominate' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
      ACTING: { actions: 'setActing' },
    },
  },
  candidate: {
    on: {
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      NOMINATE: { guard: 'notNominated', actions: 'nominate' },
      WITHDRAW: [
        { guard: 'othersRemainAfterWithdrawal', actions: 'withdraw' },
        { guard: 'isNomineeInLaterSelection', target: 'vacant', actions: 'withdraw' },
        { guard: 'isNominee', target: 'tier', actions: 'withdraw' },
      ],
      APPOINT: { guard: 'canAppoint', target: 'appointed', actions: 'appoint' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
      ACTING: { actions: 'setActing' },
    },
  },
  appointed: {
    on: {
      DECREE: { guard: 'noDecreeYet', actions: 'decree' },
      REVOKE: [
        { guard: 'othersRemainAfterRevocation', target: 'candidate', actions: 'revoke' },
        { guard: 'inLaterSelection', target: 'vacant', actions: 'revoke' },
        { target: 'tier', actions: 'revoke' },
      ],
      REPORT: {},
      VACATE: { target: 'vacant', actions: 'vacate' },
      CONTEST: { guard: 'notContested', actions: 'contestAppointment' },
      RULING: [{ guard: 'overturns', target: 'vacant', actions: 'overturnAppointment' }, { actions: 'settle' }],
    },
  },
  vacant: {
    on: {
      NOMINATE: { guard: 'notNominated', target: 'candidate', actions: 'nominate' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
      ACTING: { actions: 'setActing' },
      CONTEST: { guard: 'notContested', actions: 'contestVacancy' },
      RULING: [{ guard: 'overturns', target: 'appointed', actions: 'reinstate' }, { actions: 'settle' }],
    },
  },
} as const;

/** Every event type needs a transition somewhere: a compile error here names the type no stage handles. */
type HandledEvent = { [S in keyof typeof STATES]: keyof (typeof STATES)[S]['on'] }[keyof typeof STATES];
({}) satisfies Record<Exclude<EventType, HandledEvent>, never>;
/** And every stage has its state. */
({}) satisfies Record<Exclude<Stage, keyof typeof STATES>, never>;

/** The governor leaves (VACATE, or a ruling overturning the appointment): a new selection and its clock start now, undisputed. */
function openVacancy(context: FormationContext, reason: VacateReason, at: string): Partial<FormationContext> {
  const { selection, nominees, decree, deadline, deadlineBasis, clockStartedAt, vacancy, governor } = context;
  return {
    governor: null,
    nominees: [],
    decree: null,
    deadline: null,
    deadlineBasis: null,
    selection: selection + 1,
    clockStartedAt: at,
    // A dispute over the appointment ends with it: the next governor does not inherit it.
    contested: null,
    // In `appointed` there is always a governor (the machine only gets there by APPOINT or reinstatement).
    vacancy: { reason, since: at, previousGovernor: governor!, interrupted: { selection, nominees, decree, deadline, deadlineBasis, clockStartedAt, vacancy } },
  };
}

const base = setup({
  types: {
    context: {} as FormationContext,
    events: {} as FormationEvent,
    input: {} as { seats: number },
  },
  guards: {
    notConvened: passes('CONVENE'),
    notNominated: passes('NOMINATE'),
    isNominee: passes('WITHDRAW'),
    othersRemainAfterWithdrawal: ({ context, event }) => {
      assertEvent(event, 'WITHDRAW');
      return guardFailure(context, event) === null && withoutNominee(context, event.candidate).length > 0;
    },
    isNomineeInLaterSelection: ({ context, event }) => {
      assertEvent(event, 'WITHDRAW');
      return guardFailure(context, event) === null && context.selection > 1;
    },
    canAppoint: passes('APPOINT'),
    noDecreeYet: passes('DECREE'),
    othersRemainAfterRevocation: ({ context }) =>
      context.governor !== null && withoutNominee(context, context.governor.name).length > 0,
    inLaterSelection: ({ context }) => context.selection > 1,
    notContested: passes('CONTEST'),
    overturns: ({ event }) => {
      assertEvent(event, 'RULING');
      return event.outcome === 'overturned';
    },
  },
  actions: {
    setCriteria: assign(({ event }) => {
      assertEvent(event, 'SET_CRITERIA');
      return { criteria: event.criteria };
    }),
    assignTier: assign(({ event }) => {
      assertEvent(event, 'ASSIGN_TIER');
      return { tier: event.tier };
    }),
    convene: assign(({ context, event }) => {
      assertEvent(event, 'CONVENE');
      // The first selection's clock may run from the council's first session (a rule `after: CONVENE`).
      const clockStartedAt = context.selection === 1 ? event.occurredAt : context.clockStartedAt;
      return { convenedAt: event.occurredAt, chair: event.chair ?? null, clockStartedAt };
    }),
    nominate: assign(({ context, event }) => {
      assertEvent(event, 'NOMINATE');
      const { candidate, occurredAt } = event;
      return {
        nominees: [
          ...context.nominees,
          { name: candidate.name, nameAr: candidate.nameAr ?? null, bloc: candidate.bloc ?? null, nominatedAt: occurredAt },
        ],
      };
    }),
    withdraw: assign(({ context, event }) => {
      assertEvent(event, 'WITHDRAW');
      return { nominees: withoutNominee(context, event.candidate) };
    }),
    appoint: assign(({ context, event }) => {
      assertEvent(event, 'APPOINT');
      // The guard (canAppoint) has found the nominee.
      const nominee = findNominee(context, event.governor)!;
      return {
        governor: {
          name: nominee.name,
          nameAr: nominee.nameAr ?? null,
          bloc: nominee.bloc ?? null,
          votes: event.votes ?? null,
          present: event.present ?? null,
          appointedAt: event.occurredAt,
        },
        acting: null,
      };
    }),
    decree: assign(({ event }) => {
      assertEvent(event, 'DECREE');
      return { decree: { recordedAt: event.occurredAt, decreeDate: event.decreeDate ?? null } };
    }),
    revoke: assign(({ context }) => ({
      nominees: context.governor ? withoutNominee(context, context.governor.name) : context.nominees,
      governor: null,
      decree: null,
    })),
    setDeadline: assign(({ event }) => {
      assertEvent(event, 'SET_DEADLINE');
      return { deadline: event.deadline, deadlineBasis: event.basis };
    }),
    vacate: assign(({ context, event }) => {
      assertEvent(event, 'VACATE');
      return openVacancy(context, event.reason, event.occurredAt);
    }),
    setActing: assign(({ event }) => {
      assertEvent(event, 'ACTING');
      return { acting: { name: event.name, nameAr: event.nameAr ?? null, kind: event.kind, since: event.occurredAt } };
    }),
    contestAppointment: assign(({ event }) => {
      assertEvent(event, 'CONTEST');
      return { contested: { by: event.by, grounds: event.grounds, since: event.occurredAt, target: 'appointment' as const } };
    }),
    contestVacancy: assign(({ event }) => {
      assertEvent(event, 'CONTEST');
      return { contested: { by: event.by, grounds: event.grounds, since: event.occurredAt, target: 'vacancy' as const } };
    }),
    settle: assign({ contested: null }),
    overturnAppointment: assign(({ context, event }) => {
      assertEvent(event, 'RULING');
      return { ...openVacancy(context, 'court_ruling', event.occurredAt), contested: null };
    }),
    reinstate: assign(({ context, event }) => {
      assertEvent(event, 'RULING');
      // In `vacant` there is always a vacancy: VACATE or an overturning ruling opened it, and it lasts the selection.
      const { previousGovernor, interrupted } = context.vacancy!;
      return { ...interrupted, governor: { ...previousGovernor, reinstatedAt: event.occurredAt }, acting: null, contested: null };
    }),
  },
});

type Branch = { target?: string };
const branchesOf = (def: object): Branch[] => (Array.isArray(def) ? [...(def as Branch[])] : [def as Branch]);

/** STATES as one version has them: its stages, its event types, and no branch into a stage it lacks. */
function statesOf(version: MachineVersion): typeof STATES {
  const stages: readonly string[] = stagesOf(version);
  const events: readonly string[] = eventTypesOf(version);
  const entries = Object.entries(STATES)
    .filter(([stage]) => stages.includes(stage))
    .map(([stage, node]) => {
      const on = Object.entries(node.on)
        .filter(([event]) => events.includes(event))
        .map(([event, def]) => [event, branchesOf(def).filter((b) => b.target === undefined || stages.includes(b.target))]);
      return [stage, { on: Object.fromEntries(on) }];
    });
  // The same shape with fewer keys: typed as the full definition so that setup() checks the names it uses.
  return Object.fromEntries(entries) as typeof STATES;
}

function build(version: MachineVersion) {
  return base.createMachine({
    id: MACHINE_ID,
    version: String(version),
    initial: 'criteria',
    context: ({ input }) => ({
      seats: input.seats,
      criteria: null,
      tier: null,
      nominees: [],
      governor: null,
      convenedAt: null,
      chair: null,
      decree: null,
      deadline: null,
      deadlineBasis: null,
      selection: 1,
      clockStartedAt: null,
      acting: null,
      contested: null,
      vacancy: null,
    }),
    states: statesOf(version),
  });
}

export type FormationMachine = ReturnType<typeof build>;

const MACHINES = Object.fromEntries(MACHINE_VERSIONS.map((version) => [version, build(version)])) as Record<MachineVersion, FormationMachine>;

/**
 * The province-formation machine of one version (SPEC §2, §8). Pure: no timers, no I/O, no clock —
 * every instant it records arrives on the event as `occurredAt`. The server applies one event per
 * request with XState's pure `transition` function (see province-formation.engine.ts).
 */
export function formationMachine(version: MachineVersion): FormationMachine {
  return MACHINES[version];
}

/** The current machine. */
export const provinceFormationMachine = formationMachine(MACHINE_VERSION);
