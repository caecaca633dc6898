import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import type { AcceptedEventRequest } from '../metrics/http-metrics.js';
import { responseSchema } from '../docs/schemas.js';
import { ProposalListQueryDto } from './dto/proposal-query.dto.js';
import { RejectProposalDto } from './dto/reject-body.dto.js';
import { ProposalsService } from './proposals.service.js';

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'List proposals (two-person rule)' })
  @Get()
  @ApiOkResponse({
    description: 'One cycle’s proposals (`cycle`, default: the default cycle), newest first (the latest 1,000); pending ones by default.',
    schema: responseSchema('ProposalList'),
  })
  @ApiProblems(400, 404)
  async list(@Query() query: ProposalListQueryDto) {
    return { items: await this.proposals.list((await this.cycles.scope(query.cycle)).id, query.status) };
  }

  @ApiOperation({ summary: 'One proposal' })
  @Get(':id')
  @ApiOkResponse({ description: 'One proposal.', schema: responseSchema('Proposal') })
  @ApiProblems(404)
  get(@Param('id') id: string) {
    return this.proposals.get(id);
  }

  /** A second editor applies the event through the normal write path. */
  @ApiOperation({ summary: 'Approve a proposal: a second editor applies its event' })
  @Post(':id/approve')
  @RequireRole('editor')
  @ApiCreatedResponse({
    description:
      'The event applied (actor: the proposer, approvedBy: the approver), the province after it, and the proposal marked applied. ' +
      'For a RETRACT proposal, `event` is the retracted event as the history shows it (retracted: true, retractedBy: the proposer).',
    schema: responseSchema('ProposalApplied'),
    headers: { ETag: { schema: { type: 'string', example: '"9"' } }, Location: { schema: { type: 'string', example: '/api/v1/provinces/kirkuk/events/9' } } },
  })
  @ApiProblems(
    404,
    { status: 403, codes: ['forbidden', 'self-approval'] },
    { status: 409, codes: ['proposal-stale', 'proposal-not-pending', 'invalid-transition', 'guard-failed', 'history-conflict'] },
  )
  async approve(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AcceptedEventRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.proposals.approve(id, principal);
    // An applied event is counted by the HTTP metrics once the 201 is sent; a retraction accepts no event.
    if (result.proposal.type !== 'RETRACT') request.acceptedEventType = result.event.type;
    void reply
      .header('etag', `"${result.province.version}"`)
      .header('location', `/api/v1/provinces/${result.province.slug}/events/${result.event.seq}`);
    return result;
  }

  /** Any editor may reject, the proposer included (recorded as withdrawn). */
  @ApiOperation({ summary: 'Reject a proposal, or withdraw your own' })
  @Post(':id/reject')
  @HttpCode(200)
  @RequireRole('editor')
  @ApiOkResponse({ description: 'The proposal, rejected (or withdrawn, when its proposer rejects it).', schema: responseSchema('Proposal') })
  @ApiProblems(400, 404, { status: 409, codes: ['proposal-not-pending'] }, 413, 415)
  reject(@Param('id') id: string, @Body() body: RejectProposalDto, @CurrentPrincipal() principal: Principal) {
    return this.proposals.reject(id, body.reason, principal);
  }
}
