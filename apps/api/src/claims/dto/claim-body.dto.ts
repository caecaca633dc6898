import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FormationPayload } from '@app/workflow';
import { AppError } from '../../common/app-error.js';
import { IsInstant, Text } from '../../common/text.validators.js';
import { SourceDto, SourceField, parseEventBody } from '../../provinces/dto/event-body.dto.js';
import { CLAIM_STATUS_FILTERS, type ClaimStatusFilter } from '../claim-transitions.js';

export class ClaimBodyDto {
  @ApiProperty({ example: 'Asaad Al-Eidani will be re-elected governor of Basra', description: 'What is claimed, in the reporter’s words.' })
  @Text(1, 2000)
  text: string;

  @ApiPropertyOptional({ example: 'Asaad Al-Eidani', description: 'The person or bloc the claim is about.' })
  @IsOptional()
  @Text(1, 200)
  subject?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The machine event the claim describes, validated like a POST /provinces/{slug}/events body without source, occurredAt, confidence or note. ' +
      'Confirming the claim with `apply: true` appends it.',
    example: { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 16, present: 21 },
  })
  @IsOptional()
  @IsObject()
  event?: Record<string, unknown>;

  @SourceField()
  source: SourceDto;

  @ApiPropertyOptional({ format: 'date-time', example: '2024-01-20T18:00:00+03:00', description: 'When the claim was made (default now); not in the future, not before election day.' })
  @IsOptional()
  @IsInstant()
  reportedAt?: string;

  @ApiPropertyOptional({ default: false, description: 'Internal claims (anonymous sources) never leave through public surfaces.' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export class ClaimStepBodyDto {
  @SourceField()
  source: SourceDto;

  @ApiPropertyOptional({ format: 'date-time', example: '2024-01-21T10:00:00+03:00', description: 'When it happened (default now); not before the claim’s previous step.' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;

  @ApiPropertyOptional({ example: 'The council spokesman denied it on Al-Sumaria.' })
  @IsOptional()
  @Text(1, 5000)
  note?: string;
}

export class ClaimConfirmBodyDto extends ClaimStepBodyDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Also append the claim’s event to the province, in the same transaction; if the workflow refuses it, nothing changes.',
  })
  @IsOptional()
  @IsBoolean()
  apply?: boolean;
}

export class ClaimsQueryDto {
  @ApiPropertyOptional({ enum: CLAIM_STATUS_FILTERS, description: '`open`: reported or denied (live and unconfirmed).' })
  @IsOptional()
  @IsIn(CLAIM_STATUS_FILTERS)
  status?: ClaimStatusFilter;
}

/** GET /claims (every province of a cycle): the status filter and `?cycle=`. */
export class ClaimsListQueryDto extends ClaimsQueryDto {
  @ApiPropertyOptional({ description: 'The cycle (its slug) to answer for; default: the default cycle. An unknown cycle is a 404.', example: 'iraq-2023' })
  @IsOptional()
  @IsString({ message: 'cycle must be one cycle slug' })
  @MaxLength(100)
  cycle?: string;
}

const NOT_IN_CLAIM_EVENT = ['source', 'occurredAt', 'occurredAtPrecision', 'confidence', 'note'];

/**
 * The machine event a claim describes: a POST /events body without its common fields, validated by
 * the same DTOs (its errors are named `event.<field>`). Returns the payload as the machine takes it.
 */
export function parseClaimEvent(event: Record<string, unknown>): FormationPayload {
  const misplaced = NOT_IN_CLAIM_EVENT.filter((k) => k in event);
  if (misplaced.length > 0) {
    throw AppError.validation(misplaced.map((k) => ({ field: `event.${k}`, message: `${k} belongs to the claim or its confirmation, not to its event` })));
  }
  try {
    return parseEventBody({ ...event, source: { name: 'claim' } }).payload;
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation') {
      const errors = (error.extensions.errors as { field: string; message: string }[]).map((e) => ({ field: `event.${e.field}`, message: e.message }));
      throw AppError.validation(errors);
    }
    throw error;
  }
}
