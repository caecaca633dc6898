import { Controller, Get, Headers, Inject, Injectable, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '@app/config';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { AppError } from '../common/app-error.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { ResolveCyclePipe, type CycleRef } from '../cycle/cycle-resolver.js';
import { APP_CONFIG } from '../common/tokens.js';
import { parseInstantParam } from '../common/instants.js';
import { ItemsJsonEncoder } from '../common/items-json.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { CachedRead } from '../read-cache/cached-read.interceptor.js';
import { StreamedAnswer } from '../read-cache/streamed-answer.js';
import { AsOfQueryDto, ProvinceListQueryDto } from './dto/province-query.dto.js';
import { eventsCsv, eventsFor, provincesCsv, type ProvinceView } from './province.view.js';
import { ProvincesService } from './provinces.service.js';

function readOptions(q: AsOfQueryDto) {
  return { asOf: parseInstantParam(q.asOf, 'asOf'), knownAt: parseInstantParam(q.knownAt, 'knownAt') };
}

/**
 * The province reads, routed twice: `/provinces/...` (the default cycle) and `/cycles/:cycle/provinces/...`
 * (the two controllers below); `cycle` is the cycle the path names, or the default one.
 */
@Injectable()
class ProvinceReadRoutes {
  constructor(
    private readonly provinces: ProvincesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiOperation({ summary: 'List the provinces of a cycle' })
  @Get()
  // A past or future view is a function of the data alone; the present one of the data and today's
  // date in the cycle's zone, which the cache's key holds.
  @CachedRead()
  @RequireRole('public')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'Every province (filtered); CSV with `Accept: text/csv` or `format=csv`.',
    content: { 'application/json': { schema: responseSchema('ProvinceList') }, 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems(400)
  async list(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Query() query: ProvinceListQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const read = readOptions(query);
    if (query.format === 'csv' || (!query.format && accept?.includes('text/csv'))) {
      const items: ProvinceView[] = [];
      await this.provinces.listPages(cycle.id, query, read, (page) => void items.push(...page));
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="provinces.csv"');
      return provincesCsv(items);
    }
    // `{ items }` encoded and compressed a page at a time: 10,000 provinces never exist as views, as one
    // string or as one uncompressed buffer at once. The read cache's interceptor sends the answer.
    const answer = new StreamedAnswer();
    try {
      const json = new ItemsJsonEncoder((chunk) => answer.write(chunk));
      await this.provinces.listPages(cycle.id, query, read, (page) => json.add(page));
      await json.finish();
    } catch (err) {
      answer.destroy();
      throw err;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return answer.end();
  }

  @ApiOperation({ summary: 'One province' })
  @Get(':slug')
  @RequireRole('public')
  @ApiOkResponse({ description: 'One province and the events it accepts now.', schema: responseSchema('Province'), headers: { ETag: { description: 'the quoted version', schema: { type: 'string', example: '"7"' } } } })
  @ApiProblems(400, 404)
  async get(
    @Param('cycle', ResolveCyclePipe) cycle: CycleRef,
    @Param('slug', ParseSlugPipe) slug: string,
    @Query() query: AsOfQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view } = await this.provinces.get({ cycleId: cycle.id, slug }, readOptions(query));
    // The tag is the version (SPEC §4, what If-Match checks), but daysToDeadline and deadlineStatus move
    // with the clock and the cycle's deadline: a browser must not keep the answer and revalidate it by
    // version alone. A client that asks If-None-Match itself gets its 304 (docs/api.md, HTTP).
    void reply.header('etag', `"${view.version}"`).header('cache-control', 'private, no-store');
    return view;
  }

  @ApiOperation({ summary: 'A province’s events' })
  @Get(':slug/events')
  @RequireRole('public')
  @ApiOkResponse({
    description: 'The history in occurredAt order (then seq), retracted events marked. A public key sees no internal event and no note.',
    content: { 'application/json': { schema: responseSchema('ProvinceEventList') }, 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 404)
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async history(
    @Param('cycle', ResolveCyclePipe) cycle: CycleRef,
    @Param('slug', ParseSlugPipe) slug: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw AppError.validation([{ field: 'format', message: 'format must be one of json, csv' }]);
    }
    const items = eventsFor(await this.provinces.history({ cycleId: cycle.id, slug }), seesInternal(principal), this.config.publicActorName);
    if (format === 'csv' || (!format && accept?.includes('text/csv'))) {
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${slug}-events.csv"`);
      return eventsCsv(items);
    }
    return { items };
  }

  @ApiOperation({ summary: 'A province’s governors and their terms' })
  @Get(':slug/terms')
  @RequireRole('public')
  @ApiOkResponse({
    description: 'Who held the office (elected, acting, caretaker) from when to when, and what ended each term; `asOf` gives them as they stood then.',
    schema: responseSchema('TermList'),
  })
  @ApiProblems(400, 404)
  async terms(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Query() query: AsOfQueryDto) {
    return { items: await this.provinces.terms({ cycleId: cycle.id, slug }, parseInstantParam(query.asOf, 'asOf')) };
  }
}

@ApiTags('provinces')
@ApiBearerAuth()
@Controller('provinces')
export class ProvincesController extends ProvinceReadRoutes {}

@ApiTags('provinces')
@ApiBearerAuth()
@Controller('cycles/:cycle/provinces')
export class CycleProvincesController extends ProvinceReadRoutes {}
