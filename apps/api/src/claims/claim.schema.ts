import type { SchemaObject } from '@nestjs/swagger';
import { CLAIM_STATUSES } from './claim-transitions.js';

/** OpenAPI schemas of the claims ledger's responses, added to components.schemas by docs/schemas.ts. */
const instant = (example: string): SchemaObject => ({ type: 'string', format: 'date-time', example });
const source: SchemaObject = {
  type: 'object',
  required: ['name', 'url'],
  properties: { name: { type: 'string', example: 'Shafaq News' }, url: { type: 'string', nullable: true, example: 'https://shafaq.com/en' } },
};
const status = (example: string): SchemaObject => ({ type: 'string', enum: [...CLAIM_STATUSES], example });

const CLAIM_STEP: SchemaObject = {
  type: 'object',
  required: ['step', 'from', 'to', 'source', 'note', 'occurredAt', 'recordedAt', 'actor', 'eventSeq'],
  properties: {
    step: { type: 'integer', minimum: 1, example: 2 },
    from: { ...status('reported'), nullable: true, description: 'null on the first step (the report itself)' },
    to: status('denied'),
    source,
    note: { type: 'string', nullable: true, description: 'internal: null for a public key' },
    occurredAt: instant('2024-01-21T07:00:00.000Z'),
    recordedAt: instant('2024-01-21T07:04:00.000Z'),
    actor: { type: 'string', example: 'basra-desk' },
    eventSeq: { type: 'integer', nullable: true, description: 'the event a confirmation with `apply` appended', example: null },
  },
};

export const CLAIM: SchemaObject = {
  type: 'object',
  required: ['id', 'province', 'text', 'subject', 'event', 'source', 'reportedAt', 'internal', 'status', 'recordedAt', 'actor', 'updatedAt', 'appliedEventSeq', 'steps'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    province: { type: 'string', example: 'basra' },
    text: { type: 'string', example: 'Asaad Al-Eidani will be re-elected governor of Basra' },
    subject: { type: 'string', nullable: true, example: 'Asaad Al-Eidani' },
    event: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'the machine event the claim describes',
      example: { type: 'APPOINT', governor: 'Asaad Al-Eidani' },
    },
    source,
    reportedAt: instant('2024-01-20T15:00:00.000Z'),
    internal: { type: 'boolean', example: false },
    status: status('reported'),
    recordedAt: instant('2024-01-20T15:10:00.000Z'),
    actor: { type: 'string', example: 'basra-desk' },
    updatedAt: instant('2024-01-20T15:10:00.000Z'),
    appliedEventSeq: { type: 'integer', nullable: true, description: 'the seq of the event its confirmation appended' },
    steps: { type: 'array', items: { $ref: '#/components/schemas/ClaimStep' } },
  },
};

export const CLAIM_SCHEMAS: Record<string, SchemaObject> = {
  Claim: CLAIM,
  ClaimStep: CLAIM_STEP,
  ClaimList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Claim' } } } },
  ClaimConfirmed: {
    type: 'object',
    required: ['claim', 'applied'],
    properties: {
      claim: { $ref: '#/components/schemas/Claim' },
      applied: {
        type: 'object',
        nullable: true,
        description: 'with `apply: true`: the appended event and the province after it',
        required: ['event', 'province'],
        properties: { event: { $ref: '#/components/schemas/ProvinceEvent' }, province: { $ref: '#/components/schemas/Province' } },
      },
    },
  },
};

/** Request examples from the story: Basra, January 2024. */
export const CLAIM_BODY_EXAMPLES = {
  'basra-rumour': {
    summary: 'A rumour that Basra will keep its governor, with the event it describes',
    value: {
      text: 'Asaad Al-Eidani will be re-elected governor of Basra',
      subject: 'Asaad Al-Eidani',
      event: { type: 'APPOINT', governor: 'Asaad Al-Eidani' },
      source: { name: 'Shafaq News', url: 'https://shafaq.com/en' },
      reportedAt: '2024-01-20T18:00:00+03:00',
    },
  },
  'anonymous-source': {
    summary: 'An internal claim from an anonymous source',
    value: { text: 'Hikma gets Najaf', subject: 'Hikma', source: { name: 'council member (anonymous)' }, internal: true },
  },
};
