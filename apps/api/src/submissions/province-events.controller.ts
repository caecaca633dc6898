import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res, Injectable } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_TYPES } from '@app/workflow';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { parseIfMatch } from '../common/if-match.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { EVENT_BODY_EXAMPLES, responseSchema } from '../docs/schemas.js';
import { Idempotent, type AnswerHeaders, type IdempotentRequest } from '../idempotency/idempotency.interceptor.js';
import { EVENT_DTOS, parseEventBody } from '../provinces/dto/event-body.dto.js';
import { RetractBodyDto } from '../provinces/dto/retract-body.dto.js';
import { SubmissionsService } from './submissions.service.js';
import { ResolveCyclePipe, provincesPath, type CycleRef } from '../cycle/cycle-resolver.js';

type Answer = { event?: { seq?: unknown }; province?: { slug?: unknown; version?: unknown }; proposal?: { id?: unknown }; slug?: unknown; version?: unknown };
const isObject = (v: unknown): v is Answer => typeof v === 'object' && v !== null;

/** A proposal's Location (202), from the answer's body. */
const proposalHeaders = (body: Answer): Record<string, string> =>
  typeof body.proposal?.id === 'string' ? { location: `/api/v1/proposals/${body.proposal.id}` } : {};

/** An event POST's ETag and Location, from its answer: the same on the first answer and on every replay. */
export const eventAnswerHeaders: AnswerHeaders = (status, body) => {
  if (!isObject(body)) return {};
  if (status === 202) return proposalHeaders(body);
  const { event, province } = body;
  if (status !== 201 || typeof province?.slug !== 'string' || typeof province.version !== 'number' || typeof event?.seq !== 'number') return {};
  return { etag: `"${province.version}"`, location: `/api/v1/provinces/${province.slug}/events/${event.seq}` };
};

/** A retraction's ETag (the province after it), or its proposal's Location. */
export const retractionAnswerHeaders: AnswerHeaders = (status, body) => {
  if (!isObject(body)) return {};
  if (status === 202) return proposalHeaders(body);
  return status === 200 && typeof body.version === 'number' ? { etag: `"${body.version}"` } : {};
};

function parseSeq(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw AppError.notFound(`No event "${raw.slice(0, 20)}".`);
  return Number(raw);
}

/** The provinces' write routes: an editor's event or retraction, applied at once or proposed under the two-person rule. */
@Injectable()
class ProvinceEventsControllerRoutes {
  constructor(private readonly submissions: SubmissionsService) {}

  @ApiOperation({ summary: 'Record an event for a province' })
  @Post(':slug/events')
  @RequireRole('editor')
  @Idempotent(eventAnswerHeaders)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The quoted version last seen; 412 when stale (a weak tag, W/"…", never matches).' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response, with its ETag and Location.' })
  @ApiBody({
    schema: {
      oneOf: EVENT_TYPES.map((t) => ({ $ref: getSchemaPath(EVENT_DTOS[t]) })),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(EVENT_TYPES.map((t) => [t, getSchemaPath(EVENT_DTOS[t])])) },
    },
    examples: EVENT_BODY_EXAMPLES,
  })
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
    @Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseEventBody(body);
    const opts = { expectedVersion: parseIfMatch(ifMatch), idempotencyId: request.idempotencyId };
    const submitted = await this.submissions.submitEvent({ cycleId: cycle.id, slug }, input, principal, opts);
    if (submitted.kind === 'proposed') {
      const answer = { proposal: submitted.proposal };
      void reply.status(202).headers(eventAnswerHeaders(202, answer));
      return answer;
    }
    // The request's own form of the route (a replay answers with the default route's form).
    void reply.headers({ ...eventAnswerHeaders(201, submitted.result), location: `${provincesPath(cycle)}/${slug}/events/${submitted.result.event.seq}` });
    return submitted.result;
  }

  @ApiOperation({ summary: 'Retract an event' })
  @Post(':slug/events/:seq/retract')
  @HttpCode(200)
  @ApiParam({ name: 'seq', schema: { type: 'integer', minimum: 1 }, description: 'The event’s number in its province’s history.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The quoted version last seen; 412 when stale (a weak tag, W/"…", never matches).' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response, with its ETag and Location.' })
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
  @Idempotent(retractionAnswerHeaders)
  async retract(
    @Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string,
    @Param('seq') seq: string,
    @Body() body: RetractBodyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const submitted = await this.submissions.submitRetraction({ cycleId: cycle.id, slug }, parseSeq(seq), body.reason, principal, {
      expectedVersion: parseIfMatch(ifMatch),
      idempotencyId: request.idempotencyId,
    });
    if (submitted.kind === 'proposed') {
      const answer = { proposal: submitted.proposal };
      void reply.status(202).headers(retractionAnswerHeaders(202, answer));
      return answer;
    }
    const view = submitted.result.province;
    void reply.headers(retractionAnswerHeaders(200, view));
    return view;
  }
}

@ApiTags('provinces')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_DTOS))
@Controller('provinces')
export class ProvinceEventsController extends ProvinceEventsControllerRoutes {}

@ApiTags('provinces')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_DTOS))
@Controller('cycles/:cycle/provinces')
export class CycleProvinceEventsController extends ProvinceEventsControllerRoutes {}
