import { Module } from '@nestjs/common';
import { ProposalsModule } from '../proposals/proposals.module.js';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { CycleProvinceEventsController, ProvinceEventsController } from './province-events.controller.js';
import { SubmissionsService } from './submissions.service.js';

/** The two-person rule's gate: above both the provinces' write path and the proposals, which know nothing of it. */
@Module({
  imports: [ProvincesModule, ProposalsModule],
  controllers: [ProvinceEventsController, CycleProvinceEventsController],
  providers: [SubmissionsService],
  exports: [SubmissionsService],
})
export class SubmissionsModule {}
