import type { Response } from 'supertest';
import { NOTICE_TYPES } from '../apps/api/src/stream/change-notice.js';
import { ADMIN_KEY, postEvent, setupSuite, source } from './support/test-app.js';
import { expectProblem } from './support/expectations.js';

/**
 * The contact log (issue 7, part 5) through HTTP into a real database: reporters (viewer keys) record
 * their calls to officials against a province; the log is listed in the province's history and never
 * leaves through a public surface (public key: 403 on the routes, nothing in /history, the digest,
 * /changes or the stream's outbox).
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
let publicKey: string;
beforeAll(async () => {
  s = await setupSuite('contacts');
  const res = await s.app.http().post('/api/v1/admin/api-keys').set(s.auth(ADMIN_KEY)).send({ name: 'website', role: 'public' });
  expect(res.status).toBe(201);
  publicKey = res.body.key;
  // A webhook on every notice, so that the outbox shows what would leave.
  const hook = await s.app
    .http()
    .post('/api/v1/admin/webhooks')
    .set(s.auth(ADMIN_KEY))
    .send({ url: 'http://127.0.0.1:9/hook', events: [...NOTICE_TYPES] });
  expect(hook.status).toBe(201);
});
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();

function expectStatus(res: Response, status: number): Response {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return res;
}

const record = (slug: string, body: Record<string, unknown>, key = s.keys.viewer) =>
  http().post(`${API}/provinces/${slug}/contacts`).set(s.auth(key)).send(body);
const list = (slug: string, key = s.keys.viewer) => http().get(`${API}/provinces/${slug}/contacts`).set(s.auth(key));

const CALL = {
  official: { name: 'Khalaf Al-Badran', title: 'Basra council spokesman' },
  channel: 'call',
  outcome: 'declined_to_comment',
  summary: 'Would not say whether the session is on Sunday.',
  contactedAt: '2024-01-21T11:30:00+03:00',
};

describe('recording a contact', () => {
  test('a viewer (reporter) records a call: 201 with who, how, what came of it, when and by whom', async () => {
    const res = expectStatus(await record('basra', CALL), 201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      province: 'basra',
      official: { name: 'Khalaf Al-Badran', title: 'Basra council spokesman' },
      channel: 'call',
      outcome: 'declined_to_comment',
      summary: 'Would not say whether the session is on Sunday.',
      contactedAt: '2024-01-21T08:30:00.000Z',
      recordedAt: expect.any(String),
      actor: 'viewer-desk',
    });
  });

  test('title, summary and contactedAt are optional (contactedAt defaults to now)', async () => {
    const before = Date.now();
    const res = expectStatus(await record('basra', { official: { name: 'Governor’s office' }, channel: 'message', outcome: 'no_answer' }, s.keys.editor), 201);
    expect(res.body).toMatchObject({ official: { name: 'Governor’s office', title: null }, summary: null, actor: 'editor-desk' });
    expect(Date.parse(res.body.contactedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  test.each([
    ['no official', { ...CALL, official: undefined }, 'official'],
    ['an official without a name', { ...CALL, official: { title: 'spokesman' } }, 'official.name'],
    ['an unknown channel', { ...CALL, channel: 'pigeon' }, 'channel'],
    ['an unknown outcome', { ...CALL, outcome: 'laughed' }, 'outcome'],
    ['a contactedAt in the future', { ...CALL, contactedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'contactedAt'],
    ['a contactedAt before election day', { ...CALL, contactedAt: '2023-12-01T10:00:00+03:00' }, 'contactedAt'],
    ['an unknown field', { ...CALL, mood: 'tense' }, 'mood'],
    ['a summary with a NUL', { ...CALL, summary: 'a\u0000b' }, 'summary'],
  ])('400 for %s, and nothing stored', async (_label, body, field) => {
    const before = (await list('najaf')).body.items.length;
    const res = await record('najaf', body as Record<string, unknown>);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await list('najaf')).body.items.length).toBe(before);
  });

  test('404 for an unknown province', async () => {
    expectProblem(await record('atlantis', CALL), 404, 'not-found');
    expectProblem(await list('atlantis'), 404, 'not-found');
  });

  test('the log lists a province’s contacts oldest first', async () => {
    expectStatus(await record('kirkuk', { ...CALL, official: { name: 'B' }, contactedAt: '2024-01-22T10:00:00+03:00', outcome: 'denied' }), 201);
    expectStatus(await record('kirkuk', { ...CALL, official: { name: 'A' }, contactedAt: '2024-01-21T10:00:00+03:00', outcome: 'confirmed' }), 201);
    const items = expectStatus(await list('kirkuk'), 200).body.items as { official: { name: string }; outcome: string }[];
    expect(items.map((c) => [c.official.name, c.outcome])).toEqual([
      ['A', 'confirmed'],
      ['B', 'denied'],
    ]);
  });
});

describe('never public', () => {
  test('a public key is refused (403) on both routes', async () => {
    expectProblem(await record('basra', CALL, publicKey), 403, 'forbidden');
    expectProblem(await list('basra', publicKey), 403, 'forbidden');
  });

  test('contacts are in the newsroom’s province history, in time order with events and claims; not in a public key’s', async () => {
    expectStatus(await postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }), 201);
    expectStatus(
      await http()
        .post(`${API}/provinces/basra/claims`)
        .set(s.auth(s.keys.editor))
        .send({ text: 'Basra convenes on Sunday', source, reportedAt: '2024-01-21T09:00:00+03:00' }),
      201,
    );
    const items = expectStatus(await http().get(`${API}/provinces/basra/history`).set(s.auth(s.keys.viewer)), 200).body.items as {
      kind: string;
      at: string;
      contact?: { official: { name: string } };
    }[];
    expect(items.map((i) => i.kind).slice(0, 3)).toEqual(['event', 'claim', 'contact']);
    expect(items.find((i) => i.kind === 'contact')).toMatchObject({ at: '2024-01-21T08:30:00.000Z', contact: { official: { name: 'Khalaf Al-Badran' } } });
    expect(items.filter((i) => i.kind === 'contact')).toHaveLength(2);

    const forPublic = expectStatus(await http().get(`${API}/provinces/basra/history`).set(s.auth(publicKey)), 200);
    expect((forPublic.body.items as { kind: string }[]).map((i) => i.kind)).toEqual(['event', 'claim']);
    expect(forPublic.text).not.toContain('Khalaf');
  });

  test('GET /provinces/:slug/events is unchanged: events only', async () => {
    const events = expectStatus(await http().get(`${API}/provinces/basra/events`).set(s.auth(s.keys.viewer)), 200).body.items as Record<string, unknown>[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, type: 'ASSIGN_TIER' });
  });

  test('no contact (nor an internal claim) reaches the digest, /changes, the Atom feed or the webhook outbox', async () => {
    expectStatus(
      await http()
        .post(`${API}/provinces/basra/claims`)
        .set(s.auth(s.keys.editor))
        .send({ text: 'Secret deal (anonymous source)', internal: true, source: { name: 'anonymous' } }),
      201,
    );
    const digest = expectStatus(await http().get(`${API}/digest?date=2024-01-21`).set(s.auth(s.keys.viewer)), 200);
    expect(digest.text).not.toContain('Khalaf');
    const md = expectStatus(await http().get(`${API}/digest?date=2024-01-21&format=md`).set(s.auth(s.keys.viewer)), 200);
    expect(md.text).not.toContain('Khalaf');
    const changes = expectStatus(await http().get(`${API}/changes`).set(s.auth(s.keys.viewer)), 200);
    expect(changes.text).not.toContain('Khalaf');
    const atom = expectStatus(await http().get(`${API}/feeds/changes.atom`).set(s.auth(s.keys.viewer)), 200);
    expect(atom.text).not.toContain('Khalaf');
    const outbox: { event_type: string; payload: unknown }[] = await s.app.running.database.dataSource.query(`SELECT event_type, payload FROM outbox`);
    // the event and the public claim did go out; the contacts and the internal claim did not
    expect(outbox.map((o) => o.event_type)).toEqual(expect.arrayContaining(['province.changed', 'claim.changed']));
    expect(JSON.stringify(outbox)).toContain('Basra convenes on Sunday');
    expect(JSON.stringify(outbox)).not.toContain('Khalaf');
    expect(JSON.stringify(outbox)).not.toContain('Secret deal');
  });
});
