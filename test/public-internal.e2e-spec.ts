import type { Response, Test } from 'supertest';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 7, part 4: internal events and notes never leave through a public surface. Every secret
 * below is looked for in the raw body of every public route read with a `public` key (it must be
 * absent) and with a viewer key (it must be present where that route carries it, so that the
 * search is known to work); a public key is refused everywhere else.
 */

const s = await setupSuite('public_internal');
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();

const SECRET = {
  internalReport: 'SECRET-SOURCE-Qx7 says the bloc will split',
  internalNote: 'SECRET-NOTE-Kp2 reached by phone, do not name',
  tierNote: 'SECRET-NOTE-Zt9 on a public event',
  retractedInternal: 'SECRET-RETRACTED-Wm4 rumour',
  retractionReason: 'SECRET-REASON-Hv3 the source recanted',
};
const PUBLIC_TEXT = 'Council members deny any deal over Basra';
const DAY = '2024-01-10';

let publicKey = '';
const textOf = (res: Response): string => (typeof res.text === 'string' && res.text.length > 0 ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
/** A read with a key, or with none (null: what a page embedding the chart sends). */
const get = async (path: string, key: string | null, accept?: string): Promise<Response> => {
  let req = http().get(`${API}${path}`).buffer(true);
  if (key !== null) req = req.set(s.auth(key));
  if (accept) req = req.set('accept', accept);
  const res = await req;
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res;
};
const secretsIn = (text: string) => Object.values(SECRET).filter((secret) => text.includes(secret));

async function accept(slug: string, body: Record<string, unknown>): Promise<{ seq: number; internal: boolean; note: string | null }> {
  const res = await postEvent(s.app, s.keys.editor, slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.event;
}

beforeAll(async () => {
  const created = await http().post(`${API}/admin/api-keys`).set(s.auth(s.keys.admin)).send({ name: 'public-site', role: 'public' });
  expect(created.status).toBe(201);
  publicKey = created.body.key;

  await accept('basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: `${DAY}T09:00:00+03:00`, note: SECRET.tierNote });
  const internal = await accept('basra', {
    type: 'REPORT',
    kind: 'rumor',
    text: SECRET.internalReport,
    note: SECRET.internalNote,
    internal: true,
    occurredAt: `${DAY}T10:00:00+03:00`,
  });
  expect(internal.internal).toBe(true);
  await accept('basra', { type: 'REPORT', kind: 'denial', text: PUBLIC_TEXT, occurredAt: `${DAY}T11:00:00+03:00` });
  const toRetract = await accept('basra', { type: 'REPORT', kind: 'rumor', text: SECRET.retractedInternal, internal: true, occurredAt: `${DAY}T12:00:00+03:00` });
  const retracted = await http()
    .post(`${API}/provinces/basra/events/${toRetract.seq}/retract`)
    .set(s.auth(s.keys.editor))
    .send({ reason: SECRET.retractionReason });
  expect(retracted.status).toBe(200);
});

describe('marking an event internal', () => {
  test('only a REPORT may be internal: any other type is a 400 naming the field, and nothing is stored', async () => {
    const before = (await get('/provinces/kirkuk', s.keys.viewer)).body.version;
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'B', internal: true },
      { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling', internal: true },
    ]) {
      const res = await postEvent(s.app, s.keys.editor, 'kirkuk', body);
      expectProblem(res, 400, 'validation');
      expect(res.body.errors).toEqual([{ field: 'internal', message: expect.stringContaining('only REPORT events may be internal') }]);
    }
    expectProblem(await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'REPORT', kind: 'note', text: 'x', internal: 'yes' }), 400, 'validation');
    expect((await get('/provinces/kirkuk', s.keys.viewer)).body.version).toBe(before);
  });

  test('internal: false is the default, and a viewer sees the flag and the note', async () => {
    const res = await get('/provinces/basra/events', s.keys.viewer);
    const items = res.body.items as { type: string; internal: boolean; note: string | null; payload: { text?: string } }[];
    expect(items.map((e) => [e.type, e.internal])).toEqual([
      ['ASSIGN_TIER', false],
      ['REPORT', true],
      ['REPORT', false],
      ['REPORT', true],
    ]);
    expect(items[0].note).toBe(SECRET.tierNote);
    expect(items[1].note).toBe(SECRET.internalNote);
  });

  test('the database refuses an internal state change and any later change of the flag (CHECK and the append-only trigger)', async () => {
    const pool = s.app.running.database.dataSource;
    await expect(pool.query(`UPDATE province_event SET internal = false WHERE internal`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`UPDATE province_event SET approved_by = 'someone' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    const [{ n }] = await pool.query(`SELECT count(*)::int AS n FROM province_event WHERE internal`);
    expect(n).toBe(2);
  });
});

describe('every public surface, read with a public key, carries no internal event and no note', () => {
  /** Public routes and whether a viewer's answer carries the secrets (so that the search can fail). */
  const ROUTES: [string, string | undefined, boolean][] = [
    ['/provinces', undefined, false],
    ['/provinces?format=csv', undefined, false],
    ['/provinces?asOf=2024-01-10T12:30:00%2B03:00', undefined, false],
    ['/provinces/basra', undefined, false],
    ['/provinces/basra?asOf=2024-01-10T12:30:00%2B03:00', undefined, false],
    ['/provinces/basra/events', undefined, true],
    ['/provinces/basra/events?format=csv', undefined, true],
    ['/provinces/basra/history', undefined, true],
    ['/provinces/basra/claims', undefined, false],
    ['/claims', undefined, false],
    ['/changes?limit=1000', undefined, true],
    [`/digest?date=${DAY}`, undefined, true],
    [`/digest?date=${DAY}&format=md`, undefined, true],
    [`/digest?date=${DAY}`, 'text/markdown', true],
    ['/digest', undefined, true],
    ['/digest?format=md', undefined, true],
    ['/feeds/changes.atom', undefined, true],
    ['/feeds/alerts.atom', undefined, false],
    ['/cycle', undefined, false],
    ['/machine', undefined, false],
    ['/machine?format=mermaid', undefined, false],
    ['/charts/timeline.svg', undefined, false],
    ['/charts/timeline.svg?province=basra', undefined, false],
  ];

  test.each(ROUTES)('%s (Accept: %s)', async (path, acceptHeader, viewerSees) => {
    const pub = textOf(await get(path, publicKey, acceptHeader));
    expect(pub.length).toBeGreaterThan(0);
    expect(secretsIn(pub)).toEqual([]);
    const newsroom = textOf(await get(path, s.keys.viewer, acceptHeader));
    if (viewerSees) expect(secretsIn(newsroom).length).toBeGreaterThan(0);
  });

  test.each(['/charts/timeline.svg', '/charts/timeline.svg?province=basra'])('%s without a key (embedded where the digest is pasted): nothing internal either', async (path) => {
    expect(secretsIn(textOf(await get(path, null)))).toEqual([]);
  });

  test('the history: public events stay, with their notes stripped; internal ones are gone', async () => {
    const items = (await get('/provinces/basra/events', publicKey)).body.items as { seq: number; type: string; note: string | null; internal: boolean; payload: { text?: string } }[];
    expect(items.map((e) => [e.seq, e.type, e.note, e.internal])).toEqual([
      [1, 'ASSIGN_TIER', null, false],
      [3, 'REPORT', null, false],
    ]);
    expect(items[1].payload.text).toBe(PUBLIC_TEXT);
  });

  test('the digest of the day: the public report is there, the internal ones and their correction are not', async () => {
    const pub = (await get(`/digest?date=${DAY}`, publicKey)).body;
    const viewer = (await get(`/digest?date=${DAY}`, s.keys.viewer)).body;
    expect(pub.reports.map((r: { text: string }) => r.text)).toEqual([PUBLIC_TEXT]);
    expect(viewer.reports.map((r: { text: string }) => r.text)).toEqual([SECRET.internalReport, PUBLIC_TEXT]);
    const today = { pub: (await get('/digest', publicKey)).body, viewer: (await get('/digest', s.keys.viewer)).body };
    expect(today.pub.corrections).toEqual([]);
    expect(today.viewer.corrections).toEqual([expect.objectContaining({ province: 'basra', reason: SECRET.retractionReason })]);
  });

  test('/changes: the cursor moves past internal events, so a public client pulls to the end and sees only publishable ones', async () => {
    // The viewer first drains the log (retrying while another file's transaction holds the horizon back).
    const all: { seq: number; internal: boolean }[] = [];
    const deadline = Date.now() + 20_000;
    while (all.length < 4 && Date.now() < deadline) {
      all.splice(0, all.length, ...((await get('/changes?limit=1000', s.keys.viewer)).body.items as { seq: number; internal: boolean }[]));
    }
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    const seen: number[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const body = (await get(`/changes?limit=1${cursor ? `&after=${cursor}` : ''}`, publicKey)).body;
      seen.push(...(body.items as { seq: number }[]).map((e) => e.seq));
      expect(body.items.every((e: { note: unknown; internal: boolean }) => e.note === null && e.internal === false)).toBe(true);
      expect(body.cursor).not.toBe(cursor);
      cursor = body.cursor;
      cursors.push(cursor!);
      if (!body.hasMore) break;
    }
    expect(seen).toEqual([1, 3]);
    // Four rows read one at a time: four cursors, each past the row before, the internal ones included.
    expect(cursors).toHaveLength(4);
    const last = (await get(`/changes?after=${cursor}`, publicKey)).body;
    expect(last).toEqual({ items: [], cursor, hasMore: false });
  });
});

describe('a public key is refused everywhere else', () => {
  test.each([
    ['get', '/alerts'],
    ['get', '/stream'],
    ['get', '/proposals'],
    ['get', '/admin/api-keys'],
    ['get', '/admin/webhooks'],
    ['post', '/provinces/basra/events'],
    ['post', '/provinces/basra/events/1/retract'],
    ['post', '/alerts/00000000-0000-4000-8000-000000000000/ack'],
    ['patch', '/cycle'],
  ])('%s %s → 403', async (method, path) => {
    let req = (http() as unknown as Record<string, (u: string) => Test>)[method](`${API}${path}`).set(s.auth(publicKey));
    if (method !== 'get') req = req.send({ type: 'REPORT', kind: 'note', text: 'x', source: { name: 'x' }, reason: 'x' });
    expectProblem(await req, 403, 'forbidden');
  });
});
