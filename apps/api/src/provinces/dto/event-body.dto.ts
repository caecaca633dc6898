import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUrl, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { EVENT_TYPES, REPORT_KINDS, TIERS, type EventType, type FormationPayload, type ReportKind, type Tier } from '@app/workflow';
import { AppError } from '../../common/app-error.js';
import { IsCalendarDate, IsInstant, Text } from '../../common/text.validators.js';
import { validateInto } from '../../common/validation.js';

export class SourceDto {
  @ApiProperty({ example: 'Shafaq News' })
  @Text(1, 300)
  name: string;

  @ApiPropertyOptional({ example: 'https://shafaq.com/en/Iraq/…' })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'source.url must be an http(s) URL' })
  url?: string;
}

/** The required `source` of an event or a claim step: an object, validated as a SourceDto. */
export const SourceField = () =>
  applyDecorators(ApiProperty({ type: SourceDto }), IsDefined(), IsObject(), ValidateNested(), Type(() => SourceDto));

/** The fields every event carries (SPEC §2, "Common fields"). */
export class EventCommonDto {
  @ApiProperty({ enum: EVENT_TYPES, example: 'APPOINT' })
  @IsIn(EVENT_TYPES)
  type: EventType;

  @ApiPropertyOptional({ example: '2024-02-09T23:30:00+03:00', description: 'When it happened (ISO 8601 with offset); default now.' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;

  @SourceField()
  source: SourceDto;

  @ApiPropertyOptional({ enum: ['confirmed', 'reported'], default: 'confirmed' })
  @IsOptional()
  @IsIn(['confirmed', 'reported'])
  confidence?: 'confirmed' | 'reported';

  @ApiPropertyOptional({ description: 'Newsroom-only text: never shown to a public key (GET …/events, /changes and the feeds strip it).' })
  @IsOptional()
  @Text(1, 5000)
  note?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Newsroom-only: the event never leaves through a public surface (public keys, the public digest and feeds). ' +
      'Only REPORT events may be internal; a state change shows in every public snapshot anyway.',
  })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export class PersonDto {
  @ApiProperty({ example: 'Asaad Al-Eidani' })
  @Text(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'أسعد العيداني' })
  @IsOptional()
  @Text(1, 200)
  nameAr?: string;

  @ApiPropertyOptional({ example: 'Tasmim' })
  @IsOptional()
  @Text(1, 200)
  bloc?: string;
}

export class SetCriteriaEventDto extends EventCommonDto {
  @ApiProperty() @Text(1, 5000) criteria: string;
}
export class AssignTierEventDto extends EventCommonDto {
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS) tier: Tier;
}
export class ConveneEventDto extends EventCommonDto {
  @ApiPropertyOptional() @IsOptional() @Text(1, 200) chair?: string;
}
export class NominateEventDto extends EventCommonDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  candidate: PersonDto;
}
export class WithdrawEventDto extends EventCommonDto {
  @ApiProperty({ description: 'the nominee’s name' }) @Text(1, 200) candidate: string;
  @ApiPropertyOptional() @IsOptional() @Text(1, 2000) reason?: string;
}
export class AppointEventDto extends EventCommonDto {
  @ApiProperty({ description: 'a nominee’s name' }) @Text(1, 200) governor: string;
  @ApiPropertyOptional({ example: 9 }) @IsOptional() @IsInt() @Min(0) @Max(1000) votes?: number;
  @ApiPropertyOptional({ example: 15 }) @IsOptional() @IsInt() @Min(0) @Max(1000) present?: number;
}
export class DecreeEventDto extends EventCommonDto {
  @ApiPropertyOptional({ example: '2024-02-20' }) @IsOptional() @IsCalendarDate() decreeDate?: string;
}
export class RevokeEventDto extends EventCommonDto {
  @ApiProperty({ example: 'President refused the decree' }) @Text(1, 2000) reason: string;
}
export class SetDeadlineEventDto extends EventCommonDto {
  @ApiProperty({ example: '2024-02-20' }) @IsCalendarDate() deadline: string;
  @ApiProperty({ example: 'Law 21 of 2008, Art. 7: 30 days after the first session' }) @Text(1, 2000) basis: string;
}
export class ReportEventDto extends EventCommonDto {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS) kind: ReportKind;
  @ApiProperty({ example: 'Alliance source names X for Basra; denied by Y' }) @Text(1, 5000) text: string;
}

export const EVENT_DTOS: Record<EventType, new () => EventCommonDto> = {
  SET_CRITERIA: SetCriteriaEventDto,
  ASSIGN_TIER: AssignTierEventDto,
  CONVENE: ConveneEventDto,
  NOMINATE: NominateEventDto,
  WITHDRAW: WithdrawEventDto,
  APPOINT: AppointEventDto,
  DECREE: DecreeEventDto,
  REVOKE: RevokeEventDto,
  SET_DEADLINE: SetDeadlineEventDto,
  REPORT: ReportEventDto,
};

/** A validated event request: the machine's payload, and the common fields kept beside it. */
export interface EventInput {
  payload: FormationPayload;
  occurredAt: string | null;
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
  const { type: _t, occurredAt, source, confidence, note, internal, ...fields } = dto;
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
    source: { name: source.name.trim(), url: source.url ?? null },
    confidence: confidence ?? 'confirmed',
    note: note ?? null,
    internal: internal ?? false,
  };
}
