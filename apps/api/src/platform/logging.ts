import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import { pino, type Logger as PinoLogger } from 'pino';
import type { AppConfig } from '@app/config';
import type { Principal } from '../auth/principal.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's own request id is kept only when it is short and plain: it goes into every log line. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-Id when it is sane, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The one pino logger of an app: JSON lines on stdout at LOG_LEVEL. Nothing logged here carries a
 * header; the redaction paths are a second guard in case a request or its headers are ever logged
 * whole (an API key in Authorization, an Idempotency-Key).
 */
export function createRootLogger(level: AppConfig['logLevel']): PinoLogger {
  return pino({
    level,
    base: { service: 'governor-tracker-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'headers.authorization',
        'headers["idempotency-key"]',
        'headers.cookie',
        'req.headers.authorization',
        'req.headers["idempotency-key"]',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}

/**
 * nestjs-pino carries Nest's own logs through the same logger. Its per-request middleware (pino-http: a
 * child logger for every request, through Nest's middleware engine) is not installed: too dear on the
 * write path for a requestId on the few lines logged during a request (docs/performance.md).
 * The request line is written by `logRequests`, which sees every request Fastify answers; the error
 * filter puts the request id into the lines it writes itself.
 */
export function loggerParams(root: PinoLogger): Params {
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/**
 * One JSON line per request when its response closes (complete or cut): request id, method, URL,
 * route pattern, status, latency and the name of the API key that made it (never the key itself).
 * The request id is echoed in X-Request-Id.
 */
export function logRequests(fastify: FastifyInstance, root: PinoLogger): void {
  fastify.addHook('onRequest', (request: FastifyRequest & { principal?: Principal }, reply: FastifyReply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    reply.raw.once('close', () => {
      const status = reply.statusCode;
      const route = request.routeOptions.url ?? null;
      const line = {
        requestId: request.id,
        method: request.method,
        url: request.url.length > 2048 ? `${request.url.slice(0, 2048)}…` : request.url,
        route,
        status,
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
        keyName: request.principal?.name ?? null,
        remoteAddress: request.ip,
        ...(reply.raw.writableFinished ? {} : { aborted: true }),
      };
      const message = `${request.method} ${route ?? request.url.split('?')[0]} ${status}`;
      if (status >= 500) root.error(line, message);
      else root.info(line, message);
    });
    done();
  });
}
