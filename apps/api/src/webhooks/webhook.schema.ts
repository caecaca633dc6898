import type { SchemaObject } from '@nestjs/swagger';
import { NOTICE_TYPES } from '../stream/change-notice.js';

/** OpenAPI schemas of the webhook routes' responses (webhook.view.ts), added to components.schemas by docs/schemas.ts. */
const instant = (example: string): SchemaObject => ({ type: 'string', format: 'date-time', example });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const list = (name: string): SchemaObject => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${name}` } } } });
const noticeType: SchemaObject = { type: 'string', enum: [...NOTICE_TYPES], example: 'alert.opened' };

const WEBHOOK: SchemaObject = {
  type: 'object',
  required: ['id', 'url', 'events', 'description', 'createdAt', 'deletedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    url: { type: 'string', format: 'uri', example: 'https://newsroom.example/hooks/governors' },
    events: { type: 'array', items: noticeType },
    description: nullable({ type: 'string', example: 'Breach alerts to the night desk' }),
    createdAt: instant('2024-01-02T08:00:00.000Z'),
    deletedAt: nullable({ ...instant('2024-03-01T08:00:00.000Z'), description: 'set once unsubscribed (the delivery log stays readable)' }),
  },
};

const DELIVERY_ATTEMPT: SchemaObject = {
  type: 'object',
  required: ['id', 'outboxId', 'eventType', 'noticeId', 'attempt', 'attemptedAt', 'statusCode', 'error', 'durationMs', 'deliveredAt', 'abandonedAt'],
  properties: {
    id: { type: 'string', example: '812' },
    outboxId: { type: 'string', description: 'the delivery, sent as X-Delivery-Id (a bigint, as a string)', example: '5120' },
    eventType: noticeType,
    noticeId: nullable({ type: 'string' }),
    attempt: { type: 'integer', minimum: 1, example: 1 },
    attemptedAt: instant('2024-02-10T00:00:05.000Z'),
    statusCode: nullable({ type: 'integer', description: 'the receiver’s HTTP status; null when it could not be reached', example: 204 }),
    error: nullable({ type: 'string', example: 'connect ECONNREFUSED' }),
    durationMs: { type: 'integer', minimum: 0, example: 48 },
    deliveredAt: nullable(instant('2024-02-10T00:00:05.000Z')),
    abandonedAt: nullable(instant('2024-02-11T00:00:05.000Z')),
  },
};

export const WEBHOOK_SCHEMAS: Record<string, SchemaObject> = {
  Webhook: WEBHOOK,
  WebhookList: list('Webhook'),
  WebhookCreated: {
    type: 'object',
    required: [...(WEBHOOK.required ?? []), 'secret'],
    properties: { ...WEBHOOK.properties, secret: { type: 'string', description: 'signs each delivery (X-Signature-256); shown this once' } },
  },
  WebhookDeliveryAttempt: DELIVERY_ATTEMPT,
  WebhookDeliveryAttemptList: list('WebhookDeliveryAttempt'),
};
