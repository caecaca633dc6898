import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CachedRead } from '../read-cache/cached-read.interceptor.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { labelDigest } from './digest.builder.js';
import { DIGEST_LANGS, digestMessages } from './digest.i18n.js';
import { renderDigestMarkdown } from './digest.markdown.js';
import { DIGEST_SCHEMA } from './digest.schema.js';
import { DigestService } from './digest.service.js';
import { DIGEST_FORMATS, DigestQueryDto, preferredLang } from './dto/digest-query.dto.js';

@ApiTags('digest')
@ApiBearerAuth()
@Controller('digest')
export class DigestController {
  constructor(
    private readonly digest: DigestService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'One day in Baghdad, as JSON or Markdown' })
  @Get()
  @CachedRead()
  @RequireRole('public')
  @ApiProduces('application/json', 'text/markdown')
  @ApiQuery({
    name: 'date',
    required: false,
    description: "A day in the cycle's time zone (YYYY-MM-DD); default today there.",
    example: '2024-02-10',
  })
  @ApiQuery({ name: 'format', required: false, enum: DIGEST_FORMATS, description: 'md for Markdown (as does Accept: text/markdown).' })
  @ApiQuery({
    name: 'lang',
    required: false,
    enum: DIGEST_LANGS,
    description:
      'Language of the digest (default en, or ar when Accept-Language prefers Arabic). ar: the headline and summaries in Arabic, `lang` and `…Label` fields beside the codes (every key of the English digest is kept), dates in Arabic with Iraqi month names and the Hijri date; the Markdown wholly in Arabic, right to left.',
  })
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'Used when `lang` is absent: ar, ar-IQ, … choose Arabic.' })
  @ApiOkResponse({
    description:
      'One cycle’s day (`cycle`, default: the default cycle): totals at the end of the day, its changes, reports, corrections, alerts and claims, and every province. ' +
      'A public key gets the publishable digest: no internal report or claim, no correction of an internal event. ' +
      'Content-Language names the language.',
    content: {
      'application/json': { schema: DIGEST_SCHEMA },
      'text/markdown': { schema: { type: 'string' }, example: '# Governor selection digest — Saturday 10 February 2024\n…' },
    },
  })
  @ApiProblems(400, 404)
  async get(
    @Query() query: DigestQueryDto,
    @Headers('accept') accept: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const lang = query.lang ?? preferredLang(acceptLanguage);
    const m = digestMessages(lang);
    const digest = await this.digest.forDay(await this.cycles.scope(query.cycle), query.date, m, new Date(), seesInternal(principal));
    void reply.header('vary', 'Accept, Accept-Language');
    void reply.header('content-language', lang);
    if (query.format === 'md' || (!query.format && accept?.includes('text/markdown'))) {
      void reply.header('content-type', 'text/markdown; charset=utf-8');
      return renderDigestMarkdown(digest, m);
    }
    return lang === 'en' ? digest : labelDigest(digest, m);
  }
}
