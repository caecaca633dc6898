import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { AuthModule } from './auth/auth.module.js';
import { APP_CONFIG } from './common/tokens.js';
import { CycleModule } from './cycle/cycle.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { MachineModule } from './machine/machine.module.js';
import { ProvincesModule } from './provinces/provinces.module.js';

@Module({})
export class AppModule {
  /** The data source is opened (and migrated) before Nest starts, so the app never serves an old schema. */
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => dataSource,
        }),
        IdempotencyModule,
        AuthModule,
        HealthModule,
        CycleModule,
        MachineModule,
        ProvincesModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
