import type { DataSource, EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Data sources whose connections must not name prepared statements: the embedded database, where
 * every connection of pglite-socket shares one PGlite session. A named statement outlives the
 * connection that prepared it there, so a new connection that prepares it again is refused
 * ("prepared statement … already exists").
 */
const unprepared = new WeakSet<DataSource>();

export function withoutPreparedStatements(dataSource: DataSource): void {
  unprepared.add(dataSource);
}

/** Whether the data source's connections may name prepared statements. */
export function isPreparable(dataSource: DataSource): boolean {
  return !unprepared.has(dataSource);
}

/**
 * Runs a statement of the hot write path as a named prepared statement on the transaction's own
 * connection: PostgreSQL parses and plans it once per connection instead of once per request
 * (measured: docs/performance.md). `name` must be unique per SQL text. Outside a transaction, on a data
 * source without prepared statements, or when the manager has no connected query runner, it runs
 * as an ordinary parameterized query.
 */
export async function preparedQuery<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = m.queryRunner as (EntityManager['queryRunner'] & { connect(): Promise<PgClient> }) | undefined;
  if (!runner || !runner.isTransactionActive || unprepared.has(m.connection)) return m.query(text, values);
  const client = await runner.connect();
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}
