import type { Response } from 'supertest';
import { localDate } from '@app/workflow';
import { postEvent, setupSuite, source } from './support/test-app.js';

/**
 * SPEC §6 through HTTP into a real database: GET /digest for a day of Asia/Baghdad, [00:00, 24:00)
 * local, with totals and derived alerts as of the day's end, as the history known now tells it.
 *
 * The story (cycle deadline 9 Feb 2024, end of day in Baghdad = 2024-02-09T20:59:59.999Z):
 *   basra    tier A, nominee, APPOINT at 02:00 on 6 Feb Baghdad time (2024-02-05T23:00:00Z)
 *   baghdad  tier A, nominee, never appointed: breached at the deadline
 *   najaf    tier A, nominee, APPOINT on 10 Feb (after the deadline)
 *   karbala  tier B, nominee; later an APPOINT dated 5 Feb is recorded (erases its breach)
 *   dhi-qar  tier B, NOMINATE on 20 Jan, retracted today
 *   wasit    tier C, no nominee (at risk from the 7-days milestone, 2 Feb), a rumour on 7 Feb
 *   muthanna tier C at exactly 00:00 on 7 Feb Baghdad time (the first instant of that day)
 *   the other eight provinces: no event at all (criteria)
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('digest');
  for (const [slug, body] of STORY) await accept(slug, body);
});
afterAll(async () => s?.teardown());

const DEADLINE_INSTANT = '2024-02-09T20:59:59.999Z';
const BASRA_APPOINTED_AT = '2024-02-06T02:00:00+03:00';

const STORY: [string, Record<string, unknown>][] = [
  ['basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }],
  ['basra', { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' }, occurredAt: '2024-01-20T10:00:00+03:00' }],
  ['basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 13, occurredAt: BASRA_APPOINTED_AT }],
  ['baghdad', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T11:00:00+03:00' }],
  ['baghdad', { type: 'NOMINATE', candidate: { name: 'Abdul Muttalib Al-Alawi' }, occurredAt: '2024-01-25T10:00:00+03:00' }],
  ['najaf', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T12:00:00+03:00' }],
  ['najaf', { type: 'NOMINATE', candidate: { name: 'Youssef Kanawi' }, occurredAt: '2024-01-25T11:00:00+03:00' }],
  ['najaf', { type: 'APPOINT', governor: 'Youssef Kanawi', occurredAt: '2024-02-10T10:00:00+03:00' }],
  ['karbala', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T10:00:00+03:00' }],
  ['karbala', { type: 'NOMINATE', candidate: { name: 'Nassif Al-Khattabi' }, occurredAt: '2024-01-26T10:00:00+03:00' }],
  ['dhi-qar', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T11:00:00+03:00' }],
  ['dhi-qar', { type: 'NOMINATE', candidate: { name: 'Murtada Al-Ibrahimi' }, occurredAt: '2024-01-20T12:00:00+03:00' }],
  ['wasit', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-12T10:00:00+03:00' }],
  ['wasit', { type: 'REPORT', kind: 'rumor', text: 'A line-up names Mohammed Al-Mayahi for Wasit', occurredAt: '2024-02-07T12:00:00+03:00' }],
  ['muthanna', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-02-07T00:00:00+03:00' }],
];

async function accept(slug: string, body: Record<string, unknown>): Promise<Response> {
  const res = await postEvent(s.app, s.keys.editor, slug, body);
  expect({ slug, status: res.status, body: res.body }).toMatchObject({ slug, status: 201 });
  return res;
}

function getDigest(query: Record<string, string>, headers: Record<string, string> = {}) {
  return s.app
    .http()
    .get(`/api/v1/digest?${new URLSearchParams(query).toString()}`)
    .set(s.auth(s.keys.viewer))
    .set(headers);
}

interface DigestBody {
  date: string;
  timezone: string;
  asOf: string;
  deadline: string;
  deadlineInstant: string;
  daysToDeadline: number;
  headline: string[];
  totals: {
    byStage: Record<string, number>;
    byTier: Record<string, number>;
    byStatus: Record<string, number>;
    tiers: Record<string, { provinces: number; withoutGovernor: number }>;
  };
  changes: { province: string; type: string; summary: string; occurredAt: string; late: boolean; fromStage: string; toStage: string }[];
  corrections: { province: string; seq: number; type: string; reason: string; retractedAt: string }[];
  alerts: { province: string; kind: string; openedAt: string; new: boolean }[];
  reports: { province: string; kind: string; text: string; source: unknown; occurredAt: string }[];
  provinces: { slug: string; stage: string; tier: string | null; governor: { name: string } | null; deadlineStatus: string }[];
}

async function digest(date: string): Promise<DigestBody> {
  const res = await getDigest({ date });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body;
}

const province = (d: DigestBody, slug: string) => d.provinces.find((p) => p.slug === slug);
const alertsOf = (d: DigestBody, slug: string) => d.alerts.filter((a) => a.province === slug);
const changesOf = (d: DigestBody, slug: string) => d.changes.filter((c) => c.province === slug);

function expectProblem(res: Response, status: number, code: string, field?: string) {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe(`urn:governor-tracker:problem:${code}`);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('the day and its shape', () => {
  test('the JSON has exactly the SPEC §6 keys (plus headline, the timeline link and the claims of issue 7), the day bounds and the deadline figures', async () => {
    const d = await digest('2024-02-10');
    expect(Object.keys(d).sort()).toEqual(
      ['date', 'timezone', 'asOf', 'deadline', 'deadlineInstant', 'daysToDeadline', 'headline', 'timeline', 'totals', 'changes', 'corrections', 'alerts', 'reports', 'claims', 'provinces'].sort(),
    );
    // No claim in this story (test/claims.e2e-spec.ts covers the sections): each list is there, empty.
    expect((d as unknown as { claims: unknown }).claims).toEqual({ reported: [], denied: [], confirmed: [], retracted: [], unconfirmed: [] });
    expect(d).toMatchObject({
      date: '2024-02-10',
      timezone: 'Asia/Baghdad',
      asOf: '2024-02-10T21:00:00.000Z',
      deadline: '2024-02-09',
      deadlineInstant: DEADLINE_INSTANT,
      daysToDeadline: -1,
    });
    expect(Object.keys(d.totals).sort()).toEqual(['byStage', 'byStatus', 'byTier', 'tiers']);
    expect(d.provinces).toHaveLength(15);
    expect(province(d, 'basra')).toEqual({
      slug: 'basra',
      name: 'Basra',
      nameAr: 'البصرة',
      stage: 'appointed',
      tier: 'A',
      governor: expect.objectContaining({ name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', votes: 13 }),
      deadlineStatus: 'met',
    });
    expect(Object.keys(d.changes[0] ?? {}).sort()).toEqual(
      ['province', 'type', 'fromStage', 'toStage', 'summary', 'occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'late'].sort(),
    );
    expect((await digest('2024-02-05')).daysToDeadline).toBe(4);
    expect((await digest('2024-02-09')).daysToDeadline).toBe(0);
  });

  test('an appointment at 02:00 on 6 Feb Baghdad time is in the 6 Feb digest, not in the 5 Feb one', async () => {
    const fifth = await digest('2024-02-05');
    const sixth = await digest('2024-02-06');
    expect(changesOf(fifth, 'basra')).toEqual([]);
    expect(changesOf(sixth, 'basra')).toEqual([
      {
        province: 'basra',
        type: 'APPOINT',
        fromStage: 'candidate',
        toStage: 'appointed',
        summary: 'Appointed Asaad Al-Eidani (13 of 23 votes)',
        occurredAt: '2024-02-05T23:00:00.000Z',
        occurredAtPrecision: 'minute',
        source,
        confidence: 'confirmed',
        late: false,
      },
    ]);
    expect(province(fifth, 'basra')).toMatchObject({ stage: 'candidate', governor: null, deadlineStatus: 'on_track' });
    expect(province(sixth, 'basra')).toMatchObject({ stage: 'appointed', deadlineStatus: 'met' });
  });

  test('an event at 00:00 local belongs to the day it starts: in 7 Feb, not in 6 Feb', async () => {
    const sixth = await digest('2024-02-06');
    const seventh = await digest('2024-02-07');
    expect(changesOf(sixth, 'muthanna')).toEqual([]);
    expect(changesOf(seventh, 'muthanna')).toMatchObject([{ type: 'ASSIGN_TIER', summary: 'Assigned to tier C', occurredAt: '2024-02-06T21:00:00.000Z' }]);
    expect(province(sixth, 'muthanna')).toMatchObject({ stage: 'criteria', tier: null });
    expect(province(seventh, 'muthanna')).toMatchObject({ stage: 'tier', tier: 'C' });
  });

  test('changes are in occurredAt order and REPORT events are not changes', async () => {
    const d = await digest('2024-01-10');
    expect(d.changes.map((c) => c.province)).toEqual(['basra', 'baghdad', 'najaf']);
    expect(d.changes.map((c) => c.occurredAt)).toEqual(['2024-01-10T07:00:00.000Z', '2024-01-10T08:00:00.000Z', '2024-01-10T09:00:00.000Z']);
    expect((await digest('2024-02-07')).changes.map((c) => c.type)).not.toContain('REPORT');
  });
});

describe('totals at the end of the day', () => {
  test('before any tier: every province in criteria, no tier', async () => {
    const d = await digest('2024-01-05');
    expect(d.totals.byStage).toEqual({ criteria: 15, tier: 0, candidate: 0, appointed: 0 });
    expect(d.totals.byTier).toEqual({ A: 0, B: 0, C: 0, none: 15 });
    expect(d.totals.byStatus).toEqual({ on_track: 15, at_risk: 0, breached: 0, met: 0, met_late: 0 });
    expect(d.totals.tiers).toEqual({ A: { provinces: 0, withoutGovernor: 0 }, B: { provinces: 0, withoutGovernor: 0 }, C: { provinces: 0, withoutGovernor: 0 } });
  });

  test('tier roll-ups after ASSIGN_TIER events (12 Jan: 3 A, 2 B, 1 C)', async () => {
    const d = await digest('2024-01-12');
    expect(d.totals.byTier).toEqual({ A: 3, B: 2, C: 1, none: 9 });
    expect(d.totals.tiers).toEqual({ A: { provinces: 3, withoutGovernor: 3 }, B: { provinces: 2, withoutGovernor: 2 }, C: { provinces: 1, withoutGovernor: 1 } });
    expect(d.totals.byStage).toEqual({ criteria: 9, tier: 6, candidate: 0, appointed: 0 });
    // 11 Jan: only what had occurred by the end of 11 Jan counts (wasit's tier came on 12 Jan).
    expect((await digest('2024-01-11')).totals.byTier).toEqual({ A: 3, B: 2, C: 0, none: 10 });
  });

  test('9 Feb (deadline day): an event of 10 Feb does not count yet', async () => {
    const d = await digest('2024-02-09');
    expect(province(d, 'najaf')).toMatchObject({ stage: 'candidate', governor: null, deadlineStatus: 'breached' });
    expect(d.totals.tiers.A).toEqual({ provinces: 3, withoutGovernor: 2 });
    expect(d.totals.byStage).toEqual({ criteria: 8, tier: 2, candidate: 4, appointed: 1 });
    expect(d.totals.byStatus).toEqual({ on_track: 0, at_risk: 0, breached: 14, met: 1, met_late: 0 });
    expect(d.headline).toContain('2 of 3 tier-A provinces without a governor, deadline today');
    expect(d.headline).toContain('14 of 15 provinces without a governor, deadline today');
  });

  test('10 Feb: the late appointment counts (met_late), and the headline says how overdue', async () => {
    const d = await digest('2024-02-10');
    expect(province(d, 'najaf')).toMatchObject({ stage: 'appointed', deadlineStatus: 'met_late', governor: { name: 'Youssef Kanawi' } });
    expect(changesOf(d, 'najaf')).toMatchObject([{ type: 'APPOINT', late: true, summary: 'Appointed Youssef Kanawi' }]);
    expect(d.totals.tiers.A).toEqual({ provinces: 3, withoutGovernor: 1 });
    expect(d.totals.byStatus).toMatchObject({ breached: 13, met: 1, met_late: 1 });
    expect(d.headline).toContain('1 of 3 tier-A provinces without a governor, 1 day overdue');
    expect((await digest('2024-02-06')).headline).toContain('2 of 3 tier-A provinces without a governor, 3 days left');
  });
});

describe('alerts derived from the history', () => {
  test('breaches open at the deadline instant: new in the 9 Feb digest', async () => {
    const d = await digest('2024-02-09');
    expect(alertsOf(d, 'baghdad')).toEqual([{ province: 'baghdad', kind: 'breach', openedAt: DEADLINE_INSTANT, new: true }]);
    expect(alertsOf(d, 'najaf')).toEqual([{ province: 'najaf', kind: 'breach', openedAt: DEADLINE_INSTANT, new: true }]);
    expect(alertsOf(d, 'basra')).toEqual([]);
    expect(d.alerts.filter((a) => a.kind === 'breach')).toHaveLength(14);
    expect(d.alerts.every((a) => a.kind === 'breach' && a.new)).toBe(true);
    expect(d.headline).toContain('14 provinces in breach of the deadline (14 new)');
  });

  test('on 10 Feb the breaches are still there but not new; the province appointed on 10 Feb has none', async () => {
    const d = await digest('2024-02-10');
    expect(alertsOf(d, 'baghdad')).toEqual([{ province: 'baghdad', kind: 'breach', openedAt: DEADLINE_INSTANT, new: false }]);
    expect(alertsOf(d, 'najaf')).toEqual([]);
    expect(d.alerts.filter((a) => a.kind === 'breach')).toHaveLength(13);
    expect(d.alerts.some((a) => a.new)).toBe(false);
  });

  test('the 7-days milestone (end of 2 Feb) opens at_risk for a tier without nominee: new on 2 Feb, not on 3 Feb', async () => {
    const milestone = '2024-02-02T20:59:59.999Z';
    expect(alertsOf(await digest('2024-02-01'), 'wasit')).toEqual([]);
    expect(alertsOf(await digest('2024-02-02'), 'wasit')).toEqual([{ province: 'wasit', kind: 'at_risk', openedAt: milestone, new: true }]);
    expect(alertsOf(await digest('2024-02-03'), 'wasit')).toEqual([{ province: 'wasit', kind: 'at_risk', openedAt: milestone, new: false }]);
    // A province still in criteria has been at risk since the 21-days milestone (end of 19 Jan).
    expect(alertsOf(await digest('2024-02-02'), 'anbar')).toEqual([{ province: 'anbar', kind: 'at_risk', openedAt: '2024-01-19T20:59:59.999Z', new: false }]);
    expect(alertsOf(await digest('2024-02-02'), 'baghdad')).toEqual([]);
  });

  test('an appointment recorded now but dated 5 Feb removes the breach from the 10 Feb digest', async () => {
    const before = await digest('2024-02-10');
    expect(alertsOf(before, 'karbala')).toEqual([{ province: 'karbala', kind: 'breach', openedAt: DEADLINE_INSTANT, new: false }]);
    expect(province(before, 'karbala')).toMatchObject({ deadlineStatus: 'breached' });

    await accept('karbala', { type: 'APPOINT', governor: 'Nassif Al-Khattabi', votes: 8, occurredAt: '2024-02-05T12:00:00+03:00' });

    const after = await digest('2024-02-10');
    expect(alertsOf(after, 'karbala')).toEqual([]);
    expect(province(after, 'karbala')).toMatchObject({ stage: 'appointed', deadlineStatus: 'met', governor: { name: 'Nassif Al-Khattabi' } });
    expect(after.totals.tiers.B).toEqual({ provinces: 2, withoutGovernor: 1 });
    expect(changesOf(await digest('2024-02-05'), 'karbala')).toMatchObject([{ type: 'APPOINT', summary: 'Appointed Nassif Al-Khattabi (8 of 13 votes)' }]);
  });
});

describe('reports and corrections', () => {
  test('a REPORT rumour is in the reports of its day, with its source, and in no other day', async () => {
    const d = await digest('2024-02-07');
    expect(d.reports).toEqual([
      {
        province: 'wasit',
        kind: 'rumor',
        text: 'A line-up names Mohammed Al-Mayahi for Wasit',
        source,
        occurredAt: '2024-02-07T09:00:00.000Z',
        occurredAtPrecision: 'minute',
      },
    ]);
    expect((await digest('2024-02-06')).reports).toEqual([]);
    expect((await digest('2024-02-08')).reports).toEqual([]);
  });

  test('a retraction made today is in today’s corrections, and the retracted event leaves its day’s changes', async () => {
    expect(changesOf(await digest('2024-01-20'), 'dhi-qar')).toMatchObject([{ type: 'NOMINATE', summary: 'Nominated Murtada Al-Ibrahimi' }]);
    const res = await s.app
      .http()
      .post('/api/v1/provinces/dhi-qar/events/2/retract')
      .set(s.auth(s.keys.editor))
      .send({ reason: 'The nomination was a rumour' });
    expect({ status: res.status }).toEqual({ status: 200 });

    const before = localDate(new Date(), 'Asia/Baghdad');
    const today = await s.app.http().get('/api/v1/digest').set(s.auth(s.keys.viewer));
    const after = localDate(new Date(), 'Asia/Baghdad');
    expect(today.status).toBe(200);
    expect([before, after]).toContain(today.body.date);
    expect(today.body.corrections).toEqual([
      { province: 'dhi-qar', seq: 2, type: 'NOMINATE', reason: 'The nomination was a rumour', retractedAt: expect.any(String) },
    ]);
    const retractedAt = today.body.corrections[0].retractedAt as string;
    expect(localDate(new Date(retractedAt), 'Asia/Baghdad')).toBe(today.body.date);

    expect(changesOf(await digest('2024-01-20'), 'dhi-qar')).toEqual([]);
    expect((await digest('2024-01-20')).corrections).toEqual([]);
    expect(province(await digest('2024-01-21'), 'dhi-qar')).toMatchObject({ stage: 'tier' });
  });
});

describe('Markdown', () => {
  async function markdown(query: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
    const res = await getDigest(query, headers);
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 200, type: 'text/markdown; charset=utf-8' });
    return res.text;
  }

  test.each([
    ['Accept: text/markdown', { date: '2024-02-09' }, { accept: 'text/markdown' }],
    ['format=md', { date: '2024-02-09', format: 'md' }, {}],
  ])('%s: headline first, then breaches before changes, names in English and Arabic', async (_label, query, headers) => {
    const md = await markdown(query, headers);
    const json = await digest('2024-02-09');
    const at = (text: string) => {
      const i = md.indexOf(text);
      expect({ text, found: i >= 0 }).toEqual({ text, found: true });
      return i;
    };
    const headline = at(json.headline[0]);
    const breachCount = json.alerts.filter((a) => a.kind === 'breach').length;
    expect(breachCount).toBeGreaterThan(0);
    const breaches = at(`## Breaches (${breachCount})`);
    const changes = at('## Changes');
    expect(headline).toBeLessThan(breaches);
    expect(breaches).toBeLessThan(changes);
    expect(at('Baghdad (بغداد)')).toBeGreaterThan(breaches);
    at('Dhi Qar (ذي قار)');
    at('2 of 3 tier-A provinces without a governor, deadline today');
    at('## Provinces');
    expect(md).toMatch(/\| Basra \(البصرة\) \| appointed \| A \| Asaad Al-Eidani \(أسعد العيداني\) \| met \|/);
  });

  test('the day’s changes, reports and corrections are in it', async () => {
    const sixth = await markdown({ date: '2024-02-06', format: 'md' });
    expect(sixth).toContain('02:00 — Basra (البصرة): Appointed Asaad Al-Eidani (13 of 23 votes)');
    const seventh = await markdown({ date: '2024-02-07', format: 'md' });
    expect(seventh).toContain('Wasit (واسط): rumor: “A line-up names Mohammed Al-Mayahi for Wasit”');
    const today = await markdown({ format: 'md' });
    expect(today).toContain('Dhi Qar (ذي قار): event 2 (NOMINATE) retracted: The nomination was a rumour');
  });

  test('format=json wins over Accept: text/markdown; another format is refused', async () => {
    const res = await getDigest({ date: '2024-02-09', format: 'json' }, { accept: 'text/markdown' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.date).toBe('2024-02-09');
    expect(res.headers.vary).toMatch(/accept/i);
    expectProblem(await getDigest({ date: '2024-02-09', format: 'html' }), 400, 'validation', 'format');
  });
});

describe('refusals', () => {
  test.each([['2024-02-30'], ['x'], ['2024-2-9'], ['2024-02-09T00:00:00Z'], ['']])('date=%j → 400 problem naming date', async (date) => {
    expectProblem(await getDigest({ date }), 400, 'validation', 'date');
  });

  test('a day after today or before the election → 400; an unknown parameter → 400', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expectProblem(await getDigest({ date: tomorrow }), 400, 'validation', 'date');
    expectProblem(await getDigest({ date: '2023-12-17' }), 400, 'validation', 'date');
    expect((await getDigest({ date: '2023-12-18' })).status).toBe(200);
    expectProblem(await getDigest({ date: '2024-02-09', asOf: '2024-02-09T00:00:00Z' }), 400, 'validation');
  });

  test('a key is needed (401); a viewer key is enough', async () => {
    const res = await s.app.http().get('/api/v1/digest?date=2024-02-09');
    expectProblem(res, 401, 'unauthorized');
    expect((await getDigest({ date: '2024-02-09' })).status).toBe(200);
  });
});
