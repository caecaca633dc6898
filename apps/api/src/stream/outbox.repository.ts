import { Injectable } from '@nestjs/common';
import type { SqlSession } from '@app/database';
import type { ChangeNotice } from './change-notice.js';

/**
 * Writes one outbox row per notice and subscribed webhook, inside the transaction that made the
 * change: a delivery exists exactly when its change committed, whatever happens to the process. The
 * rows are written by the SQL function gt_enqueue_notices (migration OneOutboxInsert), which the
 * event write path's gt_append_event calls too: the outbox insert exists once.
 */
@Injectable()
export class OutboxRepository {
  async enqueue(m: SqlSession, notices: ChangeNotice[]): Promise<void> {
    if (notices.length === 0) return;
    await m.query(`SELECT gt_enqueue_notices($1::jsonb)`, [JSON.stringify(notices)]);
  }
}
