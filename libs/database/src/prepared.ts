import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement of the hot write path as a named prepared statement on the transaction's own
 * connection: PostgreSQL parses and plans it once per connection instead of once per request
 * (measured by `npm run bench`). `name` must be unique per SQL text. Outside a transaction, or when the
 * manager has no connected query runner, it falls back to an ordinary parameterized query.
 */
export async function preparedQuery<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = m.queryRunner as (EntityManager['queryRunner'] & { connect(): Promise<PgClient> }) | undefined;
  if (!runner || !runner.isTransactionActive) return m.query(text, values);
  const client = await runner.connect();
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}
