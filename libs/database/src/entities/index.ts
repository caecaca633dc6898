import { AlertEntity } from './alert.entity.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { ClaimStepEntity } from './claim-step.entity.js';
import { ClaimEntity } from './claim.entity.js';
import { ContactEntity } from './contact.entity.js';
import { CycleEntity } from './cycle.entity.js';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { NoticeEntity } from './notice.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { ProposalEntity } from './proposal.entity.js';
import { ProvinceDataVersionEntity } from './province-data-version.entity.js';
import { ProvinceEventEntity } from './province-event.entity.js';
import { ProvinceEntity } from './province.entity.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEntity } from './webhook.entity.js';

export * from './alert.entity.js';
export * from './api-key.entity.js';
export * from './claim-step.entity.js';
export * from './claim.entity.js';
export * from './contact.entity.js';
export * from './cycle.entity.js';
export * from './idempotency-key.entity.js';
export * from './notice.entity.js';
export * from './outbox.entity.js';
export * from './proposal.entity.js';
export * from './province-data-version.entity.js';
export * from './province-event.entity.js';
export * from './province.entity.js';
export * from './stored-json.js';
export * from './webhook-delivery.entity.js';
export * from './webhook.entity.js';

/** One entity per table the migrations make (test/schema-entities.e2e-spec.ts holds the two to each other). */
export const ENTITIES = [
  CycleEntity,
  ProvinceEntity,
  ProvinceEventEntity,
  ProvinceDataVersionEntity,
  ApiKeyEntity,
  IdempotencyKeyEntity,
  AlertEntity,
  WebhookEntity,
  OutboxEntity,
  NoticeEntity,
  WebhookDeliveryEntity,
  ClaimEntity,
  ClaimStepEntity,
  ContactEntity,
  ProposalEntity,
];
