import type { DataSource } from 'typeorm';
import { createDataSource, type PoolSettings } from './data-source.js';
import { withoutPreparedStatements } from './prepared.js';
import { EMBEDDED_POOL_MAX, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseTarget {
  /** A PostgreSQL server; null selects the embedded database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  pool: PoolSettings;
}

export interface OpenDatabase {
  dataSource: DataSource;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

/**
 * Connect (starting the embedded database when no server is named) and migrate. The seeds are loaded
 * by the application (CycleImportService.seed), through the same import as POST /cycles.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { migrate?: boolean; applicationName?: string } = {},
): Promise<OpenDatabase> {
  const embedded = target.databaseUrl ? null : await startEmbeddedPostgres(target.dataDir);
  const url = target.databaseUrl ?? embedded!.url;
  // The embedded database lives in this process and cannot go away on its own: its single connection is
  // a queue, and a request may wait in it longer than the fail-fast wait meant for a remote server.
  const pool = embedded
    ? { ...target.pool, poolMax: EMBEDDED_POOL_MAX, connectionTimeoutMs: Math.max(target.pool.connectionTimeoutMs, 30_000) }
    : target.pool;
  const dataSource = createDataSource(url, pool, options.applicationName);
  if (embedded) withoutPreparedStatements(dataSource);
  try {
    await dataSource.initialize();
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
