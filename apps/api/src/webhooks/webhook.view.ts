import type { NoticeType } from '../stream/change-notice.js';

export interface WebhookRow {
  id: string;
  url: string;
  events: NoticeType[];
  description: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

/** A subscription as the API shows it: never with its secret (that is shown once, at creation). */
export interface WebhookView {
  id: string;
  url: string;
  events: NoticeType[];
  description: string | null;
  createdAt: string;
  deletedAt: string | null;
}

export function toWebhookView(r: WebhookRow): WebhookView {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    description: r.description,
    createdAt: r.created_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

export interface DeliveryAttemptRow {
  id: string;
  outbox_id: string;
  event_type: NoticeType;
  notice_id: string | null;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  delivered_at: Date | null;
  abandoned_at: Date | null;
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
    outboxId: String(r.outbox_id),
    eventType: r.event_type,
    noticeId: r.notice_id,
    attempt: r.attempt,
    attemptedAt: r.attempted_at.toISOString(),
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    abandonedAt: r.abandoned_at?.toISOString() ?? null,
  };
}
