import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS } from '@app/migrations';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@app/database';

/**
 * A new DATA_DIR starts as a copy of the template `npm run build` makes (dist/embedded-template: a
 * cluster with every migration applied), instead of running initdb and the migrations at the first
 * start (docs/performance.md#the-embedded-database). The template never replaces a cluster that
 * exists, and one made for other migrations or another PGlite is not used. The embedded database
 * only: it runs the same whether DATABASE_URL is set or not.
 */
const TEMPLATE = 'dist/embedded-template';
const dirs: string[] = [];
const running: EmbeddedPostgres[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gt-template-test-'));
  dirs.push(dir);
  return join(dir, 'data');
}

async function start(dataDir: string, template: string): Promise<{ query: (sql: string) => Promise<Record<string, unknown>[]>; stop: () => Promise<void> }> {
  const embedded = await startEmbeddedPostgres(dataDir, { template });
  running.push(embedded);
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  return {
    query: async (sql) => (await client.query(sql)).rows,
    stop: async () => {
      await client.end();
      running.splice(running.indexOf(embedded), 1);
      await embedded.stop();
    },
  };
}

afterAll(async () => {
  for (const e of running) await e.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a new DATA_DIR is the migrated template: every migration is applied before the app runs one', async () => {
  const db = await start(newDataDir(), TEMPLATE);
  const applied = await db.query('SELECT name FROM migrations ORDER BY timestamp');
  expect(applied.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
  // Nothing but the schema: no cycle, no key (each DATA_DIR seeds itself and makes its own admin key).
  expect(await db.query('SELECT (SELECT count(*) FROM cycle)::int AS cycles, (SELECT count(*) FROM api_key)::int AS keys')).toEqual([{ cycles: 0, keys: 0 }]);
  await db.stop();
});

test('an existing cluster is never replaced by the template', async () => {
  const dataDir = newDataDir();
  const first = await start(dataDir, TEMPLATE);
  await first.query(`CREATE TABLE kept_across_restarts (note text); INSERT INTO kept_across_restarts VALUES ('still here')`);
  await first.stop();
  const again = await start(dataDir, TEMPLATE);
  expect(await again.query('SELECT note FROM kept_across_restarts')).toEqual([{ note: 'still here' }]);
  await again.stop();
});

test('a template made for other migrations or another PGlite is not used: initdb, as without one', async () => {
  const other = join(mkdtempSync(join(tmpdir(), 'gt-template-other-')), 'template');
  dirs.push(join(other, '..'));
  cpSync(TEMPLATE, other, { recursive: true });
  writeFileSync(join(other, 'key'), 'made-by-another-build\n');
  const db = await start(newDataDir(), other);
  expect(await db.query(`SELECT to_regclass('public.migrations') IS NULL AS fresh`)).toEqual([{ fresh: true }]);
  await db.stop();
}, 180_000);
