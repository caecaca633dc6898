import { Controller, Get } from '@nestjs/common';
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
}
