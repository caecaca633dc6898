import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { ConfigError } from '@app/config';

/**
 * Security headers for every response. The content security policy allows this origin only: Swagger
 * UI and the board are served from here (no CDN), so scripts need nothing else. Styles also allow
 * inline ones, which Swagger UI's page and components use; data: images are its icons. No
 * upgrade-insecure-requests: the newsroom may serve plain HTTP on a LAN, where it would break
 * every asset.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * Helmet's headers for these options, computed once: they depend on the options alone (no nonces).
 * Helmet is asked through its own middleware, on a response that only records what it sets.
 */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * The security headers on every response, set before routing (so refusals, 404s and the docs carry them
 * too). Registered before the hook that refuses requests to a shutting-down instance, so those carry
 * them as well; the app hands the same headers to Fastify's `frameworkErrors` (a URL the router cannot
 * decode is answered before any hook runs). Not @fastify/helmet: it builds a new helmet middleware,
 * parsing the policy again, for every request (its cost: docs/performance.md).
 */
export function applySecurityHeaders(fastify: FastifyInstance, headers: Record<string, string> = securityHeaders()): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

/**
 * CORS_ORIGINS: a comma-separated list of origins (scheme://host[:port]) whose pages may call the
 * API from a browser. Unset or empty: no cross-origin access at all (no Access-Control-* headers).
 * Read here rather than in libs/config while that file is being changed for webhooks; it belongs
 * there (AppConfig.corsOrigins) once that work lands.
 */
export function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const problems: string[] = [];
  const origins = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let ok = false;
    try {
      const url = new URL(origin);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], without a path or a trailing slash)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return origins;
}

export function enableCors(app: NestFastifyApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id', 'last-event-id'],
    exposedHeaders: ['etag', 'location', 'retry-after', 'idempotent-replayed', 'x-request-id'],
    maxAge: 600,
  });
}
