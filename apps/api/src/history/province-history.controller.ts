import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { ProvinceHistoryService } from './province-history.service.js';
import { ParseSlugPipe } from '../common/identifiers.js';

@ApiTags('provinces')
@ApiBearerAuth()
@Controller('provinces')
export class ProvinceHistoryController {
  constructor(private readonly history: ProvinceHistoryService) {}

  /** GET /provinces/:slug/events stays as SPEC defines it; this is the desk's fuller view. */
  @Get(':slug/history')
  @RequireRole('public')
  @ApiOkResponse({
    description: 'Events, claim steps and contacts in one time-ordered list, each with its `kind`; a public key sees no contacts and no internal claims.',
    schema: responseSchema('ProvinceHistory'),
  })
  @ApiProblems(404)
  async get(@Param('slug', ParseSlugPipe) slug: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.history.history(slug, principal) };
  }
}
