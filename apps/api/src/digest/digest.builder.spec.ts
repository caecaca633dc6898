import { applyEvent, initialFormationState, type CycleRules, type FormationEvent, type FormationPayload, type FormationState } from '@app/workflow';
import { buildDigest, daysPhrase, digestDay, type DigestInput } from './digest.builder.js';

const rules: CycleRules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };
const source = { name: 'Shafaq News' };

/** A state built with the real machine, so the builder is tested on what the service will hand it. */
function stateAfter(seats: number, events: FormationPayload[], at = '2024-01-10T07:00:00.000Z'): FormationState {
  let state = initialFormationState(seats);
  for (const e of events) {
    const r = applyEvent(state, { ...e, occurredAt: at } as FormationEvent, rules);
    if (!r.ok) throw new Error(`setup refused ${e.type}`);
    state = r.state;
  }
  return state;
}

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    date: '2024-02-09',
    rules,
    provinces: [
      { slug: 'basra', name: 'Basra', nameAr: 'البصرة', seats: 23, state: null },
      { slug: 'wasit', name: 'Wasit', nameAr: 'واسط', seats: 15, state: stateAfter(15, [{ type: 'ASSIGN_TIER', tier: 'C' }]) },
    ],
    events: [],
    corrections: [],
    ...over,
  };
}

describe('digestDay', () => {
  test('is the Baghdad day: [21:00Z the day before, 21:00Z that day)', () => {
    expect(digestDay('2024-02-10', 'Asia/Baghdad')).toEqual({
      start: new Date('2024-02-09T21:00:00.000Z'),
      asOf: new Date('2024-02-10T21:00:00.000Z'),
    });
  });
});

describe('buildDigest', () => {
  test('a province without events is in criteria with no tier; totals count every province once', () => {
    const d = buildDigest(input({ date: '2024-01-05' }));
    expect(d.totals.byStage).toEqual({ criteria: 1, tier: 1, candidate: 0, appointed: 0 });
    expect(d.totals.byTier).toEqual({ A: 0, B: 0, C: 1, none: 1 });
    expect(d.totals.tiers.C).toEqual({ provinces: 1, withoutGovernor: 1 });
    expect(d.totals.byStatus).toEqual({ on_track: 2, at_risk: 0, breached: 0, met: 0, met_late: 0 });
    expect(d.provinces[0]).toEqual({ slug: 'basra', name: 'Basra', nameAr: 'البصرة', stage: 'criteria', tier: null, governor: null, deadlineStatus: 'on_track' });
    expect(d.daysToDeadline).toBe(35);
    expect(d.timeline).toBe('/api/v1/charts/timeline.svg?until=2024-01-05');
  });

  test('breaches open at the deadline instant: new on the deadline day only', () => {
    const ninth = buildDigest(input());
    expect(ninth.alerts).toEqual([
      { province: 'basra', kind: 'breach', openedAt: '2024-02-09T20:59:59.999Z', new: true },
      { province: 'wasit', kind: 'breach', openedAt: '2024-02-09T20:59:59.999Z', new: true },
    ]);
    expect(buildDigest(input({ date: '2024-02-10' })).alerts.map((a) => a.new)).toEqual([false, false]);
    expect(buildDigest(input({ date: '2024-02-08' })).alerts.map((a) => a.kind)).toEqual(['at_risk', 'at_risk']);
  });

  test('alerts list breaches before at_risk', () => {
    const own = stateAfter(15, [{ type: 'SET_DEADLINE', deadline: '2024-02-08', basis: 'court' }]);
    const d = buildDigest(input({ date: '2024-02-08', provinces: [...input().provinces, { slug: 'anbar', name: 'Anbar', nameAr: 'الأنبار', seats: 16, state: own }] }));
    expect(d.alerts.map((a) => [a.province, a.kind])).toEqual([
      ['anbar', 'breach'],
      ['basra', 'at_risk'],
      ['wasit', 'at_risk'],
    ]);
  });

  test('changes exclude REPORT, which go to reports; both in occurredAt order', () => {
    const ev = (province: string, seq: number, type: string, payload: Record<string, unknown>, at: string) => ({
      province,
      seq,
      type: type as never,
      payload,
      occurredAt: new Date(at),
      occurredAtPrecision: 'minute' as const,
      source,
      confidence: 'confirmed' as const,
      fromStage: 'tier' as const,
      toStage: 'tier' as const,
      late: false,
    });
    const d = buildDigest(
      input({
        events: [
          ev('wasit', 3, 'REPORT', { kind: 'rumor', text: 'A line-up' }, '2024-02-09T10:00:00Z'),
          ev('wasit', 2, 'CONVENE', {}, '2024-02-09T09:00:00Z'),
          ev('basra', 1, 'ASSIGN_TIER', { tier: 'A' }, '2024-02-09T09:00:00Z'),
        ],
      }),
    );
    expect(d.changes.map((c) => [c.province, c.summary])).toEqual([
      ['basra', 'Assigned to tier A'],
      ['wasit', 'Council convened'],
    ]);
    expect(d.reports).toEqual([{ province: 'wasit', kind: 'rumor', text: 'A line-up', source, occurredAt: '2024-02-09T10:00:00.000Z', occurredAtPrecision: 'minute' }]);
    expect(d.headline.at(-1)).toBe('2 changes, 1 report and 0 corrections on 2024-02-09');
  });

  test("headline after a vacancy: the cycle's overdue days are said only of the provinces still in their first selection (the 2026 digest)", () => {
    const vacated = stateAfter(15, [
      { type: 'NOMINATE', candidate: { name: 'X' } },
      { type: 'APPOINT', governor: 'X' },
      { type: 'VACATE', reason: 'dismissed' },
    ]);
    const provinces = [
      { slug: 'maysan', name: 'Maysan', nameAr: 'ميسان', seats: 13, state: null },
      { slug: 'salahuddin', name: 'Salahuddin', nameAr: 'صلاح الدين', seats: 15, state: vacated },
    ];
    expect(buildDigest(input({ date: '2026-02-09', provinces })).headline[0]).toBe(
      '2 of 2 provinces without a governor: 1 since the first selection, 731 days overdue; 1 after a vacancy',
    );
    expect(buildDigest(input({ date: '2026-02-09', provinces: provinces.slice(1) })).headline[0]).toBe('1 of 1 provinces without a governor, after a vacancy');
  });

  test('headline: overall and per tier, with the days phrase; all appointed says so', () => {
    const appointed = stateAfter(15, [
      { type: 'ASSIGN_TIER', tier: 'C' },
      { type: 'NOMINATE', candidate: { name: 'X' } },
      { type: 'APPOINT', governor: 'X', votes: 9 },
    ]);
    const d = buildDigest(input({ date: '2024-02-06' }));
    expect(d.headline.slice(0, 2)).toEqual(['2 of 2 provinces without a governor, 3 days left', '1 of 1 tier-C provinces without a governor, 3 days left']);
    const all = buildDigest(input({ provinces: [{ slug: 'wasit', name: 'Wasit', nameAr: 'واسط', seats: 15, state: appointed }] }));
    expect(all.headline.slice(0, 2)).toEqual(['All 1 provinces have a governor', 'All 1 tier-C provinces have a governor']);
    expect(all.provinces[0]).toMatchObject({ stage: 'appointed', governor: { name: 'X', votes: 9 }, deadlineStatus: 'met' });
    expect(all.alerts).toEqual([]);
  });
});

test('daysPhrase', () => {
  expect([3, 1, 0, -1, -5].map(daysPhrase)).toEqual(['3 days left', '1 day left', 'deadline today', '1 day overdue', '5 days overdue']);
});

describe('buildDigest: claims', () => {
  const claim = (id: string, status: 'reported' | 'denied' | 'confirmed' | 'retracted', at: string, internal = false) => ({
    id,
    province: 'basra',
    text: `claim ${id}`,
    subject: null,
    internal,
    status,
    source,
    at: new Date(at),
  });
  const claims = {
    steps: [
      claim('b', 'denied', '2024-02-09T10:00:00Z'),
      claim('a', 'reported', '2024-02-09T08:00:00Z'),
      claim('c', 'confirmed', '2024-02-09T09:00:00Z', true),
      claim('d', 'retracted', '2024-02-09T11:00:00Z'),
    ],
    unconfirmed: [claim('e', 'reported', '2024-01-20T08:00:00Z'), claim('f', 'reported', '2024-01-19T08:00:00Z', true)],
  };

  test('each step goes to its section in time order; still-unconfirmed claims are listed with their report time', () => {
    const d = buildDigest(input({ claims, includeInternal: true }));
    expect(d.claims.reported.map((c) => c.id)).toEqual(['a']);
    expect(d.claims.denied.map((c) => c.id)).toEqual(['b']);
    expect(d.claims.confirmed).toEqual([{ id: 'c', province: 'basra', text: 'claim c', subject: null, internal: true, source, at: '2024-02-09T09:00:00.000Z' }]);
    expect(d.claims.retracted.map((c) => c.id)).toEqual(['d']);
    expect(d.claims.unconfirmed.map((c) => c.id)).toEqual(['f', 'e']);
  });

  test('internal claims are left out unless the reader may see them; no claims input means empty sections', () => {
    const d = buildDigest(input({ claims }));
    expect(d.claims.confirmed).toEqual([]);
    expect(d.claims.unconfirmed.map((c) => c.id)).toEqual(['e']);
    expect(buildDigest(input()).claims).toEqual({ reported: [], denied: [], confirmed: [], retracted: [], unconfirmed: [] });
  });
});
