import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { writeJson } from '../common/items-json.js';

/** Up to this size an answer's own bytes are kept as well (a small answer is sent and cached as it is). */
export const IDENTITY_KEEP_BYTES = 64 * 1024;

/** An answer encoded a chunk at a time: its gzip-compressed bytes, and its own bytes when it is small. */
export class EncodedAnswer {
  constructor(
    /** The answer's own bytes; null when it was larger than IDENTITY_KEEP_BYTES (never held whole). */
    readonly identity: Buffer | null,
    /** The answer gzip-compressed at the fastest level. */
    readonly compressed: Buffer,
    /** The length of the answer's own bytes. */
    readonly length: number,
    /** SHA-256 of the answer's own bytes (its validators are made from it). */
    readonly digest: Buffer,
  ) {}
}

/**
 * Builds an EncodedAnswer from chunks as a route encodes them (a list of 10,000 provinces is 11 MiB
 * of JSON, written 500 provinces at a time): each chunk is hashed and fed to gzip (in libuv's thread
 * pool, waiting when gzip's input is full), then dropped — so a large answer never exists
 * uncompressed at once (it used to: every page's bytes, then one buffer of them all, ~22 MiB).
 */
export class StreamedAnswer {
  private readonly hash = createHash('sha256');
  private readonly gzip = createGzip({ level: constants.Z_BEST_SPEED });
  private readonly compressed: Buffer[] = [];
  private readonly ended: Promise<void>;
  private readonly closed: Promise<never>;
  private identity: Buffer[] | null = [];
  private length = 0;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.compressed.push(chunk));
    this.ended = finished(this.gzip);
    // Rejects whenever the stream ends (a write waiting for 'drain' must not wait past that).
    this.closed = this.ended.then(() => {
      throw new Error('the compressor closed before it took the answer');
    });
    // A failure surfaces from write() or end(); these keep it from also being an unhandled rejection.
    this.ended.catch(() => undefined);
    this.closed.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    // Failed or closed meanwhile: say so now (a wait for 'drain' below would never end).
    if (this.gzip.destroyed || this.gzip.writableEnded) throw this.gzip.errored ?? new Error('the compressor is closed');
    this.hash.update(chunk);
    this.length += chunk.length;
    if (this.identity) {
      this.identity.push(chunk);
      if (this.length > IDENTITY_KEEP_BYTES) this.identity = null;
    }
    // 'drain', or the stream's end (a failure, or a close): whichever comes first.
    if (!this.gzip.write(chunk)) await Promise.race([once(this.gzip, 'drain'), this.closed]);
  }

  async end(): Promise<EncodedAnswer> {
    this.gzip.end();
    await this.ended;
    return new EncodedAnswer(this.identity && Buffer.concat(this.identity), Buffer.concat(this.compressed), this.length, this.hash.digest());
  }

  /** Abandon it (the route failed): gzip's native memory is released now, not at garbage collection. */
  destroy(): void {
    this.gzip.destroy();
  }
}

/** A value as JSON (exactly JSON.stringify's bytes), encoded and compressed a piece at a time (writeJson). */
export async function encodeJson(value: unknown): Promise<EncodedAnswer> {
  const streamed = new StreamedAnswer();
  try {
    await writeJson(value, (chunk) => streamed.write(chunk));
  } catch (err) {
    streamed.destroy();
    throw err;
  }
  return streamed.end();
}
