import { Controller, Get, Param, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { ProvinceHistoryService } from './province-history.service.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { ResolveCyclePipe, type CycleRef } from '../cycle/cycle-resolver.js';

@Injectable()
class ProvinceHistoryControllerRoutes {
  constructor(private readonly history: ProvinceHistoryService) {}

  /** GET /provinces/:slug/events stays as SPEC defines it; this is the desk's fuller view. */
  @ApiOperation({ summary: 'A province’s whole history: events, claims and contacts' })
  @Get(':slug/history')
  @RequireRole('public')
  @ApiOkResponse({
    description: 'Events, claim steps and contacts in one time-ordered list, each with its `kind`; a public key sees no contacts and no internal claims.',
    schema: responseSchema('ProvinceHistory'),
  })
  @ApiProblems(404)
  async get(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.history.history({ cycleId: cycle.id, slug }, principal) };
  }
}

@ApiTags('provinces')
@ApiBearerAuth()
@Controller('provinces')
export class ProvinceHistoryController extends ProvinceHistoryControllerRoutes {}

@ApiTags('provinces')
@ApiBearerAuth()
@Controller('cycles/:cycle/provinces')
export class CycleProvinceHistoryController extends ProvinceHistoryControllerRoutes {}
