import { Body, Controller, Get, Patch } from '@nestjs/common';
import { RequireRole } from '../auth/roles.decorator.js';
import { PatchCycleDto } from './dto/patch-cycle.dto.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CycleService } from './cycle.service.js';

@ApiTags('cycle')
@ApiBearerAuth()
@Controller('cycle')
export class CycleController {
  constructor(private readonly cycle: CycleService) {}

  @Get()
  get() {
    return this.cycle.current();
  }

  /** Admin: move the deadline (with its basis) or the milestones; alerts are re-evaluated at once. */
  @Patch()
  @RequireRole('admin')
  update(@Body() body: PatchCycleDto) {
    return this.cycle.update(body);
  }
}
