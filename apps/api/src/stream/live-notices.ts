import { Inject, Injectable, Logger, type MessageEvent, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subject, type Subscription } from 'rxjs';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import { ChangeBus } from './change-bus.js';
import type { ChangeNotice } from './change-notice.js';
import { NoticeLogRepository, type LogRow } from './notice-log.repository.js';
import { comparePositions, decodePosition, encodePosition, type StreamPosition } from './stream-position.js';

/** A notice at its place in the log. */
interface Placed {
  position: StreamPosition;
  notice: ChangeNotice;
}

/** What tells that a stream's response is over (Node's ServerResponse). */
interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

/** Why a stream could not resume where its client asked: it should reload what it shows. */
export type ResetReason = 'unknown-position' | 'too-far-behind';

const AFTER_EVERYTHING: StreamPosition = { txId: 2n ** 64n - 1n, id: 2n ** 63n - 1n, delivered: 1000 };
/** Log rows read at a time. */
const PAGE = 500;
/** While announced notices are not readable yet (an older transaction still runs), the log is read again this soon. */
const HELD_BACK_RETRY_MS = 50;
/** An announced notice not found by then is given up on (its writer was rolled back, or is a rolling update's older build). */
const HELD_BACK_FORGET_MS = 10_000;
/** Read anyway, while streams are open: a notice whose NOTIFY was lost (LISTEN reconnecting, a payload over 8000 bytes). */
const POLL_MS = 1000;

/** The notices of a row after `after`, each with its own position (rows hold an event's notices together). */
function placed(rows: LogRow[], after: StreamPosition): Placed[] {
  const out: Placed[] = [];
  for (const row of rows) {
    row.notices.forEach((notice, i) => {
      const position = { txId: row.txId, id: row.id, delivered: i + 1 };
      if (comparePositions(position, after) > 0) out.push({ position, notice });
    });
  }
  return out;
}

const asMessage = (p: Placed): MessageEvent => ({ type: p.notice.type, id: encodePosition(p.position), data: p.notice });

/**
 * /stream's notices, in the log's order, each with its position as SSE `id`, and a resume: a client
 * that reconnects with `Last-Event-ID` is sent what it missed, then what follows, with nothing lost
 * or repeated (across restarts and instances: the log is in the database).
 *
 * The live part is one reader of the log per instance (the tail), woken by every notice announced
 * (LISTEN/NOTIFY, or this process's own in embedded mode) and polled each second; it reads only while
 * a stream is open, so the write path pays nothing for it otherwise. A notice is read once every older
 * transaction has ended, as /changes hands out events, so positions never go back.
 */
@Injectable()
export class LiveNotices implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveNotices.name);
  private readonly tail = new Subject<Placed>();
  /** How far the tail has read; null while no stream is open. */
  private position: StreamPosition | null = null;
  private starting: Promise<void> | null = null;
  private streams = 0;
  private reading = false;
  private readAgain = false;
  /** Notices announced but not read yet, with when they were heard of. */
  private readonly announced = new Map<string, number>();
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly wakeups: Subscription;

  constructor(
    private readonly log: NoticeLogRepository,
    bus: ChangeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.wakeups = bus.changes.subscribe((n) => {
      if (!this.position) return;
      this.announced.set(n.id, Date.now());
      this.read();
    });
  }

  onApplicationShutdown(): void {
    this.wakeups.unsubscribe();
    this.stop();
    this.tail.complete();
  }

  /**
   * A stream's messages: first `ready` (its position: where it starts) or `reset` (the position asked
   * for cannot be resumed from: reload, then follow from the one given), then the notices `accept`
   * keeps, missed ones first. Resolves once the replay is read, so that a database that cannot be read
   * is the request's 503, not a broken stream. Ends nothing itself: the response's close does.
   */
  async open(lastEventId: string | undefined, accept: (n: ChangeNotice) => boolean, response: Closable): Promise<Observable<MessageEvent>> {
    await this.join();
    // Subscribed to the tail and its position taken in one turn: every notice after `until` reaches the buffer.
    let buffer: Placed[] | null = [];
    let deliver: (p: Placed) => void = () => undefined;
    const live = this.tail.subscribe((p) => (buffer ? buffer.push(p) : deliver(p)));
    const until = this.position!;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      live.unsubscribe();
      this.leave();
    };
    response.once('close', leave);
    let start: { first: MessageEvent; from: StreamPosition; replay: Placed[] };
    try {
      start = await this.resume(lastEventId, until, accept);
    } catch (err) {
      leave();
      throw err;
    }
    return new Observable<MessageEvent>((subscriber) => {
      let last = start.from;
      const send = (p: Placed) => {
        if (comparePositions(p.position, last) <= 0) return;
        last = p.position;
        if (accept(p.notice)) subscriber.next(asMessage(p));
      };
      subscriber.next(start.first);
      for (const p of start.replay) send(p);
      if (comparePositions(last, until) < 0) last = until;
      for (const p of buffer ?? []) send(p);
      buffer = null;
      deliver = send;
      return leave;
    });
  }

  /** Where a stream starts, and what it replays up to `until` (the tail's position). */
  private async resume(lastEventId: string | undefined, until: StreamPosition, accept: (n: ChangeNotice) => boolean) {
    const ready = (from: StreamPosition, resumed: boolean) => ({ first: { type: 'ready', id: encodePosition(from), data: { resumed } }, from, replay: [] as Placed[] });
    const reset = (reason: ResetReason, detail: string) => ({ first: { type: 'reset', id: encodePosition(until), data: { reason, detail } }, from: until, replay: [] as Placed[] });
    if (lastEventId === undefined || lastEventId === '') return ready(until, false);
    const from = decodePosition(lastEventId);
    if (!from) return reset('unknown-position', 'Last-Event-ID is not a position this stream handed out; reload, then follow from here.');
    if (comparePositions(from, until) >= 0) {
      // Ahead of this instance's tail: handed out by another instance that read further, unless it is
      // ahead of every finished transaction (another database's).
      if (from.txId > (await this.log.head()).txId) return reset('unknown-position', 'Last-Event-ID is ahead of this log; reload, then follow from here.');
      return ready(from, true);
    }
    const replay: Placed[] = [];
    let kept = 0;
    for (let cursor = from; ; ) {
      const rows = await this.log.rowsFrom(cursor, until, PAGE);
      for (const p of placed(rows, cursor)) {
        if (comparePositions(p.position, until) > 0) break;
        replay.push(p);
        if (accept(p.notice) && ++kept > this.config.streamReplayMax) {
          return reset('too-far-behind', `More than ${this.config.streamReplayMax} notices were missed; reload, then follow from here.`);
        }
      }
      const lastRow = rows.at(-1);
      if (rows.length < PAGE || !lastRow) break;
      cursor = { txId: lastRow.txId, id: lastRow.id, delivered: lastRow.notices.length };
    }
    return { ...ready(from, true), replay };
  }

  /** One more open stream; the tail starts at the log's head with the first. */
  private async join(): Promise<void> {
    this.streams++;
    if (this.position) return;
    this.starting ??= this.log.head().then(
      (head) => {
        this.starting = null;
        if (this.streams === 0 || this.position) return;
        this.position = head;
        this.poll = setInterval(() => this.read(), POLL_MS);
        this.poll.unref();
      },
      (err: unknown) => {
        this.starting = null;
        throw err;
      },
    );
    try {
      await this.starting;
    } catch (err) {
      this.leave();
      throw err;
    }
  }

  private leave(): void {
    this.streams--;
    if (this.streams === 0) this.stop();
  }

  private stop(): void {
    this.position = null;
    this.announced.clear();
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    this.poll = this.retry = null;
  }

  /** Read the log after the tail's position, one read at a time (a wake-up during a read reads again after it). */
  private read(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    this.readOnce()
      .catch((err: unknown) => this.logger.warn(`could not read the notice log: ${(err as Error).message}`))
      .finally(() => {
        this.reading = false;
        if (this.readAgain) {
          this.readAgain = false;
          return this.read();
        }
        this.retryHeldBack();
      });
  }

  private async readOnce(): Promise<void> {
    for (;;) {
      const from = this.position;
      if (!from) return;
      const rows = await this.log.rowsFrom(from, AFTER_EVERYTHING, PAGE);
      if (this.position !== from) return; // the last stream closed meanwhile
      for (const p of placed(rows, from)) {
        this.announced.delete(p.notice.id);
        this.position = p.position;
        this.tail.next(p);
      }
      if (rows.length < PAGE) return;
    }
  }

  /** Announced notices still unread belong to transactions that wait on an older one: look again soon. */
  private retryHeldBack(): void {
    const now = Date.now();
    for (const [id, at] of this.announced) if (now - at > HELD_BACK_FORGET_MS) this.announced.delete(id);
    if (!this.position || this.announced.size === 0 || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.read();
    }, HELD_BACK_RETRY_MS);
    this.retry.unref();
  }
}
