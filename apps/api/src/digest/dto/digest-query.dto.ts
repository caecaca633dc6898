import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/text.validators.js';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';
import { DIGEST_LANGS, type DigestLang } from '../digest.i18n.js';

export const DIGEST_FORMATS = ['json', 'md'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

/** GET /digest query; documented on the controller with @ApiQuery (and `cycle` by its DTO). */
export class DigestQueryDto extends CycleQueryDto {
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsIn(DIGEST_FORMATS, { message: 'format must be json or md' })
  format?: DigestFormat;

  @IsOptional()
  @IsIn(DIGEST_LANGS, { message: `lang must be one of ${DIGEST_LANGS.join(', ')}` })
  lang?: DigestLang;
}

/**
 * The digest language an Accept-Language header prefers among ours (RFC 9110 §12.5.4: the highest
 * q wins, ties in the order given; `ar-IQ` counts as `ar`); English when it names neither.
 */
export function preferredLang(header: string | undefined): DigestLang {
  let best: { lang: DigestLang; q: number } | null = null;
  for (const part of (header ?? '').split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0] as DigestLang;
    if (!(DIGEST_LANGS as readonly string[]).includes(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang: primary, q };
  }
  return best?.lang ?? 'en';
}
