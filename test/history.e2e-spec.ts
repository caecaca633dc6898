import type { Response } from 'supertest';
import { postEvent, setupSuite } from './support/test-app.js';
import { expectProblem } from './support/expectations.js';

/**
 * SPEC §3 through HTTP: bitemporal history (occurredAt vs recordedAt), backdated events, retractions,
 * history conflicts, and as-of / known-at reads. After every change the current snapshot is checked
 * against the history read back "as of now" (stored stateAfter) and "as known now" (a full replay):
 * the API-level form of the integrity check (the CLI's `verify` cannot open the embedded database
 * while the app holds it).
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('history');
});
afterAll(async () => s?.teardown());

const viewer = () => s.auth(s.keys.viewer);
const post = (slug: string, body: Record<string, unknown>) => postEvent(s.app, s.keys.editor, slug, body);
const q = (params: Record<string, string>) => '?' + new URLSearchParams(params).toString();
const names = (list: { name: string }[]) => list.map((n) => n.name).sort();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function accept(slug: string, body: Record<string, unknown>): Promise<Response> {
  const res = await post(slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res;
}

async function getProvince(slug: string, query = ''): Promise<Response> {
  const res = await s.app.http().get(`/api/v1/provinces/${slug}${query}`).set(viewer());
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res;
}

async function history(slug: string): Promise<Response> {
  const res = await s.app.http().get(`/api/v1/provinces/${slug}/events`).set(viewer());
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res;
}

function retract(slug: string, seq: number | string, body: unknown, key = s.keys.editor) {
  return s.app.http().post(`/api/v1/provinces/${slug}/events/${seq}/retract`).set(s.auth(key)).send(body as object);
}

async function expectVersion(slug: string, version: number): Promise<Response> {
  const res = await getProvince(slug);
  expect(res.body.version).toBe(version);
  expect(res.headers.etag).toBe(`"${version}"`);
  return res;
}


const SNAPSHOT_FIELDS = ['stage', 'tier', 'criteria', 'nominees', 'governor', 'convenedAt', 'chair', 'decree', 'deadline'] as const;
const snapshot = (view: Record<string, unknown>) => Object.fromEntries(SNAPSHOT_FIELDS.map((f) => [f, view[f]]));

/**
 * The invariant of SPEC §3: the current snapshot equals the history read as of now (each event's
 * stored stateAfter) and as known now (a replay of every live recorded event in occurredAt order).
 */
async function expectSnapshotIsReplay(slug: string) {
  const current = await getProvince(slug);
  const now = new Date().toISOString();
  const asOfNow = await getProvince(slug, q({ asOf: now }));
  const knownNow = await getProvince(slug, q({ asOf: now, knownAt: now }));
  expect({ slug, asOf: snapshot(asOfNow.body) }).toEqual({ slug, asOf: snapshot(current.body) });
  expect({ slug, knownAt: snapshot(knownNow.body) }).toEqual({ slug, knownAt: snapshot(current.body) });
}

/** A refused change leaves the version, the ETag and the whole history as they were. */
async function expectNothingChanged(slug: string, version: number, items: unknown[]) {
  await expectVersion(slug, version);
  expect((await history(slug)).body.items).toEqual(items);
  await expectSnapshotIsReplay(slug);
}

describe('a backdated event is inserted in occurredAt order and the province replayed (basra)', () => {
  const slug = 'basra';
  const t1 = '2024-01-10T10:00:00+03:00';
  const t2 = '2024-01-15T10:00:00+03:00';
  const t3 = '2024-01-20T10:00:00+03:00';

  test('ASSIGN_TIER at t1, NOMINATE at t3, then CONVENE backdated to t2', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: t1 });
    await expectSnapshotIsReplay(slug);
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' }, occurredAt: t3 });
    await expectSnapshotIsReplay(slug);

    const res = await accept(slug, { type: 'CONVENE', chair: 'Eldest member', occurredAt: t2 });
    // Applied where it belongs: the province was in tier at t2.
    expect(res.body.event).toMatchObject({ seq: 3, type: 'CONVENE', occurredAt: '2024-01-15T07:00:00.000Z', fromStage: 'tier', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'candidate', tier: 'A', convenedAt: '2024-01-15T07:00:00.000Z', chair: 'Eldest member', version: 3 });
    expect(names(res.body.province.nominees)).toEqual(['Asaad Al-Eidani']);
    await expectVersion(slug, 3);
    await expectSnapshotIsReplay(slug);
  });

  test('the history is in occurredAt order, the new event in the middle, seqs in recording order', async () => {
    const items = (await history(slug)).body.items;
    expect(items.map((e: { seq: number }) => e.seq)).toEqual([1, 3, 2]);
    expect(items.map((e: { type: string }) => e.type)).toEqual(['ASSIGN_TIER', 'CONVENE', 'NOMINATE']);
    expect(items.map((e: { occurredAt: string }) => e.occurredAt)).toEqual([
      '2024-01-10T07:00:00.000Z',
      '2024-01-15T07:00:00.000Z',
      '2024-01-20T07:00:00.000Z',
    ]);
    const recorded = Object.fromEntries(items.map((e: { seq: number; recordedAt: string }) => [e.seq, Date.parse(e.recordedAt)]));
    expect(recorded[1]).toBeLessThanOrEqual(recorded[2]);
    expect(recorded[2]).toBeLessThanOrEqual(recorded[3]);
    expect(items.every((e: { retracted: boolean }) => e.retracted === false)).toBe(true);
  });

  test('as-of reads see the inserted event at its place, and the later event replayed on top of it', async () => {
    const beforeIt = await getProvince(slug, q({ asOf: '2024-01-12T00:00:00Z' }));
    expect(beforeIt.body).toMatchObject({ stage: 'tier', convenedAt: null, nominees: [] });
    const between = await getProvince(slug, q({ asOf: '2024-01-17T00:00:00Z' }));
    expect(between.body).toMatchObject({ stage: 'tier', convenedAt: '2024-01-15T07:00:00.000Z', nominees: [] });
    const after = await getProvince(slug, q({ asOf: '2024-01-25T00:00:00Z' }));
    expect(after.body).toMatchObject({ stage: 'candidate', convenedAt: '2024-01-15T07:00:00.000Z' });
    expect(names(after.body.nominees)).toEqual(['Asaad Al-Eidani']);
  });

  test('a backdated event the stage at its own place does not accept is refused, and nothing changes', async () => {
    const before = (await history(slug)).body.items;
    // At 12 Jan the province was in tier and had no nominee.
    const res = await post(slug, { type: 'WITHDRAW', candidate: 'Asaad Al-Eidani', occurredAt: '2024-01-12T10:00:00+03:00' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/(invalid-transition|history-conflict)$/);
    await expectNothingChanged(slug, 3, before);
  });
});

describe('a backdated event that would break a later one is refused with history-conflict (nineveh)', () => {
  const slug = 'nineveh';
  let before: unknown[];

  test('setup: ASSIGN_TIER, NOMINATE, CONVENE in order', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Abdel Qader Al-Dakhil' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await accept(slug, { type: 'CONVENE', occurredAt: '2024-01-25T10:00:00+03:00' });
    await expectVersion(slug, 3);
    await expectSnapshotIsReplay(slug);
    before = (await history(slug)).body.items;
    expect(before).toHaveLength(3);
  });

  test('a backdated NOMINATE of the same name before the existing NOMINATE: conflictingSeq names that NOMINATE', async () => {
    const res = await post(slug, { type: 'NOMINATE', candidate: { name: 'Abdel Qader Al-Dakhil' }, occurredAt: '2024-01-15T10:00:00+03:00' });
    expectProblem(res, 409, 'history-conflict');
    expect(res.body.conflictingSeq).toBe(2);
    await expectNothingChanged(slug, 3, before);
    // The refused insert left no trace in the past either.
    const then = await getProvince(slug, q({ asOf: '2024-01-16T00:00:00Z' }));
    expect(then.body).toMatchObject({ stage: 'tier', nominees: [] });
  });

  test('a backdated CONVENE before the existing CONVENE: conflictingSeq names that CONVENE', async () => {
    const res = await post(slug, { type: 'CONVENE', chair: 'Someone', occurredAt: '2024-01-22T10:00:00+03:00' });
    expectProblem(res, 409, 'history-conflict');
    expect(res.body.conflictingSeq).toBe(3);
    await expectNothingChanged(slug, 3, before);
    expect((await getProvince(slug)).body.convenedAt).toBe('2024-01-25T07:00:00.000Z');
  });
});

describe('retraction (dhi-qar)', () => {
  const slug = 'dhi-qar';

  test('retracting a NOMINATE answers 200 with the replayed province, back in tier', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Murtada Al-Ibrahimi' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await expectVersion(slug, 2);
    await expectSnapshotIsReplay(slug);

    const res = await retract(slug, 2, { reason: 'The nomination was a rumour' });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    expect(res.body).toMatchObject({ slug, stage: 'tier', tier: 'C', nominees: [], version: 3 });
    const now = await expectVersion(slug, 3);
    expect(now.body).toMatchObject({ stage: 'tier', nominees: [] });
    expect([...now.body.allowedEvents].sort()).toEqual(['ACTING', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'REPORT', 'SET_DEADLINE']);
    await expectSnapshotIsReplay(slug);
  });

  test('the history keeps the event, marked retracted with who, when and why', async () => {
    const items = (await history(slug)).body.items;
    expect(items.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(items[0]).toMatchObject({ seq: 1, retracted: false, retractedAt: null, retractedBy: null, retractionReason: null });
    expect(items[1]).toMatchObject({
      seq: 2,
      type: 'NOMINATE',
      retracted: true,
      retractedBy: 'editor-desk',
      retractionReason: 'The nomination was a rumour',
    });
    expect(Date.parse(items[1].retractedAt)).toBeGreaterThanOrEqual(Date.parse(items[1].recordedAt));
  });

  test('retracting it again: 409 already-retracted, nothing changes', async () => {
    const before = (await history(slug)).body.items;
    const res = await retract(slug, 2, { reason: 'Again' });
    expectProblem(res, 409, 'already-retracted');
    await expectNothingChanged(slug, 3, before);
  });

  test('a retraction without a reason (missing or blank) is refused with 400 on reason', async () => {
    const before = (await history(slug)).body.items;
    for (const body of [{}, { reason: '   ' }]) {
      const res = await retract(slug, 1, body);
      expectProblem(res, 400, 'validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    }
    await expectNothingChanged(slug, 3, before);
  });

  test('an unknown seq answers 404; a viewer may not retract (403)', async () => {
    const before = (await history(slug)).body.items;
    expectProblem(await retract(slug, 99, { reason: 'No such event' }), 404, 'not-found');
    expectProblem(await retract(slug, 1, { reason: 'Not allowed' }, s.keys.viewer), 403, 'forbidden');
    await expectNothingChanged(slug, 3, before);
  });

  test('the retracted nomination no longer counts: the same name may be nominated again', async () => {
    const res = await accept(slug, { type: 'NOMINATE', candidate: { name: 'Murtada Al-Ibrahimi' }, occurredAt: '2024-01-22T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ seq: 3, fromStage: 'tier', toStage: 'candidate' });
    expect(names(res.body.province.nominees)).toEqual(['Murtada Al-Ibrahimi']);
    await expectSnapshotIsReplay(slug);
  });
});

describe('retracting an event that a later one needs (babil)', () => {
  const slug = 'babil';

  test('retracting the NOMINATE that a later APPOINT needs: 409 history-conflict naming the APPOINT', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Adnan Fayhan' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    const appoint = await accept(slug, { type: 'APPOINT', governor: 'Adnan Fayhan', votes: 10, occurredAt: '2024-01-25T10:00:00+03:00' });
    expect(appoint.body.event.seq).toBe(3);
    await expectSnapshotIsReplay(slug);
    const before = (await history(slug)).body.items;

    const res = await retract(slug, 2, { reason: 'Wrong name' });
    expectProblem(res, 409, 'history-conflict');
    expect(res.body.conflictingSeq).toBe(3);
    await expectNothingChanged(slug, 3, before);
    expect((await getProvince(slug)).body).toMatchObject({ stage: 'appointed', governor: { name: 'Adnan Fayhan' } });
  });

  test('retracting the APPOINT first, then the NOMINATE, works step by step', async () => {
    const first = await retract(slug, 3, { reason: 'The session was annulled' });
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 200 });
    expect(first.body).toMatchObject({ stage: 'candidate', governor: null, version: 4 });
    await expectSnapshotIsReplay(slug);

    const second = await retract(slug, 2, { reason: 'Wrong name' });
    expect({ status: second.status, body: second.body }).toMatchObject({ status: 200 });
    expect(second.body).toMatchObject({ stage: 'tier', governor: null, nominees: [], version: 5 });
    await expectVersion(slug, 5);
    await expectSnapshotIsReplay(slug);
    const items = (await history(slug)).body.items;
    expect(items.map((e: { retracted: boolean }) => e.retracted)).toEqual([false, true, true]);
  });
});

describe('asOf and knownAt: an appointment dated 5 Feb recorded after later events (anbar)', () => {
  const slug = 'anbar';
  let knownBeforeAppointment: string;
  let appointmentRecordedAt: string;

  test('setup: tier, nominee, a report of 7 Feb, then the APPOINT of 5 Feb recorded now', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Mohammed Nouri' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    const report = await accept(slug, { type: 'REPORT', kind: 'note', text: 'Council adjourned', occurredAt: '2024-02-07T10:00:00+03:00' });
    knownBeforeAppointment = report.body.event.recordedAt;
    expect(typeof knownBeforeAppointment).toBe('string');
    await expectSnapshotIsReplay(slug);
    await pause(20);

    const res = await accept(slug, { type: 'APPOINT', governor: 'Mohammed Nouri', votes: 9, present: 16, occurredAt: '2024-02-05T12:00:00+03:00' });
    appointmentRecordedAt = res.body.event.recordedAt;
    expect(Date.parse(appointmentRecordedAt)).toBeGreaterThan(Date.parse(knownBeforeAppointment));
    expect(res.body.event).toMatchObject({ seq: 4, fromStage: 'candidate', toStage: 'appointed', late: false, daysToDeadline: 4 });
    expect(res.body.province).toMatchObject({ stage: 'appointed', deadlineStatus: 'met', governor: { name: 'Mohammed Nouri' } });
    await expectSnapshotIsReplay(slug);
    const items = (await history(slug)).body.items;
    expect(items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 4, 3]);
  });

  test('as of 6 Feb it was appointed (met)', async () => {
    const res = await getProvince(slug, q({ asOf: '2024-02-06T00:00:00Z' }));
    expect(res.body).toMatchObject({ stage: 'appointed', governor: { name: 'Mohammed Nouri' }, deadlineStatus: 'met' });
    expect(Date.parse(res.body.asOf)).toBe(Date.parse('2024-02-06T00:00:00Z'));
    const before = await getProvince(slug, q({ asOf: '2024-02-04T00:00:00Z' }));
    expect(before.body).toMatchObject({ stage: 'candidate', governor: null });
  });

  test('as of 6 Feb, as known before the appointment was recorded, it was NOT appointed', async () => {
    const res = await getProvince(slug, q({ asOf: '2024-02-06T00:00:00Z', knownAt: knownBeforeAppointment }));
    expect(res.body).toMatchObject({ stage: 'candidate', governor: null, deadlineStatus: 'on_track' });
    expect(names(res.body.nominees)).toEqual(['Mohammed Nouri']);
    // Known once it was recorded.
    const known = await getProvince(slug, q({ asOf: '2024-02-06T00:00:00Z', knownAt: appointmentRecordedAt }));
    expect(known.body).toMatchObject({ stage: 'appointed', governor: { name: 'Mohammed Nouri' } });
  });

  test('on 10 Feb: no breach as the history now says, a breach as it was known then', async () => {
    const now = await getProvince(slug, q({ asOf: '2024-02-10T12:00:00Z' }));
    expect(now.body).toMatchObject({ stage: 'appointed', deadlineStatus: 'met' });
    const then = await getProvince(slug, q({ asOf: '2024-02-10T12:00:00Z', knownAt: knownBeforeAppointment }));
    expect(then.body).toMatchObject({ stage: 'candidate', deadlineStatus: 'breached' });
  });

  test('a malformed asOf or knownAt is refused with 400', async () => {
    for (const query of [q({ asOf: '2024-02-06' }), q({ knownAt: 'yesterday' })]) {
      const res = await s.app.http().get(`/api/v1/provinces/${slug}${query}`).set(viewer());
      expectProblem(res, 400, 'validation');
    }
  });
});

describe('after a retraction, asOf and knownAt differ for the right reason (kirkuk)', () => {
  const slug = 'kirkuk';
  let recordedBeforeNomination: string;
  let knownBeforeRetraction: string;
  let retractedAt: string;

  test('setup: tier, a NOMINATE of 20 Jan, a report, then the NOMINATE retracted', async () => {
    const tier = await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    recordedBeforeNomination = tier.body.event.recordedAt;
    await pause(20);
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Rakan Al-Jubouri' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    const report = await accept(slug, { type: 'REPORT', kind: 'rumor', text: 'Deal struck', occurredAt: '2024-01-25T10:00:00+03:00' });
    knownBeforeRetraction = report.body.event.recordedAt;
    await expectSnapshotIsReplay(slug);
    await pause(20);

    const res = await retract(slug, 2, { reason: 'The nomination never happened' });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    expect(res.body).toMatchObject({ stage: 'tier', nominees: [] });
    await expectSnapshotIsReplay(slug);
    retractedAt = (await history(slug)).body.items.find((e: { seq: number }) => e.seq === 2).retractedAt;
    expect(Date.parse(retractedAt)).toBeGreaterThan(Date.parse(knownBeforeRetraction));
  });

  test('asOf reads the corrected history: no nominee on 22 Jan, even as of an instant before the retraction was recorded', async () => {
    const jan22 = await getProvince(slug, q({ asOf: '2024-01-22T00:00:00Z' }));
    expect(jan22.body).toMatchObject({ stage: 'tier', nominees: [] });
    const beforeRetraction = await getProvince(slug, q({ asOf: knownBeforeRetraction }));
    expect(beforeRetraction.body).toMatchObject({ stage: 'tier', nominees: [] });
  });

  test('knownAt before the retraction reads what was believed then: the nominee on 22 Jan', async () => {
    const believed = await getProvince(slug, q({ asOf: '2024-01-22T00:00:00Z', knownAt: knownBeforeRetraction }));
    expect(believed.body).toMatchObject({ stage: 'candidate' });
    expect(names(believed.body.nominees)).toEqual(['Rakan Al-Jubouri']);
    const believedThen = await getProvince(slug, q({ asOf: knownBeforeRetraction, knownAt: knownBeforeRetraction }));
    expect(believedThen.body).toMatchObject({ stage: 'candidate' });
  });

  test('knownAt from the retraction on, and knownAt before the nomination was recorded, both show no nominee', async () => {
    const afterRetraction = await getProvince(slug, q({ asOf: '2024-01-22T00:00:00Z', knownAt: retractedAt }));
    expect(afterRetraction.body).toMatchObject({ stage: 'tier', nominees: [] });
    const beforeNomination = await getProvince(slug, q({ asOf: '2024-01-22T00:00:00Z', knownAt: recordedBeforeNomination }));
    expect(beforeNomination.body).toMatchObject({ stage: 'tier', nominees: [] });
  });

  test('before the nomination occurred, asOf and knownAt agree', async () => {
    const asOf = await getProvince(slug, q({ asOf: '2024-01-15T00:00:00Z' }));
    const known = await getProvince(slug, q({ asOf: '2024-01-15T00:00:00Z', knownAt: knownBeforeRetraction }));
    expect(snapshot(known.body)).toEqual(snapshot(asOf.body));
    expect(asOf.body).toMatchObject({ stage: 'tier', tier: 'A', nominees: [] });
  });
});

describe('GET /provinces?asOf= rebuilds all 15 provinces (after every block above)', () => {
  type Item = { slug: string; stage: string; tier: string | null; deadlineStatus: string; governor: { name: string } | null; asOf?: string };
  const bySlug = (items: Item[]) => Object.fromEntries(items.map((i) => [i.slug, i]));
  const TOUCHED = ['basra', 'nineveh', 'dhi-qar', 'babil', 'anbar', 'kirkuk'];

  async function list(params: Record<string, string>): Promise<Item[]> {
    const res = await s.app.http().get(`/api/v1/provinces${q(params)}`).set(viewer());
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body.items;
  }

  test('as of 1 Jan 2024: all 15 in criteria, on track or at risk, none breached', async () => {
    const items = await list({ asOf: '2024-01-01T00:00:00Z' });
    expect(items).toHaveLength(15);
    for (const p of items) {
      expect({ slug: p.slug, stage: p.stage }).toEqual({ slug: p.slug, stage: 'criteria' });
      expect(['on_track', 'at_risk']).toContain(p.deadlineStatus);
      expect(Date.parse(p.asOf!)).toBe(Date.parse('2024-01-01T00:00:00Z'));
    }
    expect(items.filter((p) => p.deadlineStatus === 'breached')).toEqual([]);
  });

  test('as of 6 Feb 2024: each province as it stood, status judged at that instant', async () => {
    const items = await list({ asOf: '2024-02-06T00:00:00Z' });
    expect(items).toHaveLength(15);
    const p = bySlug(items);
    expect(p.anbar).toMatchObject({ stage: 'appointed', deadlineStatus: 'met', governor: { name: 'Mohammed Nouri' } });
    expect(p.basra).toMatchObject({ stage: 'candidate', tier: 'A', deadlineStatus: 'on_track' });
    expect(p['dhi-qar']).toMatchObject({ stage: 'candidate', deadlineStatus: 'on_track' });
    // babil's nomination and appointment were retracted; kirkuk's nomination too: in tier with no nominee after the 2 Feb milestone.
    expect(p.babil).toMatchObject({ stage: 'tier', governor: null, deadlineStatus: 'at_risk' });
    expect(p.kirkuk).toMatchObject({ stage: 'tier', deadlineStatus: 'at_risk' });
    for (const slug of Object.keys(p).filter((x) => !TOUCHED.includes(x))) {
      expect({ slug, stage: p[slug].stage, status: p[slug].deadlineStatus }).toEqual({ slug, stage: 'criteria', status: 'at_risk' });
    }
    expect(items.filter((x) => x.deadlineStatus === 'breached')).toEqual([]);
    // 00:00Z on 6 Feb is 03:00 on 6 Feb in Baghdad: three days to go.
    expect(items.map((x) => (x as Item & { daysToDeadline: number }).daysToDeadline)).toEqual(items.map(() => 3));
  });

  test('daysToDeadline is counted in Baghdad days: 20:30Z on 9 Feb is day 0, 21:30Z is day -1', async () => {
    const onTheDay = await getProvince('muthanna', q({ asOf: '2024-02-09T20:30:00Z' }));
    expect(onTheDay.body).toMatchObject({ daysToDeadline: 0, deadlineStatus: 'at_risk' });
    const lastMs = await getProvince('muthanna', q({ asOf: '2024-02-09T20:59:59.999Z' }));
    expect(lastMs.body).toMatchObject({ daysToDeadline: 0, deadlineStatus: 'at_risk' });
    const dayAfter = await getProvince('muthanna', q({ asOf: '2024-02-09T21:30:00Z' }));
    expect(dayAfter.body).toMatchObject({ daysToDeadline: -1, deadlineStatus: 'breached' });
  });

  test('as of 10 Feb 2024: every province without a governor is breached; anbar met', async () => {
    const items = await list({ asOf: '2024-02-10T12:00:00Z' });
    expect(items).toHaveLength(15);
    for (const p of items) {
      expect({ slug: p.slug, status: p.deadlineStatus }).toEqual({ slug: p.slug, status: p.slug === 'anbar' ? 'met' : 'breached' });
    }
  });

  test('filters apply to the rebuilt provinces', async () => {
    const all = await list({ asOf: '2024-02-06T00:00:00Z' });
    for (const [key, value] of [
      ['stage', 'candidate'],
      ['stage', 'criteria'],
      ['tier', 'A'],
      ['status', 'met'],
      ['status', 'at_risk'],
    ] as const) {
      const filtered = await list({ asOf: '2024-02-06T00:00:00Z', [key]: value });
      const field = key === 'status' ? 'deadlineStatus' : key;
      expect({ key, value, slugs: filtered.map((i) => i.slug).sort() }).toEqual({
        key,
        value,
        slugs: all.filter((i) => i[field] === value).map((i) => i.slug).sort(),
      });
    }
    expect((await list({ asOf: '2024-02-06T00:00:00Z', status: 'met' })).map((i) => i.slug)).toEqual(['anbar']);
    // Today anbar is appointed; as of 1 Jan no province was.
    expect(await list({ asOf: '2024-01-01T00:00:00Z', stage: 'appointed' })).toEqual([]);
  });

  test('with knownAt before the appointment was recorded, anbar is breached on 10 Feb in the list too', async () => {
    const anbarHistory = (await history('anbar')).body.items;
    const report = anbarHistory.find((e: { type: string }) => e.type === 'REPORT');
    const items = await list({ asOf: '2024-02-10T12:00:00Z', knownAt: report.recordedAt });
    expect(items).toHaveLength(15);
    expect(bySlug(items).anbar).toMatchObject({ stage: 'candidate', deadlineStatus: 'breached' });
  });

  test('every province in this file still satisfies the invariant', async () => {
    for (const slug of [...TOUCHED, 'baghdad', 'muthanna']) await expectSnapshotIsReplay(slug);
  });
});

describe('a list as known at an instant (najaf, wasit; every province compared)', () => {
  test('agrees with each province replayed alone, after a backdated event and a retraction recorded since', async () => {
    const tier = await accept('najaf', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-08T10:00:00+03:00' });
    await pause(20);
    const knownAt = new Date().toISOString();
    await pause(20);
    // Recorded after knownAt: a backdated event in wasit, and the retraction of najaf's tier.
    await accept('wasit', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-06T10:00:00+03:00' });
    const retracted = await retract('najaf', tier.body.event.seq, { reason: 'misreported' });
    expect(retracted.status).toBe(200);

    const list = await s.app.http().get(`/api/v1/provinces${q({ knownAt })}`).set(viewer());
    expect(list.status).toBe(200);
    const bySlug = new Map(list.body.items.map((p: { slug: string }) => [p.slug, p]));
    expect(bySlug.get('najaf')).toMatchObject({ tier: 'B', knownAt: new Date(knownAt).toISOString() });
    expect(bySlug.get('wasit')).toMatchObject({ tier: null });
    for (const item of list.body.items as { slug: string }[]) {
      const alone = await getProvince(item.slug, q({ knownAt }));
      expect({ slug: item.slug, state: snapshot(item as Record<string, unknown>) }).toEqual({ slug: item.slug, state: snapshot(alone.body) });
    }
    // And now, as known now, both changes show.
    expect((await getProvince('najaf')).body.tier).toBeNull();
    expect((await getProvince('wasit')).body.tier).toBe('C');
  });
});
