import { Injectable } from '@nestjs/common';
import type { SqlSession } from '@app/database';
import type { ChangeNotice } from './change-notice.js';

/**
 * Writes one outbox row per notice and subscribed webhook, inside the transaction that made the
 * change: a delivery exists exactly when its change committed, whatever happens to the process; and
 * the notices into the stream's log (`notice`), from which /stream replays them. Both by the SQL
 * function gt_record_notices (migration ResumableStream), whose outbox insert, gt_enqueue_notices, the
 * event write path's gt_append_event calls too (an event's notices are logged on its own row).
 */
@Injectable()
export class OutboxRepository {
  async enqueue(m: SqlSession, notices: ChangeNotice[]): Promise<void> {
    if (notices.length === 0) return;
    await m.query(`SELECT gt_record_notices($1::jsonb)`, [JSON.stringify(notices)]);
  }
}
