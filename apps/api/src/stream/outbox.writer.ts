import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChangeNotice } from './change-notice.js';

/**
 * Writes one outbox row per notice and subscribed webhook, inside the transaction that made the
 * change: a delivery exists exactly when its change committed, whatever happens to the process.
 */
@Injectable()
export class OutboxWriter {
  async enqueue(m: EntityManager, notices: ChangeNotice[]): Promise<void> {
    if (notices.length === 0) return;
    await m.query(
      `INSERT INTO outbox (webhook_id, event_type, payload)
       SELECT w.id, n.type, n.payload
         FROM unnest($1::text[], $2::jsonb[]) AS n(type, payload)
         JOIN webhook w ON w.deleted_at IS NULL AND n.type = ANY (w.events)`,
      [notices.map((n) => n.type), notices.map((n) => JSON.stringify(n))],
    );
  }
}
