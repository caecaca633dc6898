import type { CycleRules } from './deadline.js';
import { allowedEvents, applyEvent, checkOccurredAt, initialFormationState, replay, type ApplyResult } from './province-formation.engine.js';
import type { FormationEvent, FormationPayload } from './province-formation.table.js';
import type { FormationState } from './province-formation.types.js';

const RULES: CycleRules = {
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  timezone: 'Asia/Baghdad',
  tierByDays: 21,
  candidateByDays: 7,
};
const MINUTE = 60_000;

let clock = Date.parse('2024-01-05T09:00:00Z');
/** Events an hour apart, in order, so that a sequence reads like a province's history. */
const ev = (payload: FormationPayload): FormationEvent => {
  clock += 60 * MINUTE;
  return { ...payload, occurredAt: new Date(clock).toISOString() } as FormationEvent;
};

function accepted(result: ApplyResult): FormationState {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.state;
}

function run(...payloads: FormationPayload[]): FormationState {
  const { state, failed } = replay(initialFormationState(15), payloads.map(ev), (e) => e, RULES);
  if (failed) throw new Error(`refused: ${JSON.stringify(failed)}`);
  return state;
}

const tier: FormationPayload = { type: 'ASSIGN_TIER', tier: 'A' };
const nominate = (name: string): FormationPayload => ({ type: 'NOMINATE', candidate: { name } });
const appoint = (governor: string): FormationPayload => ({ type: 'APPOINT', governor, votes: 9, present: 14 });
const revoke: FormationPayload = { type: 'REVOKE', reason: 'the Federal Supreme Court annulled the session' };

describe('a new province', () => {
  it('starts in criteria with its seats, no nominee, in its first selection, stamped province-formation@2', () => {
    expect(initialFormationState(16)).toEqual({
      machine: 'province-formation@2',
      stage: 'criteria',
      context: {
        seats: 16,
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
      },
    });
  });

  it('is stamped province-formation@1 when the @1 machine makes it', () => {
    expect(initialFormationState(16, 1)).toEqual({ ...initialFormationState(16), machine: 'province-formation@1' });
  });
});

describe('checkOccurredAt: refused in the future (more than 5 minutes ahead) or before election day', () => {
  const now = new Date('2024-02-01T12:00:00Z');
  const plus = (minutes: number, extraMs = 0) => new Date(now.getTime() + minutes * MINUTE + extraMs);

  it('refuses an event more than 5 minutes ahead of the server clock', () => {
    expect(checkOccurredAt(plus(5, 1), RULES, now)).toBe('in-the-future');
    expect(checkOccurredAt(plus(60), RULES, now)).toBe('in-the-future');
  });

  it('allows a clock 4 (or exactly 5) minutes ahead', () => {
    expect(checkOccurredAt(plus(4), RULES, now)).toBeNull();
    expect(checkOccurredAt(plus(5), RULES, now)).toBeNull();
  });

  it('refuses 23:59:59.999 on 17 Dec 2023 in Baghdad, before election day began', () => {
    expect(checkOccurredAt(new Date('2023-12-17T20:59:59.999Z'), RULES, now)).toBe('before-election');
  });

  it('allows 00:00 on 18 Dec 2023 in Baghdad (21:00Z the day before), the start of election day', () => {
    expect(checkOccurredAt(new Date('2023-12-17T21:00:00.000Z'), RULES, now)).toBeNull();
  });

  it('allows a late event: a governor elected in August is a fact, not an error', () => {
    expect(checkOccurredAt(new Date('2024-08-15T10:00:00Z'), RULES, new Date('2024-08-15T10:00:00Z'))).toBeNull();
  });
});

describe('applyEvent', () => {
  it('refuses an event the stage does not accept as invalid-transition, naming the stage and its allowed events', () => {
    const result = applyEvent(initialFormationState(15), ev(appoint('Ali Hassan')), RULES);
    expect(result).toEqual({
      ok: false,
      refusal: { code: 'invalid-transition', stage: 'criteria', allowedEvents: ['SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'SET_DEADLINE', 'REPORT', 'ACTING'] },
    });
    expect(applyEvent(initialFormationState(15), ev(appoint('Ali Hassan')), RULES, 1)).toEqual({
      ok: false,
      refusal: { code: 'invalid-transition', stage: 'criteria', allowedEvents: ['SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'SET_DEADLINE', 'REPORT'] },
    });
  });

  it('refuses under @1 the event types @2 added', () => {
    const appointed = run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'));
    expect(applyEvent(appointed, ev({ type: 'VACATE', reason: 'dismissed' }), RULES, 1)).toEqual({
      ok: false,
      refusal: { code: 'invalid-transition', stage: 'appointed', allowedEvents: ['DECREE', 'REVOKE', 'REPORT'] },
    });
    expect(applyEvent(appointed, ev({ type: 'VACATE', reason: 'dismissed' }), RULES)).toMatchObject({ ok: true, state: { stage: 'vacant' } });
  });

  it('refuses APPOINT below the absolute majority: 8 of 15 is not enough, 9 is', () => {
    const state = run(tier, nominate('Ali Hassan'));
    expect(applyEvent(state, ev({ type: 'APPOINT', governor: 'Ali Hassan', votes: 8, present: 15 }), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'candidate', reason: 'majority-not-reached' },
    });
    expect(accepted(applyEvent(state, ev({ type: 'APPOINT', governor: 'Ali Hassan', votes: 9, present: 15 }), RULES)).stage).toBe('appointed');
  });

  it('matches nominee names whatever the spacing or case an editor typed', () => {
    const state = run(tier, nominate('Ali Hassan'));
    expect(applyEvent(state, ev(nominate('  ali  HASSAN')), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'candidate', reason: 'already-nominated' },
    });
    const appointed = accepted(applyEvent(state, ev(appoint('ALI hassan ')), RULES));
    expect(appointed.context.governor?.name).toBe('Ali Hassan');
  });

  it('records REPORT without changing stage or context', () => {
    const state = run(tier, nominate('Ali Hassan'));
    const result = applyEvent(state, ev({ type: 'REPORT', kind: 'rumor', text: 'a deal is said to be close' }), RULES);
    expect(result).toEqual({ ok: true, state, record: expect.objectContaining({ fromStage: 'candidate', toStage: 'candidate' }) });
  });

  it('stamps each transition late or not against the deadline in force when it occurred', () => {
    const state = run(tier, nominate('Ali Hassan'));
    const onTime = applyEvent(state, { ...appoint('Ali Hassan'), occurredAt: '2024-02-09T20:30:00.000Z' } as FormationEvent, RULES);
    const late = applyEvent(state, { ...appoint('Ali Hassan'), occurredAt: '2024-02-09T21:30:00.000Z' } as FormationEvent, RULES);
    expect(onTime).toMatchObject({ ok: true, record: { deadline: '2024-02-09', late: false, daysToDeadline: 0 } });
    expect(late).toMatchObject({ ok: true, record: { deadline: '2024-02-09', late: true, daysToDeadline: -1 } });
  });

  it('checks SET_DEADLINE itself against the deadline it replaces, and later events against the new one', () => {
    const state = run(tier);
    const moved = applyEvent(state, { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling', occurredAt: '2024-02-10T09:00:00.000Z' }, RULES);
    expect(moved).toMatchObject({ ok: true, record: { deadline: '2024-02-09', late: true, daysToDeadline: -1 } });
    const after = applyEvent(accepted(moved), { ...nominate('Ali Hassan'), occurredAt: '2024-02-11T09:00:00.000Z' } as FormationEvent, RULES);
    expect(after).toMatchObject({ ok: true, record: { deadline: '2024-03-01', late: false, daysToDeadline: 19 } });
  });
});

describe('WITHDRAW: candidate while a nominee remains, tier when none remain', () => {
  it('withdrawing one of two nominees stays in candidate', () => {
    const state = run(tier, nominate('Ali Hassan'), nominate('Sara Kareem'), { type: 'WITHDRAW', candidate: 'Ali Hassan' });
    expect(state.stage).toBe('candidate');
    expect(state.context.nominees.map((n) => n.name)).toEqual(['Sara Kareem']);
  });

  it('withdrawing the last nominee goes back to tier', () => {
    const state = run(tier, nominate('Ali Hassan'), { type: 'WITHDRAW', candidate: 'Ali Hassan', reason: 'withdrew' });
    expect(state.stage).toBe('tier');
    expect(state.context.nominees).toEqual([]);
  });

  it('refuses to withdraw someone who is not a nominee', () => {
    const state = run(tier, nominate('Ali Hassan'));
    expect(applyEvent(state, ev({ type: 'WITHDRAW', candidate: 'Sara Kareem' }), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'candidate', reason: 'not-a-nominee' },
    });
  });
});

describe('REVOKE: the revoked governor leaves the nominee list', () => {
  it('goes back to candidate when another nominee remains, clearing governor and decree', () => {
    const state = run(tier, nominate('Ali Hassan'), nominate('Sara Kareem'), appoint('Ali Hassan'), { type: 'DECREE', decreeDate: '2024-02-20' }, revoke);
    expect(state.stage).toBe('candidate');
    expect(state.context.nominees.map((n) => n.name)).toEqual(['Sara Kareem']);
    expect(state.context.governor).toBeNull();
    expect(state.context.decree).toBeNull();
  });

  it('goes back to tier when the governor was the only nominee', () => {
    const state = run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'), revoke);
    expect(state.stage).toBe('tier');
    expect(state.context.nominees).toEqual([]);
    expect(state.context.governor).toBeNull();
  });

  it('after a revocation the remaining nominee can be appointed, the revoked one cannot', () => {
    const state = run(tier, nominate('Ali Hassan'), nominate('Sara Kareem'), appoint('Ali Hassan'), revoke);
    expect(applyEvent(state, ev(appoint('Ali Hassan')), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'candidate', reason: 'not-a-nominee' },
    });
    expect(accepted(applyEvent(state, ev(appoint('Sara Kareem')), RULES)).context.governor?.name).toBe('Sara Kareem');
  });
});

describe('allowedEvents: what the machine accepts now', () => {
  it('excludes CONVENE once the council has convened', () => {
    expect(allowedEvents(run())).toContain('CONVENE');
    expect(allowedEvents(run({ type: 'CONVENE', chair: 'the eldest member' }))).toEqual(['SET_CRITERIA', 'ASSIGN_TIER', 'NOMINATE', 'SET_DEADLINE', 'REPORT', 'ACTING']);
    expect(allowedEvents(run({ type: 'CONVENE' }, tier, nominate('Ali Hassan')))).toEqual(['NOMINATE', 'WITHDRAW', 'APPOINT', 'SET_DEADLINE', 'REPORT', 'ACTING']);
    expect(allowedEvents(run({ type: 'CONVENE', chair: 'the eldest member' }), 1)).toEqual(['SET_CRITERIA', 'ASSIGN_TIER', 'NOMINATE', 'SET_DEADLINE', 'REPORT']);
    expect(allowedEvents(run({ type: 'CONVENE' }, tier, nominate('Ali Hassan')), 1)).toEqual(['NOMINATE', 'WITHDRAW', 'APPOINT', 'SET_DEADLINE', 'REPORT']);
  });

  it('excludes DECREE once the decree is recorded', () => {
    const appointed = run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'));
    expect(allowedEvents(appointed)).toEqual(['DECREE', 'REVOKE', 'REPORT', 'VACATE', 'CONTEST', 'RULING']);
    expect(allowedEvents(run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'), { type: 'DECREE' }))).toEqual(['REVOKE', 'REPORT', 'VACATE', 'CONTEST', 'RULING']);
    expect(allowedEvents(appointed, 1)).toEqual(['DECREE', 'REVOKE', 'REPORT']);
    expect(allowedEvents(run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'), { type: 'DECREE' }), 1)).toEqual(['REVOKE', 'REPORT']);
  });

  it('a second CONVENE and a second DECREE are refused by their guards', () => {
    expect(applyEvent(run({ type: 'CONVENE' }), ev({ type: 'CONVENE' }), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'criteria', reason: 'already-convened' },
    });
    expect(applyEvent(run(tier, nominate('Ali Hassan'), appoint('Ali Hassan'), { type: 'DECREE' }), ev({ type: 'DECREE' }), RULES)).toEqual({
      ok: false,
      refusal: { code: 'guard-failed', stage: 'appointed', reason: 'decree-already-recorded' },
    });
  });
});

describe('replay: apply events in order, stopping at the first refusal', () => {
  it('returns the state before the refused event, the steps taken, and never applies what follows', () => {
    const events = [ev(tier), ev(nominate('Ali Hassan')), ev(appoint('Omar Stranger')), ev(appoint('Ali Hassan'))];
    const result = replay(initialFormationState(15), events, (e) => e, RULES);
    expect(result.steps).toHaveLength(3);
    expect(result.failed).toEqual({ item: events[2], result: { ok: false, refusal: { code: 'guard-failed', stage: 'candidate', reason: 'not-a-nominee' } } });
    expect(result.state.stage).toBe('candidate');
    expect(result.state.context.governor).toBeNull();
  });

  it('runs to the end when every event is accepted, reading events out of stored items', () => {
    const items = [ev(tier), ev(nominate('Ali Hassan')), ev(appoint('Ali Hassan'))].map((event, i) => ({ seq: i + 1, event }));
    const result = replay(initialFormationState(15), items, (item) => item.event, RULES);
    expect(result.failed).toBeNull();
    expect(result.steps.map((s) => s.item.seq)).toEqual([1, 2, 3]);
    expect(result.state.stage).toBe('appointed');
  });
});
