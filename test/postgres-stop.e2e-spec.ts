import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { postEvent, setupSuite } from './support/test-app.js';
import { usingServer } from './support/test-database.js';

/**
 * PostgreSQL itself stopped while the app runs, then started again. This stops the whole local
 * cluster, so it runs only when asked (GT_POSTGRES_STOP_TEST=1, as .ci/run does in a step of its own
 * after the suite) — never while other test files use the server.
 */
const enabled = usingServer && process.env.GT_POSTGRES_STOP_TEST === '1';
const describeStop = enabled ? describe : describe.skip;
const cluster = () => readdirSync('/etc/postgresql').sort()[0];
const ctl = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], {
    stdio: 'pipe',
  });
const ready = () => {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
    return true;
  } catch {
    return false;
  }
};

describeStop(`PostgreSQL stopped and started under a running app${enabled ? '' : ' [NOT RUN: needs DATABASE_URL and GT_POSTGRES_STOP_TEST=1]'}`, () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('pgstop', { DB_CONNECTION_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    if (!ready()) ctl('start');
    for (let i = 0; i < 100 && !ready(); i++) await new Promise((r) => setTimeout(r, 100));
    await s?.teardown();
  });

  test('requests answer 503 problems in bounded time while it is down, and the same process serves again once it is back', async () => {
    expect((await s.app.http().get('/health/ready')).status).toBe(200);
    ctl('stop');
    expect(ready()).toBe(false);

    const started = Date.now();
    const read = await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer));
    const write = await postEvent(s.app, s.keys.editor, 'babil', { type: 'ASSIGN_TIER', tier: 'A' });
    const readiness = await s.app.http().get('/health/ready');
    const elapsed = Date.now() - started;
    for (const res of [read, write, readiness]) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(elapsed).toBeLessThan(15_000);

    ctl('start');
    const back = Date.now();
    let recoveredAfter = -1;
    for (let i = 0; i < 300 && recoveredAfter < 0; i++) {
      const res = await s.app.http().get('/health/ready');
      if (res.status === 200) recoveredAfter = Date.now() - back;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(recoveredAfter).toBeGreaterThanOrEqual(0);
    const after = await postEvent(s.app, s.keys.editor, 'babil', { type: 'ASSIGN_TIER', tier: 'A' });
    expect(after.status).toBe(201);
    process.stdout.write(`postgres stop: 3 requests answered 503 in ${elapsed} ms while down; ready again ${recoveredAfter} ms after the server was started\n`);
  });
});
