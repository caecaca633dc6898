import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { isPreparable, preparedQuery } from './prepared.js';

/**
 * What a statement runs on inside a transaction: a TypeORM manager (`EntityManager` has this shape)
 * or the raw connection of a pipelined transaction. The write path takes this, so it runs the same
 * in both.
 */
export interface SqlSession {
  query<T = any>(text: string, values?: unknown[]): Promise<T>;
}

/** A raw pg connection taken from the data source's pool. */
interface PgConnection {
  query(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<{ rows: unknown[] } | { rows: unknown[] }[]>;
}

/** The session of a pipelined transaction: statements go straight to its pg connection. */
export class PipelinedSession implements SqlSession {
  constructor(
    private readonly connection: PgConnection,
    private readonly named: boolean,
  ) {}

  async query<T = any>(text: string, values?: unknown[]): Promise<T> {
    const result = await this.connection.query(text, values);
    return (result as { rows: unknown[] }).rows as T;
  }

  /** A named prepared statement on this connection (plain parameterized where names cannot be used). */
  async prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    if (!this.named) return this.query<T[]>(text, values);
    const result = await this.connection.query({ name, text, values });
    return (result as { rows: T[] }).rows;
  }

  /** Several simple-protocol statements in one message: one row list per statement. */
  async many(text: string): Promise<unknown[][]> {
    const result = await this.connection.query(text);
    return (Array.isArray(result) ? result : [result]).map((r) => r.rows);
  }
}

/** `preparedQuery` for either kind of session. */
export function preparedOn<T>(s: SqlSession, name: string, text: string, values: unknown[]): Promise<T[]> {
  if (s instanceof PipelinedSession) return s.prepared<T>(name, text, values);
  return preparedQuery<T>(s as EntityManager, name, text, values);
}

/**
 * A transaction in two round trips on the pool's raw pg connection (no TypeORM query runner, so none
 * of its state to keep in step): `openings` go with BEGIN in one simple-protocol message and their rows
 * are handed to `work`, which may run more statements on the session and returns the `closing`
 * statement, sent with COMMIT in one message. Both are complete SQL texts (the simple protocol carries
 * no parameters), built with `sqlLiteral`. Any failure rolls back; a connection that failed is
 * destroyed rather than returned to the pool.
 */
export async function pipelinedTransaction<T>(
  db: DataSource,
  openings: string[],
  work: (session: PipelinedSession, opened: unknown[][]) => Promise<{ value: T; closing: string }>,
): Promise<T> {
  const [connection, release] = (await (db.driver as PostgresDriver).obtainMasterConnection()) as [PgConnection, (err?: unknown) => void];
  const session = new PipelinedSession(connection, isPreparable(db));
  let broken: unknown;
  try {
    const [, ...opened] = await session.many(`BEGIN; ${openings.join('; ')}`);
    const { value, closing } = await work(session, opened);
    await session.many(`${closing}; COMMIT`);
    return value;
  } catch (err) {
    // A broken connection refuses the ROLLBACK too: it is then destroyed on release.
    await connection.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
    throw err;
  } finally {
    release(broken);
  }
}
