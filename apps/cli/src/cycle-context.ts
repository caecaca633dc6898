import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../../api/src/common/tokens.js';
import { CycleImportModule } from '../../api/src/cycle/cycle-import.module.js';
import { CycleImportService } from '../../api/src/cycle/cycle-import.service.js';
import { CycleScopeModule } from '../../api/src/cycle/cycle-resolver.js';
import { MetricsModule } from '../../api/src/metrics/metrics.module.js';
import { ReadCacheModule } from '../../api/src/read-cache/read-cache.module.js';
import { StreamModule } from '../../api/src/stream/stream.module.js';

/**
 * The cycle import for the command line: a Nest application context of the import module and what
 * the provinces' write path needs around it (the data source, the outbox and change bus, the cycle
 * resolver, metrics, the read cache its controllers' interceptors name), so that `cycles import` and
 * `seed` decide every event exactly as the API does. Nest wires the same services, so a change to
 * their constructors cannot leave a hand-built copy behind.
 * No HTTP server, no sweeper, no webhook dispatcher: the running API delivers what the import queues.
 */
@Module({})
class CycleCliModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: CycleCliModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => dataSource.options, dataSourceFactory: async () => dataSource }),
        StreamModule,
        CycleScopeModule,
        MetricsModule,
        ReadCacheModule,
        CycleImportModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

export interface CycleImportContext {
  imports: CycleImportService;
  close(): Promise<void>;
}

export async function openCycleImport(config: AppConfig, dataSource: DataSource): Promise<CycleImportContext> {
  const app = await NestFactory.createApplicationContext(CycleCliModule.forRoot(config, dataSource), { logger: false, abortOnError: false });
  return { imports: app.get(CycleImportService), close: () => app.close() };
}
