import { Module } from '@nestjs/common';
import { ProvincesController } from './provinces.controller.js';
import { ProvincesRepository } from './provinces.repository.js';
import { ProvincesService } from './provinces.service.js';

@Module({
  controllers: [ProvincesController],
  providers: [ProvincesService, ProvincesRepository],
  exports: [ProvincesService, ProvincesRepository],
})
export class ProvincesModule {}
