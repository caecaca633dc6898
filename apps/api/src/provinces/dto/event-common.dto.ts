import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsUrl, MaxLength, ValidateNested } from 'class-validator';
import { EVENT_TYPES, OCCURRED_AT_PRECISIONS, type EventType, type OccurredAtPrecision } from '@app/workflow';
import { IsInstant, Text } from '../../common/text.validators.js';

// The parts every event body shares; each event type's own body (../event-catalogue.ts) extends EventCommonDto.

export class SourceDto {
  @ApiProperty({ example: 'Shafaq News' })
  @Text(1, 300)
  name: string;

  @ApiPropertyOptional({ format: 'uri', example: 'https://shafaq.com/en/Iraq' })
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

  @ApiPropertyOptional({ format: 'date-time', example: '2024-02-09T23:30:00+03:00', description: 'When it happened (ISO 8601 with offset); default now.' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;

  @ApiPropertyOptional({
    enum: OCCURRED_AT_PRECISIONS,
    default: 'minute',
    description:
      "How precisely occurredAt is known. 'day': the sources report only the day. occurredAt is then required and stored as sent: " +
      "its day in the cycle's zone is the claim, its time of day only orders the event among that day's others, and every printed form shows the day alone.",
  })
  @IsOptional()
  @IsIn(OCCURRED_AT_PRECISIONS)
  occurredAtPrecision?: OccurredAtPrecision;

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
