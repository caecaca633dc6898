import { Module, forwardRef } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { ProposalsModule } from '../proposals/proposals.module.js';
import { ProvincesController } from './provinces.controller.js';
import { ProvincesRepository } from './provinces.repository.js';
import { ProvincesService } from './provinces.service.js';

@Module({
  imports: [AlertsModule, forwardRef(() => ProposalsModule)],
  controllers: [ProvincesController],
  providers: [ProvincesService, ProvincesRepository],
  exports: [ProvincesService, ProvincesRepository],
})
export class ProvincesModule {}
