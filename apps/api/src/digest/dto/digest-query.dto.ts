import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/text.validators.js';

export const DIGEST_FORMATS = ['json', 'md'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

/** GET /digest query; documented on the controller with @ApiQuery. */
export class DigestQueryDto {
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsIn(DIGEST_FORMATS, { message: 'format must be json or md' })
  format?: DigestFormat;
}
