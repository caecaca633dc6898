import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEADLINE_STATUSES, STAGES, TIERS, type DeadlineStatus, type Stage, type Tier } from '@app/workflow';
import { IsInstant } from '../../common/text.validators.js';

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'Rebuild as the province stood at this instant.', example: '2024-02-10T00:00:00+03:00' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Count only what had been recorded by this instant.' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class ProvinceListQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional({ enum: [...TIERS, 'none'] }) @IsOptional() @IsIn([...TIERS, 'none']) tier?: Tier | 'none';
  @ApiPropertyOptional({ enum: DEADLINE_STATUSES }) @IsOptional() @IsIn(DEADLINE_STATUSES) status?: DeadlineStatus;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
