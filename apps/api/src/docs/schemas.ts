import type { SchemaObject } from '@nestjs/swagger';
import { DEADLINE_STATUSES, EVENT_TYPES, MACHINE_REF, OCCURRED_AT_PRECISIONS, STAGES, TIERS, VACATE_REASONS } from '@app/workflow';
import { PROPOSAL_STATUSES, ROLES } from '@app/database';
import { ALERT_KINDS, ALERT_STATUSES } from '../alerts/alert.view.js';
import { CLAIM_SCHEMAS } from '../claims/claim.schema.js';
import { CONTACT_SCHEMAS } from '../contacts/contact.schema.js';
import { WEBHOOK_SCHEMAS } from '../webhooks/webhook.schema.js';

/**
 * The response bodies, as OpenAPI 3.0 schemas added to `components.schemas` by the document
 * builder (openapi.ts). They are written out here rather than derived from classes because the
 * views are plain interfaces (province.view.ts, alert.view.ts, …); the e2e test checks real
 * responses against them, so they cannot drift quietly. Examples follow Basra and Kirkuk.
 */
const instant = (example: string, description?: string): SchemaObject => ({ type: 'string', format: 'date-time', example, ...(description ? { description } : {}) });
const date = (example: string): SchemaObject => ({ type: 'string', format: 'date', example });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const list = (name: string): SchemaObject => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(name) } } });

export const PROBLEM_DOCUMENT: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details (Content-Type: application/problem+json). `type` is a URN whose last part is a stable code; extensions depend on the code (validation: `errors`; invalid-transition: `stage`, `allowedEvents`; guard-failed: `reason`; history-conflict: `conflictingSeq`; rate-limited: `retryAfter`, with a Retry-After header).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:governor-tracker:problem:guard-failed' },
    title: { type: 'string', example: 'Event refused by a rule of the workflow' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 409 },
    detail: { type: 'string', example: 'APPOINT was refused: majority-not-reached.' },
    instance: { type: 'string', example: '/api/v1/provinces/kirkuk/events' },
    errors: {
      type: 'array',
      description: 'validation only: one entry per refused field',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'occurredAt' }, message: { type: 'string', example: 'must not be more than 5 minutes in the future' } },
      },
    },
  },
  additionalProperties: true,
};

const PERSON: SchemaObject = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', example: 'Rebwar Taha' }, nameAr: nullable({ type: 'string', example: 'ريبوار طه' }), bloc: nullable({ type: 'string', example: 'PUK' }) },
};

const PROVINCE: SchemaObject = {
  type: 'object',
  required: [
    'cycle', 'slug', 'code', 'name', 'nameAr', 'seats', 'majority', 'stage', 'tier', 'criteria', 'nominees', 'governor', 'convenedAt', 'chair',
    'decree', 'deadline', 'deadlineBasis', 'deadlineInstant', 'deadlineStatus', 'daysToDeadline', 'selection', 'contested', 'acting', 'vacancy',
    'version', 'updatedAt',
  ],
  properties: {
    cycle: { type: 'string', description: 'the cycle’s slug', example: 'iraq-2023' },
    slug: { type: 'string', example: 'kirkuk' },
    code: { type: 'string', example: 'IQ-KI' },
    name: { type: 'string', example: 'Kirkuk' },
    nameAr: { type: 'string', example: 'كركوك' },
    seats: { type: 'integer', example: 16 },
    majority: { type: 'integer', description: 'absolute majority of the council: ceil(seats / 2 + 1)', example: 9 },
    stage: { type: 'string', enum: [...STAGES], example: 'candidate' },
    tier: nullable({ type: 'string', enum: [...TIERS], example: 'B' }),
    criteria: nullable({ type: 'string', example: 'Candidates must hold a university degree and live in the province.' }),
    nominees: {
      type: 'array',
      items: { ...PERSON, required: ['name', 'nameAr', 'bloc', 'nominatedAt'], properties: { ...PERSON.properties, nominatedAt: instant('2024-08-10T09:00:00.000Z') } },
    },
    governor: nullable({
      type: 'object',
      required: ['name', 'votes', 'present', 'appointedAt'],
      properties: {
        ...PERSON.properties,
        votes: nullable({ type: 'integer', example: 9 }),
        present: nullable({ type: 'integer', example: 9 }),
        appointedAt: instant('2024-08-10T12:00:00.000Z'),
        reinstatedAt: instant('2026-02-09T09:00:00.000Z', 'set when a ruling undid the vacancy that had removed this governor'),
      },
    }),
    convenedAt: nullable(instant('2024-08-10T08:00:00.000Z')),
    chair: nullable({ type: 'string', example: 'Mohammed Ibrahim al-Hafez' }),
    decree: nullable({ type: 'object', required: ['recordedAt', 'decreeDate'], properties: { recordedAt: instant('2024-08-12T10:00:00.000Z'), decreeDate: nullable(date('2024-08-11')) } }),
    deadline: nullable({ ...date('2024-02-09'), description: 'the deadline in force for the current selection; null (status no_deadline) when none is' }),
    deadlineBasis: nullable({ type: 'string', example: 'Reported by Shafaq News as the deadline to select governors and establish functioning councils; …' }),
    deadlineInstant: nullable(instant('2024-02-09T20:59:59.999Z', 'the last millisecond of the deadline day in Asia/Baghdad')),
    deadlineStatus: { type: 'string', enum: [...DEADLINE_STATUSES], example: 'breached' },
    daysToDeadline: nullable({ type: 'integer', description: 'calendar days in Baghdad from now to the deadline; negative when overdue', example: -182 }),
    selection: { type: 'integer', description: '1 for the election’s first selection; each vacancy opens the next', example: 1 },
    contested: nullable({
      type: 'object',
      description: 'a vote or an order disputed and waiting for a ruling (the record stands meanwhile)',
      required: ['by', 'grounds', 'since', 'target'],
      properties: {
        by: { type: 'string' },
        grounds: { type: 'string' },
        since: instant('2024-08-11T09:00:00.000Z'),
        target: { type: 'string', enum: ['appointment', 'vacancy'] },
      },
    }),
    acting: nullable({
      type: 'object',
      description: 'who holds the office while no elected governor does',
      required: ['name', 'nameAr', 'kind', 'since'],
      properties: { name: { type: 'string' }, nameAr: nullable({ type: 'string' }), kind: { type: 'string', enum: ['acting', 'caretaker'] }, since: instant('2026-01-26T10:00:00.000Z') },
    }),
    vacancy: nullable({
      type: 'object',
      description: 'why the current selection opened: the governor who left, why and when',
      required: ['reason', 'since', 'previousGovernor'],
      properties: { reason: { type: 'string', enum: [...VACATE_REASONS] }, since: instant('2025-01-14T10:00:00.000Z'), previousGovernor: { type: 'string' } },
    }),
    version: { type: 'integer', description: 'accepted changes to the province (also its ETag)', example: 7 },
    updatedAt: instant('2024-08-10T09:00:00.000Z'),
    allowedEvents: { type: 'array', description: 'single-province reads only: the events the machine accepts now', items: { type: 'string', enum: [...EVENT_TYPES] } },
    asOf: instant('2024-02-01T00:00:00.000Z', 'present when the view was rebuilt for ?asOf'),
    knownAt: instant('2024-02-01T00:00:00.000Z', 'present when the view counts only what was recorded by ?knownAt'),
  },
};

const EVENT: SchemaObject = {
  type: 'object',
  required: [
    'province', 'seq', 'type', 'payload', 'occurredAt', 'occurredAtPrecision', 'recordedAt', 'actor', 'source', 'confidence', 'note', 'machine', 'fromStage', 'toStage',
    'late', 'daysToDeadline', 'retracted', 'retractedAt', 'retractedBy', 'retractionReason', 'internal', 'approvedBy',
  ],
  properties: {
    province: { type: 'string', example: 'basra' },
    seq: { type: 'integer', minimum: 1, example: 2 },
    type: { type: 'string', enum: [...EVENT_TYPES], example: 'ASSIGN_TIER' },
    payload: { type: 'object', additionalProperties: true, example: { tier: 'A' } },
    occurredAt: instant('2024-01-10T07:00:00.000Z'),
    occurredAtPrecision: {
      type: 'string',
      enum: [...OCCURRED_AT_PRECISIONS],
      description: "'day': the sources report only the day of occurredAt in the cycle's zone (its time of day only orders it among that day's events); 'minute': the instant as recorded",
      example: 'minute',
    },
    recordedAt: instant('2024-01-10T07:05:12.000Z'),
    actor: { type: 'string', description: "the name of the API key that recorded it", example: 'basra-desk' },
    source: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Shafaq News' }, url: nullable({ type: 'string', example: 'https://shafaq.com/en' }) } },
    confidence: { type: 'string', enum: ['confirmed', 'reported'], example: 'confirmed' },
    note: nullable({ type: 'string', description: 'newsroom text: always null for a public key' }),
    machine: { type: 'string', example: MACHINE_REF },
    fromStage: { type: 'string', enum: [...STAGES], example: 'tier' },
    toStage: { type: 'string', enum: [...STAGES], example: 'candidate' },
    late: { type: 'boolean', example: false },
    daysToDeadline: nullable({ type: 'integer', example: 30, description: 'null when no deadline was in force' }),
    retracted: { type: 'boolean', example: false },
    retractedAt: nullable(instant('2024-01-11T08:00:00.000Z')),
    retractedBy: nullable({ type: 'string' }),
    retractionReason: nullable({ type: 'string' }),
    internal: { type: 'boolean', description: 'newsroom-only (REPORT events only); a public key never sees one', example: false },
    approvedBy: nullable({ type: 'string', description: 'two-person rule: the editor who approved the proposal `actor` made', example: 'kirkuk-night-desk' }),
  },
};

const ALERT: SchemaObject = {
  type: 'object',
  required: ['id', 'cycle', 'province', 'kind', 'status', 'openedAt', 'detectedAt', 'acknowledgedAt', 'acknowledgedBy', 'resolvedAt', 'resolution', 'detail', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    cycle: { type: 'string', description: 'the slug of the province’s cycle', example: 'iraq-2023' },
    province: { type: 'string', example: 'kirkuk' },
    kind: { type: 'string', enum: [...ALERT_KINDS], example: 'breach' },
    status: { type: 'string', enum: [...ALERT_STATUSES], example: 'open' },
    openedAt: instant('2024-02-09T21:00:00.000Z'),
    detectedAt: instant('2024-02-09T21:00:03.000Z'),
    acknowledgedAt: nullable(instant('2024-02-10T06:30:00.000Z')),
    acknowledgedBy: nullable({ type: 'string', example: 'kirkuk-desk' }),
    resolvedAt: nullable(instant('2024-08-10T12:00:00.000Z')),
    resolution: nullable({ type: 'string', enum: ['appointed', 'appointed_late', 'deadline_changed', 'retracted', 'progressed', 'escalated'] }),
    detail: { type: 'string', example: 'Kirkuk has no governor and the deadline (2024-02-09) has passed.' },
    updatedAt: instant('2024-02-09T21:00:03.000Z'),
  },
};

const CYCLE: SchemaObject = {
  type: 'object',
  required: [
    'slug', 'name', 'nameAr', 'status', 'default', 'electionDate', 'electionStart', 'deadline', 'deadlineBasis', 'deadlineInstant', 'daysToDeadline',
    'vacancyDeadline', 'timezone', 'tierByDays', 'candidateByDays', 'milestones', 'requireApproval', 'version', 'updatedAt',
  ],
  properties: {
    slug: { type: 'string', description: 'the cycle’s id in routes (`/cycles/{cycle}/…`, `?cycle=`) and files', example: 'iraq-2023' },
    name: { type: 'string', example: 'iraq-2023' },
    nameAr: nullable({ type: 'string', example: 'مجالس المحافظات ٢٠٢٣' }),
    status: { type: 'string', enum: ['active', 'archived'], description: '`archived`: read-only (writes answer 409 cycle-archived)', example: 'active' },
    default: { type: 'boolean', description: 'the cycle the routes without a cycle answer for (an explicit setting)', example: true },
    vacancyDeadline: nullable({
      type: 'object',
      description: 'each vacancy’s clock: N calendar days after the VACATE (or a fixed day), with its basis; null: none until an editor sets one',
      required: ['basis'],
      properties: { after: { type: 'string', enum: ['VACATE'] }, days: { type: 'integer', example: 15 }, date: date('2025-02-01'), basis: { type: 'string' } },
    }),
    electionDate: date('2023-12-18'),
    electionStart: instant('2023-12-17T21:00:00.000Z'),
    deadline: date('2024-02-09'),
    deadlineBasis: { type: 'string' },
    deadlineInstant: instant('2024-02-09T20:59:59.999Z'),
    daysToDeadline: { type: 'integer', example: 21 },
    timezone: { type: 'string', example: 'Asia/Baghdad' },
    tierByDays: { type: 'integer', example: 21 },
    candidateByDays: { type: 'integer', example: 7 },
    milestones: { type: 'object', required: ['tier', 'candidate'], properties: { tier: instant('2024-01-19T20:59:59.999Z'), candidate: instant('2024-02-02T20:59:59.999Z') } },
    requireApproval: { type: 'boolean', description: 'two-person rule: APPOINT, REVOKE and SET_DEADLINE (and the retraction of one) are proposed (202) and applied by a second editor', example: false },
    version: { type: 'integer', example: 1 },
    updatedAt: instant('2024-01-01T00:00:00.000Z'),
  },
};

const PROPOSAL: SchemaObject = {
  type: 'object',
  required: ['id', 'province', 'type', 'event', 'baseVersion', 'status', 'proposedBy', 'createdAt', 'decidedAt', 'decidedBy', 'reason', 'eventSeq'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    province: { type: 'string', example: 'kirkuk' },
    type: {
      type: 'string',
      enum: ['APPOINT', 'REVOKE', 'SET_DEADLINE', 'RETRACT'],
      description: 'the gated event type, or RETRACT for the retraction of such an event',
      example: 'APPOINT',
    },
    event: {
      type: 'object',
      additionalProperties: true,
      description:
        'the event request as it will be applied (occurredAt fixed when proposed); for a RETRACT proposal `{ "type": "RETRACT", "seq", "reason" }`',
      example: { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9, present: 9, occurredAt: '2024-08-10T12:00:00.000Z', source: { name: 'Shafaq News' }, confidence: 'confirmed' },
    },
    baseVersion: { type: 'integer', description: 'the province version it was proposed against; approval needs it unchanged', example: 8 },
    status: { type: 'string', enum: [...PROPOSAL_STATUSES], example: 'pending' },
    proposedBy: { type: 'string', description: 'the name of the proposing key', example: 'kirkuk-desk' },
    createdAt: instant('2024-08-10T12:05:00.000Z'),
    decidedAt: nullable(instant('2024-08-10T12:20:00.000Z')),
    decidedBy: nullable({ type: 'string', example: 'kirkuk-night-desk' }),
    reason: nullable({ type: 'string', description: 'why it was rejected or withdrawn' }),
    eventSeq: nullable({ type: 'integer', description: 'the event it became, once applied (for RETRACT: the retracted event)', example: 9 }),
  },
};

const API_KEY: SchemaObject = {
  type: 'object',
  required: ['id', 'name', 'person', 'role', 'createdAt', 'revokedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', example: 'basra-desk' },
    person: { type: 'string', example: 'Zainab Al-Musawi', description: 'who holds the key (the two-person rule compares people)' },
    role: { type: 'string', enum: [...ROLES], example: 'editor' },
    createdAt: instant('2024-01-02T08:00:00.000Z'),
    revokedAt: nullable(instant('2024-03-01T08:00:00.000Z')),
  },
};

export const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  ProblemDocument: PROBLEM_DOCUMENT,
  Province: PROVINCE,
  ProvinceList: list('Province'),
  ProvinceEvent: EVENT,
  ProvinceEventList: list('ProvinceEvent'),
  EventAccepted: { type: 'object', required: ['event', 'province'], properties: { event: ref('ProvinceEvent'), province: ref('Province') } },
  Alert: ALERT,
  AlertList: list('Alert'),
  Cycle: CYCLE,
  CycleList: list('Cycle'),
  Term: {
    type: 'object',
    required: ['holder', 'holderAr', 'kind', 'from', 'to', 'endedBy'],
    properties: {
      holder: { type: 'string', example: 'Badr al-Fahl' },
      holderAr: nullable({ type: 'string' }),
      kind: { type: 'string', enum: ['elected', 'acting', 'caretaker'] },
      from: instant('2024-03-17T09:00:00.000Z'),
      to: nullable({ ...instant('2026-01-26T09:00:00.000Z'), description: 'null: in office at asOf' }),
      endedBy: nullable({ type: 'string', description: 'the event that ended the term, with VACATE’s reason or RULING’s outcome', example: 'VACATE:elected_elsewhere' }),
    },
  },
  TermList: list('Term'),
  Proposal: PROPOSAL,
  ProposalList: list('Proposal'),
  ProposalAccepted: { type: 'object', required: ['proposal'], properties: { proposal: ref('Proposal') } },
  ProposalApplied: {
    type: 'object',
    required: ['event', 'province', 'proposal'],
    properties: { event: ref('ProvinceEvent'), province: ref('Province'), proposal: ref('Proposal') },
  },
  ApiKey: API_KEY,
  ApiKeyList: list('ApiKey'),
  ApiKeyCreated: {
    type: 'object',
    required: ['id', 'name', 'person', 'role', 'key'],
    properties: { ...API_KEY.properties, key: { type: 'string', description: 'the secret, shown this once; only its SHA-256 hash is stored', example: 'gt_…' } },
  },
  Me: {
    type: 'object',
    required: ['name', 'role'],
    properties: { name: { type: 'string', example: 'basra-desk' }, role: { type: 'string', enum: [...ROLES] } },
  },
  ...CLAIM_SCHEMAS,
  ...CONTACT_SCHEMAS,
  ...WEBHOOK_SCHEMAS,
  ChangesPage: {
    type: 'object',
    required: ['items', 'cursor', 'hasMore'],
    properties: {
      items: { type: 'array', items: ref('ProvinceEvent') },
      cursor: { type: 'string', description: 'pass back as `after` for the next pull', example: 'MTIzNDU6Njc' },
      hasMore: { type: 'boolean', description: 'more events can be read now; when false, pull again later with `cursor`', example: false },
    },
  },
  Health: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['ok'] }, database: { type: 'string', enum: ['up'] }, migrations: { type: 'string', enum: ['applied'] } },
  },
};

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;

/** `{ $ref }` to one of the schemas above, for `@ApiOkResponse({ schema: responseSchema('Province') })`. */
export function responseSchema(name: ResponseSchemaName) {
  return ref(name);
}

/** Request bodies for POST /provinces/{slug}/events, from the story. */
export const EVENT_BODY_EXAMPLES = {
  'basra-tier': {
    summary: 'Basra is placed in tier A',
    value: { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00', source: { name: 'Shafaq News', url: 'https://shafaq.com/en' } },
  },
  'kirkuk-nominee': {
    summary: 'Kirkuk: a candidate is nominated',
    value: {
      type: 'NOMINATE',
      candidate: { name: 'Rebwar Taha', nameAr: 'ريبوار طه', bloc: 'PUK' },
      occurredAt: '2024-08-10T11:00:00+03:00',
      source: { name: 'Shafaq News' },
      confidence: 'reported',
    },
  },
  'basra-day-only': {
    summary: 'Basra: the sources give the day of the session, not its hour',
    value: { type: 'CONVENE', occurredAt: '2024-01-15T12:00:00+03:00', occurredAtPrecision: 'day', source: { name: 'Shafaq News' } },
  },
  'kirkuk-appointment': {
    summary: 'Kirkuk elects its governor months after the deadline, at a session held in Baghdad',
    value: { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9, present: 9, occurredAt: '2024-08-10T15:00:00+03:00', source: { name: 'Shafaq News' } },
  },
};
