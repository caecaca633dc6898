import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeBus } from './change-bus.js';
import type { ChangeNotice } from './change-notice.js';
import { OutboxWriter } from './outbox.writer.js';

/** The pg client under a query runner, asked a multi-statement simple-protocol query: one result per statement. */
interface SimpleClient {
  query(text: string): Promise<{ rows: unknown[] }[]>;
}

/**
 * Hand the transaction's notices over. `persisted`: the caller's own statement already wrote their
 * outbox rows and NOTIFY (the event write path does, to save round trips); they are only published
 * locally after the commit where there is no LISTEN/NOTIFY (embedded mode).
 */
export type Emit = (notices: ChangeNotice[], options?: { persisted?: boolean }) => void;

/**
 * The one way a use case changes data and tells the world: its work and the outbox rows of its
 * notices commit together; live streams hear of it only after the commit.
 */
@Injectable()
export class ChangePublisher {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly bus: ChangeBus,
  ) {}

  /** The channel to NOTIFY inside a transaction, or null when there is no LISTEN/NOTIFY (embedded mode). */
  get notifyChannel(): string | null {
    return this.bus.notifyChannel;
  }

  async transaction<T>(work: (m: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    const notices: ChangeNotice[] = [];
    const persisted: ChangeNotice[] = [];
    const result = await this.db.transaction(async (m) => { // READ COMMITTED, the default
      const value = await work(m, (n, options) => (options?.persisted ? persisted : notices).push(...n));
      await this.outbox.enqueue(m, notices);
      return value;
    });
    await this.bus.publish(notices);
    this.bus.publishNotified(persisted);
    return result;
  }

  /**
   * The same contract in two round trips, for the hottest write (an event): `opening` is sent with
   * BEGIN in one simple-protocol message and its rows handed to `work`; the statement `work` returns
   * as `closing` is sent with COMMIT in one message. Both are complete SQL texts (no parameters: the
   * simple protocol carries none), built with `sqlLiteral` (@app/database). `work` may run more statements on
   * `m` in between (a backdated event's replay, an alert that opens or clears).
   */
  async inTwoRoundTrips<T, R>(
    opening: string,
    work: (m: EntityManager, opened: R[], emit: Emit) => Promise<{ value: T; closing: string }>,
  ): Promise<T> {
    return this.inTwoRoundTripsMany<T, R>([opening], (m, [opened], emit) => work(m, opened, emit));
  }

  /**
   * `inTwoRoundTrips` with several opening statements (a batch of writes locking several provinces):
   * all are sent with BEGIN in one message, and `work` gets the rows of each, in order.
   */
  async inTwoRoundTripsMany<T, R>(
    openings: string[],
    work: (m: EntityManager, opened: R[][], emit: Emit) => Promise<{ value: T; closing: string }>,
  ): Promise<T> {
    const notices: ChangeNotice[] = [];
    const persisted: ChangeNotice[] = [];
    const runner = this.db.createQueryRunner();
    const flags = runner as { isTransactionActive: boolean };
    let result: T;
    try {
      const client = (await runner.connect()) as SimpleClient;
      try {
        const [, ...opened] = await client.query(`BEGIN; ${openings.join('; ')}`);
        // TypeORM's own statements and the prepared ones on `m` run inside this transaction.
        flags.isTransactionActive = true;
        const { value, closing } = await work(
          runner.manager,
          opened.map((r) => r.rows as R[]),
          (n, options) => (options?.persisted ? persisted : notices).push(...n),
        );
        await this.outbox.enqueue(runner.manager, notices);
        await client.query(`${closing}; COMMIT`);
        result = value;
      } catch (err) {
        // A broken connection refuses the ROLLBACK too; the pool then drops it on release.
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        flags.isTransactionActive = false;
      }
    } finally {
      await runner.release();
    }
    await this.bus.publish(notices);
    this.bus.publishNotified(persisted);
    return result;
  }
}
