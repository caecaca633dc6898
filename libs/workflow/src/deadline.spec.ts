import {
  deadlineInForce,
  deadlineInstant,
  deadlineRuleProblem,
  deadlineStatus,
  daysToDeadline,
  effectiveDeadline,
  lateness,
  milestoneInstants,
  type CycleRules,
} from './deadline.js';
import { applyEvent, initialFormationState } from './province-formation.engine.js';
import type { FormationEvent, FormationPayload } from './province-formation.table.js';
import type { FormationState } from './province-formation.types.js';

const RULES: CycleRules = {
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  timezone: 'Asia/Baghdad',
  tierByDays: 21,
  candidateByDays: 7,
};
const DEADLINE_INSTANT = '2024-02-09T20:59:59.999Z';
const TIER_MILESTONE = '2024-01-19T20:59:59.999Z'; // end of 19 Jan in Baghdad: 21 days before 9 Feb
const CANDIDATE_MILESTONE = '2024-02-02T20:59:59.999Z'; // end of 2 Feb in Baghdad: 7 days before 9 Feb
const ms = (iso: string, delta: number) => new Date(new Date(iso).getTime() + delta);

/** A province after these events, built through the engine so that it is a state the workflow can reach. */
function province(...events: Array<[FormationPayload, string]>): FormationState {
  return provinceUnder(RULES, ...events);
}
function provinceUnder(rules: CycleRules, ...events: Array<[FormationPayload, string]>): FormationState {
  let state = initialFormationState(15);
  for (const [payload, occurredAt] of events) {
    const result = applyEvent(state, { ...payload, occurredAt } as FormationEvent, rules);
    if (!result.ok) throw new Error(`fixture refused: ${JSON.stringify(result.refusal)}`);
    state = result.state;
  }
  return state;
}
const inCriteria = () => province();
const inTier = () => province([{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z']);
const withNominee = () => province([{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'], [{ type: 'NOMINATE', candidate: { name: 'Ali Hassan' } }, '2024-01-25T09:00:00Z']);
const appointedAt = (instant: string) =>
  province(
    [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'],
    [{ type: 'NOMINATE', candidate: { name: 'Ali Hassan' } }, '2024-01-25T09:00:00Z'],
    [{ type: 'APPOINT', governor: 'Ali Hassan', votes: 9, present: 15 }, instant],
  );

describe('the deadline instant is the end of the calendar day in the cycle zone', () => {
  it('9 Feb 2024 in Asia/Baghdad → 2024-02-09T20:59:59.999Z', () => {
    expect(deadlineInstant('2024-02-09', RULES).toISOString()).toBe(DEADLINE_INSTANT);
  });

  it('the milestones pass at the end of the day 21 (tier) and 7 (nominee) days before the deadline', () => {
    const m = milestoneInstants('2024-02-09', RULES);
    expect(m.tier.toISOString()).toBe(TIER_MILESTONE);
    expect(m.candidate.toISOString()).toBe(CANDIDATE_MILESTONE);
    expect(m.deadline.toISOString()).toBe(DEADLINE_INSTANT);
  });

  it('milestone days follow the cycle settings', () => {
    const m = milestoneInstants('2024-02-09', { ...RULES, tierByDays: 30, candidateByDays: 10 });
    expect(m.tier.toISOString()).toBe('2024-01-10T20:59:59.999Z');
    expect(m.candidate.toISOString()).toBe('2024-01-30T20:59:59.999Z');
  });
});

describe('every transition is checked against the deadline in force when it occurred', () => {
  it('23:30 on 9 Feb in Baghdad (20:30Z) is not late, with 0 days to the deadline', () => {
    expect(lateness('2024-02-09', new Date('2024-02-09T20:30:00Z'), RULES)).toEqual({ late: false, daysToDeadline: 0 });
  });

  it('00:30 on 10 Feb in Baghdad (21:30Z on 9 Feb) is late, with -1 days to the deadline', () => {
    expect(lateness('2024-02-09', new Date('2024-02-09T21:30:00Z'), RULES)).toEqual({ late: true, daysToDeadline: -1 });
  });

  it('the last millisecond of the deadline day is on time; the next one is late', () => {
    expect(lateness('2024-02-09', new Date(DEADLINE_INSTANT), RULES).late).toBe(false);
    expect(lateness('2024-02-09', ms(DEADLINE_INSTANT, 1), RULES).late).toBe(true);
  });

  it('counts calendar days in Baghdad, not 24-hour periods from UTC midnight', () => {
    // 22:00Z on 1 Feb is already 2 Feb in Baghdad: 7 days before 9 Feb, not 8.
    expect(daysToDeadline('2024-02-09', new Date('2024-02-01T22:00:00Z'), RULES)).toBe(7);
    // A governor elected in August is a fact to report: very late, never refused.
    expect(lateness('2024-02-09', new Date('2024-08-15T10:00:00Z'), RULES)).toEqual({ late: true, daysToDeadline: -188 });
  });

  it("a province's own deadline (SET_DEADLINE) replaces the cycle's", () => {
    expect(effectiveDeadline(inTier(), RULES)).toBe('2024-02-09');
    const extended = province([{ type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling' }, '2024-01-05T09:00:00Z']);
    expect(effectiveDeadline(extended, RULES)).toBe('2024-03-01');
  });
});

describe('deadline status of a province at instant t', () => {
  it('met: appointed on or before the deadline (the last millisecond counts)', () => {
    expect(deadlineStatus(appointedAt('2024-02-05T10:00:00Z'), RULES, new Date('2024-03-01T00:00:00Z'))).toEqual({ status: 'met', since: null });
    expect(deadlineStatus(appointedAt(DEADLINE_INSTANT), RULES, new Date('2024-03-01T00:00:00Z'))).toEqual({ status: 'met', since: null });
  });

  it('met_late: appointed after the deadline — 00:30 on 10 Feb in Baghdad is already late', () => {
    expect(deadlineStatus(appointedAt('2024-02-09T21:30:00Z'), RULES, new Date('2024-03-01T00:00:00Z'))).toEqual({ status: 'met_late', since: null });
  });

  it('breached: not appointed and past the deadline, since the deadline instant', () => {
    const verdict = deadlineStatus(withNominee(), RULES, ms(DEADLINE_INSTANT, 1));
    expect(verdict).toEqual({ status: 'breached', since: new Date(DEADLINE_INSTANT) });
    expect(deadlineStatus(withNominee(), RULES, new Date(DEADLINE_INSTANT)).status).toBe('on_track');
  });

  it('breached, not met, after the governor was revoked past the deadline', () => {
    const revoked = province(
      [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'],
      [{ type: 'NOMINATE', candidate: { name: 'Ali Hassan' } }, '2024-01-25T09:00:00Z'],
      [{ type: 'APPOINT', governor: 'Ali Hassan' }, '2024-02-01T09:00:00Z'],
      [{ type: 'REVOKE', reason: 'decree refused' }, '2024-02-12T09:00:00Z'],
    );
    expect(deadlineStatus(revoked, RULES, new Date('2024-02-12T10:00:00Z'))).toEqual({ status: 'breached', since: new Date(DEADLINE_INSTANT) });
  });

  it('at_risk: still in criteria once the tier milestone (21 days before) has passed, since that milestone', () => {
    expect(deadlineStatus(inCriteria(), RULES, new Date(TIER_MILESTONE))).toEqual({ status: 'on_track', since: null });
    expect(deadlineStatus(inCriteria(), RULES, ms(TIER_MILESTONE, 1))).toEqual({ status: 'at_risk', since: new Date(TIER_MILESTONE) });
  });

  it('a tier assigned before the milestone keeps the province on track at 21 days', () => {
    expect(deadlineStatus(inTier(), RULES, ms(TIER_MILESTONE, 1))).toEqual({ status: 'on_track', since: null });
  });

  it('at_risk: no nominee once the candidate milestone (7 days before) has passed, since that milestone', () => {
    expect(deadlineStatus(inTier(), RULES, new Date(CANDIDATE_MILESTONE))).toEqual({ status: 'on_track', since: null });
    expect(deadlineStatus(inTier(), RULES, ms(CANDIDATE_MILESTONE, 1))).toEqual({ status: 'at_risk', since: new Date(CANDIDATE_MILESTONE) });
  });

  it('at_risk since the earlier milestone when both have passed', () => {
    expect(deadlineStatus(inCriteria(), RULES, new Date('2024-02-05T12:00:00Z'))).toEqual({ status: 'at_risk', since: new Date(TIER_MILESTONE) });
  });

  it('on_track: a nominee named before 7 days remain, not yet appointed, deadline not passed', () => {
    expect(deadlineStatus(withNominee(), RULES, new Date('2024-02-07T12:00:00Z'))).toEqual({ status: 'on_track', since: null });
  });

  it("judges a province by its own deadline when it has one", () => {
    const extended = province(
      [{ type: 'ASSIGN_TIER', tier: 'C' }, '2024-01-10T09:00:00Z'],
      [{ type: 'NOMINATE', candidate: { name: 'Sara Kareem' } }, '2024-01-25T09:00:00Z'],
      [{ type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling' }, '2024-02-01T09:00:00Z'],
    );
    expect(deadlineStatus(extended, RULES, new Date('2024-02-15T12:00:00Z'))).toEqual({ status: 'on_track', since: null });
    expect(deadlineStatus(extended, RULES, new Date('2024-03-01T21:00:00Z'))).toEqual({ status: 'breached', since: new Date('2024-03-01T20:59:59.999Z') });
  });
});

describe('clocks as data: a rule is a date, or N calendar days after the event that starts the selection', () => {
  const FIFTEEN = { after: 'VACATE', days: 15, basis: 'fifteen days to select a successor (as an editor read the law)' } as const;
  const VACANCY_RULES: CycleRules = { ...RULES, deadlineBasis: 'Law 21 of 2008, as amended', vacancyDeadline: FIFTEEN };
  /** Appointed on time on 5 Feb 2024; dismissed at 13:00 Baghdad time on 14 Jan 2025. */
  const FIRST: Array<[FormationPayload, string]> = [
    [{ type: 'ASSIGN_TIER', tier: 'B' }, '2024-01-10T09:00:00Z'],
    [{ type: 'NOMINATE', candidate: { name: 'Ali Hassan' } }, '2024-01-25T09:00:00Z'],
    [{ type: 'APPOINT', governor: 'Ali Hassan', votes: 9, present: 15 }, '2024-02-05T09:00:00Z'],
  ];
  const VACATED_AT = '2025-01-14T10:00:00Z';
  const vacated = (rules: CycleRules = VACANCY_RULES, at = VACATED_AT) => provinceUnder(rules, ...FIRST, [{ type: 'VACATE', reason: 'dismissed' }, at]);
  const VACANCY_DEADLINE = '2025-01-29T20:59:59.999Z'; // end of 29 Jan in Baghdad: 14 Jan + 15 days
  const VACANCY_CANDIDATE_MILESTONE = '2025-01-22T20:59:59.999Z'; // end of 22 Jan: 7 days before

  it('the first selection reads its bare date with the cycle basis; a vacancy reads its rule from the vacancy’s event', () => {
    expect(deadlineInForce(provinceUnder(VACANCY_RULES, ...FIRST), VACANCY_RULES)).toEqual({
      date: '2024-02-09',
      instant: new Date(DEADLINE_INSTANT),
      basis: 'Law 21 of 2008, as amended',
      source: 'cycle',
    });
    expect(deadlineInForce(vacated(), VACANCY_RULES)).toEqual({ date: '2025-01-29', instant: new Date(VACANCY_DEADLINE), basis: FIFTEEN.basis, source: 'cycle' });
  });

  it('appointed on time in February 2024 and vacated in January 2025: judged by the 2025 clock, never breached by the 2024 deadline', () => {
    expect(deadlineStatus(provinceUnder(VACANCY_RULES, ...FIRST), VACANCY_RULES, new Date('2025-01-01T00:00:00Z')).status).toBe('met');
    const state = vacated();
    expect(deadlineStatus(state, VACANCY_RULES, new Date('2025-01-14T11:00:00Z'))).toEqual({ status: 'on_track', since: null });
    expect(deadlineStatus(state, VACANCY_RULES, new Date(VACANCY_CANDIDATE_MILESTONE))).toEqual({ status: 'on_track', since: null });
    // No nominee 7 days before the vacancy's deadline: at risk, from that milestone.
    expect(deadlineStatus(state, VACANCY_RULES, ms(VACANCY_CANDIDATE_MILESTONE, 1))).toEqual({ status: 'at_risk', since: new Date(VACANCY_CANDIDATE_MILESTONE) });
    expect(deadlineStatus(state, VACANCY_RULES, new Date(VACANCY_DEADLINE)).status).toBe('at_risk');
    expect(deadlineStatus(state, VACANCY_RULES, ms(VACANCY_DEADLINE, 1))).toEqual({ status: 'breached', since: new Date(VACANCY_DEADLINE) });
  });

  it('the new appointment resolves it: met on or before the vacancy’s deadline, met_late after, whatever the 2024 deadline said', () => {
    const reelect = (at: string) =>
      provinceUnder(VACANCY_RULES, ...FIRST, [{ type: 'VACATE', reason: 'dismissed' }, VACATED_AT], [{ type: 'NOMINATE', candidate: { name: 'Sara Kareem' } }, '2025-01-20T09:00:00Z'], [{ type: 'APPOINT', governor: 'Sara Kareem', votes: 9, present: 15 }, at]);
    const later = new Date('2025-03-01T00:00:00Z');
    expect(deadlineStatus(reelect(VACANCY_DEADLINE), VACANCY_RULES, later)).toEqual({ status: 'met', since: null });
    expect(deadlineStatus(reelect('2025-01-29T21:00:00Z'), VACANCY_RULES, later)).toEqual({ status: 'met_late', since: null });
  });

  it('the vacancy’s milestone is the candidate one only: a vacancy has no criteria stage, and a nominee keeps it on track', () => {
    const nominated = provinceUnder(VACANCY_RULES, ...FIRST, [{ type: 'VACATE', reason: 'dismissed' }, VACATED_AT], [{ type: 'NOMINATE', candidate: { name: 'Sara Kareem' } }, '2025-01-20T09:00:00Z']);
    expect(deadlineStatus(nominated, VACANCY_RULES, new Date('2025-01-28T12:00:00Z'))).toEqual({ status: 'on_track', since: null });
  });

  it('counts calendar days in Baghdad: 23:59:59 on 14 Jan starts the clock on the 14th, 00:00 on the 15th a day later', () => {
    expect(effectiveDeadline(vacated(VACANCY_RULES, '2025-01-14T20:59:59.999Z'), VACANCY_RULES)).toBe('2025-01-29');
    expect(effectiveDeadline(vacated(VACANCY_RULES, '2025-01-14T21:00:00.000Z'), VACANCY_RULES)).toBe('2025-01-30');
    // 02:00 on 15 Jan UTC is 05:00 on the 15th in Baghdad; 22:00 on 14 Jan UTC is already the 15th there.
    expect(effectiveDeadline(vacated(VACANCY_RULES, '2025-01-14T22:00:00.000Z'), VACANCY_RULES)).toBe('2025-01-30');
  });

  it('a vacancy without a rule has no deadline until an editor sets one; then it follows that clock', () => {
    const noRule: CycleRules = { ...RULES };
    const state = vacated(noRule);
    expect(deadlineInForce(state, noRule)).toBeNull();
    expect(effectiveDeadline(state, noRule)).toBeNull();
    expect(deadlineStatus(state, noRule, new Date('2026-01-01T00:00:00Z'))).toEqual({ status: 'no_deadline', since: null });
    const set = applyEvent(state, { type: 'SET_DEADLINE', deadline: '2025-01-29', basis: 'fifteen days, Law 21 art. 7 as the desk reads it', occurredAt: '2025-01-15T09:00:00Z' }, noRule);
    // SET_DEADLINE itself was made with no deadline in force: not late, no days to count.
    expect(set).toMatchObject({ ok: true, record: { deadline: null, late: false, daysToDeadline: null } });
    if (!set.ok) return;
    expect(deadlineInForce(set.state, noRule)).toEqual({ date: '2025-01-29', instant: new Date(VACANCY_DEADLINE), basis: 'fifteen days, Law 21 art. 7 as the desk reads it', source: 'province' });
    expect(deadlineStatus(set.state, noRule, ms(VACANCY_CANDIDATE_MILESTONE, 1)).status).toBe('at_risk');
    expect(deadlineStatus(set.state, noRule, ms(VACANCY_DEADLINE, 1))).toEqual({ status: 'breached', since: new Date(VACANCY_DEADLINE) });
  });

  it('an appointment with no deadline in force is met', () => {
    const noRule: CycleRules = { ...RULES };
    const state = provinceUnder(noRule, ...FIRST, [{ type: 'VACATE', reason: 'resigned' }, VACATED_AT], [{ type: 'NOMINATE', candidate: { name: 'Sara Kareem' } }, '2025-06-01T09:00:00Z'], [{ type: 'APPOINT', governor: 'Sara Kareem' }, '2025-07-01T09:00:00Z']);
    expect(deadlineStatus(state, noRule, new Date('2025-08-01T00:00:00Z'))).toEqual({ status: 'met', since: null });
  });

  it('a province’s own deadline belongs to its selection: a vacancy clears it, so the vacancy’s rule applies', () => {
    const extended = provinceUnder(VACANCY_RULES, [{ type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling' }, '2024-01-05T09:00:00Z'], ...FIRST);
    expect(effectiveDeadline(extended, VACANCY_RULES)).toBe('2024-03-01');
    const state = applyEvent(extended, { type: 'VACATE', reason: 'dismissed', occurredAt: VACATED_AT }, VACANCY_RULES);
    expect(state.ok && effectiveDeadline(state.state, VACANCY_RULES)).toBe('2025-01-29');
  });

  it('stores late and daysToDeadline by the clock in force: VACATE by the clock it starts, events in the vacancy by that clock', () => {
    const state = provinceUnder(VACANCY_RULES, ...FIRST);
    const vacate = applyEvent(state, { type: 'VACATE', reason: 'dismissed', occurredAt: VACATED_AT }, VACANCY_RULES);
    expect(vacate).toMatchObject({ ok: true, record: { deadline: '2025-01-29', late: false, daysToDeadline: 15 } });
    if (!vacate.ok) return;
    const nominate = applyEvent(vacate.state, { type: 'NOMINATE', candidate: { name: 'Sara Kareem' }, occurredAt: '2025-01-30T09:00:00Z' }, VACANCY_RULES);
    expect(nominate).toMatchObject({ ok: true, record: { deadline: '2025-01-29', late: true, daysToDeadline: -1 } });
    // Before the vacancy, the appointed province's events still count against the 2024 deadline, as under @1.
    const report = applyEvent(state, { type: 'REPORT', kind: 'note', text: 'a note', occurredAt: '2025-01-10T09:00:00Z' }, VACANCY_RULES);
    expect(report).toMatchObject({ ok: true, record: { deadline: '2024-02-09', late: true } });
  });

  it('a date rule for vacancies: every vacancy’s deadline is that day', () => {
    const dated: CycleRules = { ...RULES, vacancyDeadline: { date: '2025-03-01', basis: 'a cabinet decision' } };
    expect(deadlineInForce(vacated(dated), dated)).toEqual({ date: '2025-03-01', instant: new Date('2025-03-01T20:59:59.999Z'), basis: 'a cabinet decision', source: 'cycle' });
  });

  it('a first selection counted from the council’s first session: no deadline before it convenes, then N days from that day', () => {
    const fromSession: CycleRules = { ...RULES, deadline: { after: 'CONVENE', days: 30, basis: 'thirty days from the first session' } };
    const before = provinceUnder(fromSession, [{ type: 'ASSIGN_TIER', tier: 'A' }, '2024-01-01T09:00:00Z']);
    expect(deadlineStatus(before, fromSession, new Date('2024-06-01T00:00:00Z'))).toEqual({ status: 'no_deadline', since: null });
    // 22:30 on 1 Jan UTC is 01:30 on 2 Jan in Baghdad: 2 Jan + 30 days = 1 Feb.
    const convened = provinceUnder(fromSession, [{ type: 'CONVENE' }, '2024-01-01T22:30:00Z']);
    expect(deadlineInForce(convened, fromSession)).toEqual({ date: '2024-02-01', instant: new Date('2024-02-01T20:59:59.999Z'), basis: 'thirty days from the first session', source: 'cycle' });
    expect(deadlineStatus(convened, fromSession, new Date('2024-02-01T21:00:00Z')).status).toBe('breached');
  });
});

describe('deadlineRuleProblem: what the API refuses in a cycle’s rules', () => {
  it('accepts a date rule and an `after` rule naming its slot’s clock event', () => {
    expect(deadlineRuleProblem({ date: '2024-02-09', basis: 'Law 21' }, 'deadline')).toBeNull();
    expect(deadlineRuleProblem({ after: 'CONVENE', days: 30, basis: 'Law 21' }, 'deadline')).toBeNull();
    expect(deadlineRuleProblem({ after: 'VACATE', days: 15, basis: 'Law 21' }, 'vacancyDeadline')).toBeNull();
  });

  it('refuses a missing basis, an impossible date, the wrong clock event and a days count that is not a whole number from 1 to 3660', () => {
    expect(deadlineRuleProblem({ date: '2024-02-09', basis: '  ' }, 'deadline')).toMatch(/^basis/);
    expect(deadlineRuleProblem({ date: '2024-02-30', basis: 'x' }, 'deadline')).toMatch(/^date/);
    expect(deadlineRuleProblem({ after: 'VACATE', days: 15, basis: 'x' } as never, 'deadline')).toBe('after: a deadline rule counts from CONVENE');
    expect(deadlineRuleProblem({ after: 'CONVENE', days: 15, basis: 'x' } as never, 'vacancyDeadline')).toBe('after: a vacancyDeadline rule counts from VACATE');
    for (const days of [0, -1, 1.5, 3661, Number.NaN]) expect(deadlineRuleProblem({ after: 'VACATE', days, basis: 'x' }, 'vacancyDeadline')).toMatch(/^days/);
  });
});
