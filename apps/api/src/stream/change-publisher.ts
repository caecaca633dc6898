import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeBus } from './change-bus.js';
import type { ChangeNotice } from './change-notice.js';
import { OutboxWriter } from './outbox.writer.js';

export type Emit = (notices: ChangeNotice[]) => void;

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

  async transaction<T>(work: (m: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    const notices: ChangeNotice[] = [];
    const result = await this.db.transaction(async (m) => { // READ COMMITTED, the default
      const value = await work(m, (n) => notices.push(...n));
      await this.outbox.enqueue(m, notices);
      return value;
    });
    await this.bus.publish(notices);
    return result;
  }
}
