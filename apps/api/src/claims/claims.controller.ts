import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems, type ProblemSpec } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { Idempotent, type AnswerHeaders, type IdempotentRequest } from '../idempotency/idempotency.interceptor.js';
import { CLAIM_BODY_EXAMPLES } from './claim.schema.js';
import type { ClaimMove } from './claim-transitions.js';
import { ClaimsService, type ClaimStepInput } from './claims.service.js';
import { ClaimBodyDto, ClaimConfirmBodyDto, ClaimStepBodyDto, ClaimsListQueryDto, ClaimsQueryDto, parseClaimEvent } from './dto/claim-body.dto.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { CycleResolver, ResolveCyclePipe, provincesPath, writable, type CycleRef } from '../cycle/cycle-resolver.js';
import type { ProvinceRef } from '../provinces/provinces.service.js';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'Retries with the same key and body replay the first response.' };
const STEP_PROBLEMS: ProblemSpec[] = [400, 404, { status: 409, codes: ['invalid-claim-transition', 'idempotency-in-flight'] }, 413, 415, 422];

/** A new claim's Location, from the answer: the same on the first answer and on every replay. */
const claimCreatedHeaders: AnswerHeaders = (status, body): Record<string, string> => {
  const claim = body as { id?: unknown; province?: unknown } | null;
  if (status !== 201 || typeof claim?.id !== 'string' || typeof claim.province !== 'string') return {};
  return { location: `/api/v1/provinces/${claim.province}/claims/${claim.id}` };
};

function stepInput(body: ClaimStepBodyDto & { apply?: boolean }): ClaimStepInput {
  return {
    source: { name: body.source.name.trim(), url: body.source.url ?? null },
    occurredAt: body.occurredAt ?? null,
    note: body.note ?? null,
    apply: body.apply ?? false,
  };
}

/** The claims of one province: record, list, and move them (deny, confirm, retract). */
@Injectable()
class ProvinceClaimRoutes {
  constructor(private readonly claims: ClaimsService) {}

  @ApiOperation({ summary: 'Record a claim' })
  @Post(':slug/claims')
  @RequireRole('editor')
  @Idempotent(claimCreatedHeaders)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ type: ClaimBodyDto, examples: CLAIM_BODY_EXAMPLES })
  @ApiCreatedResponse({
    description: 'The claim, reported, with its first step.',
    schema: responseSchema('Claim'),
    headers: { Location: { schema: { type: 'string', example: '/api/v1/provinces/basra/claims/6f1c…' } } },
  })
  @ApiProblems(400, 404, { status: 409, codes: ['idempotency-in-flight'] }, 413, 415, 422)
  async create(
    @Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string,
    @Body() body: ClaimBodyDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: IdempotentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const event = body.event === undefined ? null : parseClaimEvent(body.event);
    const claim = await this.claims.create(
      { cycleId: writable(cycle).id, slug },
      {
        text: body.text.trim(),
        subject: body.subject?.trim() ?? null,
        event,
        source: { name: body.source.name.trim(), url: body.source.url ?? null },
        reportedAt: body.reportedAt ?? null,
        internal: body.internal ?? false,
      },
      principal,
      request.idempotencyId,
    );
    // The request's own form of the route (a replay answers with the default route's form).
    void reply.headers({ ...claimCreatedHeaders(201, claim), location: `${provincesPath(cycle)}/${slug}/claims/${claim.id}` });
    return claim;
  }

  @ApiOperation({ summary: 'A province’s claims' })
  @Get(':slug/claims')
  @RequireRole('public')
  @ApiOkResponse({ description: 'The province’s claims, newest report first; a public key sees only non-internal ones.', schema: responseSchema('ClaimList') })
  @ApiProblems(400, 404)
  async list(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Query() query: ClaimsQueryDto, @CurrentPrincipal() principal: Principal) {
    return { items: await this.claims.list({ province: { cycleId: cycle.id, slug } }, query.status, principal) };
  }

  @ApiOperation({ summary: 'One claim' })
  @Get(':slug/claims/:id')
  @RequireRole('public')
  @ApiOkResponse({ description: 'One claim with its steps.', schema: responseSchema('Claim') })
  @ApiProblems(404)
  get(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.claims.get({ cycleId: cycle.id, slug }, id, principal);
  }

  @ApiOperation({ summary: 'Record that a claim was denied' })
  @Post(':slug/claims/:id/deny')
  @HttpCode(200)
  @RequireRole('editor')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ description: 'The claim, denied (reported → denied).', schema: responseSchema('Claim') })
  @ApiProblems(...STEP_PROBLEMS)
  async deny(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Param('id') id: string, @Body() body: ClaimStepBodyDto, @CurrentPrincipal() principal: Principal, @Req() request: IdempotentRequest) {
    return (await this.move({ cycleId: writable(cycle).id, slug }, id, 'deny', body, principal, request)).claim;
  }

  @ApiOperation({ summary: 'Confirm a claim, and apply its event if asked' })
  @Post(':slug/claims/:id/confirm')
  @HttpCode(200)
  @RequireRole('editor')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({
    description: 'The claim, confirmed (reported or denied → confirmed); with `apply: true` also the event appended and the province after it.',
    schema: responseSchema('ClaimConfirmed'),
  })
  @ApiProblems(400, 404, { status: 409, codes: ['invalid-claim-transition', 'invalid-transition', 'guard-failed', 'history-conflict', 'idempotency-in-flight'] }, 413, 415, 422)
  confirm(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Param('id') id: string, @Body() body: ClaimConfirmBodyDto, @CurrentPrincipal() principal: Principal, @Req() request: IdempotentRequest) {
    return this.move({ cycleId: writable(cycle).id, slug }, id, 'confirm', body, principal, request);
  }

  @ApiOperation({ summary: 'Retract a claim' })
  @Post(':slug/claims/:id/retract')
  @HttpCode(200)
  @RequireRole('editor')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ description: 'The claim, retracted: the report withdrawn (an applied event stays until retracted itself).', schema: responseSchema('Claim') })
  @ApiProblems(...STEP_PROBLEMS)
  async retract(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Param('id') id: string, @Body() body: ClaimStepBodyDto, @CurrentPrincipal() principal: Principal, @Req() request: IdempotentRequest) {
    return (await this.move({ cycleId: writable(cycle).id, slug }, id, 'retract', body, principal, request)).claim;
  }

  private move(ref: ProvinceRef, id: string, move: ClaimMove, body: ClaimStepBodyDto, principal: Principal, request: IdempotentRequest) {
    return this.claims.move(ref, id, move, stepInput(body), principal, request.idempotencyId);
  }
}

@ApiTags('claims')
@ApiBearerAuth()
@Controller('provinces')
export class ProvinceClaimsController extends ProvinceClaimRoutes {}

@ApiTags('claims')
@ApiBearerAuth()
@Controller('cycles/:cycle/provinces')
export class CycleProvinceClaimsController extends ProvinceClaimRoutes {}

/** Every province's claims in a cycle, for the desk and the board. */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('claims')
export class ClaimsController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'Claims of every province of a cycle' })
  @Get()
  @RequireRole('public')
  @ApiOkResponse({
    description: 'Claims of every province of one cycle (`cycle`, default: the default cycle), newest report first; a public key sees only non-internal ones.',
    schema: responseSchema('ClaimList'),
  })
  @ApiProblems(400, 404)
  async list(@Query() query: ClaimsListQueryDto, @CurrentPrincipal() principal: Principal) {
    return { items: await this.claims.list({ cycleId: (await this.cycles.scope(query.cycle)).id }, query.status, principal) };
  }
}
