import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { ProposalsController } from './proposals.controller.js';
import { ProposalsRepository } from './proposals.repository.js';
import { ProposalsService } from './proposals.service.js';

/** The two-person rule's proposals: listed, approved (applied through the provinces' write path) or rejected. */
@Module({
  imports: [ProvincesModule, AuthModule],
  controllers: [ProposalsController],
  providers: [ProposalsService, ProposalsRepository],
  exports: [ProposalsRepository],
})
export class ProposalsModule {}
