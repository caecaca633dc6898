import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BoardModule } from './board/board.module.js';
import { ChangesModule } from './changes/changes.module.js';
import { ChartsModule } from './charts/charts.module.js';
import { ClaimsModule } from './claims/claims.module.js';
import { APP_CONFIG } from './common/tokens.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { CycleImportModule } from './cycle/cycle-import.module.js';
import { CycleScopeModule } from './cycle/cycle-resolver.js';
import { CycleModule } from './cycle/cycle.module.js';
import { DigestModule } from './digest/digest.module.js';
import { HealthModule } from './health/health.module.js';
import { ProvinceHistoryModule } from './history/province-history.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { MachineModule } from './machine/machine.module.js';
import { ProposalsModule } from './proposals/proposals.module.js';
import { ProvincesModule } from './provinces/provinces.module.js';
import { ReadCacheModule } from './read-cache/read-cache.module.js';
import { SearchModule } from './search/search.module.js';
import { StreamModule } from './stream/stream.module.js';
import { SubmissionsModule } from './submissions/submissions.module.js';
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
        ReadCacheModule,
        StreamModule,
        AuthModule,
        AlertsModule,
        HealthModule,
        CycleScopeModule,
        CycleModule,
        CycleImportModule,
        MachineModule,
        ProvincesModule,
        ProposalsModule,
        SubmissionsModule,
        ChangesModule,
        DigestModule,
        WebhooksModule,
        BoardModule,
        ChartsModule,
        ClaimsModule,
        ContactsModule,
        ProvinceHistoryModule,
        SearchModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
