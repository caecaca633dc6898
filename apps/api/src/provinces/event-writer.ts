import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { poolSettingsOf, type SqlSession } from '@app/database';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { isDatabaseUnavailable, isStatementRefusal } from '../common/database-errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import type { EventInput } from './dto/event-body.dto.js';
import { EventDecider, isBackdated, lockedOrFail, type AppendResult, type WriteOptions } from './event-decider.js';
import { appendStatement, lockStatement, parseLocked, type LockedJson, type LockedProvince, type ProvinceRef } from './provinces.repository.js';
import { WriteBatcher, type Queued } from './write-batcher.js';

/** Group commit: the most events in one transaction. */
const WRITE_BATCH_MAX = 32;

export interface AppendRequest {
  ref: ProvinceRef;
  input: EventInput;
  actor: Principal;
  opts: WriteOptions;
}

type Batch = Queued<AppendRequest, AppendResult>[];

/**
 * A batched event's answer. A refusal `onLocked` was decided on its province as locked (no earlier event
 * of the batch changed it): it stands whatever becomes of the transaction. One decided on what an earlier
 * event of the batch left does not, if that event is not stored after all.
 */
type Outcome = { ok: true; value: AppendResult } | { ok: false; error: AppError; onLocked: boolean };

/**
 * The database is unreachable or going away (a lost connection, a shutdown, no connection to be had):
 * retrying the batch's events would only make each wait again. Not one statement's timeout or lock
 * refusal: that is one slow province, and the batch's other events deserve their retry.
 */
function connectionLost(err: unknown): boolean {
  return isDatabaseUnavailable(err) && !isStatementRefusal(err);
}

/**
 * A batch's failure that certainly committed nothing: it came before the closing message, or the server
 * refused a statement of that message (a DatabaseError with its SQLSTATE: COMMIT was then skipped). A
 * lost connection or a shutdown while the closing message was out may have committed.
 */
function committedNothing(err: unknown, closingSent: boolean): boolean {
  if (!closingSent) return true;
  const driverError = (err as { driverError?: unknown }).driverError;
  return (err instanceof pg.DatabaseError || driverError instanceof pg.DatabaseError) && !connectionLost(err);
}

/**
 * The event write path of POST /provinces/:slug/events: each event in two round trips (lock with BEGIN,
 * store with COMMIT), alone when a write slot is free, else with the other events waiting for one
 * (WriteBatcher: group commit), and what to do when a batch's transaction fails. The decisions are the
 * EventDecider's; this unit only moves them to and from the database. Figures: docs/performance.md.
 */
@Injectable()
export class EventWriter {
  private readonly batcher: WriteBatcher<AppendRequest, AppendResult>;

  constructor(
    private readonly decider: EventDecider,
    private readonly publisher: ChangePublisher,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() db: DataSource,
  ) {
    // DB_WRITE_SLOTS event transactions at once, each holding a pool connection; the rest of the pool
    // stays free for reads and other writes. An event waits for a slot as long as a request would wait
    // for a connection, then gets the same 503. The pool's own figures: the embedded database's differ.
    const pool = poolSettingsOf(db);
    this.batcher = new WriteBatcher<AppendRequest, AppendResult>(
      {
        maxInFlight: Math.min(config.db.writeSlots, pool.poolMax),
        maxBatch: WRITE_BATCH_MAX,
        maxPerKey: config.db.writeBatchPerProvince,
        maxWaitMs: pool.connectionTimeoutMs,
        timedOut: () => new AppError('database-unavailable', 'The database is busy; try again shortly.'),
      },
      (batch) => this.writeBatch(batch),
    );
    metrics.watchWriteQueue(() => this.batcher.waiting);
  }

  submit(request: AppendRequest): Promise<AppendResult> {
    return this.batcher.submit(`${request.ref.cycleId}/${request.ref.slug}`, request);
  }

  /** One event in its own transaction. */
  private writeAlone({ ref, input, actor, opts }: AppendRequest): Promise<AppendResult> {
    return this.publisher.inTwoRoundTrips([lockStatement(ref)], async (s, [opened], emit) => {
      const p = lockedOrFail(parseLocked((opened[0] as { p: LockedJson | null } | undefined)?.p ?? null), ref.slug, opts);
      const { body, write } = await this.decider.decideAppend(s, p, input, actor, opts, this.publisher.notifyChannel);
      emit(write.notices, { persisted: true });
      return { value: body, closing: appendStatement(write) };
    });
  }

  /**
   * Several events in one transaction: every province of the batch locked once, all in one message (in
   * (cycle, slug) order, as the cycle update locks them, so the two never deadlock); a province's events decided
   * one after another in arrival order, each on the province as the one before left it, exactly as it
   * would be alone, and every accepted one stored in one closing message with COMMIT. If the transaction
   * fails as a whole, see `retryOrReject`.
   */
  private async writeBatch(batch: Batch): Promise<void> {
    this.metrics.writeBatch(batch.length);
    if (batch.length === 1) {
      const [q] = batch;
      return this.writeAlone(q.input).then(q.resolve, q.reject);
    }
    // Stable: a province's events keep their arrival order.
    const ordered = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keys = [...new Set(ordered.map((q) => q.key))];
    const refs = new Map(ordered.map((q) => [q.key, q.input.ref]));
    const outcomes = new Map<Queued<AppendRequest, AppendResult>, Outcome>();
    let closingSent = false;
    try {
      await this.publisher.inTwoRoundTrips(
        keys.map((key) => lockStatement(refs.get(key)!)),
        async (s, opened, emit) => {
          const locked = new Map(keys.map((key, i) => [key, parseLocked((opened[i]?.[0] as { p: LockedJson | null } | undefined)?.p ?? null)]));
          const closing = await this.decideAll(s, ordered, locked, outcomes, emit);
          closingSent = true;
          return { value: undefined, closing };
        },
      );
    } catch (err) {
      return this.retryOrReject(batch, outcomes, err, closingSent);
    }
    for (const q of batch) {
      const outcome = outcomes.get(q)!;
      if (outcome.ok) q.resolve(outcome.value);
      else q.reject(outcome.error);
    }
  }

  /**
   * Decide a batch's events in order, each on its province as the events before it left it (replaced only
   * when one is accepted); a refusal answers that event only, before it wrote anything. A backdated event
   * reads the stored timeline, so the batch's earlier events of its province are stored first (a round
   * trip inside the transaction). Returns the closing statement that stores the rest.
   */
  private async decideAll(
    s: SqlSession,
    ordered: Batch,
    locked: Map<string, LockedProvince | null>,
    outcomes: Map<Queued<AppendRequest, AppendResult>, Outcome>,
    emit: Emit,
  ): Promise<string> {
    const provinces = new Map(locked);
    let closings: { key: string; statement: string }[] = [];
    for (const q of ordered) {
      const { input, actor, opts } = q.input;
      const key = q.key;
      try {
        const p = lockedOrFail(provinces.get(key) ?? null, q.input.ref.slug, opts);
        if (isBackdated(p, input) && closings.some((c) => c.key === key)) {
          for (const c of closings) await s.query(c.statement);
          closings = [];
        }
        const { body, write, after, alertsChanged } = await this.decider.decideAppend(s, p, input, actor, opts, this.publisher.notifyChannel);
        emit(write.notices, { persisted: true });
        closings.push({ key, statement: appendStatement(write) });
        outcomes.set(q, { ok: true, value: body });
        provinces.set(key, alertsChanged ? { ...after, alerts: await this.decider.activeAlertsOf(s, p.id) } : after);
      } catch (err) {
        // A refusal (AppError) is thrown before the event writes anything; anything else fails the batch.
        if (!(err instanceof AppError)) throw err;
        outcomes.set(q, { ok: false, error: err, onLocked: provinces.get(key) === locked.get(key) });
      }
    }
    return closings.length > 0 ? closings.map((c) => c.statement).join('; ') : 'SELECT 1';
  }

  /**
   * A batch's transaction failed. A refused event wrote nothing: its answer stands if it was decided on
   * its province as locked. If the transaction certainly committed nothing and the database is reachable,
   * the other events are written again one after another, each with its own answer; otherwise (the
   * database unreachable, or the connection lost with COMMIT on its way) every one gets that error, as a
   * lone write's would.
   */
  private async retryOrReject(batch: Batch, outcomes: Map<Queued<AppendRequest, AppendResult>, Outcome>, err: unknown, closingSent: boolean): Promise<void> {
    const refusal = (q: Queued<AppendRequest, AppendResult>) => {
      const outcome = outcomes.get(q);
      return outcome && !outcome.ok && outcome.onLocked ? outcome.error : null;
    };
    if (connectionLost(err) || !committedNothing(err, closingSent)) {
      batch.forEach((q) => q.reject(refusal(q) ?? err));
      return;
    }
    // Written again one event after another, in this batch's slot (its provinces stay reserved to it);
    // if the database goes away meanwhile, the rest get that answer at once instead of each waiting.
    this.metrics.writeBatchRetried();
    let lost: unknown = null;
    for (const q of batch) {
      const refused = refusal(q);
      if (refused) q.reject(refused);
      else if (lost) q.reject(lost);
      else {
        await this.writeAlone(q.input).then(q.resolve, (error: unknown) => {
          if (connectionLost(error)) lost = error;
          q.reject(error);
        });
      }
    }
  }
}
