import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { SEARCH_SCHEMA } from './search.schema.js';
import { SearchService } from './search.service.js';
import { SEARCH_LIMIT_DEFAULT, SearchQueryDto } from './dto/search-query.dto.js';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly service: SearchService) {}

  @Get()
  @ApiOperation({ summary: 'Find provinces and people by a name in Arabic or Latin script, however it is spelled.' })
  @ApiOkResponse({ description: 'Hits ranked exact > prefix > contains, provinces before people on a tie.', schema: SEARCH_SCHEMA })
  @ApiProblems(400)
  async search(@Query() query: SearchQueryDto) {
    return { items: await this.service.search(query.q, query.limit === undefined ? SEARCH_LIMIT_DEFAULT : Number(query.limit)) };
  }
}
