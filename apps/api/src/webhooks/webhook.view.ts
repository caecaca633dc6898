import type { WebhookEntity } from '@app/database';
import { NOTICE_TYPES, type NoticeType } from '../stream/change-notice.js';

/** A subscription as the API shows it: never with its secret (that is shown once, at creation). */
export interface WebhookView {
  id: string;
  url: string;
  events: NoticeType[];
  description: string | null;
  createdAt: string;
  deletedAt: string | null;
}

/** A stored event type, checked: the column is text[], the API promises notice types. */
function noticeType(type: string): NoticeType {
  const known = NOTICE_TYPES.find((t) => t === type);
  if (!known) throw new Error(`webhook subscribed to an unknown notice type "${type}"`);
  return known;
}

export function toWebhookView(w: Omit<WebhookEntity, 'secret'>): WebhookView {
  return {
    id: w.id,
    url: w.url,
    events: w.events.map(noticeType),
    description: w.description,
    createdAt: w.createdAt.toISOString(),
    deletedAt: w.deletedAt?.toISOString() ?? null,
  };
}

/** One attempt to deliver one notice, as the repository reads it. */
export interface DeliveryAttemptRow {
  id: number;
  outboxId: number;
  eventType: NoticeType;
  noticeId: string | null;
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  deliveredAt: Date | null;
  abandonedAt: Date | null;
}

/**
 * One attempt to deliver one notice. `outboxId` is the delivery (sent as X-Delivery-Id; bigint ids
 * are strings); `deliveredAt`/`abandonedAt` tell how that delivery ended, whichever attempt ended it.
 */
export interface DeliveryAttemptView {
  id: string;
  outboxId: string;
  eventType: NoticeType;
  noticeId: string | null;
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  deliveredAt: string | null;
  abandonedAt: string | null;
}

export function toDeliveryAttemptView(r: DeliveryAttemptRow): DeliveryAttemptView {
  return {
    id: String(r.id),
    outboxId: String(r.outboxId),
    eventType: r.eventType,
    noticeId: r.noticeId,
    attempt: r.attempt,
    attemptedAt: r.attemptedAt.toISOString(),
    statusCode: r.statusCode,
    error: r.error,
    durationMs: r.durationMs,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    abandonedAt: r.abandonedAt?.toISOString() ?? null,
  };
}
