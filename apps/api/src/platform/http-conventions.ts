import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AppError } from '../common/app-error.js';
import { sendProblem } from '../common/problem-details.filter.js';
import { toProblem } from '../common/problem-details.js';
import type { ServedRoute } from '../common/route-table.js';
import { noneMatch } from '../read-cache/accept-encoding.js';

/**
 * A read's answer depends on the caller's key (roles, public views), so no shared cache may keep it,
 * and a client's copy is checked again each time: with its ETag that costs a 304.
 */
const READ_CACHE_CONTROL = 'private, no-cache';
/** Everything else (writes, refusals, a new key's secret) is not kept at all. */
const NOT_KEPT = 'no-store';
/** Answers smaller than this are sent as they are: a coding gains little below it. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * HTTP as clients and caches expect it, for every route at once (issue 24, item 5): conditional reads,
 * Cache-Control, compression, 405 with Allow, 415 for bodies that are not JSON. Registered on Fastify
 * before the routes exist; `routes` is filled as they are registered.
 */
export async function applyHttpConventions(app: NestFastifyApplication, routes: readonly ServedRoute[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  acceptOnlyJson(fastify);
  refuseWrongMethods(fastify, routes);
  // Before compression's hook (which @fastify/compress adds to each route): the ETag is of the content,
  // and a 304 is decided before anything is compressed.
  answerConditionalReads(fastify);
  await app.register(compress, { global: true, threshold: COMPRESS_FROM_BYTES, encodings: ['br', 'gzip'] });
}

/**
 * Request bodies are JSON (SPEC §4): Fastify's text/plain parser goes (Nest's form parser is never
 * installed: `bodyParser: false`), so any other Content-Type, or a body without one, is a 415 problem
 * before the route runs.
 */
function acceptOnlyJson(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
}

/**
 * A path that exists with other methods answers 405 with `Allow` (RFC 9110 §15.5.6), not 404. The
 * path is matched against the route patterns (`:param` one segment, `*` the rest); OPTIONS routes
 * (CORS preflight, on `*`) are left out, or every unknown path would exist.
 */
function refuseWrongMethods(fastify: FastifyInstance, routes: readonly ServedRoute[]): void {
  let table: { pattern: RegExp; method: string }[] | null = null;
  const allowedOn = (path: string): string[] => {
    table ??= routes
      .filter((r) => r.method !== 'OPTIONS')
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}$`) }));
    return [...new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
  };
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    // A matched route has its pattern; the not-found handler has none.
    if (request.routeOptions.url !== undefined) return done();
    const path = request.url.split('?')[0];
    const allowed = allowedOn(path);
    if (allowed.length === 0) return done();
    const error = new AppError('method-not-allowed', `${request.method} is not served on this path; it allows ${allowed.join(', ')}.`, { allow: allowed });
    sendProblem(reply, toProblem(error, path), { allow: allowed.join(', ') });
  });
}

/**
 * Every answer states Cache-Control (the route's own when it set one). A successful GET gets an ETag
 * when its route set none: a digest of the bytes it sends (the route's own, such as a province's
 * `"<version>"`, and the read cache's are kept); and when `If-None-Match` matches the answer's ETag
 * (weak comparison, RFC 9110 §13.1.2), it is a 304 without a body. Streamed answers (the event
 * stream, files) are left to their routes.
 */
function answerConditionalReads(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', read && reply.statusCode < 400 ? READ_CACHE_CONTROL : NOT_KEPT);
    if (!read || reply.statusCode !== 200) return payload;
    let etag = reply.getHeader('etag');
    if (etag === undefined) {
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      etag = `"${createHash('sha1').update(payload).digest('base64url')}"`;
      void reply.header('etag', etag);
    }
    if (!noneMatch(request.headers['if-none-match'], String(etag))) return payload;
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
}
