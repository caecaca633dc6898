import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from '@app/config';

/**
 * Security headers for every response. The content security policy allows this origin only: Swagger
 * UI and the board are served from here (no CDN), so scripts need nothing else. Styles also allow
 * inline ones, which Swagger UI's page and components use; data: images are its icons. No
 * upgrade-insecure-requests: the newsroom may serve plain HTTP on a LAN, where it would break
 * every asset.
 */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  global: true,
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
