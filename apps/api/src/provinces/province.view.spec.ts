import fc from 'fast-check';
import { applyEvent, endOfDay, initialFormationState, localDate, startOfDay, type FormationEvent, type FormationPayload, type FormationState } from '@app/workflow';
import { toProvinceView, type CycleRulesWithBasis } from './province.view.js';

/**
 * The read cache keeps the present province list under the data version and today's date in each
 * cycle's zone (read-cache.service.ts). That is exact only if a view changes with the clock at local
 * midnights alone — which this property holds it to, in Baghdad and in a zone with summer time.
 */
const identity = { cycle: 'iraq-2023', slug: 'basra', code: 'IQ-BA', name: 'Basra', nameAr: 'البصرة', seats: 23, version: 3, updatedAt: new Date('2024-01-05T07:00:00Z') };
const rulesIn = (timezone: string): CycleRulesWithBasis => ({
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  timezone,
  tierByDays: 21,
  candidateByDays: 7,
  deadlineBasis: 'law',
});

function stateAfter(events: FormationPayload[], rules: CycleRulesWithBasis): FormationState {
  let state = initialFormationState(23);
  for (const [i, e] of events.entries()) {
    const result = applyEvent(state, { ...e, occurredAt: new Date(Date.UTC(2023, 11, 20 + i, 9)).toISOString() } as FormationEvent, rules);
    if (!result.ok) throw new Error(`fixture event refused: ${JSON.stringify(result.refusal)}`);
    state = result.state;
  }
  return state;
}

// Every deadline verdict a present view can give: on track, at risk (tier or candidate milestone), breached, met, met late.
const HISTORIES: FormationPayload[][] = [
  [],
  [{ type: 'ASSIGN_TIER', tier: 'A' }],
  [{ type: 'ASSIGN_TIER', tier: 'B' }, { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani' } }],
  [{ type: 'ASSIGN_TIER', tier: 'B' }, { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani' } }, { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 13 }],
  [{ type: 'SET_DEADLINE', deadline: '2024-03-31', basis: 'ruling' }],
];

describe('a present province view changes with the clock only at midnight in its cycle zone', () => {
  for (const zone of ['Asia/Baghdad', 'America/New_York']) {
    test(`${zone}: any instant of a local day gives the view of that day's first and last millisecond`, () => {
      const rules = rulesIn(zone);
      const states = HISTORIES.map((h) => stateAfter(h, rules));
      fc.assert(
        fc.property(
          fc.constantFrom(...states),
          // From the election to the end of 2024: every milestone, the deadline, and a summer-time change in New York.
          fc.integer({ min: Date.UTC(2023, 11, 18), max: Date.UTC(2024, 11, 31) }),
          (state, t) => {
            const at = new Date(t);
            const day = localDate(at, zone);
            const view = toProvinceView(identity, state, rules, at);
            expect(toProvinceView(identity, state, rules, startOfDay(day, zone))).toEqual(view);
            expect(toProvinceView(identity, state, rules, endOfDay(day, zone))).toEqual(view);
          },
        ),
        { numRuns: 2000 },
      );
    });
  }

  test('and it does change across midnight at a milestone (the property is not vacuous)', () => {
    const rules = rulesIn('Asia/Baghdad');
    const state = stateAfter([], rules);
    const lastOfDeadlineDay = toProvinceView(identity, state, rules, endOfDay('2024-02-09', 'Asia/Baghdad'));
    const firstAfter = toProvinceView(identity, state, rules, startOfDay('2024-02-10', 'Asia/Baghdad'));
    expect(lastOfDeadlineDay.deadlineStatus).toBe('at_risk');
    expect(firstAfter.deadlineStatus).toBe('breached');
    expect(lastOfDeadlineDay.daysToDeadline).toBe(0);
    expect(firstAfter.daysToDeadline).toBe(-1);
  });
});
