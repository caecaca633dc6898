import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';
import { ENTITIES } from './entities/index.js';
import { SnakeNamingStrategy } from './naming.strategy.js';

// `date` columns are calendar days in the cycle's zone: keep them as 'YYYY-MM-DD', never a UTC Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint ids and counts fit in a double for this product; parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PoolSettings {
  poolMax: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
}

/** The one data source definition, shared by the API, the CLI and the tests. */
export function dataSourceOptions(url: string, pool: PoolSettings, applicationName = 'governor-tracker'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    logging: false,
    applicationName,
    extra: {
      max: pool.poolMax,
      // Fail fast when the database is down (pg waits forever by default): the API answers 503.
      connectionTimeoutMillis: pool.connectionTimeoutMs,
      // No statement may hang a request on a lock for longer than this.
      statement_timeout: pool.statementTimeoutMs,
      // A transaction left open by a stuck client would hold row locks and hold back /changes.
      idle_in_transaction_session_timeout: 60_000,
      idleTimeoutMillis: 30_000,
    },
  };
}

/** The pool a data source was made with: the embedded database's differs from the configuration (one connection, a longer wait). */
export function poolSettingsOf(dataSource: DataSource): PoolSettings {
  const extra = (dataSource.options as { extra: { max: number; connectionTimeoutMillis: number; statement_timeout: number } }).extra;
  return { poolMax: extra.max, connectionTimeoutMs: extra.connectionTimeoutMillis, statementTimeoutMs: extra.statement_timeout };
}

/** Column types the entities use that TypeORM's PostgreSQL driver does not list (province_event.tx_id is xid8). */
const EXTRA_COLUMN_TYPES = ['xid8'];

/** Let a data source's entities use EXTRA_COLUMN_TYPES (checked when it initializes). */
export function withEntityColumnTypes(dataSource: DataSource): DataSource {
  (dataSource.driver.supportedDataTypes as string[]).push(...EXTRA_COLUMN_TYPES);
  return dataSource;
}

export function createDataSource(url: string, pool: PoolSettings, applicationName?: string): DataSource {
  return withEntityColumnTypes(new DataSource(dataSourceOptions(url, pool, applicationName)));
}
