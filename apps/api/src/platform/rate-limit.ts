import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { hashKey } from '../auth/api-keys.service.js';
import { AppError } from '../common/app-error.js';

/** Operational routes a scraper or an orchestrator calls on a schedule: never limited. */
export const RATE_LIMIT_EXEMPT: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

const EXEMPT = 'exempt';
const VERIFIED_CACHE_MAX = 10_000;

/** Looks a bearer secret up; resolves to true for a live API key. */
export type KeyCheck = (secret: string) => Promise<boolean>;

/**
 * @fastify/rate-limit, RATE_LIMIT_PER_MINUTE requests per key per minute. A request is counted
 * against its API key — by the SHA-256 of the bearer secret, never the secret — once that secret has
 * been seen to be a live key; otherwise against the client address. So a client cannot escape the
 * limit by sending a fresh made-up token with every request. Exceeding it answers a 429 problem
 * document with Retry-After (the error goes through the one problem-details filter).
 */
export function rateLimitOptions(perMinute: number, isLiveKey: KeyCheck): RateLimitPluginOptions {
  const verified = new Set<string>();
  const bucketOf = async (request: FastifyRequest): Promise<string> => {
    if (RATE_LIMIT_EXEMPT.has(request.routeOptions.url ?? '')) return EXEMPT;
    const match = /^Bearer\s+(\S{1,200})$/i.exec(request.headers.authorization ?? '');
    if (match) {
      const digest = hashKey(match[1]);
      if (verified.has(digest)) return `key:${digest}`;
      // A database failure here is not this limiter's to report: the guard answers it (503).
      if (await isLiveKey(match[1]).catch(() => false)) {
        if (verified.size >= VERIFIED_CACHE_MAX) verified.clear();
        verified.add(digest);
        return `key:${digest}`;
      }
    }
    return `ip:${request.ip}`;
  };
  return {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest',
    keyGenerator: bucketOf,
    allowList: (_request, key) => key === EXEMPT,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError('rate-limited', `More than ${context.max} requests in a minute; retry in ${seconds} s.`, { retryAfter: seconds });
    },
  };
}
