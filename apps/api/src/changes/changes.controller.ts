import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { ChangesService } from './changes.service.js';
import { ChangesQueryDto } from './dto/changes-query.dto.js';

@ApiTags('changes')
@ApiBearerAuth()
@Controller('changes')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'Recorded events in recording order, for incremental pulls' })
  @Get()
  @RequireRole('public')
  @ApiProduces('application/json')
  @ApiOkResponse({
    description:
      'Events of one cycle’s provinces (`cycle`, default: the default cycle) in recording order: `{ items, cursor, hasMore }`. Pull again with `after=<cursor>`; ' +
      'no event is ever skipped, even when transactions commit out of order. Retractions show on the events and in each province’s history. ' +
      'A public key gets no internal event and no note; its cursor still moves past them, so a page may hold fewer than `limit` items.',
    schema: responseSchema('ChangesPage'),
  })
  @ApiProblems(400, 404)
  async page(@Query() query: ChangesQueryDto, @CurrentPrincipal() principal: Principal) {
    const cycle = await this.cycles.scope(query.cycle);
    return this.changes.page(cycle.id, query.after, query.limit === undefined ? undefined : Number(query.limit), seesInternal(principal));
  }
}
