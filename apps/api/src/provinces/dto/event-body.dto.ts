import { EVENT_TYPES, type EventType, type FormationPayload, type OccurredAtPrecision } from '@app/workflow';
import { AppError } from '../../common/app-error.js';
import { validateInto } from '../../common/validation.js';
import { EVENT_CATALOGUE } from '../event-catalogue.js';
import type { EventCommonDto } from './event-common.dto.js';

export { SourceDto, SourceField } from './event-common.dto.js';

/** Each event type's request body, from the event catalogue (the OpenAPI document lists them all). */
export const EVENT_DTOS = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_CATALOGUE[type].dto])) as Record<
  EventType,
  new () => EventCommonDto
>;

/** A validated event request: the machine's payload, and the common fields kept beside it. */
export interface EventInput {
  payload: FormationPayload;
  occurredAt: string | null;
  /** 'day': only the day of occurredAt (then given) is claimed. */
  occurredAtPrecision: OccurredAtPrecision;
  source: { name: string; url: string | null };
  confidence: 'confirmed' | 'reported';
  note: string | null;
  internal: boolean;
}

/** The event types that may be marked internal: those that change nothing a public snapshot shows. */
export const INTERNAL_EVENT_TYPES: readonly EventType[] = ['REPORT'];

/** Validate a POST /provinces/:slug/events body: first its type, then the fields of that type. */
export function parseEventBody(body: unknown): EventInput {
  const type = (body as { type?: unknown } | null)?.type;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw AppError.validation([{ field: 'body', message: 'must be a JSON object' }]);
  }
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw AppError.validation([{ field: 'type', message: `type must be one of ${EVENT_TYPES.join(', ')}` }]);
  }
  const dto = validateInto(EVENT_DTOS[type as EventType], body) as EventCommonDto & Record<string, unknown>;
  const { type: _t, occurredAt, occurredAtPrecision, source, confidence, note, internal, ...fields } = dto;
  if (occurredAtPrecision === 'day' && occurredAt === undefined) {
    throw AppError.validation(
      [{ field: 'occurredAt', message: "is required when occurredAtPrecision is 'day': the day is what the event claims" }],
      "occurredAt is required when occurredAtPrecision is 'day'.",
    );
  }
  if (internal && !INTERNAL_EVENT_TYPES.includes(type as EventType)) {
    throw AppError.validation(
      [{ field: 'internal', message: `only ${INTERNAL_EVENT_TYPES.join(', ')} events may be internal: a ${type} changes the province, which every public view shows` }],
      `A ${type} cannot be internal: it changes the province, which every public view shows.`,
    );
  }
  const payload = { type, ...JSON.parse(JSON.stringify(fields)) } as FormationPayload;
  return {
    payload,
    occurredAt: occurredAt ?? null,
    occurredAtPrecision: occurredAtPrecision ?? 'minute',
    source: { name: source.name.trim(), url: source.url ?? null },
    confidence: confidence ?? 'confirmed',
    note: note ?? null,
    internal: internal ?? false,
  };
}
