import { Inject, Injectable } from '@nestjs/common';
import { filter, finalize, takeUntil, type Observable } from 'rxjs';
import type { AppConfig } from '@app/config';
import { AppError } from '../common/app-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import { ChangeBus } from './change-bus.js';

/** What tells that a stream's response is over (Node's ServerResponse). */
interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The live streams open in this instance, by API key: at most STREAMS_PER_KEY each (more is a 429),
 * and every one of a key ends when that key is revoked, through whichever instance or the CLI.
 */
@Injectable()
export class LiveStreams {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly bus: ChangeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Admit one more stream of `keyId`, counted until its response closes or its events end (or their
   * setup fails); the events end when the key is revoked (the response then ends, and the client's
   * retry gets a 401). Counted before the events are set up, so a key over its limit costs no query.
   */
  async admit<T>(keyId: string, response: Closable, setUp: () => Promise<Observable<T>>): Promise<Observable<T>> {
    const count = this.open.get(keyId) ?? 0;
    if (count >= this.config.streamsPerKey) {
      throw new AppError('rate-limited', `This key already has ${count} live streams open, the most one key may hold here; close one first.`, {
        retryAfter: 5,
      });
    }
    this.open.set(keyId, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.open.get(keyId) ?? 1) - 1;
      if (left > 0) this.open.set(keyId, left);
      else this.open.delete(keyId);
    };
    response.once('close', release); // a client gone before the stream was even subscribed
    let events: Observable<T>;
    try {
      events = await setUp();
    } catch (err) {
      release();
      throw err;
    }
    return events.pipe(
      takeUntil(this.bus.revokedKeys.pipe(filter((id) => id === keyId))),
      finalize(release),
    );
  }

  /** The keys with a stream open here. */
  keyIds(): string[] {
    return [...this.open.keys()];
  }
}
