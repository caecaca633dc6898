import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_TYPES } from '@app/workflow';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { parseIfMatch } from '../common/if-match.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { EVENT_BODY_EXAMPLES, responseSchema } from '../docs/schemas.js';
import { Idempotent, type IdempotentRequest } from '../idempotency/idempotency.interceptor.js';
import { EVENT_DTOS, parseEventBody } from '../provinces/dto/event-body.dto.js';
import { RetractBodyDto } from '../provinces/dto/retract-body.dto.js';
import { SubmissionsService } from './submissions.service.js';

function parseSeq(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw AppError.notFound(`No event "${raw.slice(0, 20)}".`);
  return Number(raw);
}

/** The provinces' write routes: an editor's event or retraction, applied at once or proposed under the two-person rule. */
@ApiTags('provinces')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_DTOS))
@Controller('provinces')
export class ProvinceEventsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post(':slug/events')
  @RequireRole('editor')
  @Idempotent()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The quoted version last seen; 412 when stale.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response.' })
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
    @Param('slug', ParseSlugPipe) slug: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseEventBody(body);
    const opts = { expectedVersion: parseIfMatch(ifMatch), idempotencyId: request.idempotencyId };
    const submitted = await this.submissions.submitEvent(slug, input, principal, opts);
    if (submitted.kind === 'proposed') {
      void reply.status(202).header('location', `/api/v1/proposals/${submitted.proposal.id}`);
      return { proposal: submitted.proposal };
    }
    const result = submitted.result;
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
    @Param('slug', ParseSlugPipe) slug: string,
    @Param('seq') seq: string,
    @Body() body: RetractBodyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const submitted = await this.submissions.submitRetraction(slug, parseSeq(seq), body.reason, principal, {
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
