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

/** The same server URL with another database name in its path. */
function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the server's maintenance connection (DATABASE_URL's own database). */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * Each test file starts from a copy of a database that global setup migrated and seeded once
 * (GT_TEMPLATE_DATABASE on a server, GT_TEMPLATE_DATA_DIR for the embedded one): the migrations
 * and the seed import then run once per suite rather than once per file.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `gt-${label}-`));
  if (!SERVER_URL) {
    const template = process.env.GT_TEMPLATE_DATA_DIR;
    if (template) cpSync(template, dataDir, { recursive: true });
    rmSync(join(dataDir, 'lock'), { force: true });
    return { databaseUrl: null, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `gt_${label.replace(/\W/g, '_')}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().slice(0, 63);
  const template = process.env.GT_TEMPLATE_DATABASE;
  await onServer(SERVER_URL, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  return {
    databaseUrl: databaseUrlFor(SERVER_URL, name),
    dataDir,
    drop: async () => {
      await onServer(SERVER_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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
