import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type FindOptionsSelect, type Repository } from 'typeorm';
import { OutboxEntity, WebhookEntity, readRows } from '@app/database';
import { NOTICE_TYPES } from '../stream/change-notice.js';
import type { DeliveryAttemptRow } from './webhook.view.js';

/** Everything of a subscription but its secret. */
const SHOWN: FindOptionsSelect<WebhookEntity> = { id: true, url: true, events: true, description: true, createdAt: true, deletedAt: true };
export type ShownWebhook = Omit<WebhookEntity, 'secret'>;

/** Webhook subscriptions through their entity, and their delivery log (a join the entities do not express). */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectRepository(WebhookEntity) private readonly webhooks: Repository<WebhookEntity>) {}

  async insert(w: Pick<WebhookEntity, 'url' | 'secret' | 'events' | 'description'>): Promise<ShownWebhook> {
    const webhook = this.webhooks.create(w);
    await this.webhooks.insert(webhook); // fills in id, createdAt and deletedAt from the statement's RETURNING
    return webhook;
  }

  listLive(): Promise<ShownWebhook[]> {
    return this.webhooks.find({ select: SHOWN, where: { deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  exists(id: string): Promise<boolean> {
    return this.webhooks.existsBy({ id });
  }

  anyLive(): Promise<boolean> {
    return this.webhooks.existsBy({ deletedAt: IsNull() });
  }

  /**
   * Delete softly (once: deleting again keeps the first instant) and abandon its pending deliveries,
   * in one transaction; null when there is no such webhook.
   */
  markDeleted(id: string): Promise<ShownWebhook | null> {
    return this.webhooks.manager.transaction(async (m) => {
      const webhooks = m.getRepository(WebhookEntity);
      await webhooks.update({ id, deletedAt: IsNull() }, { deletedAt: () => 'now()' });
      const webhook = await webhooks.findOne({ select: SHOWN, where: { id } });
      if (!webhook) return null;
      await m
        .getRepository(OutboxEntity)
        .update({ webhookId: id, deliveredAt: IsNull(), abandonedAt: IsNull() }, { abandonedAt: () => 'now()', lastError: 'webhook deleted' });
      return webhook;
    });
  }

  /** The latest attempts to deliver to a webhook, newest first, with how each delivery ended. */
  async deliveries(webhookId: string, limit: number): Promise<DeliveryAttemptRow[]> {
    const rows: unknown = await this.webhooks.query(
      `SELECT d.id, d.outbox_id, o.event_type, o.payload->>'id' AS notice_id, d.attempt, d.attempted_at, d.status_code,
              d.error, d.duration_ms, o.delivered_at, o.abandoned_at
         FROM webhook_delivery d JOIN outbox o ON o.id = d.outbox_id
        WHERE d.webhook_id = $1
        ORDER BY d.id DESC LIMIT $2`,
      [webhookId, limit],
    );
    return readRows(rows, (r) => ({
      id: r.int('id'),
      outboxId: r.int('outbox_id'),
      eventType: r.oneOf('event_type', NOTICE_TYPES),
      noticeId: r.textOrNull('notice_id'),
      attempt: r.int('attempt'),
      attemptedAt: r.instant('attempted_at'),
      statusCode: r.intOrNull('status_code'),
      error: r.textOrNull('error'),
      durationMs: r.int('duration_ms'),
      deliveredAt: r.instantOrNull('delivered_at'),
      abandonedAt: r.instantOrNull('abandoned_at'),
    }));
  }
}
