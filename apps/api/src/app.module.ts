import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BoardModule } from './board/board.module.js';
import { ChangesModule } from './changes/changes.module.js';
import { ChartsModule } from './charts/charts.module.js';
import { APP_CONFIG } from './common/tokens.js';
import { CycleModule } from './cycle/cycle.module.js';
import { DigestModule } from './digest/digest.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { MachineModule } from './machine/machine.module.js';
import { ProvincesModule } from './provinces/provinces.module.js';
import { SearchModule } from './search/search.module.js';
import { StreamModule } from './stream/stream.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

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
        StreamModule,
        AuthModule,
        AlertsModule,
        HealthModule,
        CycleModule,
        MachineModule,
        ProvincesModule,
        ChangesModule,
        DigestModule,
        WebhooksModule,
        BoardModule,
        ChartsModule,
        SearchModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
