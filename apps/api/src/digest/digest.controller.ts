import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CachedRead } from '../read-cache/cached-read.interceptor.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { renderDigestMarkdown } from './digest.markdown.js';
import { DIGEST_SCHEMA } from './digest.schema.js';
import { DigestService } from './digest.service.js';
import { DIGEST_FORMATS, DigestQueryDto } from './dto/digest-query.dto.js';

@ApiTags('digest')
@ApiBearerAuth()
@Controller('digest')
export class DigestController {
  constructor(private readonly digest: DigestService) {}

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
  @ApiOkResponse({
    description:
      'Totals at the end of the day, its changes, reports, corrections, alerts and claims, and every province. ' +
      'A public key gets the publishable digest: no internal report or claim, no correction of an internal event.',
    content: {
      'application/json': { schema: DIGEST_SCHEMA },
      'text/markdown': { schema: { type: 'string' }, example: '# Governor selection digest — Saturday 10 February 2024\n…' },
    },
  })
  async get(
    @Query() query: DigestQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const digest = await this.digest.forDay(query.date, new Date(), seesInternal(principal));
    void reply.header('vary', 'Accept');
    if (query.format === 'md' || (!query.format && accept?.includes('text/markdown'))) {
      void reply.header('content-type', 'text/markdown; charset=utf-8');
      return renderDigestMarkdown(digest);
    }
    return digest;
  }
}
