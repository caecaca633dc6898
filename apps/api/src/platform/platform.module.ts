import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { MetricsModule } from '../metrics/metrics.module.js';
import { loggerParams } from './logging.js';

/**
 * The cross-cutting platform around the feature modules: structured logs (nestjs-pino, which also
 * carries Nest's own logs) and Prometheus metrics. The features stay unaware of it.
 */
@Module({})
export class PlatformModule {
  static forRoot(logger: PinoLogger, features: DynamicModule): DynamicModule {
    return {
      module: PlatformModule,
      imports: [LoggerModule.forRoot(loggerParams(logger)), features, MetricsModule],
    };
  }
}
