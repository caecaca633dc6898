import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { pipelinedTransaction, type SqlSession } from '@app/database';
import { ChangeBus } from './change-bus.js';
import type { ChangeNotice } from './change-notice.js';
import { OutboxRepository } from './outbox.repository.js';

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
    private readonly outbox: OutboxRepository,
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
   * The same contract in two round trips, for the hottest write (an event): a pipelined transaction
   * (@app/database) whose `openings` go with BEGIN and whose `closing` goes with COMMIT; `work` may run
   * more statements on the session in between (a backdated event's replay, an alert that opens or clears).
   */
  async inTwoRoundTrips<T>(
    openings: string[],
    work: (s: SqlSession, opened: unknown[][], emit: Emit) => Promise<{ value: T; closing: string }>,
  ): Promise<T> {
    const notices: ChangeNotice[] = [];
    const persisted: ChangeNotice[] = [];
    const result = await pipelinedTransaction(this.db, openings, async (s, opened) => {
      const done = await work(s, opened, (n, options) => (options?.persisted ? persisted : notices).push(...n));
      await this.outbox.enqueue(s, notices);
      return done;
    });
    await this.bus.publish(notices);
    this.bus.publishNotified(persisted);
    return result;
  }
}
