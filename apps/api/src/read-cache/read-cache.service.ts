import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gunzip, gzip } from 'node:zlib';
import type { AppConfig } from '@app/config';
import { localDate } from '@app/workflow';
import { APP_CONFIG } from '../common/tokens.js';
import { ReadCacheRepository } from './read-cache.repository.js';
import type { EncodedAnswer } from './streamed-answer.js';

export interface CachedAnswer {
  /** Encoded once, and gzip-compressed when `gzip`: a hit from a client that accepts gzip sends these bytes as they are. */
  body: Buffer;
  gzip: boolean;
  /** The representation headers the route set (content-type, content-disposition, content-language, vary). */
  headers: Record<string, string>;
  /** The ETag of the uncompressed answer (the gzip-coded one carries it with a "-gz" suffix). */
  etag: string;
}

/** What one request is sent of a cached answer. */
export interface SentAnswer {
  body: Buffer;
  etag: string;
  contentEncoding: 'gzip' | null;
}

/** Answers from this size up are kept gzip-compressed (smaller ones gain nothing worth a header). */
const GZIP_FROM_BYTES = 1024;

// In libuv's thread pool: a 10 MiB answer takes ~19 ms to compress and ~15 ms to expand, which the
// event loop (and, embedded, the database in the same process) does not wait for.
const gzipAsync = promisify(gzip);
export const gunzipAsync = promisify(gunzip);

/**
 * The cached answer as this request gets it: the compressed bytes for a client that accepts gzip;
 * the answer uncompressed for one that does not (RFC 9110 §12.5.3: it may refuse every coding) — the
 * route's own bytes on a miss (`identity`), expanded from the cache on a hit. A content coding is a
 * representation of its own, so the compressed one has its own strong ETag.
 */
export async function representationOf(answer: CachedAnswer, acceptsGzip: boolean, identity?: Buffer): Promise<SentAnswer> {
  const etag = etagOf(answer, acceptsGzip);
  if (!answer.gzip) return { body: answer.body, etag, contentEncoding: null };
  if (acceptsGzip) return { body: answer.body, etag, contentEncoding: 'gzip' };
  return { body: identity ?? (await gunzipAsync(answer.body)), etag, contentEncoding: null };
}

/** The ETag of the representation a request gets (known before anything is expanded: a 304 needs only this). */
export function etagOf(answer: CachedAnswer, acceptsGzip: boolean): string {
  return answer.gzip && acceptsGzip ? `${answer.etag.slice(0, -1)}-gz"` : answer.etag;
}

/**
 * Serialized answers of the expensive deterministic reads (a 10,000-province list as of an instant,
 * the digest of a day), kept by request and data version, least recently used out first, compressed
 * (gzip) from 1 KiB up. An answer is served from here only while nothing it depends on has changed:
 * the lookup costs one statement.
 */
@Injectable()
export class ReadCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly repo: ReadCacheRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.readCacheBytes > 0;
  }

  /**
   * The data version (read-cache.repository.ts: it moves whenever anything an as-of list or a digest
   * shows can change; read BEFORE the answer is computed, so an answer is never older than the version
   * it is stored under), and today in each cycle's zone by this process's clock — the clock the digest
   * takes its default day from and the present list its deadline verdicts — so that a day's answer is
   * never served on the next day. (A province's view changes with the clock only at midnights of its
   * cycle's zone: every milestone and the deadline end a local day, and days to the deadline count
   * local days; a property test in province.view.spec.ts holds the views to that.)
   */
  async dataVersion(now: Date = new Date()): Promise<string> {
    const row = await this.repo.dataVersion();
    const days = (row.timezones ?? '').split(',').filter(Boolean).map((zone) => localDate(now, zone));
    return `${row.version}.${days.join(',')}`;
  }

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Keep a route's encoded answer (compressed from 1 KiB up) under `key`; the answer as kept. */
  async put(key: string, identity: Buffer, headers: Record<string, string>): Promise<CachedAnswer> {
    // Kept compressed at gzip's fastest level: a list of 10,000 provinces, 10.7 MiB of JSON, is 1.0 MiB
    // after 19 ms — ten times the answers in the same memory, and a tenth of the bytes on the wire.
    const compressed = identity.length >= GZIP_FROM_BYTES ? await gzipAsync(identity, { level: constants.Z_BEST_SPEED }) : null;
    return this.keep(key, { identity, compressed, length: identity.length, digest: createHash('sha256').update(identity).digest() }, headers);
  }

  /** The same for an answer the route encoded and compressed a chunk at a time (StreamedAnswer). */
  putEncoded(key: string, answer: EncodedAnswer, headers: Record<string, string>): CachedAnswer {
    return this.keep(key, answer, headers);
  }

  private keep(
    key: string,
    answer: { identity: Buffer | null; compressed: Buffer | null; length: number; digest: Buffer },
    headers: Record<string, string>,
  ): CachedAnswer {
    const etag = `"r${createHash('sha256').update(key).update('\0').update(answer.digest).digest('base64url').slice(0, 27)}"`;
    // Compressed when that is smaller, from 1 KiB up; always when the answer's own bytes were never held.
    const gzip = answer.compressed !== null && (answer.identity === null || (answer.length >= GZIP_FROM_BYTES && answer.compressed.length < answer.length));
    const body = gzip ? answer.compressed! : answer.identity!;
    const cached: CachedAnswer = { body, gzip, headers, etag };
    const size = body.length + key.length;
    if (size > this.config.readCacheBytes) return cached;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.body.length + key.length;
    }
    this.entries.set(key, cached);
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.config.readCacheBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length + oldest.length;
    }
    return cached;
  }
}
