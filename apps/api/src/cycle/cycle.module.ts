import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { CycleController } from './cycle.controller.js';
import { CycleService } from './cycle.service.js';

@Module({ imports: [AlertsModule], controllers: [CycleController], providers: [CycleService], exports: [CycleService] })
export class CycleModule {}
