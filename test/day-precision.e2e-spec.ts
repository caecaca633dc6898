import { matchSchema } from '../apps/api/src/docs/openapi.validator.js';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 21 through HTTP into a real database: an event whose sources report only its day
 * (`occurredAtPrecision: 'day'`) is stored with its instant as sent and read back with the field
 * everywhere an event shows, and nothing that prints it prints a time of day for it: the digest's
 * Markdown in English and Arabic, its Arabic labels, the Atom feed's text. Events without the field
 * are to the minute, as before.
 *
 * Basra on 5 Feb 2024 (Baghdad): a tier assigned that day (time not reported, sent at 12:00), a session
 * that failed at 15:30, and a rumour of that day (time not reported).
 */

const s = await setupSuite('day-precision');
afterAll(() => s.teardown());
const http = () => s.app.http();
const viewer = () => s.auth(s.keys.viewer);
const doc = (await http().get('/docs-json')).body;

const DAY = '2024-02-05';
const TIER = { type: 'ASSIGN_TIER', tier: 'A', occurredAt: `${DAY}T12:00:00+03:00`, occurredAtPrecision: 'day' };
const FAILED = { type: 'REPORT', kind: 'session_failed', text: 'No quorum', occurredAt: `${DAY}T15:30:00+03:00` };
const RUMOUR = { type: 'REPORT', kind: 'rumor', text: 'A deal is near', occurredAt: `${DAY}T12:00:00+03:00`, occurredAtPrecision: 'day' };

const created: Record<string, unknown>[] = [];
for (const body of [TIER, FAILED, RUMOUR]) {
  const res = await postEvent(s.app, s.keys.editor, 'basra', body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  created.push(res.body.event);
}

/** The real response fits what /docs-json documents for this operation (strict: no undocumented field). */
function expectDocumented(path: string, res: { status: number; headers: Record<string, string>; text: string }) {
  const type = String(res.headers['content-type']).split(';')[0];
  const media = doc.paths[path].get.responses[String(res.status)]?.content?.[type];
  expect([path, res.status, type, media !== undefined]).toEqual([path, res.status, type, true]);
  expect([path, matchSchema(JSON.parse(res.text), media.schema, doc, { strict: true })]).toEqual([path, []]);
}

const precisionBySeq = (items: { seq: number; occurredAt: string; occurredAtPrecision: string }[]) =>
  items.map((e) => [e.seq, e.occurredAt, e.occurredAtPrecision]);
const EXPECTED = [
  [1, '2024-02-05T09:00:00.000Z', 'day'],
  [3, '2024-02-05T09:00:00.000Z', 'day'],
  [2, '2024-02-05T12:30:00.000Z', 'minute'],
];

describe('the field is stored and read back wherever an event shows', () => {
  test('POST answers with it; without it an event is to the minute', () => {
    expect(created.map((e) => [e.seq, e.occurredAtPrecision])).toEqual([[1, 'day'], [2, 'minute'], [3, 'day']]);
  });

  test('GET …/events, the cycle route’s twin, and the CSV export', async () => {
    const res = await http().get('/api/v1/provinces/basra/events').set(viewer());
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/provinces/{slug}/events', res);
    expect(precisionBySeq(res.body.items)).toEqual(EXPECTED);

    const twin = await http().get('/api/v1/cycles/iraq-2023/provinces/basra/events').set(viewer());
    expect(precisionBySeq(twin.body.items)).toEqual(EXPECTED);

    const csv = await http().get('/api/v1/provinces/basra/events?format=csv').set(viewer());
    const rows = csv.text.slice(1).trim().split('\r\n').map((line) => line.split(','));
    const column = rows[0].indexOf('occurredAtPrecision');
    expect(rows.slice(1).map((r) => [r[0], r[column]])).toEqual([['1', 'day'], ['3', 'day'], ['2', 'minute']]);
  });

  test('GET …/history and /changes', async () => {
    const history = await http().get('/api/v1/provinces/basra/history').set(viewer());
    expect(history.status).toBe(200);
    const events = (history.body.items as { kind: string; event?: { seq: number; occurredAt: string; occurredAtPrecision: string } }[])
      .filter((i) => i.kind === 'event')
      .map((i) => i.event!);
    expect(precisionBySeq(events)).toEqual(EXPECTED);

    const changes = await http().get('/api/v1/changes').set(viewer());
    expect(changes.status).toBe(200);
    expectDocumented('/api/v1/changes', changes);
    expect(changes.body.items.map((e: { seq: number; occurredAtPrecision: string }) => [e.seq, e.occurredAtPrecision])).toEqual([
      [1, 'day'],
      [2, 'minute'],
      [3, 'day'],
    ]);
  });

  test('a day-precision event on the cycle route is accepted too', async () => {
    const res = await http()
      .post('/api/v1/cycles/iraq-2023/provinces/najaf/events')
      .set(s.auth(s.keys.editor))
      .send({ type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T12:00:00+03:00', occurredAtPrecision: 'day', source: { name: 'Shafaq News' } });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { event: { occurredAtPrecision: 'day', occurredAt: '2024-01-11T09:00:00.000Z' } } });
  });
});

describe('what prints an event prints only the day for a day-precision one', () => {
  test('digest JSON: changes and reports carry the field', async () => {
    const res = await http().get(`/api/v1/digest?date=${DAY}`).set(viewer());
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/digest', res);
    expect(res.body.changes.map((c: { type: string; occurredAtPrecision: string }) => [c.type, c.occurredAtPrecision])).toEqual([['ASSIGN_TIER', 'day']]);
    expect(res.body.reports.map((r: { kind: string; occurredAtPrecision: string }) => [r.kind, r.occurredAtPrecision])).toEqual([
      ['rumor', 'day'],
      ['session_failed', 'minute'],
    ]);
  });

  test('digest Markdown in English: "time not reported" where the time would stand, and no 12:00', async () => {
    const res = await http().get(`/api/v1/digest?date=${DAY}&format=md`).set(viewer());
    expect(res.status).toBe(200);
    expect(res.text).toContain('- time not reported — Basra (البصرة): Assigned to tier A — [Shafaq News](https://shafaq.com/en)');
    expect(res.text).toContain('- time not reported — Basra (البصرة): rumor: “A deal is near”');
    expect(res.text).toContain('- 15:30 — Basra (البصرة): session failed: “No quorum”');
    expect(res.text).not.toContain('12:00');
  });

  test('digest in Arabic: the Markdown says the time was not reported; the JSON label names the day alone', async () => {
    const md = await http().get(`/api/v1/digest?date=${DAY}&format=md&lang=ar`).set(viewer());
    expect(md.status).toBe(200);
    expect(md.text).toContain('- \u200Fلم يُذكر الوقت — البصرة: صُنّفت في الفئة أ');
    expect(md.text).toContain('- \u200F١٥:٣٠ — البصرة');
    expect(md.text).not.toContain('١٢:٠٠');

    const json = await http().get(`/api/v1/digest?date=${DAY}&lang=ar`).set(viewer());
    expectDocumented('/api/v1/digest', json);
    expect(json.body.changes[0]).toMatchObject({ occurredAtPrecision: 'day', occurredAtLabel: 'الاثنين ٥ شباط ٢٠٢٤' });
    expect(json.body.reports.map((r: { occurredAtLabel: string }) => r.occurredAtLabel)).toEqual(['الاثنين ٥ شباط ٢٠٢٤', '٥ شباط ٢٠٢٤، ١٥:٣٠']);
  });

  test('the Atom feed names the day of a day-precision event, not its stored instant; updated stays an instant', async () => {
    const res = await http().get('/api/v1/feeds/changes.atom').set(viewer());
    expect(res.status).toBe(200);
    const feed = res.text;
    expect(feed).toContain('Occurred: 2024-02-05 (Asia/Baghdad; only the day is reported); recorded:');
    expect(feed).toContain('Occurred: 2024-02-05T12:30:00.000Z; recorded:');
    expect(feed).not.toContain('Occurred: 2024-02-05T09:00:00.000Z');
    expect(feed).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z<\/updated>/);
  });
});

describe('bad input is refused with a problem, and nothing is stored', () => {
  async function basraNow() {
    const [province, events] = await Promise.all([
      http().get('/api/v1/provinces/basra').set(viewer()),
      http().get('/api/v1/provinces/basra/events').set(viewer()),
    ]);
    return { version: province.body.version, items: events.body.items };
  }

  test.each([
    ['a precision that is not day or minute', { ...FAILED, occurredAtPrecision: 'hour' }, 'occurredAtPrecision'],
    ['a precision that is not a string', { ...FAILED, occurredAtPrecision: 1 }, 'occurredAtPrecision'],
    ['day precision without occurredAt (the day is the claim)', { type: 'REPORT', kind: 'rumor', text: 'x', occurredAtPrecision: 'day' }, 'occurredAt'],
  ])('%s: 400', async (_label, body, field) => {
    const before = await basraNow();
    const res = await postEvent(s.app, s.keys.editor, 'basra', body);
    expectProblem(res, 400, 'validation');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual([field]);
    expect(await basraNow()).toEqual(before);
  });
});

describe('under the two-person rule', () => {
  test('a proposed APPOINT keeps its day precision through the proposal and the approval', async () => {
    const admin = s.auth(s.keys.admin);
    const second = await http().post('/api/v1/admin/api-keys').set(admin).send({ name: 'night-desk', role: 'editor' });
    expect(second.status).toBe(201);
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Rebwar Taha' }, occurredAt: '2024-08-10T11:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, s.keys.editor, 'kirkuk', body)).status).toBe(201);
    }
    expect((await http().patch('/api/v1/cycle').set(admin).send({ requireApproval: true })).status).toBe(200);
    try {
      const proposed = await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9, occurredAt: '2024-08-10T12:00:00+03:00', occurredAtPrecision: 'day' });
      expect({ status: proposed.status, body: proposed.body }).toMatchObject({ status: 202, body: { proposal: { event: { occurredAtPrecision: 'day' } } } });
      const applied = await http().post(`/api/v1/proposals/${proposed.body.proposal.id}/approve`).set(s.auth(second.body.key));
      expect({ status: applied.status, body: applied.body }).toMatchObject({
        status: 201,
        body: { event: { type: 'APPOINT', occurredAt: '2024-08-10T09:00:00.000Z', occurredAtPrecision: 'day', approvedBy: 'night-desk' } },
      });
    } finally {
      await http().patch('/api/v1/cycle').set(admin).send({ requireApproval: false });
    }
  });
});
