import { Logger, RequestMethod, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@app/config';
import { openDatabase, type OpenDatabase } from '@app/database';
import { AppModule } from './app.module.js';
import { AlertSweeper } from './alerts/alert-sweeper.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { ProblemDetailsFilter, sendProblem, toAppError } from './common/problem-details.filter.js';
import { toProblem } from './common/problem-details.js';
import { DtoValidationPipe } from './common/validation.pipe.js';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = 1024 * 1024;

export interface RunningApp {
  app: NestFastifyApplication;
  database: OpenDatabase;
  /** The secret of an admin key created at this start (no admin key existed and none was configured). */
  firstAdminKey: string | null;
  close(): Promise<void>;
}

const LEVELS: Record<AppConfig['logLevel'], LogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Open the database (migrating it), then build the Nest application on Fastify. Used by main.ts and the tests. */
export async function createApp(config: AppConfig): Promise<RunningApp> {
  const database = await openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: config.db },
    { applicationName: 'governor-tracker-api' },
  );
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      // Errors Fastify raises before any route runs (a URL that cannot be decoded) get problem documents too.
      frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
        sendProblem(reply, toProblem(toAppError(error), request.url.split('?')[0])),
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, database.dataSource), adapter, {
      logger: LEVELS[config.logLevel],
    });
    app.setGlobalPrefix(API_PREFIX, {
      exclude: [
        { path: '/', method: RequestMethod.GET },
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
      ],
    });
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(new DtoValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const firstAdminKey = await app.get(ApiKeysService).bootstrap(config.adminApiKey);
    // Alerts are right from the first request: one sweep before serving, then one every ALERT_SWEEP_SECONDS.
    const sweeper = app.get(AlertSweeper);
    await sweeper.sweep();
    sweeper.start();
    return {
      app,
      database,
      firstAdminKey,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    new Logger('Boot').error(err);
    await database.close();
    throw err;
  }
}
