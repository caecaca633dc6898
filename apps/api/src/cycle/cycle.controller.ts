import { Body, Controller, Get, Patch } from '@nestjs/common';
import { RequireRole } from '../auth/roles.decorator.js';
import { PatchCycleDto } from './dto/patch-cycle.dto.js';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { CycleService } from './cycle.service.js';

@ApiTags('cycle')
@ApiBearerAuth()
@Controller('cycle')
export class CycleController {
  constructor(private readonly cycle: CycleService) {}

  @Get()
  @RequireRole('public')
  @ApiOkResponse({ description: 'The current cycle: election day, deadline and its basis, milestones.', schema: responseSchema('Cycle') })
  @ApiProblems(404)
  get() {
    return this.cycle.current();
  }

  /** Admin: move the deadline (with its basis) or the milestones, or switch the two-person rule; alerts are re-evaluated at once. */
  @Patch()
  @RequireRole('admin')
  @ApiOkResponse({ description: 'The cycle after the change; every province and alert has been re-evaluated.', schema: responseSchema('Cycle') })
  @ApiProblems(400, 404, 413, 415)
  update(@Body() body: PatchCycleDto) {
    return this.cycle.update(body);
  }
}
