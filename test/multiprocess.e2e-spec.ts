import { ADMIN_KEY } from './support/test-app.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { createTestDatabase, describeWithServer, type TestDatabase } from './support/test-database.js';

const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
const source = { name: 'multiprocess test' };

async function post(server: ServerProcess, slug: string, body: Record<string, unknown>, extra: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/v1/provinces/${slug}/events`, {
    method: 'POST',
    headers: { ...headers, ...extra },
    body: JSON.stringify({ source, ...body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, replayed: res.headers.get('idempotent-replayed') };
}

/** Two API processes (the built server, twice) on one PostgreSQL database, as in production. */
describeWithServer('two API processes on one database', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase('multiprocess');
    a = await startServerProcess(db);
    b = await startServerProcess(db);
  });
  afterAll(async () => {
    for (const s of [a, b]) {
      s?.child.kill('SIGTERM');
      await s?.exited;
    }
    await db?.drop();
  });
  const pick = (i: number) => (i % 2 === 0 ? a : b);

  test('40 concurrent events on one province: all stored, seq gap-free, no 5xx', async () => {
    expect((await post(a, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' })).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(pick(i), 'basra', { type: 'NOMINATE', candidate: { name: `Candidate ${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    const history = (await (await fetch(`${b.url}/api/v1/provinces/basra/events`, { headers })).json()) as { items: { seq: number }[] };
    expect(history.items.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });

  test('20 racing appointments: exactly one 201, the rest 409', async () => {
    await post(a, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
    for (let i = 0; i < 20; i++) {
      expect((await post(b, 'kirkuk', { type: 'NOMINATE', candidate: { name: `Nominee ${i}` }, occurredAt: '2024-01-20T10:00:00+03:00' })).status).toBe(201);
    }
    const racers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(pick(i), 'kirkuk', { type: 'APPOINT', governor: `Nominee ${i}`, occurredAt: '2024-02-08T10:00:00+03:00' })),
    );
    const statuses = racers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
  });

  test('racing retries with one Idempotency-Key on both processes store one event', async () => {
    const body = { type: 'REPORT', kind: 'rumor', text: 'A line-up is circulating', occurredAt: '2024-01-21T10:00:00+03:00' };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post(pick(i), 'najaf', body, { 'idempotency-key': 'najaf-rumor' })));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const history = (await (await fetch(`${a.url}/api/v1/provinces/najaf/events`, { headers })).json()) as { items: unknown[] };
    expect(history.items).toHaveLength(1);
    const again = await post(b, 'najaf', body, { 'idempotency-key': 'najaf-rumor' });
    expect([again.status, again.replayed, again.body.event.seq]).toEqual([201, 'true', 1]);
  });
});
