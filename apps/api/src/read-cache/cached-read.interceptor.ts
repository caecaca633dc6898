import { Injectable, SetMetadata, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, of, switchMap, type Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { seesInternal } from '../auth/visibility.js';
import { AppError } from '../common/app-error.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { acceptsGzip, noneMatch } from './accept-encoding.js';
import { ReadCache, etagOf, gunzipAsync, representationOf, type CachedAnswer } from './read-cache.service.js';
import { EncodedAnswer, encodeJson } from './streamed-answer.js';

const REPRESENTATION_HEADERS = ['content-type', 'content-disposition', 'content-language', 'vary'];
const VARY = ['Accept', 'Accept-Language', 'Accept-Encoding'];

const WHEN_KEY = 'cachedReadWhen';

/** The representation headers the route set; `content-type` as given when it set none (or when `force`). */
function representationHeaders(reply: FastifyReply, contentType: string, force = false): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPRESENTATION_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  if (force) headers['content-type'] = contentType;
  headers['content-type'] ??= contentType;
  return headers;
}

/** The route's Vary with Accept, Accept-Language and Accept-Encoding, each once. */
function varyWith(reply: FastifyReply): string {
  const vary = String(reply.getHeader('vary') ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  for (const name of VARY) if (!vary.some((v) => v.toLowerCase() === name.toLowerCase())) vary.push(name);
  return vary.join(', ');
}
type When = (query: Record<string, unknown>) => boolean;

/**
 * Serve the route's answer from the read cache while the data it was computed from is unchanged.
 * Only for answers that depend on the request and the data alone (never on the clock): `when` says
 * which requests qualify (e.g. a list as of an instant, not the present one). The key is the whole
 * URL (with `/cycles/:cycle/…` or `?cycle=`), the cycle it resolves to (a route without one means the
 * default cycle, which an admin can switch), the representation headers (Accept, Accept-Language) and
 * whether the caller sees internal items.
 */
export const CachedRead = (when: When = () => true) => applyDecorators(SetMetadata(WHEN_KEY, when), UseInterceptors(CachedReadInterceptor));

@Injectable()
export class CachedReadInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: ReadCache,
    private readonly reflector: Reflector,
    private readonly cycles: CycleResolver,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    const when = this.reflector.get<When>(WHEN_KEY, context.getHandler());
    if (!this.cache.enabled || !when((request.query ?? {}) as Record<string, unknown>)) {
      return next.handle().pipe(switchMap((result) => (result instanceof EncodedAnswer ? from(this.sendUncached(request, reply, result)) : of(result))));
    }

    const audience = request.principal && !seesInternal(request.principal) ? 'public' : 'newsroom';
    const representation = `${request.headers.accept ?? ''}|${request.headers['accept-language'] ?? ''}`;
    return from(Promise.all([this.cache.dataVersion(), this.cycleOf(request)])).pipe(
      switchMap(([version, cycle]) => {
        // No such cycle: the route answers its 404, uncached.
        if (cycle === null) return next.handle();
        const key = `${version}|${cycle}|${audience}|${representation}|${request.url}`;
        const hit = this.cache.get(key);
        if (hit) return from(this.send(request, reply, hit, true));
        return next.handle().pipe(
          switchMap(async (result) => {
            if (typeof result === 'string' || Buffer.isBuffer(result)) {
              // Text or bytes the route encoded itself.
              const identity = Buffer.isBuffer(result) ? result : Buffer.from(result, 'utf8');
              const answer = await this.cache.put(key, identity, representationHeaders(reply, 'text/plain; charset=utf-8'));
              return this.send(request, reply, answer, false, identity);
            }
            // Encoded and compressed a piece at a time, by the route (a list) or here (a value as JSON:
            // the digest of a day at 10,000 provinces never becomes one 4.7 MiB string).
            const json = !(result instanceof EncodedAnswer);
            const encoded = json ? await encodeJson(result) : result;
            const answer = this.cache.putEncoded(key, encoded, representationHeaders(reply, 'application/json; charset=utf-8', json));
            return this.send(request, reply, answer, false, encoded.identity ?? undefined);
          }),
        );
      }),
    );
  }

  /**
   * The id of the cycle the request is about (its path's `:cycle`, else its `?cycle=`, else the default
   * cycle), as the route resolves it; null when there is no such cycle. Read beside the data version: a
   * default switched meanwhile moves that version too, so no answer outlives the switch under its key.
   */
  private async cycleOf(request: FastifyRequest): Promise<string | null> {
    const named = (request.params as Record<string, unknown> | undefined)?.cycle ?? (request.query as Record<string, unknown> | undefined)?.cycle;
    if (named !== undefined && typeof named !== 'string') return null;
    try {
      return (await this.cycles.scope(named)).id;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not-found') return null;
      throw err;
    }
  }

  /**
   * A streamed answer with the cache off (or not for this request): its own bytes when it is small;
   * else the compressed bytes to a client that accepts gzip, expanded for one that does not.
   */
  private async sendUncached(request: FastifyRequest, reply: FastifyReply, answer: EncodedAnswer): Promise<Buffer> {
    void reply.header('vary', varyWith(reply));
    if (answer.identity) return answer.identity;
    if (!acceptsGzip(request.headers['accept-encoding'])) return gunzipAsync(answer.compressed);
    void reply.header('content-encoding', 'gzip');
    return answer.compressed;
  }

  private async send(request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer, hit: boolean, identity?: Buffer): Promise<Buffer | undefined> {
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    const etag = etagOf(answer, gzip);
    for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
    void reply.header('etag', etag).header('x-read-cache', hit ? 'hit' : 'miss');
    // The answer varies with the headers of its key, and its coding with Accept-Encoding.
    void reply.header('vary', varyWith(reply));
    if (noneMatch(request.headers['if-none-match'], etag)) {
      // No body, and so no Content-Length (RFC 9110 §8.6: a 304 must not claim the length of an empty one);
      // nothing expanded for it either.
      void reply.status(304);
      return undefined;
    }
    const sent = await representationOf(answer, gzip, identity);
    if (sent.contentEncoding) void reply.header('content-encoding', sent.contentEncoding);
    return sent.body;
  }
}
