import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built CLI (`npm test` builds first; see the `pretest` script). */
export const CLI = 'dist/apps/cli/src/main.js';

/**
 * Without DATABASE_URL the e2e suite runs on the embedded database. Creating a PGlite data dir takes
 * ~7 s, so it is done once here (migrated and seeded) and each test file starts from a copy of it.
 */
export default async function globalSetup(): Promise<void> {
  // Every test starts from the seeds' councils without their history (it writes its own events); the
  // app processes and CLI runs the tests spawn inherit this. test/history.e2e-spec.ts loads the history.
  process.env.GT_SEED ??= 'bare';
  if (process.env.DATABASE_URL) {
    process.stdout.write(`\ne2e: PostgreSQL server at ${redact(process.env.DATABASE_URL)} (a fresh database per test file)\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gt-template-'));
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
  execFileSync(process.execPath, [CLI, 'seed'], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir }, stdio: 'pipe' });
  process.env.GT_TEMPLATE_DATA_DIR = dir;
  process.stdout.write(`\ne2e: embedded PostgreSQL (PGlite), template data dir ${dir}; tests that need a PostgreSQL server are NOT run without DATABASE_URL\n`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
