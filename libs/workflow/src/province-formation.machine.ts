import { assertEvent, assign, setup } from 'xstate';
import { findNominee, withoutNominee } from './nominees.js';
import { guardFailure, type EventType, type FormationEvent } from './province-formation.table.js';
import { MACHINE_ID, type FormationContext } from './province-formation.types.js';

/** The guard of the table's row for `type` (province-formation.table.ts), as an XState guard. */
const passes =
  (type: EventType) =>
  ({ context, event }: { context: FormationContext; event: FormationEvent }) => {
    assertEvent(event, type);
    return guardFailure(context, event) === null;
  };

/**
 * Each stage's transitions, by event type: what the model-based spec holds to the table
 * (province-formation.table.ts). Written out, not generated from the table, so that the two can disagree.
 */
const STATES = {
  criteria: {
    on: {
      SET_CRITERIA: { actions: 'setCriteria' },
      ASSIGN_TIER: { target: 'tier', actions: 'assignTier' },
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
    },
  },
  tier: {
    on: {
      ASSIGN_TIER: { actions: 'assignTier' },
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      NOMINATE: { guard: 'notNominated', target: 'candidate', actions: 'nominate' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
    },
  },
  candidate: {
    on: {
      CONVENE: { guard: 'notConvened', actions: 'convene' },
      NOMINATE: { guard: 'notNominated', actions: 'nominate' },
      WITHDRAW: [
        { guard: 'othersRemainAfterWithdrawal', actions: 'withdraw' },
        { guard: 'isNominee', target: 'tier', actions: 'withdraw' },
      ],
      APPOINT: { guard: 'canAppoint', target: 'appointed', actions: 'appoint' },
      SET_DEADLINE: { actions: 'setDeadline' },
      REPORT: {},
    },
  },
  appointed: {
    on: {
      DECREE: { guard: 'noDecreeYet', actions: 'decree' },
      REVOKE: [
        { guard: 'othersRemainAfterRevocation', target: 'candidate', actions: 'revoke' },
        { target: 'tier', actions: 'revoke' },
      ],
      REPORT: {},
    },
  },
} as const;

/** Every event type needs a transition somewhere: a compile error here names the type no stage handles. */
type HandledEvent = { [S in keyof typeof STATES]: keyof (typeof STATES)[S]['on'] }[keyof typeof STATES];
({}) satisfies Record<Exclude<EventType, HandledEvent>, never>;

/**
 * The province-formation machine (SPEC §2). Pure: no timers, no I/O, no clock — every instant it
 * records arrives on the event as `occurredAt`. The server applies one event per request with
 * XState's pure `transition` function (see province-formation.engine.ts).
 */
export const provinceFormationMachine = setup({
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
    canAppoint: passes('APPOINT'),
    noDecreeYet: passes('DECREE'),
    othersRemainAfterRevocation: ({ context }) =>
      context.governor !== null && withoutNominee(context, context.governor.name).length > 0,
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
    convene: assign(({ event }) => {
      assertEvent(event, 'CONVENE');
      return { convenedAt: event.occurredAt, chair: event.chair ?? null };
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
  },
}).createMachine({
  id: MACHINE_ID,
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
  }),
  states: STATES,
});
