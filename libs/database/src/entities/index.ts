import { ApiKeyEntity } from './api-key.entity.js';
import { CycleEntity } from './cycle.entity.js';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { ProvinceEventEntity } from './province-event.entity.js';
import { ProvinceEntity } from './province.entity.js';
import { ProposalEntity } from './proposal.entity.js';

export * from './api-key.entity.js';
export * from './cycle.entity.js';
export * from './idempotency-key.entity.js';
export * from './province-event.entity.js';
export * from './province.entity.js';
export * from './proposal.entity.js';

export const ENTITIES = [CycleEntity, ProvinceEntity, ProvinceEventEntity, ApiKeyEntity, IdempotencyKeyEntity, ProposalEntity];
