import { postEvent, setupSuite, startSecondInstance, type TestApp } from './support/test-app.js';
import { usingServer } from './support/test-database.js';

/**
 * Events for one province are serialized by a row lock, whichever API instance takes them. With a
 * PostgreSQL server two instances share one database; the embedded database belongs to one process
 * (its single session cannot serve two), so there the same requests race through one instance.
 */
const where = usingServer ? 'two API instances on one PostgreSQL database' : 'one API instance on the embedded database';
describe(`concurrent writers through ${where}`, () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  let second: TestApp;
  beforeAll(async () => {
    s = await setupSuite('concurrency');
    second = usingServer ? await startSecondInstance(s.app) : s.app;
  });
  afterAll(async () => {
    if (second !== s?.app) await second?.close();
    await s?.teardown();
  });

  const instance = (i: number) => (i % 2 === 0 ? s.app : second);

  test('40 concurrent events on one province are all stored with a gap-free seq', async () => {
    const tier = await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-05T10:00:00+03:00' });
    expect(tier.status).toBe(201);
    const names = Array.from({ length: 40 }, (_, i) => `Candidate ${i + 1}`);
    const responses = await Promise.all(
      names.map((name, i) => postEvent(instance(i), s.keys.editor, 'kirkuk', { type: 'NOMINATE', candidate: { name } })),
    );
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 201));

    const history = await s.app.http().get('/api/v1/provinces/kirkuk/events').set(s.auth(s.keys.viewer));
    const seqs = history.body.items.map((e: { seq: number }) => e.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    // Every acknowledged event is in the history, under the seq it was acknowledged with.
    const acknowledged = new Set(responses.map((r) => r.body.event.seq));
    expect(acknowledged.size).toBe(40);
    const province = await second.http().get('/api/v1/provinces/kirkuk').set(s.auth(s.keys.viewer));
    expect(province.body.version).toBe(41);
    expect(province.body.nominees.map((n: { name: string }) => n.name).sort()).toEqual([...names].sort());
  });

  test('20 racing appointments: exactly one wins, the rest are refused and nothing else changes', async () => {
    await postEvent(s.app, s.keys.editor, 'diyala', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-05T10:00:00+03:00' });
    for (let i = 0; i < 20; i++) {
      const r = await postEvent(s.app, s.keys.editor, 'diyala', {
        type: 'NOMINATE',
        candidate: { name: `Nominee ${i}` },
        occurredAt: `2024-01-${String(6 + i).padStart(2, '0')}T10:00:00+03:00`,
      });
      expect(r.status).toBe(201);
    }
    const racers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postEvent(instance(i), s.keys.editor, 'diyala', { type: 'APPOINT', governor: `Nominee ${i}`, votes: 9, occurredAt: '2024-02-08T12:00:00+03:00' }),
      ),
    );
    const statuses = racers.map((r) => r.status);
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(19);
    for (const loser of racers.filter((r) => r.status === 409)) {
      expect(loser.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(loser.body.stage).toBe('appointed');
    }
    const winner = racers.find((r) => r.status === 201)!;
    const province = await s.app.http().get('/api/v1/provinces/diyala').set(s.auth(s.keys.viewer));
    expect(province.body.stage).toBe('appointed');
    expect(province.body.governor.name).toBe(winner.body.province.governor.name);
    expect(province.body.version).toBe(22);
  });

  test('racing retries with one Idempotency-Key store one event', async () => {
    const body = { type: 'REPORT', kind: 'rumor', text: 'A list of governors is circulating', occurredAt: '2024-01-20T09:00:00+03:00' };
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postEvent(instance(i), s.keys.editor, 'najaf', body, { 'idempotency-key': 'najaf-rumor-1' })),
    );
    for (const r of responses) expect([201, 409]).toContain(r.status);
    expect(responses.some((r) => r.status === 201)).toBe(true);
    const history = await s.app.http().get('/api/v1/provinces/najaf/events').set(s.auth(s.keys.viewer));
    expect(history.body.items).toHaveLength(1);
    // Once the first has finished, every retry is a replay of it.
    const retry = await postEvent(second, s.keys.editor, 'najaf', body, { 'idempotency-key': 'najaf-rumor-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.event.seq).toBe(1);
  });
});
