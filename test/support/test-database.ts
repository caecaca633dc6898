import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const SERVER_URL = process.env.DATABASE_URL?.trim() || null;
export const usingServer = SERVER_URL !== null;

/** Where a test file's app keeps its data: a fresh database on the server, or a fresh embedded data dir. */
export interface TestDatabase {
  databaseUrl: string | null;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `gt-${label}-`));
  if (!SERVER_URL) {
    const template = process.env.GT_TEMPLATE_DATA_DIR;
    if (template) cpSync(template, dataDir, { recursive: true });
    rmSync(join(dataDir, 'lock'), { force: true });
    return { databaseUrl: null, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `gt_${label.replace(/\W/g, '_')}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().slice(0, 63);
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `describe` for tests that need a PostgreSQL server; without DATABASE_URL they are reported as not run. */
export const describeWithServer: jest.Describe = usingServer
  ? describe
  : (((name: string, fn: () => void) => {
      describe.skip(`${name} [NOT RUN: needs DATABASE_URL]`, fn);
    }) as unknown as jest.Describe);
