import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Text } from '../../common/text.validators.js';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';

export const SEARCH_QUERY_MAX = 100;
export const SEARCH_LIMIT_DEFAULT = 20;

export class SearchQueryDto extends CycleQueryDto {
  @ApiProperty({
    description: `A name in Arabic or Latin script, 1–${SEARCH_QUERY_MAX} characters: a province (name, Arabic name, slug, ISO code, transliteration or capital) or a person named in events. Folded before matching (see docs/api.md).`,
    minLength: 1,
    maxLength: SEARCH_QUERY_MAX,
    example: 'البصره',
  })
  @Text(1, SEARCH_QUERY_MAX)
  q: string;

  @ApiPropertyOptional({ description: 'Hits to return, best first.', type: 'integer', default: SEARCH_LIMIT_DEFAULT, minimum: 1, maximum: 50 })
  @IsOptional()
  @Matches(/^(?:[1-9]|[1-4]\d|50)$/, { message: 'limit must be a whole number from 1 to 50' })
  limit?: string;
}
