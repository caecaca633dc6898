import type { DataSource } from 'typeorm';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * The pooled connection is replaced (an idle timeout, a dropped socket) while the app runs: every write
 * path must keep working on the new connection. On the embedded database every connection shares one
 * PGlite session, where a named prepared statement outlives its connection; a new connection that
 * prepared it again was refused ("already exists", a 500 on every later retraction) until the
 * embedded data source stopped naming statements. Runs on both databases.
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('connection');
});
afterAll(async () => s?.teardown());

/** Hand every idle pooled connection back with an error: pg-pool closes it, and the next request opens a new one. */
async function replaceConnections(): Promise<number> {
  const pool = (s.app.running.database.dataSource as DataSource & { driver: { master: { connect(): Promise<{ release(err?: Error): void }> }; options: { extra?: { max?: number } } } }).driver.master;
  const clients = [];
  for (let i = 0; i < ((s.app.running.database.dataSource.driver.options as { extra?: { max?: number } }).extra?.max ?? 1); i++) {
    clients.push(await pool.connect());
  }
  for (const c of clients) c.release(new Error('test: drop this connection'));
  return clients.length;
}

test('retractions and locked writes keep working after the pooled connections are replaced', async () => {
  const retract = (seq: number) =>
    s.app.http().post(`/api/v1/provinces/basra/events/${seq}/retract`).set(s.auth(s.keys.editor)).send({ reason: 'test' });
  for (let round = 1; round <= 3; round++) {
    const posted = await postEvent(s.app, s.keys.editor, 'basra', { type: 'REPORT', kind: 'note', text: `round ${round}` });
    expect({ round, status: posted.status }).toEqual({ round, status: 201 });
    // A retraction runs the lock as a prepared statement in its transaction.
    const res = await retract(posted.body.event.seq);
    expect({ round, status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ round, status: 200, body: undefined });
    expect(await replaceConnections()).toBeGreaterThan(0);
  }
  const history = await s.app.http().get('/api/v1/provinces/basra/events').set(s.auth(s.keys.viewer));
  expect(history.body.items.filter((e: { retracted: boolean }) => e.retracted)).toHaveLength(3);
});
