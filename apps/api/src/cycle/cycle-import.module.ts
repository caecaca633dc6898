import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CycleEntity } from '@app/database';
import { ProvincesModule } from '../provinces/provinces.module.js';
import { CycleDocumentRepository } from './cycle-document.repository.js';
import { CycleImportController } from './cycle-import.controller.js';
import { CycleImportService } from './cycle-import.service.js';
import { CycleRepository } from './cycle.repository.js';

/**
 * A cycle from a data file and back (POST /cycles, `cycles import|export`, the seeds). Above the
 * provinces' write path, which it hands every event to; the CLI runs it in a Nest context of its own.
 */
@Module({
  imports: [ProvincesModule, TypeOrmModule.forFeature([CycleEntity])],
  controllers: [CycleImportController],
  providers: [CycleImportService, CycleDocumentRepository, CycleRepository],
  exports: [CycleImportService],
})
export class CycleImportModule {}
