import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { SEARCH_SCHEMA } from './search.schema.js';
import { SearchService } from './search.service.js';
import { SEARCH_LIMIT_DEFAULT, SearchQueryDto } from './dto/search-query.dto.js';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(
    private readonly service: SearchService,
    private readonly cycles: CycleResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Find one cycle’s provinces and people (`cycle`, default: the default cycle) by a name in Arabic or Latin script, however it is spelled.' })
  @ApiOkResponse({ description: 'Hits ranked exact > prefix > contains, provinces before people on a tie.', schema: SEARCH_SCHEMA })
  @ApiProblems(400, 404)
  async search(@Query() query: SearchQueryDto) {
    const cycle = await this.cycles.scope(query.cycle);
    return { items: await this.service.search(cycle.id, query.q, query.limit === undefined ? SEARCH_LIMIT_DEFAULT : Number(query.limit)) };
  }
}
