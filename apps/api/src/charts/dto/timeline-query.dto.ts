import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TIERS, type Tier } from '@app/workflow';
import { IsCalendarDate, IsInstant } from '../../common/text.validators.js';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';

export class TimelineQueryDto extends CycleQueryDto {
  @ApiPropertyOptional({ description: "The last day drawn (a day in the cycle's time zone); default today.", example: '2024-02-10' })
  @IsOptional()
  @IsCalendarDate()
  until?: string;

  @ApiPropertyOptional({ description: 'Draw the history as it stood at this instant (the axis ends there).', example: '2024-02-10T00:00:00+03:00' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ enum: [...TIERS, 'none'], description: 'Only provinces in this tier (as they stood at the cut-off).' })
  @IsOptional()
  @IsIn([...TIERS, 'none'])
  tier?: Tier | 'none';

  @ApiPropertyOptional({ description: "One province's own history (its slug).", example: 'basra' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'province must be a province slug' })
  province?: string;
}
