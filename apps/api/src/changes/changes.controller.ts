import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { seesInternal } from '../auth/visibility.js';
import { ChangesService } from './changes.service.js';
import { ChangesQueryDto } from './dto/changes-query.dto.js';

@ApiTags('changes')
@ApiBearerAuth()
@Controller('changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  @Get()
  @RequireRole('public')
  @ApiProduces('application/json')
  @ApiOkResponse({
    description:
      'Events of every province in recording order: `{ items, cursor, hasMore }`. Pull again with `after=<cursor>`; ' +
      'no event is ever skipped, even when transactions commit out of order. Retractions show on the events and in each province’s history. ' +
      'A public key gets no internal event and no note; its cursor still moves past them, so a page may hold fewer than `limit` items.',
  })
  page(@Query() query: ChangesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.changes.page(query.after, query.limit === undefined ? undefined : Number(query.limit), seesInternal(principal));
  }
}
