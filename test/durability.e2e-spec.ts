import { spawnSync } from 'node:child_process';
import { openDatabase, startEmbeddedPostgres, DataDirLockedError, type EmbeddedPostgres } from '@app/database';
import pg from 'pg';
import { ADMIN_KEY, postEvent, setupSuite, startApp, testConfig, type TestApp } from './support/test-app.js';
import { createTestDatabase, describeWithServer, usingServer, type TestDatabase } from './support/test-database.js';
import { TcpProxy } from './support/tcp-proxy.js';

const CLI = 'dist/apps/cli/src/main.js';
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

function runCli(db: TestDatabase, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, DATABASE_URL: db.databaseUrl ?? '', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe(`restart (${usingServer ? 'PostgreSQL server' : 'embedded database'})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('restart');
  });
  afterAll(async () => db?.drop());

  test('acknowledged events and keys survive a restart, and the integrity check agrees', async () => {
    let app: TestApp = await startApp(testConfig(db));
    const tier = await postEvent(app, ADMIN_KEY, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    const nominee = await postEvent(app, ADMIN_KEY, 'basra', {
      type: 'NOMINATE',
      candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' },
      occurredAt: '2024-01-20T10:00:00+03:00',
    });
    expect([tier.status, nominee.status]).toEqual([201, 201]);
    const key = await app.http().post('/api/v1/admin/api-keys').set(admin).send({ name: 'night-desk', role: 'viewer' });
    expect(key.status).toBe(201);

    if (!usingServer) {
      // The embedded data dir belongs to one process: another (the CLI here) is refused while the app runs.
      const locked = runCli(db, 'verify');
      expect(locked.status).not.toBe(0);
      expect(locked.stderr).toMatch(/in use by process/);
      await expect(startEmbeddedPostgres(db.dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    }
    await app.close();

    const verify = runCli(db, 'verify');
    expect(verify.stdout).toMatch(/verified 15 provinces, 2 events: all consistent/);
    expect(verify.status).toBe(0);

    app = await startApp(testConfig(db));
    try {
      const basra = await app.http().get('/api/v1/provinces/basra').set({ authorization: `Bearer ${key.body.key}` });
      expect(basra.status).toBe(200);
      expect(basra.body).toMatchObject({ stage: 'candidate', tier: 'A', version: 2 });
      expect(basra.body.nominees[0]).toMatchObject({ name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' });
      const history = await app.http().get('/api/v1/provinces/basra/events').set(admin);
      expect(history.body.items.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
        [1, 'ASSIGN_TIER'],
        [2, 'NOMINATE'],
      ]);
    } finally {
      await app.close();
    }
  });

  test('the integrity check reports a snapshot corrupted on purpose, and a seq gap', async () => {
    const opened = await openDatabase(
      { databaseUrl: db.databaseUrl, dataDir: db.dataDir, pool: { poolMax: 1, connectionTimeoutMs: 5000, statementTimeoutMs: 5000 } },
    );
    try {
      await opened.dataSource.query(
        `UPDATE province SET state = jsonb_set(state, '{context,tier}', '"C"'), tier = 'C' WHERE slug = 'basra'`,
      );
      // A gap needs the append-only trigger out of the way: exactly the tampering the check exists for.
      await opened.dataSource.query(`ALTER TABLE province_event DISABLE TRIGGER province_event_append_only`);
      await opened.dataSource.query(`DELETE FROM province_event WHERE seq = 1 AND province_id = (SELECT id FROM province WHERE slug = 'basra')`);
      await opened.dataSource.query(`ALTER TABLE province_event ENABLE TRIGGER province_event_append_only`);
      // The read cache's copy of a version, changed behind the trigger's back.
      await opened.dataSource.query(`UPDATE province_data_version SET version = version + 7 WHERE province_id = (SELECT id FROM province WHERE slug = 'basra')`);
    } finally {
      await opened.close();
    }
    const verify = runCli(db, 'verify');
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/MISMATCH basra: seq gap: expected 1, found 2/);
    expect(verify.stdout).toMatch(/MISMATCH basra: stored snapshot differs from the replay of its events/);
    expect(verify.stdout).toMatch(/MISMATCH basra: read-cache data version 9 differs from the province's version 2/);
    expect(verify.stdout).not.toMatch(/MISMATCH (?!basra)/);
  });

  test('the event log refuses deletes and rewrites of history at the database level', async () => {
    const opened = await openDatabase(
      { databaseUrl: db.databaseUrl, dataDir: db.dataDir, pool: { poolMax: 1, connectionTimeoutMs: 5000, statementTimeoutMs: 5000 } },
    );
    try {
      await expect(opened.dataSource.query(`DELETE FROM province_event`)).rejects.toThrow(/append-only/);
      await expect(opened.dataSource.query(`UPDATE province_event SET type = 'REPORT'`)).rejects.toThrow(/append-only/);
      await expect(opened.dataSource.query(`UPDATE province SET stage = 'elected'`)).rejects.toThrow(/check constraint/);
    } finally {
      await opened.close();
    }
  });
});

describe('database unreachable: fast 503 problems, then recovery without a restart', () => {
  let db: TestDatabase;
  let embedded: EmbeddedPostgres | null = null;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase('outage');
    // The database sits behind a proxy that the test cuts: for the app, the server has gone away.
    embedded = usingServer ? null : await startEmbeddedPostgres(db.dataDir);
    const target = db.databaseUrl ?? embedded!.url;
    proxy = TcpProxy.forUrl(target);
    await proxy.start();
    app = await startApp(testConfig({ databaseUrl: proxy.rewrite(target), dataDir: db.dataDir }, { DB_CONNECTION_TIMEOUT_MS: '1000' }));
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    await embedded?.stop();
    await db?.drop();
  });

  test('reads, writes and readiness answer 503 within the pool timeout; the same process serves again afterwards', async () => {
    expect((await app.http().get('/health/ready')).status).toBe(200);
    await proxy.cut();

    const started = Date.now();
    const read = await app.http().get('/api/v1/provinces').set(admin);
    const write = await postEvent(app, ADMIN_KEY, 'anbar', { type: 'ASSIGN_TIER', tier: 'C' });
    const ready = await app.http().get('/health/ready');
    const elapsed = Date.now() - started;
    for (const res of [read, write, ready]) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toMatch(/database-unavailable$/);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    }
    expect((await app.http().get('/health/live')).status).toBe(200);
    // Bounded, not hung: three requests, each failing at the 1 s connection timeout at worst.
    expect(elapsed).toBeLessThan(15_000);

    await proxy.restore();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered === 0; i++) {
      const res = await app.http().get('/health/ready');
      if (res.status === 200) recovered = i + 1;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBeGreaterThan(0);
    const after = await postEvent(app, ADMIN_KEY, 'anbar', { type: 'ASSIGN_TIER', tier: 'C' });
    expect(after.status).toBe(201);
    expect(after.body.event.seq).toBe(1);
  });
});

describeWithServer('database restart: every server connection of the app is terminated', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('terminate');
  });
  afterAll(async () => s?.teardown());

  test('the same process answers 503 at worst (never 500), then serves again without a restart', async () => {
    expect((await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer))).status).toBe(200);
    const admin = new pg.Client({ connectionString: s.db.databaseUrl! });
    await admin.connect();
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 20 && statuses.at(-1) !== 200; i++) {
      statuses.push((await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer))).status);
    }
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.every((st) => st === 200 || st === 503)).toBe(true);
    const write = await postEvent(s.app, s.keys.editor, 'wasit', { type: 'ASSIGN_TIER', tier: 'B' });
    expect(write.status).toBe(201);
  });
});
