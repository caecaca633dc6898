import type { EventType, GuardReason, Stage } from './province-formation.types.js';

/** Where an accepted event leaves the province. `candidate-or-tier`: tier when no nominee remains. */
export type TargetRule = 'same' | Stage | 'candidate-or-tier';

export interface TransitionRow {
  event: EventType;
  from: readonly Stage[];
  to: TargetRule;
  /** The reasons a guard may refuse this event with (empty: unguarded). */
  guards: readonly GuardReason[];
  summary: string;
}

/**
 * SPEC §2 as data: what a person reads to learn the workflow, and what the model-based test holds the
 * XState machine to. The machine is written separately so that the two can disagree — and be caught.
 */
export const TRANSITION_TABLE: readonly TransitionRow[] = [
  { event: 'SET_CRITERIA', from: ['criteria'], to: 'criteria', guards: [], summary: 'record the criteria for choosing governors' },
  { event: 'ASSIGN_TIER', from: ['criteria', 'tier'], to: 'tier', guards: [], summary: 'place the province in tier A, B or C' },
  { event: 'CONVENE', from: ['criteria', 'tier', 'candidate'], to: 'same', guards: ['already-convened'], summary: "the council's first session" },
  { event: 'NOMINATE', from: ['tier', 'candidate'], to: 'candidate', guards: ['already-nominated'], summary: 'a candidate for governor is named' },
  { event: 'WITHDRAW', from: ['candidate'], to: 'candidate-or-tier', guards: ['not-a-nominee'], summary: 'a nominee withdraws or is dropped' },
  {
    event: 'APPOINT',
    from: ['candidate'],
    to: 'appointed',
    guards: ['not-a-nominee', 'present-exceeds-seats', 'votes-exceed-present', 'majority-not-reached'],
    summary: 'the council elects a nominee by absolute majority',
  },
  { event: 'DECREE', from: ['appointed'], to: 'appointed', guards: ['decree-already-recorded'], summary: 'the presidential decree is issued' },
  { event: 'REVOKE', from: ['appointed'], to: 'candidate-or-tier', guards: [], summary: 'decree refused, election annulled or governor resigned' },
  { event: 'SET_DEADLINE', from: ['criteria', 'tier', 'candidate'], to: 'same', guards: [], summary: "the province's own legal deadline" },
  { event: 'REPORT', from: ['criteria', 'tier', 'candidate', 'appointed'], to: 'same', guards: [], summary: 'a rumour, denial, note or failed session' },
];

export function tableRow(event: EventType): TransitionRow {
  return TRANSITION_TABLE.find((row) => row.event === event)!;
}

/** The event types a stage accepts, in the table's order. */
export function eventsAcceptedIn(stage: Stage): EventType[] {
  return TRANSITION_TABLE.filter((row) => row.from.includes(stage)).map((row) => row.event);
}
