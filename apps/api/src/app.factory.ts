import rateLimit from '@fastify/rate-limit';
import { Logger as NestLogger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { openDatabase, type OpenDatabase } from '@app/database';
import { SEED_DOCUMENTS } from '@app/seeds';
import { AppModule } from './app.module.js';
import { AlertSweeper } from './alerts/alert-sweeper.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { CycleImportService } from './cycle/cycle-import.service.js';
import { HttpLifecycle } from './common/http-lifecycle.js';
import { applyHttpConventions } from './platform/http-conventions.js';
import { createRootLogger, logRequests, requestIdOf } from './platform/logging.js';
import { PlatformModule } from './platform/platform.module.js';
import { ProblemDetailsFilter, sendProblem, toAppError } from './common/problem-details.filter.js';
import { AppError } from './common/app-error.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan, tooDeepError } from './common/json-depth.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './common/problem-details.js';
import { RATE_LIMIT_EXEMPT, rateLimitOptions } from './platform/rate-limit.js';
import { collectRoutes, type ServedRoute } from './common/route-table.js';
import { applySecurityHeaders, enableCors, securityHeaders } from './common/security.js';
import { DtoValidationPipe } from './common/validation.pipe.js';
import { buildOpenApiDocument, serveDocs } from './docs/openapi.js';
import { registerHttpMetrics } from './metrics/http-metrics.js';
import { MetricsService } from './metrics/metrics.service.js';

/** Helmet's headers for the app's policy, computed once (see common/security.ts). */
const SECURITY_HEADERS = securityHeaders();

export const API_PREFIX = 'api/v1';
export const API_VERSION = '1';
export const BODY_LIMIT = 1024 * 1024;
/** How long a shutdown waits for in-flight requests before it cuts the connections left. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface PlatformOptions {
  /** Origins allowed to call the API from a browser (CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
}

export interface RunningApp {
  app: NestFastifyApplication;
  database: OpenDatabase;
  /** The secret of an admin key created at this start (no admin key existed and none was configured). */
  firstAdminKey: string | null;
  /** Every route Fastify serves (method and URL pattern), as it registered them. */
  routes: readonly ServedRoute[];
  lifecycle: HttpLifecycle;
  /** Graceful: refuse new requests, end event streams, finish in-flight requests, then release the database. */
  close(): Promise<void>;
}

/** Open the database (migrating it), build the Nest application on Fastify, and seed a new database. Used by main.ts and the tests. */
export async function createApp(config: AppConfig, options: PlatformOptions = {}): Promise<RunningApp> {
  const database = await openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: config.db },
    { applicationName: 'governor-tracker-api' },
  );
  try {
    const logger = createRootLogger(config.logLevel);
    const adapter = new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      genReqId: requestIdOf,
      // Shutdown refusals are ours (HttpLifecycle), as problem documents, not Fastify's plain 503.
      return503OnClosing: false,
      // Requests Node cannot even parse (headers or URL over 16 KiB, broken framing) get problem documents too.
      clientErrorHandler: (error: NodeJS.ErrnoException, socket: Duplex) => {
        if (!socket.writable) return socket.destroy();
        const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
        const problem = toProblem(
          tooLarge
            ? new AppError('headers-too-large', 'The request line and headers exceed 16 KiB.')
            : new AppError('validation', 'The request could not be parsed as HTTP.'),
        );
        const body = JSON.stringify(problem);
        socket.end(
          `HTTP/1.1 ${problem.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
            `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      },
      // Errors Fastify raises before any route runs (a URL that cannot be decoded) get problem documents too.
      frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
        sendProblem(reply, toProblem(toAppError(error), request.url.split('?')[0]), SECURITY_HEADERS),
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      PlatformModule.forRoot(logger, AppModule.forRoot(config, database.dataSource)),
      adapter,
      // No form parser: bodies are JSON only (platform/http-conventions.ts).
      { bufferLogs: true, bodyParser: false },
    );
    app.useLogger(app.get(Logger));
    // JSON bodies are depth-checked before they are parsed: nothing a client sends may overflow the stack.
    const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
    app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, (request, body, done) => {
      if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) return done(tooDeepError(), undefined);
      parseJson(request as FastifyRequest, body.toString('utf8'), done);
    });

    // Fastify hooks, in the order they run for a request.
    const fastify = app.getHttpAdapter().getInstance();
    const routes = collectRoutes(fastify);
    logRequests(fastify, logger);
    // Before the lifecycle's hook, which answers a shutting-down instance's refusals itself.
    applySecurityHeaders(fastify, SECURITY_HEADERS);
    const lifecycle = new HttpLifecycle();
    lifecycle.register(fastify);
    registerHttpMetrics(fastify, app.get(MetricsService));
    await applyHttpConventions(app, routes);
    enableCors(app, options.corsOrigins ?? []);
    if (config.rateLimitPerMinute > 0) {
      const keys = app.get(ApiKeysService);
      await app.register(rateLimit, rateLimitOptions(config.rateLimitPerMinute, async (secret) => (await keys.authenticate(secret)) !== null));
    }

    app.setGlobalPrefix(API_PREFIX, {
      exclude: [
        { path: '/', method: RequestMethod.GET },
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
      ],
    });
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(new DtoValidationPipe());
    serveDocs(fastify, buildOpenApiDocument(app, { version: API_VERSION, rateLimitExempt: config.rateLimitPerMinute > 0 ? RATE_LIMIT_EXEMPT : null }));
    await app.init();
    await fastify.ready();
    // A new database gets the seeds' cycles through the import POST /cycles uses (GT_SEED=bare: without their events).
    await app.get(CycleImportService).seed(SEED_DOCUMENTS, config.seed, true);
    const firstAdminKey = await app.get(ApiKeysService).bootstrap(config.adminApiKey);
    // Alerts are right from the first request: one sweep before serving, then one every ALERT_SWEEP_SECONDS.
    const sweeper = app.get(AlertSweeper);
    await sweeper.sweep();
    sweeper.start();

    let closing: Promise<void> | null = null;
    return {
      app,
      database,
      firstAdminKey,
      routes,
      lifecycle,
      close() {
        closing ??= (async () => {
          lifecycle.beginShutdown();
          // Nest stops the HTTP server first (Fastify waits for in-flight requests), then runs the
          // shutdown hooks (alert sweep, change listener, data source); the grace period bounds the wait.
          const server = app.getHttpServer();
          const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          cut.unref();
          try {
            await app.close();
          } finally {
            clearTimeout(cut);
            await database.close();
          }
        })();
        return closing;
      },
    };
  } catch (err) {
    new NestLogger('Boot').error(err);
    await database.close();
    throw err;
  }
}
