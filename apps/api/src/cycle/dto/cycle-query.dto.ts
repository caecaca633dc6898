import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * `?cycle=<slug>` on the reads that span provinces (alerts, digest, changes, feeds, charts, search,
 * proposals, claims): the cycle they answer for; absent, the default cycle. Query DTOs extend it. Only
 * its shape is checked here (one text); CycleResolver.scope turns it into the cycle, or a 404.
 */
export class CycleQueryDto {
  @ApiPropertyOptional({ description: 'The cycle (its slug) to answer for; default: the default cycle. An unknown cycle is a 404.', example: 'iraq-2023' })
  @IsOptional()
  @IsString({ message: 'cycle must be one cycle slug' })
  @MaxLength(100)
  cycle?: string;
}
