import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { CycleService } from './cycle.service.js';
import { PatchCycleDto } from './dto/patch-cycle.dto.js';

/** `/cycle`: the default cycle, as the routes of today name it. */
@ApiTags('cycle')
@ApiBearerAuth()
@Controller('cycle')
export class CycleController {
  constructor(private readonly cycle: CycleService) {}

  @ApiOperation({ summary: 'The default cycle' })
  @Get()
  @RequireRole('public')
  @ApiOkResponse({ description: 'The default cycle: election day, deadline and its basis, milestones.', schema: responseSchema('Cycle') })
  @ApiProblems(404)
  get() {
    return this.cycle.get(undefined);
  }

  /** Admin: move the deadline (with its basis) or the milestones, or switch the two-person rule; alerts are re-evaluated at once. */
  @ApiOperation({ summary: 'Change the default cycle' })
  @Patch()
  @RequireRole('admin')
  @ApiOkResponse({ description: 'The cycle after the change; every province and alert has been re-evaluated.', schema: responseSchema('Cycle') })
  @ApiProblems(400, 404, { status: 409, codes: ['cycle-archived'] }, 413, 415)
  update(@Body() body: PatchCycleDto) {
    return this.cycle.update(undefined, body);
  }
}

/** `/cycles`: every governor selection cycle side by side. */
@ApiTags('cycle')
@ApiBearerAuth()
@Controller('cycles')
export class CyclesController {
  constructor(private readonly cycle: CycleService) {}

  @ApiOperation({ summary: 'List the cycles' })
  @Get()
  @RequireRole('public')
  @ApiOkResponse({ description: 'Every cycle, the default first, then the latest election first.', schema: responseSchema('CycleList') })
  async list() {
    return { items: await this.cycle.list() };
  }

  @ApiOperation({ summary: 'One cycle' })
  @Get(':cycle')
  @RequireRole('public')
  @ApiOkResponse({ description: 'One cycle.', schema: responseSchema('Cycle') })
  @ApiProblems(404)
  get(@Param('cycle') cycle: string) {
    return this.cycle.get(cycle);
  }

  /** Admin: the same changes as PATCH /cycle, and `default` (make it the default) and `status` (archive it: read-only). */
  @ApiOperation({ summary: 'Change a cycle' })
  @Patch(':cycle')
  @RequireRole('admin')
  @ApiOkResponse({ description: 'The cycle after the change.', schema: responseSchema('Cycle') })
  @ApiProblems(400, 404, { status: 409, codes: ['cycle-archived'] }, 413, 415)
  update(@Param('cycle') cycle: string, @Body() body: PatchCycleDto) {
    return this.cycle.update(cycle, body);
  }
}
