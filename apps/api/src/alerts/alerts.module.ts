import { Module } from '@nestjs/common';
import { AlertSweeper } from './alert-sweeper.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';

@Module({
  controllers: [AlertsController],
  providers: [AlertsService, AlertsRepository, AlertSweeper],
  exports: [AlertsService, AlertSweeper],
})
export class AlertsModule {}
