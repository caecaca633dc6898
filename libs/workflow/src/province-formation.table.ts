import { absoluteMajority } from './majority.js';
import { findNominee } from './nominees.js';
import {
  MACHINE_VERSION,
  STAGE_SINCE,
  type ActingKind,
  type FormationContext,
  type MachineVersion,
  type Person,
  type ReportKind,
  type RulingOutcome,
  type Stage,
  type Tier,
  type VacateReason,
} from './province-formation.types.js';

/**
 * The event catalogue's pure half (SPEC §2): for each event type its payload, the stages that accept
 * it, where it leaves the province, and the guard that may still refuse it. The API's half (request
 * body, summaries, labels) is apps/api/src/provinces/event-catalogue.ts; docs/adding-an-event-type.md
 * lists every file a new type touches.
 */

/** The payload of each event type, without the common fields. A new key here is a new event type. */
export interface EventPayloads {
  SET_CRITERIA: { criteria: string };
  ASSIGN_TIER: { tier: Tier };
  CONVENE: { chair?: string | null };
  NOMINATE: { candidate: Person };
  WITHDRAW: { candidate: string; reason?: string | null };
  APPOINT: { governor: string; votes?: number | null; present?: number | null };
  DECREE: { decreeDate?: string | null };
  REVOKE: { reason: string };
  SET_DEADLINE: { deadline: string; basis: string };
  REPORT: { kind: ReportKind; text: string };
  VACATE: { reason: VacateReason };
  ACTING: { name: string; nameAr?: string | null; kind: ActingKind };
  CONTEST: { by: string; grounds: string };
  RULING: { authority: string; outcome: RulingOutcome };
}

export type EventType = keyof EventPayloads;

/** The payload of one event type (of any, for the whole union), as the API accepts it. */
export type PayloadOf<T extends EventType> = { [K in T]: { type: K } & EventPayloads[K] }[T];
export type FormationPayload = PayloadOf<EventType>;

/** What the machine receives: the payload and the instant it happened (ISO 8601, UTC). */
export type EventOf<T extends EventType> = { [K in T]: { type: K; occurredAt: string } & EventPayloads[K] }[T];
export type FormationEvent = EventOf<EventType>;

export type GuardReason =
  | 'already-convened'
  | 'already-nominated'
  | 'not-a-nominee'
  | 'majority-not-reached'
  | 'votes-exceed-present'
  | 'present-exceeds-seats'
  | 'decree-already-recorded'
  | 'already-contested';

/**
 * Why an event that the stage accepts would still be refused (null: it may proceed). What a guard
 * needs decides what the province offers: a `context` guard is decided by the province alone, so
 * `allowedEvents` leaves its event out while it fails; a `payload` guard refuses some payloads only,
 * so the event stays allowed. The machine's guards and the refusals' reasons both come from here.
 */
export type Guard<T extends EventType> = { reasons: readonly GuardReason[] } & (
  | { needs: 'context'; check: (context: FormationContext) => GuardReason | null }
  | { needs: 'payload'; check: (context: FormationContext, event: EventOf<T>) => GuardReason | null }
);

/**
 * Where an accepted event leaves the province. `candidate-or-back`: candidate while a nominee remains,
 * else back where the selection began — tier in the election's first selection, vacant in a later one.
 * `same-or-reversed`: where it was when a ruling upholds; when it overturns, appointed ↔ vacant.
 */
export type TargetRule = 'same' | Stage | 'candidate-or-back' | 'same-or-reversed';

export interface EventRule<T extends EventType> {
  /** The machine version the event type arrives in; a stage of `from` counts from its own (STAGE_SINCE). */
  since: MachineVersion;
  from: readonly Stage[];
  to: TargetRule;
  guard: Guard<T> | null;
  summary: string;
}

/**
 * SPEC §2 as data: what a person reads to learn the workflow, and what the model-based test holds the
 * XState machine to. The machine is written separately so that the two can disagree — and be caught.
 */
export const EVENT_TABLE: { readonly [T in EventType]: EventRule<T> } = {
  SET_CRITERIA: { since: 1, from: ['criteria'], to: 'criteria', guard: null, summary: 'record the criteria for choosing governors' },
  ASSIGN_TIER: { since: 1, from: ['criteria', 'tier'], to: 'tier', guard: null, summary: 'place the province in tier A, B or C' },
  CONVENE: {
    since: 1,
    from: ['criteria', 'tier', 'candidate'],
    to: 'same',
    guard: { needs: 'context', reasons: ['already-convened'], check: (context) => (context.convenedAt ? 'already-convened' : null) },
    summary: "the council's first session",
  },
  NOMINATE: {
    since: 1,
    // From criteria too: the alliance's tiers were never published, and councils elected governors without one.
    from: ['criteria', 'tier', 'candidate', 'vacant'],
    to: 'candidate',
    guard: {
      needs: 'payload',
      reasons: ['already-nominated'],
      check: (context, event) => (findNominee(context, event.candidate.name) ? 'already-nominated' : null),
    },
    summary: 'a candidate for governor is named',
  },
  WITHDRAW: {
    since: 1,
    from: ['candidate'],
    to: 'candidate-or-back',
    guard: { needs: 'payload', reasons: ['not-a-nominee'], check: (context, event) => (findNominee(context, event.candidate) ? null : 'not-a-nominee') },
    summary: 'a nominee withdraws or is dropped',
  },
  APPOINT: {
    since: 1,
    from: ['candidate'],
    to: 'appointed',
    guard: {
      needs: 'payload',
      reasons: ['not-a-nominee', 'present-exceeds-seats', 'votes-exceed-present', 'majority-not-reached'],
      check: (context, event) => {
        if (!findNominee(context, event.governor)) return 'not-a-nominee';
        if (event.present != null && event.present > context.seats) return 'present-exceeds-seats';
        if (event.votes != null && event.present != null && event.votes > event.present) return 'votes-exceed-present';
        if (event.votes != null && event.votes > context.seats) return 'votes-exceed-present';
        if (event.votes != null && event.votes < absoluteMajority(context.seats)) return 'majority-not-reached';
        return null;
      },
    },
    summary: 'the council elects a nominee by absolute majority',
  },
  DECREE: {
    since: 1,
    from: ['appointed'],
    to: 'appointed',
    guard: { needs: 'context', reasons: ['decree-already-recorded'], check: (context) => (context.decree ? 'decree-already-recorded' : null) },
    summary: 'the presidential decree is issued',
  },
  REVOKE: {
    since: 1,
    from: ['appointed'],
    to: 'candidate-or-back',
    guard: null,
    summary: 'the appointment undone within its selection (decree refused, election annulled); its clock runs on',
  },
  SET_DEADLINE: {
    since: 1,
    from: ['criteria', 'tier', 'candidate', 'vacant'],
    to: 'same',
    guard: null,
    summary: "the province's own legal deadline, for its current selection",
  },
  REPORT: {
    since: 1,
    from: ['criteria', 'tier', 'candidate', 'appointed', 'vacant'],
    to: 'same',
    guard: null,
    summary: 'a rumour, denial, note or failed session',
  },
  VACATE: {
    since: 2,
    from: ['appointed'],
    to: 'vacant',
    guard: null,
    summary: "the governor leaves office: a new selection opens, with its own clock",
  },
  ACTING: {
    since: 2,
    from: ['criteria', 'tier', 'candidate', 'vacant'],
    to: 'same',
    guard: null,
    summary: 'an acting or caretaker governor holds the office until one is elected',
  },
  CONTEST: {
    since: 2,
    from: ['appointed', 'vacant'],
    to: 'same',
    guard: { needs: 'context', reasons: ['already-contested'], check: (context) => (context.contested ? 'already-contested' : null) },
    summary: 'the appointment (or the removal) is disputed, awaiting a ruling',
  },
  RULING: {
    since: 2,
    from: ['appointed', 'vacant'],
    to: 'same-or-reversed',
    guard: null,
    summary: 'a court or authority upholds, or overturns the appointment (back to vacant) or the removal (the governor reinstated)',
  },
};

/** Every event type, in the table's order (Object.keys keeps a literal's order; it types keys as string). */
export const EVENT_TYPES = Object.keys(EVENT_TABLE) as readonly EventType[];

export interface TransitionRow {
  event: EventType;
  /** The machine version the event type arrives in. */
  since: MachineVersion;
  from: readonly Stage[];
  to: TargetRule;
  /** The reasons a guard may refuse this event with (empty: unguarded). */
  guards: readonly GuardReason[];
  summary: string;
}

/**
 * The table of one machine version, one row per event type it knows: a later version's rows and stages
 * left out. One table serves every version, so @1 is @2 less what @2 added.
 */
export function transitionTable(version: MachineVersion): readonly TransitionRow[] {
  return TABLES[version];
}

const rowsOf = (version: MachineVersion): TransitionRow[] =>
  EVENT_TYPES.filter((event) => EVENT_TABLE[event].since <= version).map((event) => {
    const { since, from, to, guard, summary } = EVENT_TABLE[event];
    return { event, since, from: from.filter((stage) => STAGE_SINCE[stage] <= version), to, guards: guard?.reasons ?? [], summary };
  });

const TABLES = { 1: rowsOf(1), 2: rowsOf(2) } satisfies Record<MachineVersion, readonly TransitionRow[]>;

/** The current machine's table: how GET /machine shows it and the model-based test reads it. */
export const TRANSITION_TABLE: readonly TransitionRow[] = transitionTable(MACHINE_VERSION);

/** The event types one version of the machine knows, in the table's order. */
export function eventTypesOf(version: MachineVersion): EventType[] {
  return TABLES[version].map((row) => row.event);
}

/** The event types a stage accepts (in the current machine unless another version is named), in the table's order. */
export function eventsAcceptedIn(stage: Stage, version: MachineVersion = MACHINE_VERSION): EventType[] {
  return TABLES[version].filter((row) => row.from.includes(stage)).map((row) => row.event);
}

/** Why the guard of the event's type refuses it here, or null when it may proceed (or has no guard). */
export function guardFailure<T extends EventType>(context: FormationContext, event: EventOf<T>): GuardReason | null {
  const { guard } = EVENT_TABLE[event.type];
  if (!guard) return null;
  return guard.needs === 'context' ? guard.check(context) : guard.check(context, event);
}

/** The refusal a `context` guard gives whatever the payload; null for an unguarded type or a `payload` guard. */
export function contextRefusal(context: FormationContext, type: EventType): GuardReason | null {
  const { guard } = EVENT_TABLE[type];
  return guard?.needs === 'context' ? guard.check(context) : null;
}
