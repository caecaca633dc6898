import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The built CLI (`npm test` builds first; see the `pretest` script). */
export const CLI = 'dist/apps/cli/src/main.js';

/**
 * Every e2e file starts from a copy of one migrated and seeded database, made here once with the
 * built CLI: migrating and importing the seeds take seconds per database (~7 s for a new PGlite
 * data dir), a copy a fraction of that. On a server (DATABASE_URL) it is a template database that
 * each file clones (CREATE DATABASE … TEMPLATE, test-database.ts); on the embedded database, a data
 * dir each file copies. global-teardown.ts removes it.
 */
export default async function globalSetup(): Promise<void> {
  // Every test starts from the seeds' councils without their history (it writes its own events); the
  // app processes and CLI runs the tests spawn inherit this. test/story.e2e-spec.ts loads the history
  // on a database of its own.
  process.env.GT_SEED ??= 'bare';
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const template = `gt_template_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${template}`);
    } finally {
      await admin.end();
    }
    // Named before it is seeded, so that teardown drops it even when seeding fails.
    process.env.GT_TEMPLATE_DATABASE = template;
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    seed({ DATABASE_URL: url.toString() });
    process.stdout.write(`\ne2e: PostgreSQL server at ${redact(serverUrl)} (a fresh database per test file, cloned from ${template})\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gt-template-'));
  process.env.GT_TEMPLATE_DATA_DIR = dir;
  seed({ DATABASE_URL: '', DATA_DIR: dir });
  process.stdout.write(`\ne2e: embedded PostgreSQL (PGlite), template data dir ${dir}; tests that need a PostgreSQL server are NOT run without DATABASE_URL\n`);
}

function seed(env: Record<string, string>): void {
  execFileSync(process.execPath, [CLI, 'seed'], { env: { ...process.env, ...env }, stdio: 'pipe' });
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
