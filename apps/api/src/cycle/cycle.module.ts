import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CycleEntity } from '@app/database';
import { AlertsModule } from '../alerts/alerts.module.js';
import { CycleController, CyclesController } from './cycle.controller.js';
import { CycleRepository } from './cycle.repository.js';
import { CycleService } from './cycle.service.js';

@Module({
  imports: [AlertsModule, TypeOrmModule.forFeature([CycleEntity])],
  controllers: [CycleController, CyclesController],
  providers: [CycleService, CycleRepository],
  exports: [CycleService],
})
export class CycleModule {}
