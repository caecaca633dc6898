import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { FeedsService } from './feeds.service.js';

const ATOM = 'application/atom+xml; charset=utf-8';

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
  constructor(private readonly feeds: FeedsService) {}

  @Get('changes.atom')
  @RequireRole('public')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({
    description: 'Atom: the latest 100 events, newest first; entry ids `urn:governor-tracker:event:<slug>:<seq>`. A public key: the latest 100 publishable events, without notes.',
  })
  async changes(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.feeds.changes(originOf(request), seesInternal(principal));
    void reply.header('content-type', ATOM);
    return xml;
  }

  @Get('alerts.atom')
  @RequireRole('public')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom: the 100 most recently changed alerts; entry ids `urn:governor-tracker:alert:<id>`.' })
  async alerts(@Req() request: FastifyRequest, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const xml = await this.feeds.alerts(originOf(request), seesInternal(principal));
    void reply.header('content-type', ATOM);
    return xml;
  }
}
