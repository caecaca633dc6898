import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { EventDecider } from './event-decider.js';
import { EventWriter } from './event-writer.js';
import { CycleProvincesController, ProvincesController } from './provinces.controller.js';
import { ProvincesRepository } from './provinces.repository.js';
import { ProvincesService } from './provinces.service.js';

@Module({
  imports: [AlertsModule],
  controllers: [ProvincesController, CycleProvincesController],
  providers: [ProvincesService, ProvincesRepository, EventDecider, EventWriter],
  exports: [ProvincesService, ProvincesRepository],
})
export class ProvincesModule {}
