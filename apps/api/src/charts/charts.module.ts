import { Module } from '@nestjs/common';
import { ChartsController } from './charts.controller.js';
import { ChartsRepository } from './charts.repository.js';
import { ChartsService } from './charts.service.js';

/** Pictures of the data (issue 8): the formation timeline, rendered on the server with Vega-Lite. */
@Module({
  controllers: [ChartsController],
  providers: [ChartsService, ChartsRepository],
})
export class ChartsModule {}
