import { Module, forwardRef } from '@nestjs/common';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { ProposalsController } from './proposals.controller.js';
import { ProposalsRepository } from './proposals.repository.js';
import { ProposalsService } from './proposals.service.js';

/** The two-person rule. Provinces route gated events here, and proposals are applied through the provinces' write path. */
@Module({
  imports: [forwardRef(() => ProvincesModule)],
  controllers: [ProposalsController],
  providers: [ProposalsService, ProposalsRepository],
  exports: [ProposalsService],
})
export class ProposalsModule {}
