import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { CYCLE_STATUSES, type CycleStatus } from '@app/database';
import { IsCalendarDate, Text } from '../../common/text.validators.js';

/**
 * A vacancy's clock: N calendar days (in the cycle's zone) after the VACATE that opens it, or a fixed day;
 * with its written basis. Law 21 of 2008 as amended is the basis to cite; no period is assumed.
 */
export class VacancyRuleDto {
  @ApiPropertyOptional({ example: 'VACATE', enum: ['VACATE'], description: 'the clock runs from the vacancy (with `days`)' })
  @IsOptional()
  @Equals('VACATE')
  after?: 'VACATE';

  @ApiPropertyOptional({ example: 15, description: 'calendar days after the vacancy’s day (with `after`)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3660)
  days?: number;

  @ApiPropertyOptional({ example: '2024-03-01', description: 'a fixed day instead (without `after`/`days`)' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ example: 'Law 21 of 2008 as amended, Art. …: a new governor within 15 days of the vacancy.' })
  @Text(1, 2000)
  basis: string;
}

export class PatchCycleDto {
  @ApiPropertyOptional({ example: 'Iraq provincial councils 2023', description: 'The cycle’s name.' })
  @IsOptional()
  @Text(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'مجالس المحافظات ٢٠٢٣', nullable: true, description: 'Its Arabic name.' })
  @IsOptional()
  @Text(1, 200)
  nameAr?: string;

  @ApiPropertyOptional({ example: '2024-02-19', description: 'The legal deadline (a day in the cycle’s time zone).' })
  @IsOptional()
  @IsCalendarDate()
  deadline?: string;

  @ApiPropertyOptional({ example: 'Federal Court ruling of 12 February 2024 extended the deadline by ten days.' })
  @IsOptional()
  @Text(1, 2000)
  deadlineBasis?: string;

  @ApiPropertyOptional({ type: VacancyRuleDto, nullable: true, description: 'Each vacancy’s clock; null: none until an editor sets one (SET_DEADLINE).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VacancyRuleDto)
  vacancyDeadline?: VacancyRuleDto | null;

  @ApiPropertyOptional({ example: 21 }) @IsOptional() @IsInt() @Min(0) @Max(366) tierByDays?: number;
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(0) @Max(366) candidateByDays?: number;

  @ApiPropertyOptional({
    example: true,
    description:
      'The two-person rule: APPOINT, REVOKE and SET_DEADLINE are proposed (202) and applied when a second editor approves. ' +
      'Turning it off leaves pending proposals approvable.',
  })
  @IsOptional()
  @IsBoolean()
  requireApproval?: boolean;

  @ApiPropertyOptional({ example: true, description: 'Make this cycle the default (the routes without a cycle answer for it). Only `true`.' })
  @IsOptional()
  @IsBoolean()
  default?: boolean;

  @ApiPropertyOptional({ enum: CYCLE_STATUSES, description: '`archived`: read-only (writes answer 409 cycle-archived).' })
  @IsOptional()
  @IsIn(CYCLE_STATUSES)
  status?: CycleStatus;
}
