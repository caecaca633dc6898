import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';

export class ChangesQueryDto extends CycleQueryDto {
  @ApiPropertyOptional({ description: 'The `cursor` of the previous pull; omit it to start from the first event.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @ApiPropertyOptional({ description: 'Events per page.', type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: string;
}

/** The Atom feeds take only the cycle. */
export class FeedQueryDto extends CycleQueryDto {}
