import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_TYPES } from '@app/workflow';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { AppError } from '../common/app-error.js';
import { parseIfMatch } from '../common/if-match.js';
import { parseInstantParam } from '../common/instants.js';
import { ItemsJsonEncoder } from '../common/items-json.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { EVENT_BODY_EXAMPLES, responseSchema } from '../docs/schemas.js';
import { Idempotent, type IdempotentRequest } from '../idempotency/idempotency.interceptor.js';
import { CachedRead } from '../read-cache/cached-read.interceptor.js';
import { StreamedAnswer } from '../read-cache/streamed-answer.js';
import { APPROVAL_EVENT_TYPES, ProposalsService } from '../proposals/proposals.service.js';
import { EVENT_DTOS, parseEventBody } from './dto/event-body.dto.js';
import { AsOfQueryDto, ProvinceListQueryDto } from './dto/province-query.dto.js';
import { RetractBodyDto } from './dto/retract-body.dto.js';
import { eventsCsv, eventsFor, provincesCsv, type ProvinceView } from './province.view.js';
import { ProvincesService } from './provinces.service.js';

function readOptions(q: AsOfQueryDto) {
  return { asOf: parseInstantParam(q.asOf, 'asOf'), knownAt: parseInstantParam(q.knownAt, 'knownAt') };
}

function parseSeq(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw AppError.notFound(`No event "${raw.slice(0, 20)}".`);
  return Number(raw);
}

@ApiTags('provinces')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_DTOS))
@Controller('provinces')
export class ProvincesController {
  constructor(
    private readonly provinces: ProvincesService,
    private readonly proposals: ProposalsService,
  ) {}

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
  async list(@Query() query: ProvinceListQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const read = readOptions(query);
    if (query.format === 'csv' || (!query.format && accept?.includes('text/csv'))) {
      const items: ProvinceView[] = [];
      await this.provinces.listPages(query, read, (page) => void items.push(...page));
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="provinces.csv"');
      return provincesCsv(items);
    }
    // `{ items }` encoded and compressed a page at a time: 10,000 provinces never exist as views, as one
    // string or as one uncompressed buffer at once. The read cache's interceptor sends the answer.
    const answer = new StreamedAnswer();
    try {
      const json = new ItemsJsonEncoder((chunk) => answer.write(chunk));
      await this.provinces.listPages(query, read, (page) => json.add(page));
      await json.finish();
    } catch (err) {
      answer.destroy();
      throw err;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return answer.end();
  }

  @Get(':slug')
  @RequireRole('public')
  @ApiOkResponse({ description: 'One province and the events it accepts now.', schema: responseSchema('Province'), headers: { ETag: { description: 'the quoted version', schema: { type: 'string', example: '"7"' } } } })
  @ApiProblems(400, 404)
  async get(@Param('slug') slug: string, @Query() query: AsOfQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view } = await this.provinces.get(slug, readOptions(query));
    void reply.header('etag', `"${view.version}"`);
    return view;
  }

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
    @Param('slug') slug: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw AppError.validation([{ field: 'format', message: 'format must be one of json, csv' }]);
    }
    const items = eventsFor(await this.provinces.history(slug), seesInternal(principal));
    if (format === 'csv' || (!format && accept?.includes('text/csv'))) {
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${slug}-events.csv"`);
      return eventsCsv(items);
    }
    return { items };
  }

  @Post(':slug/events')
  @RequireRole('editor')
  @Idempotent()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The quoted version last seen; 412 when stale.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response.' })
  @ApiBody({ schema: { oneOf: EVENT_TYPES.map((t) => ({ $ref: getSchemaPath(EVENT_DTOS[t]) })) }, examples: EVENT_BODY_EXAMPLES })
  @ApiCreatedResponse({
    description: 'The stored event and the province after it.',
    schema: responseSchema('EventAccepted'),
    headers: { ETag: { schema: { type: 'string', example: '"8"' } }, Location: { schema: { type: 'string', example: '/api/v1/provinces/kirkuk/events/8' } } },
  })
  @ApiAcceptedResponse({
    description:
      'Two-person rule (the cycle’s `requireApproval`): an APPOINT, REVOKE or SET_DEADLINE the workflow would accept now is stored as a ' +
      'pending proposal, applied when a second editor approves it (POST /proposals/{id}/approve).',
    schema: responseSchema('ProposalAccepted'),
    headers: { Location: { schema: { type: 'string', example: '/api/v1/proposals/0b6f0d4e-2a53-4c1e-9a0e-5d1c1f7f4b2a' } } },
  })
  @ApiProblems(400, 404, { status: 409, codes: ['invalid-transition', 'guard-failed', 'history-conflict', 'idempotency-in-flight'] }, 412, 413, 415, 422)
  async append(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseEventBody(body);
    const opts = { expectedVersion: parseIfMatch(ifMatch), idempotencyId: request.idempotencyId };
    let result;
    if (APPROVAL_EVENT_TYPES.includes(input.payload.type)) {
      const submitted = await this.proposals.submit(slug, input, principal, opts);
      if (submitted.kind === 'proposed') {
        void reply.status(202).header('location', `/api/v1/proposals/${submitted.proposal.id}`);
        return { proposal: submitted.proposal };
      }
      result = submitted.result;
    } else {
      result = await this.provinces.append(slug, input, principal, opts);
    }
    void reply.header('etag', `"${result.province.version}"`).header('location', `/api/v1/provinces/${slug}/events/${result.event.seq}`);
    return result;
  }

  @Post(':slug/events/:seq/retract')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The quoted version last seen; 412 when stale.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response.' })
  @ApiOkResponse({ description: 'The province, replayed without the event.', schema: responseSchema('Province') })
  @ApiAcceptedResponse({
    description:
      'Two-person rule (the cycle’s `requireApproval`): the retraction of an APPOINT, REVOKE or SET_DEADLINE that would succeed now is ' +
      'stored as a pending RETRACT proposal, applied when a second editor approves it (POST /proposals/{id}/approve).',
    schema: responseSchema('ProposalAccepted'),
    headers: { Location: { schema: { type: 'string', example: '/api/v1/proposals/0b6f0d4e-2a53-4c1e-9a0e-5d1c1f7f4b2a' } } },
  })
  @ApiProblems(400, 404, { status: 409, codes: ['history-conflict', 'already-retracted', 'idempotency-in-flight'] }, 412, 413, 415, 422)
  @RequireRole('editor')
  @Idempotent()
  async retract(
    @Param('slug') slug: string,
    @Param('seq') seq: string,
    @Body() body: RetractBodyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const submitted = await this.proposals.submitRetraction(slug, parseSeq(seq), body.reason, principal, {
      expectedVersion: parseIfMatch(ifMatch),
      idempotencyId: request.idempotencyId,
    });
    if (submitted.kind === 'proposed') {
      void reply.status(202).header('location', `/api/v1/proposals/${submitted.proposal.id}`);
      return { proposal: submitted.proposal };
    }
    const view = submitted.result.province;
    void reply.header('etag', `"${view.version}"`);
    return view;
  }
}
