import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error.js';
import type { NoticeType } from '../stream/change-notice.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import {
  toDeliveryAttemptView,
  toWebhookView,
  type DeliveryAttemptRow,
  type DeliveryAttemptView,
  type WebhookRow,
  type WebhookView,
} from './webhook.view.js';

const WEBHOOK_COLUMNS = `id, url, events, description, created_at, deleted_at`;

/** Webhook subscriptions (admin) and their delivery log; the deliveries themselves are WebhookDispatcher's. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Subscribe; the secret is returned here once (it stays in the database, which must sign with it). */
  async create(input: { url: string; events: NoticeType[]; description?: string | null }): Promise<WebhookView & { secret: string }> {
    const secret = generateWebhookSecret();
    const [row]: WebhookRow[] = await this.db.query(
      `INSERT INTO webhook (url, secret, events, description) VALUES ($1, $2, $3::text[], $4) RETURNING ${WEBHOOK_COLUMNS}`,
      [new URL(input.url).href, secret, input.events, input.description ?? null],
    );
    this.logger.log(`webhook created: ${row.id} (${row.events.join(', ')})`);
    this.dispatcher.webhooksChanged();
    return { ...toWebhookView(row), secret };
  }

  /** The live subscriptions, without their secrets. */
  async list(): Promise<WebhookView[]> {
    const rows: WebhookRow[] = await this.db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhook WHERE deleted_at IS NULL ORDER BY created_at, id`,
    );
    return rows.map(toWebhookView);
  }

  /**
   * Unsubscribe (soft: the delivery log stays readable). Deliveries still pending are abandoned in the
   * same transaction; one already in flight may still arrive. Deleting again changes nothing.
   */
  async remove(id: string): Promise<WebhookView> {
    const removed = await this.db.transaction(async (m) => {
      const rows: WebhookRow[] = await m.query(
        `WITH u AS (UPDATE webhook SET deleted_at = COALESCE(deleted_at, now()) WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS})
         SELECT * FROM u`,
        [id],
      );
      if (!rows[0]) throw AppError.notFound(`No webhook ${id}.`);
      await m.query(
        `UPDATE outbox SET abandoned_at = now(), last_error = 'webhook deleted'
          WHERE webhook_id = $1 AND delivered_at IS NULL AND abandoned_at IS NULL`,
        [id],
      );
      this.logger.log(`webhook deleted: ${id}`);
      return toWebhookView(rows[0]);
    });
    this.dispatcher.webhooksChanged();
    return removed;
  }

  /** The latest attempts to deliver to a webhook (deleted ones included), newest first. */
  async deliveries(id: string, limit = 100): Promise<DeliveryAttemptView[]> {
    const exists: unknown[] = await this.db.query(`SELECT 1 FROM webhook WHERE id = $1`, [id]);
    if (exists.length === 0) throw AppError.notFound(`No webhook ${id}.`);
    const rows: DeliveryAttemptRow[] = await this.db.query(
      `SELECT d.id, d.outbox_id, o.event_type, o.payload->>'id' AS notice_id, d.attempt, d.attempted_at, d.status_code,
              d.error, d.duration_ms, o.delivered_at, o.abandoned_at
         FROM webhook_delivery d JOIN outbox o ON o.id = d.outbox_id
        WHERE d.webhook_id = $1
        ORDER BY d.id DESC LIMIT $2`,
      [id, limit],
    );
    return rows.map(toDeliveryAttemptView);
  }
}
