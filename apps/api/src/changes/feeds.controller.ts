import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { FeedQueryDto } from './dto/changes-query.dto.js';
import { FeedsService } from './feeds.service.js';

const ATOM = 'application/atom+xml; charset=utf-8';
const ATOM_CONTENT = { 'application/atom+xml': { schema: { type: 'string' } } };

/** The scheme and host the client used, for absolute links; a Host header that is no host falls back to localhost. */
function originOf(request: FastifyRequest): string {
  try {
    const url = new URL(`${request.protocol}://${request.host}`);
    return url.origin;
  } catch {
    return 'http://localhost';
  }
}

@ApiTags('feeds')
@ApiBearerAuth()
@Controller('feeds')
export class FeedsController {
  constructor(
    private readonly feeds: FeedsService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'Atom feed of the latest events' })
  @Get('changes.atom')
  @RequireRole('public')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({
    description:
      'Atom: one cycle’s latest 100 events (`cycle`, default: the default cycle), newest first; entry ids `urn:governor-tracker:event:<slug>:<seq>` ' +
      '(iraq-2023) or `urn:governor-tracker:event:<cycle>:<slug>:<seq>`. A public key: the latest 100 publishable events, without notes.',
    content: ATOM_CONTENT,
  })
  @ApiProblems(400, 404)
  async changes(@Query() query: FeedQueryDto, @Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.feeds.changes(await this.cycles.scope(query.cycle), originOf(request), seesInternal(principal));
    void reply.header('content-type', ATOM);
    return xml;
  }

  @ApiOperation({ summary: 'Atom feed of the latest alerts' })
  @Get('alerts.atom')
  @RequireRole('public')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom: one cycle’s 100 most recently changed alerts (`cycle`, default: the default cycle); entry ids `urn:governor-tracker:alert:<id>`.', content: ATOM_CONTENT })
  @ApiProblems(400, 404)
  async alerts(@Query() query: FeedQueryDto, @Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.feeds.alerts(await this.cycles.scope(query.cycle), originOf(request), seesInternal(principal));
    void reply.header('content-type', ATOM);
    return xml;
  }
}
