import { assign, setup } from 'xstate';
import { findNominee, guardChecks, normalizeName } from './province-formation.guards.js';
import { MACHINE_ID, type FormationContext, type FormationEvent } from './province-formation.types.js';

type Of<T extends FormationEvent['type']> = Extract<FormationEvent, { type: T }>;

const passes = <T extends FormationEvent['type']>(type: T) =>
  ({ context, event }: { context: FormationContext; event: FormationEvent }) =>
    (guardChecks[type] as (c: FormationContext, e: Of<T>) => string | null)(context, event as Of<T>) === null;

const withoutNominee = (context: FormationContext, name: string) =>
  context.nominees.filter((n) => normalizeName(n.name) !== normalizeName(name));

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
    othersRemainAfterWithdrawal: ({ context, event }) =>
      passes('WITHDRAW')({ context, event }) &&
      withoutNominee(context, (event as Of<'WITHDRAW'>).candidate).length > 0,
    canAppoint: passes('APPOINT'),
    noDecreeYet: passes('DECREE'),
    othersRemainAfterRevocation: ({ context }) =>
      context.governor !== null && withoutNominee(context, context.governor.name).length > 0,
  },
  actions: {
    setCriteria: assign({ criteria: ({ event }) => (event as Of<'SET_CRITERIA'>).criteria }),
    assignTier: assign({ tier: ({ event }) => (event as Of<'ASSIGN_TIER'>).tier }),
    convene: assign({
      convenedAt: ({ event }) => event.occurredAt,
      chair: ({ event }) => (event as Of<'CONVENE'>).chair ?? null,
    }),
    nominate: assign({
      nominees: ({ context, event }) => {
        const { candidate, occurredAt } = event as Of<'NOMINATE'>;
        return [
          ...context.nominees,
          { name: candidate.name, nameAr: candidate.nameAr ?? null, bloc: candidate.bloc ?? null, nominatedAt: occurredAt },
        ];
      },
    }),
    withdraw: assign({
      nominees: ({ context, event }) => withoutNominee(context, (event as Of<'WITHDRAW'>).candidate),
    }),
    appoint: assign({
      governor: ({ context, event }) => {
        const e = event as Of<'APPOINT'>;
        const nominee = findNominee(context, e.governor)!;
        return {
          name: nominee.name,
          nameAr: nominee.nameAr ?? null,
          bloc: nominee.bloc ?? null,
          votes: e.votes ?? null,
          present: e.present ?? null,
          appointedAt: e.occurredAt,
        };
      },
    }),
    decree: assign({
      decree: ({ event }) => ({ recordedAt: event.occurredAt, decreeDate: (event as Of<'DECREE'>).decreeDate ?? null }),
    }),
    revoke: assign(({ context }) => ({
      nominees: context.governor ? withoutNominee(context, context.governor.name) : context.nominees,
      governor: null,
      decree: null,
    })),
    setDeadline: assign(({ event }) => {
      const e = event as Of<'SET_DEADLINE'>;
      return { deadline: e.deadline, deadlineBasis: e.basis };
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
  states: {
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
  },
});
