import { execFileSync } from 'node:child_process';
import { expectProblem } from './support/expectations.js';
import { CLI } from './support/global-setup.js';
import { ADMIN_KEY, postEvent, setupSuite, startApp, startSecondInstance, testConfig, type TestApp } from './support/test-app.js';
import { createTestDatabase, describeWithServer } from './support/test-database.js';

/**
 * Issue 23, items 2, 3 and 5 (and item 7's cap on live streams): a revoked key loses its open
 * streams everywhere within a second; a new ADMIN_API_KEY retires the old one; keys have an owner,
 * names are one name however they are spaced or cased, and the two-person rule compares people.
 */

const API = '/api/v1';

/** An open /stream: `ended` resolves (with the time) when the server ends it. */
interface OpenStream {
  status: number;
  ended: Promise<number>;
  close(): void;
}

async function openStream(url: string, key: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${url}${API}/stream`, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
  const ended = (async () => {
    if (res.status !== 200) return Date.now();
    const reader = res.body!.getReader();
    try {
      while (!(await reader.read()).done);
    } catch {
      // aborted by the test
    }
    return Date.now();
  })();
  if (res.status !== 200) await res.body?.cancel();
  return { status: res.status, ended, close: () => abort.abort() };
}

/** Resolves to the time it ended, or null if it is still open after `ms`. */
const endedWithin = (stream: OpenStream, ms: number) =>
  Promise.race([stream.ended, new Promise<null>((r) => setTimeout(() => r(null), ms))]);

async function listening(app: TestApp): Promise<string> {
  await app.running.app.listen({ port: 0, host: '127.0.0.1' });
  return app.running.app.getUrl();
}

describe('a revoked key loses its live streams (item 2), and streams per key are capped (item 7)', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  let url: string;
  beforeAll(async () => {
    s = await setupSuite('key_streams', { STREAMS_PER_KEY: '2' });
    url = await listening(s.app);
  });
  afterAll(async () => s?.teardown());

  const newKey = async (name: string, role = 'viewer') => {
    const res = await s.app.http().post(`${API}/admin/api-keys`).set(s.auth(ADMIN_KEY)).send({ name, role });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string };
  };

  test('DELETE /admin/api-keys/:id ends every stream of that key within a second; another key’s stream stays; a reconnect gets 401', async () => {
    const doomed = await newKey('doomed-desk');
    const streams = [await openStream(url, doomed.key), await openStream(url, doomed.key)];
    const bystander = await openStream(url, s.keys.viewer);
    expect([...streams, bystander].map((st) => st.status)).toEqual([200, 200, 200]);
    await new Promise((r) => setTimeout(r, 200));

    const revoked = await s.app.http().delete(`${API}/admin/api-keys/${doomed.id}`).set(s.auth(ADMIN_KEY));
    expect(revoked.status).toBe(200);
    const at = Date.now();
    for (const st of streams) {
      const ended = await endedWithin(st, 1000);
      expect(ended === null ? 'still open after 1 s' : ended - at).toBeLessThan(1000);
    }
    expect(await endedWithin(bystander, 300)).toBeNull();
    bystander.close();
    expect((await openStream(url, doomed.key)).status).toBe(401);
  });

  test('a third live stream of one key is a 429 problem with Retry-After; closing one makes room; other keys are not counted', async () => {
    const key = await newKey('busy-desk');
    const first = await openStream(url, key.key);
    const second = await openStream(url, key.key);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await fetch(`${url}${API}/stream`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.json()).toMatchObject({ status: 429, type: 'urn:governor-tracker:problem:rate-limited' });
    const other = await openStream(url, s.keys.viewer);
    expect(other.status).toBe(200);
    other.close();

    first.close();
    await first.ended;
    let again: OpenStream | null = null;
    for (const until = Date.now() + 2000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      again = await openStream(url, key.key);
      if (again.status === 200) break;
    }
    expect(again?.status).toBe(200);
    again?.close();
    second.close();
  });
});

describeWithServer('revocation reaches every instance within a second (item 2)', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  let other: TestApp;
  let otherUrl: string;
  beforeAll(async () => {
    s = await setupSuite('key_instances');
    other = await startSecondInstance(s.app);
    otherUrl = await listening(other);
  });
  afterAll(async () => {
    await other?.close();
    await s?.teardown();
  });

  const newKey = async (name: string) => {
    const res = await s.app.http().post(`${API}/admin/api-keys`).set(s.auth(ADMIN_KEY)).send({ name, role: 'viewer' });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string };
  };

  test('revoked through instance A: B ends the key’s stream and refuses the key (which it had cached) within a second', async () => {
    const key = await newKey('roaming-desk');
    const stream = await openStream(otherUrl, key.key);
    expect(stream.status).toBe(200);
    expect((await other.http().get(`${API}/provinces/basra`).set({ authorization: `Bearer ${key.key}` })).status).toBe(200); // cached on B now
    expect((await s.app.http().delete(`${API}/admin/api-keys/${key.id}`).set(s.auth(ADMIN_KEY))).status).toBe(200);
    const at = Date.now();
    const ended = await endedWithin(stream, 1000);
    expect(ended === null ? 'still open after 1 s' : ended - at).toBeLessThan(1000);
    let status = 0;
    while (Date.now() - at < 1000) {
      status = (await other.http().get(`${API}/provinces/basra`).set({ authorization: `Bearer ${key.key}` })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });

  test('revoked with the CLI (`keys revoke`): the app’s stream of that key ends within a second', async () => {
    const key = await newKey('cli-revoked-desk');
    const stream = await openStream(otherUrl, key.key);
    expect(stream.status).toBe(200);
    execFileSync(process.execPath, [CLI, 'keys', 'revoke', key.id], { env: { ...process.env, DATABASE_URL: s.app.config.databaseUrl! }, stdio: 'pipe' });
    const at = Date.now();
    const ended = await endedWithin(stream, 1000);
    expect(ended === null ? 'still open after 1 s' : ended - at).toBeLessThan(1000);
  });
});

describe('ADMIN_API_KEY rotation (item 3)', () => {
  const FIRST = 'rotation-first-secret-0123456789';
  const SECOND = 'rotation-second-secret-9876543210';

  test('a restart with a new value leaves one bootstrap key, the new one; the old secret is refused; the same value again adds nothing', async () => {
    const db = await createTestDatabase('key_rotation');
    try {
      const start = async (secret: string) => startApp(testConfig(db, { ADMIN_API_KEY: secret }));
      const bootstrapRows = async (app: TestApp) =>
        ((await app.http().get(`${API}/admin/api-keys`).set({ authorization: `Bearer ${SECOND}` })).body.items as { name: string; revokedAt: string | null }[]).filter(
          (k) => k.name === 'admin (ADMIN_API_KEY)',
        );

      const first = await start(FIRST);
      expect((await first.http().get(`${API}/admin/api-keys`).set({ authorization: `Bearer ${FIRST}` })).status).toBe(200);
      await first.close();

      const second = await start(SECOND);
      expectProblem(await second.http().get(`${API}/admin/api-keys`).set({ authorization: `Bearer ${FIRST}` }), 401, 'unauthorized');
      const rows = await bootstrapRows(second);
      expect(rows.filter((k) => k.revokedAt === null)).toHaveLength(1);
      expect(rows).toHaveLength(2);
      await second.close();

      const again = await start(SECOND);
      expect(await bootstrapRows(again)).toEqual(rows);
      expectProblem(await again.http().get(`${API}/admin/api-keys`).set({ authorization: `Bearer ${FIRST}` }), 401, 'unauthorized');
      await again.close();
    } finally {
      await db.drop();
    }
  });
});

describe('people, not key names (item 5)', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('key_people');
  });
  afterAll(async () => s?.teardown());

  const create = (body: Record<string, unknown>) => s.app.http().post(`${API}/admin/api-keys`).set(s.auth(ADMIN_KEY)).send(body);
  const liveCount = async () =>
    ((await s.app.http().get(`${API}/admin/api-keys`).set(s.auth(ADMIN_KEY))).body.items as { revokedAt: string | null }[]).filter((k) => !k.revokedAt).length;

  test('names are trimmed and unique among live keys, compared NFKC and case-folded: 409 key-name-taken, nothing created', async () => {
    const alice = await create({ name: '  alice ', role: 'editor' });
    expect(alice.status).toBe(201);
    expect(alice.body).toMatchObject({ name: 'alice', person: 'alice' });
    const before = await liveCount();
    for (const name of ['alice', 'alice ', 'Alice', 'ALICE', 'ａｌｉｃｅ', 'ali\u200bce', 'alice\u00a0']) {
      const res = await create({ name, role: 'editor' });
      expectProblem(res, 409, 'key-name-taken');
    }
    expect(await liveCount()).toBe(before);
    // A revoked key's name is free again.
    expect((await s.app.http().delete(`${API}/admin/api-keys/${alice.body.id}`).set(s.auth(ADMIN_KEY))).status).toBe(200);
    expect((await create({ name: 'Alice', role: 'editor' })).status).toBe(201);
  });

  test('the names the server gives its own keys are reserved', async () => {
    for (const name of ['admin (ADMIN_API_KEY)', 'Admin (first start) ']) {
      const res = await create({ name, role: 'admin' });
      expectProblem(res, 400, 'validation');
      expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('reserved') }]);
    }
  });

  test('the two-person rule compares people: a key of the proposer’s person (written differently) cannot approve; another person can', async () => {
    const key = async (name: string, person?: string) => {
      const res = await create({ name, role: 'editor', person });
      expect(res.status).toBe(201);
      return res.body.key as string;
    };
    const desk = await key('zainab-desk', 'Zainab Al-Musawi');
    const phone = await key('zainab-phone', '  zainab  al-musawi ');
    const other = await key('karim-desk', 'Karim Hassan');
    expect((await s.app.http().patch(`${API}/cycle`).set(s.auth(ADMIN_KEY)).send({ requireApproval: true })).status).toBe(200);
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Rakan Al-Jubouri' }, occurredAt: '2024-01-20T10:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, desk, 'kirkuk', body)).status).toBe(201);
    }
    const proposed = await postEvent(s.app, desk, 'kirkuk', { type: 'APPOINT', governor: 'Rakan Al-Jubouri', votes: 9, occurredAt: '2024-02-08T10:00:00+03:00' });
    expect(proposed.status).toBe(202);
    const approve = (k: string) => s.app.http().post(`${API}/proposals/${proposed.body.proposal.id}/approve`).set({ authorization: `Bearer ${k}` });
    expectProblem(await approve(phone), 403, 'self-approval');
    const applied = await approve(other);
    expect(applied.status).toBe(201);
    expect(applied.body.event).toMatchObject({ actor: 'zainab-desk', approvedBy: 'karim-desk' });
  });
});
