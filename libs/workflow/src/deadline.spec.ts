import { deadlineInstant, deadlineStatus, daysToDeadline, effectiveDeadline, lateness, milestoneInstants, type CycleRules } from './deadline.js';
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
  let state = initialFormationState(15);
  for (const [payload, occurredAt] of events) {
    const result = applyEvent(state, { ...payload, occurredAt } as FormationEvent, RULES);
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
