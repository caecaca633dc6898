import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { poolSettingsOf } from '@app/database';
import {
  MACHINE_REF,
  applyEvent,
  checkOccurredAt,
  initialFormationState,
  replay,
  type FormationEvent,
  type FormationState,
  type WorkflowRefusal,
} from '@app/workflow';
import { AlertsService, type EvaluationCause } from '../alerts/alerts.service.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { isDatabaseUnavailable } from '../common/database-errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ChangeNotice } from '../stream/change-notice.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import type { EventInput } from './dto/event-body.dto.js';
import {
  toEventView,
  toProvinceView,
  withAllowedEvents,
  type EventView,
  type ProvinceView,
} from './province.view.js';
import {
  ProvincesRepository,
  appendStatement,
  lockStatement,
  parseLocked,
  type EventWrite,
  type LockedJson,
  type LockedProvince,
  type NewEvent,
  type ProvinceRow,
  type ReplayedEvent,
  type TimelineEvent,
} from './provinces.repository.js';
import { WriteBatcher, type Queued } from './write-batcher.js';

const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_SEQ = 2_147_483_647;

export interface WriteOptions {
  /** The version the client last saw (If-Match); a different current version refuses with 412. */
  expectedVersion?: number;
  /** The claimed Idempotency-Key row, completed in the same transaction as the write. */
  idempotencyId?: string;
  /** Two-person rule: the editor who approved this event (its actor proposed it). */
  approvedBy?: string;
}

export interface AppendResult {
  event: EventView;
  province: ProvinceView;
}

export interface RetractResult {
  /** The retracted event, as `GET /provinces/:slug/events` shows it now. */
  event: EventView;
  province: ProvinceView;
}

export interface ReadOptions {
  asOf?: Date;
  knownAt?: Date;
}

/** A slug that cannot exist is a 404 before any statement. */
function checkSlug(slug: string): void {
  if (!SLUG_RE.test(slug) || slug.length > 100) throw AppError.notFound(`No province "${slug.slice(0, 100)}".`);
}

/** The locked province, or its 404; a stale If-Match is a 412. */
function lockedOrFail(p: LockedProvince | null, slug: string, opts: WriteOptions): LockedProvince {
  if (!p) throw AppError.notFound(`No province "${slug}".`);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== p.version) {
    throw new AppError('precondition-failed', `The province is at version ${p.version}, not ${opts.expectedVersion}.`, {
      currentVersion: p.version,
    });
  }
  return p;
}

function refusalError(refusal: WorkflowRefusal, type: string): AppError {
  if (refusal.code === 'invalid-transition') {
    return new AppError('invalid-transition', `${type} is not accepted while the province is in stage "${refusal.stage}".`, {
      stage: refusal.stage,
      allowedEvents: refusal.allowedEvents,
    });
  }
  return new AppError('guard-failed', `${type} was refused: ${refusal.reason}.`, { stage: refusal.stage, reason: refusal.reason });
}

function newEventView(slug: string, e: NewEvent, input: EventInput): EventView {
  return {
    province: slug,
    seq: e.seq,
    type: e.type as EventView['type'],
    payload: e.payload as Record<string, unknown>,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    actor: e.actor,
    source: input.source,
    confidence: input.confidence,
    note: e.note,
    machine: e.machine,
    fromStage: e.fromStage,
    toStage: e.toStage,
    late: e.late,
    daysToDeadline: e.daysToDeadline,
    retracted: false,
    retractedAt: null,
    retractedBy: null,
    retractionReason: null,
    internal: e.internal,
    approvedBy: e.approvedBy,
  };
}

/**
 * When an event occurred: as given, else "now" — never before the province's latest event, so that
 * concurrent writers without an explicit occurredAt (whose transactions started in another order than
 * they got the lock) stay in order.
 */
function occurredAtOf(p: LockedProvince, input: EventInput): Date {
  return input.occurredAt ? new Date(input.occurredAt) : new Date(Math.max(p.now.getTime(), p.lastOccurredAt?.getTime() ?? 0));
}

/** Backdated: before the province's latest event, so it goes in at its place in the timeline and what follows is replayed. */
function isBackdated(p: LockedProvince, input: EventInput): boolean {
  return p.lastOccurredAt !== null && occurredAtOf(p, input).getTime() < p.lastOccurredAt.getTime();
}

export function machineEventOf(e: Pick<TimelineEvent, 'type' | 'payload' | 'occurredAt'>): FormationEvent {
  return { ...e.payload, type: e.type, occurredAt: e.occurredAt.toISOString() } as FormationEvent;
}

/** Group commit of POST /provinces/:slug/events: the most events in one transaction. */
const WRITE_BATCH_MAX = 32;

interface AppendRequest {
  slug: string;
  input: EventInput;
  actor: Principal;
  opts: WriteOptions;
}

/**
 * A batched event's answer. A refusal `onLocked` was decided on its province as locked (no earlier event
 * of the batch changed it): it stands whatever becomes of the transaction. One decided on what an earlier
 * event of the batch left does not, if that event is not stored after all.
 */
type Outcome = { ok: true; value: AppendResult } | { ok: false; error: AppError; onLocked: boolean };

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
 * The database is unreachable or going away (a lost connection, a shutdown, no connection to be had):
 * retrying the batch's events would only make each wait again. Not one statement's timeout or lock
 * refusal: that is one slow province, and the batch's other events deserve their retry.
 */
function connectionLost(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.code ?? e.driverError?.code;
  return isDatabaseUnavailable(err) && code !== '57014' && code !== '55P03';
}

/** Provinces replayed per query when a list is read as known at an instant. */
const REPLAY_CHUNK = 250;

/** Provinces read, rebuilt and encoded at a time when a whole list is answered. */
const LIST_PAGE = 500;

/**
 * The province use cases: read (now, as of an instant, as known at an instant), append an event,
 * retract one. Each write loads under a row lock, decides with the pure machine, and persists in
 * the same transaction.
 */
@Injectable()
export class ProvincesService {
  constructor(
    private readonly repo: ProvincesRepository,
    private readonly publisher: ChangePublisher,
    private readonly alerts: AlertsService,
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
      (batch) => this.appendBatch(batch),
    );
    metrics.watchWriteQueue(() => this.batcher.waiting);
  }

  private readonly batcher: WriteBatcher<AppendRequest, AppendResult>;

  /**
   * Every province (filtered), a page of LIST_PAGE at a time, handed to `each` in slug order: a list of
   * 10,000 holds one page's rows, states and views at once, never the whole list's. All pages are read
   * in one snapshot (REPEATABLE READ), so the list is one instant of the database, as one statement's was.
   */
  async listPages(filter: { stage?: string; tier?: string; status?: string }, read: ReadOptions, each: (views: ProvinceView[]) => void | Promise<void>): Promise<void> {
    const asOfMode = read.asOf !== undefined || read.knownAt !== undefined;
    // Stage and tier filter in SQL only for the present; a past view is filtered after it is rebuilt.
    const sqlFilter = asOfMode ? {} : (filter as { stage?: never; tier?: never });
    const keep = (v: ProvinceView) =>
      (!filter.stage || v.stage === filter.stage) &&
      (!filter.tier || (filter.tier === 'none' ? v.tier === null : v.tier === filter.tier)) &&
      (!filter.status || v.deadlineStatus === filter.status);
    const now = new Date();
    await this.repo.snapshot(async (q) => {
      const changed = read.knownAt ? await this.repo.changedSince(q, read.knownAt, read.asOf ?? read.knownAt) : undefined;
      for (let after: string | null = null; ; ) {
        const rows = await this.repo.findPage(q, sqlFilter, after, LIST_PAGE);
        if (rows.length === 0) return;
        const views = asOfMode ? (await this.rebuild(q, rows, read, changed)).map((r) => r.view) : rows.map((r) => toProvinceView(r, r.state, r.rules, now));
        await each(views.filter(keep));
        if (rows.length < LIST_PAGE) return;
        after = rows[rows.length - 1].slug;
      }
    });
  }

  async get(slug: string, read: ReadOptions): Promise<{ view: ProvinceView; state: FormationState }> {
    const row = await this.findRow(slug);
    if (read.asOf !== undefined || read.knownAt !== undefined) {
      const [{ view, state }] = await this.rebuild(this.repo.reader, [row], read);
      return { view: withAllowedEvents(view, state), state };
    }
    return { view: withAllowedEvents(toProvinceView(row, row.state, row.rules, new Date()), row.state), state: row.state };
  }

  async history(slug: string): Promise<EventView[]> {
    const row = await this.findRow(slug);
    return (await this.repo.history(row.id)).map((e) => toEventView(slug, e));
  }

  /**
   * POST /provinces/:slug/events: in two round trips (lock with BEGIN, store with COMMIT), alone when a
   * slot is free, else with the other events waiting for one (WriteBatcher: group commit).
   */
  async append(slug: string, input: EventInput, actor: Principal, opts: WriteOptions): Promise<AppendResult> {
    checkSlug(slug);
    return this.batcher.submit(slug, { slug, input, actor, opts });
  }

  /** One event in its own transaction. */
  private async appendAlone({ slug, input, actor, opts }: AppendRequest): Promise<AppendResult> {
    return this.publisher.inTwoRoundTrips(lockStatement(slug), async (m, [opened]: { p: LockedJson | null }[], emit) => {
      const p = lockedOrFail(parseLocked(opened?.p ?? null), slug, opts);
      const { body, write } = await this.decideAppend(m, p, input, actor, opts);
      emit(write.notices, { persisted: true });
      return { value: body, closing: appendStatement(write) };
    });
  }

  /**
   * Several events in one transaction: every province of the batch locked once, all in one message (in
   * slug order, as the cycle update locks them, so the two never deadlock); a province's events decided
   * one after another in arrival order, each on the province as the one before left it, exactly as it
   * would be alone — a refusal answers that event only, before it wrote anything — and every accepted
   * one stored in one closing message with COMMIT. A backdated event reads the stored timeline, so the
   * batch's earlier events of its province are stored first (a round trip inside the transaction). If
   * the transaction fails as a whole, certainly committed nothing and the database is reachable, the
   * events are written again one after another, each with its own answer; otherwise (the database
   * unreachable, or the connection lost with COMMIT on its way) every accepted event gets that error,
   * as a lone write's would. A refusal decided on its province as locked keeps its answer in every case;
   * one decided on what an earlier event of the batch left is treated as that event is.
   */
  private async appendBatch(batch: Queued<AppendRequest, AppendResult>[]): Promise<void> {
    this.metrics.writeBatch(batch.length);
    if (batch.length === 1) {
      const [q] = batch;
      return this.appendAlone(q.input).then(q.resolve, q.reject);
    }
    // Stable: a province's events keep their arrival order.
    const ordered = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const slugs = [...new Set(ordered.map((q) => q.key))];
    const outcomes = new Map<Queued<AppendRequest, AppendResult>, Outcome>();
    let closingSent = false;
    try {
      await this.publisher.inTwoRoundTripsMany(
        slugs.map((slug) => lockStatement(slug)),
        async (m, opened: { p: LockedJson | null }[][], emit) => {
          const locked = new Map(slugs.map((slug, i) => [slug, parseLocked(opened[i]?.[0]?.p ?? null)]));
          // Each province as the batch's events so far leave it (replaced only when one is accepted).
          const provinces = new Map(locked);
          let closings: { slug: string; statement: string }[] = [];
          for (const q of ordered) {
            const { slug, input, actor, opts } = q.input;
            try {
              const p = lockedOrFail(provinces.get(slug) ?? null, slug, opts);
              if (isBackdated(p, input) && closings.some((c) => c.slug === slug)) {
                for (const c of closings) await m.query(c.statement);
                closings = [];
              }
              const { body, write, after } = await this.decideAppend(m, p, input, actor, opts);
              emit(write.notices, { persisted: true });
              closings.push({ slug, statement: appendStatement(write) });
              outcomes.set(q, { ok: true, value: body });
              provinces.set(slug, after.alertsChanged ? { ...after.province, alerts: await this.activeAlertsOf(m, p.id) } : after.province);
            } catch (err) {
              // A refusal (AppError) is thrown before the event writes anything; anything else fails the batch.
              if (!(err instanceof AppError)) throw err;
              outcomes.set(q, { ok: false, error: err, onLocked: provinces.get(slug) === locked.get(slug) });
            }
          }
          closingSent = true;
          return { value: undefined, closing: closings.length > 0 ? closings.map((c) => c.statement).join('; ') : 'SELECT 1' };
        },
      );
    } catch (err) {
      // A refused event wrote nothing: its answer stands, whatever became of the others — if it was decided
      // on its province as locked. One decided on an earlier event of the batch is decided again (or, when
      // the commit is in doubt, gets that answer), as that event may not be stored.
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
          await this.appendAlone(q.input).then(q.resolve, (error: unknown) => {
            if (connectionLost(error)) lost = error;
            q.reject(error);
          });
        }
      }
      return;
    }
    for (const q of batch) {
      const outcome = outcomes.get(q)!;
      if (outcome.ok) q.resolve(outcome.value);
      else q.reject(outcome.error);
    }
  }

  /**
   * The append use case inside a transaction the caller holds: approving a proposal (two-person rule)
   * and confirming a claim with `apply` run it in their own transaction, so both commit or neither does.
   */
  async appendIn(m: EntityManager, emit: Emit, slug: string, input: EventInput, actor: Principal, opts: WriteOptions): Promise<AppendResult> {
    const p = await this.lockOrFail(m, slug, opts);
    const { body, write } = await this.decideAppend(m, p, input, actor, opts);
    await this.repo.append(m, write);
    emit(write.notices, { persisted: true });
    return body;
  }

  /**
   * Decide an event on a locked province: check its instant, apply it with the pure machine (at its
   * place in the timeline when backdated, replaying what follows), reconcile the alerts, and build the
   * answer and everything the write stores. Refusals throw before anything is written.
   */
  private async decideAppend(m: EntityManager, p: LockedProvince, input: EventInput, actor: Principal, opts: WriteOptions) {
    const occurredAt = occurredAtOf(p, input);
    const timing = checkOccurredAt(occurredAt, p.rules, p.now);
    if (timing) {
      const message =
        timing === 'in-the-future'
          ? 'must not be more than 5 minutes in the future'
          : `must not be before the election day (${p.rules.electionDate}, ${p.rules.timezone})`;
      throw AppError.validation([{ field: 'occurredAt', message }], `occurredAt ${message}.`);
    }
    const event = { ...input.payload, occurredAt: occurredAt.toISOString() } as FormationEvent;

    // In order: apply to the current state. Backdated: apply at its place in the timeline and replay what follows.
    const inOrder = !isBackdated(p, input);
    const before = inOrder ? p.state : ((await this.repo.stateBefore(m, p.id, occurredAt, MAX_SEQ)) ?? initialFormationState(p.seats));
    const applied = applyEvent(before, event, p.rules);
    if (!applied.ok) throw refusalError(applied.refusal, event.type);
    const later = inOrder ? [] : await this.repo.eventsAfter(m, p.id, occurredAt, MAX_SEQ);
    const replayed = this.replayOrConflict(applied.state, later, p, `inserting ${event.type} at ${event.occurredAt}`);

    const seq = p.maxSeq + 1;
    const { type: _type, ...payload } = input.payload;
    const record: NewEvent = {
      provinceId: p.id,
      seq,
      type: event.type,
      payload,
      occurredAt,
      recordedAt: p.now,
      actor: actor.name,
      source: input.source,
      confidence: input.confidence,
      note: input.note,
      machine: MACHINE_REF,
      fromStage: applied.record.fromStage,
      toStage: applied.record.toStage,
      late: applied.record.late,
      daysToDeadline: applied.record.daysToDeadline,
      stateAfter: applied.state,
      internal: input.internal,
      approvedBy: opts.approvedBy ?? null,
    };
    const province = toProvinceView({ ...p, version: p.version + 1, updatedAt: p.now }, replayed.state, p.rules, p.now);
    // The response is complete before the write, so that an Idempotency-Key's stored answer commits with it.
    const body = { event: newEventView(p.slug, record, input), province };
    await this.repo.rewriteStatesAfter(m, p.id, replayed.rewritten);
    const notices = await this.changeNotices(m, p, replayed.state, province, { kind: 'event', type: event.type }, { kind: 'event', seq, type: event.type });
    // The response is complete before the write, so that an Idempotency-Key's stored answer commits with it.
    const idempotent = opts.idempotencyId ? { id: opts.idempotencyId, status: 201, body } : null;
    const write: EventWrite = { event: record, finalState: replayed.state, idempotent, notices, notifyChannel: this.publisher.notifyChannel };
    // The province as this write leaves it (what gt_append_event stores), for the batch's next event of it.
    const after = {
      province: {
        ...p,
        state: replayed.state,
        version: p.version + 1,
        updatedAt: p.now,
        lastOccurredAt: p.lastOccurredAt && p.lastOccurredAt > occurredAt ? p.lastOccurredAt : occurredAt,
        maxSeq: seq,
      },
      alertsChanged: notices.some((n) => n.type !== 'province.changed'),
    };
    return { body, write, after };
  }

  /** A province's active alerts, locked, re-read inside a batch after one of its events changed them. */
  private async activeAlertsOf(m: EntityManager, provinceId: string) {
    return (await this.alerts.activeAlerts(m, [provinceId])).get(provinceId) ?? [];
  }

  async retract(slug: string, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<ProvinceView> {
    return this.publisher.transaction(async (m, emit) => (await this.retractIn(m, emit, slug, seq, reason, actor, opts)).province);
  }

  /**
   * The retraction inside a transaction the caller holds (approving a RETRACT proposal under the
   * two-person rule): the province after it, and the retracted event as the history shows it.
   */
  async retractIn(m: EntityManager, emit: Emit, slug: string, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<RetractResult> {
    const p = await this.lockOrFail(m, slug, opts);
    const target = await this.repo.eventBySeq(m, p.id, seq);
    if (!target) throw AppError.notFound(`Province ${slug} has no event ${seq}.`);
    if (target.retracted_at) {
      throw new AppError('already-retracted', `Event ${seq} was retracted at ${target.retracted_at.toISOString()}.`, { seq });
    }
    const start = (await this.repo.stateBefore(m, p.id, target.occurred_at, seq)) ?? initialFormationState(p.seats);
    const later = await this.repo.eventsAfter(m, p.id, target.occurred_at, seq);
    const replayed = this.replayOrConflict(start, later, p, `retracting event ${seq}`);
    const province = toProvinceView({ ...p, version: p.version + 1, updatedAt: p.now }, replayed.state, p.rules, p.now);
    const view = withAllowedEvents(province, replayed.state);
    await this.repo.retract(
      m,
      p.id,
      seq,
      actor.name,
      reason,
      p.now,
      replayed.state,
      opts.idempotencyId ? { id: opts.idempotencyId, status: 200, body: view } : null,
    );
    await this.repo.rewriteStatesAfter(m, p.id, replayed.rewritten);
    emit(await this.changeNotices(m, p, replayed.state, view, { kind: 'retraction' }, { kind: 'retraction', seq, reason }));
    const event = toEventView(slug, { ...target, retracted_at: p.now, retracted_by: actor.name, retraction_reason: reason });
    return { event, province: view };
  }

  /** Bring the province's alerts up to date (in the write's transaction) and say what changed. */
  private async changeNotices(
    m: Parameters<ProvincesRepository['lock']>[0],
    p: LockedProvince,
    state: FormationState,
    province: ProvinceView,
    cause: EvaluationCause,
    change: Record<string, unknown>,
  ): Promise<ChangeNotice[]> {
    const forAlerts = { id: p.id, slug: p.slug, name: p.name, state, rules: p.rules };
    const alertNotices = await this.alerts.reconcile(m, forAlerts, p.now, cause, p.alerts);
    return [
      notice(
        'province.changed',
        {
          province: {
            slug: province.slug,
            version: province.version,
            stage: province.stage,
            tier: province.tier,
            deadlineStatus: province.deadlineStatus,
            governor: province.governor?.name ?? null,
          },
          change,
        },
        p.now,
      ),
      ...alertNotices,
    ];
  }

  /** Replay later events from a new starting state; the first that no longer applies refuses the whole change. */
  private replayOrConflict(start: FormationState, later: TimelineEvent[], p: LockedProvince, what: string) {
    const result = replay(start, later, machineEventOf, p.rules);
    if (result.failed && !result.failed.result.ok) {
      const refusal = result.failed.result.refusal;
      const why = refusal.code === 'guard-failed' ? refusal.reason : `not accepted in stage ${refusal.stage}`;
      throw new AppError(
        'history-conflict',
        `${what} would invalidate event ${result.failed.item.seq} (${result.failed.item.type}: ${why}); nothing was changed.`,
        { conflictingSeq: result.failed.item.seq, reason: refusal.code === 'guard-failed' ? refusal.reason : refusal.code },
      );
    }
    const rewritten = result.steps.map((s) => ({ seq: s.item.seq, state: (s.result as { state: FormationState }).state }));
    return { state: result.state, rewritten };
  }

  private async lockOrFail(m: EntityManager, slug: string, opts: WriteOptions): Promise<LockedProvince> {
    checkSlug(slug);
    return lockedOrFail(await this.repo.lock(m, slug), slug, opts);
  }

  private async findRow(slug: string): Promise<ProvinceRow> {
    if (!SLUG_RE.test(slug) || slug.length > 100) throw AppError.notFound(`No province "${slug.slice(0, 100)}".`);
    const row = await this.repo.findOne(slug);
    if (!row) throw AppError.notFound(`No province "${slug}".`);
    return row;
  }

  /**
   * Provinces as they stood at `asOf` (default: knownAt, else now). Each province's stored stateAfter
   * answers without a replay; with knownAt, one province is replayed from what had been recorded by
   * then, and a list replays the provinces whose history changed since (`changed`, read once per list).
   */
  private async rebuild(
    q: EntityManager,
    rows: ProvinceRow[],
    read: ReadOptions,
    changedInList?: Set<string>,
  ): Promise<{ view: ProvinceView; state: FormationState }[]> {
    const asOf = read.asOf ?? read.knownAt ?? new Date();
    const states = new Map<string, FormationState>();
    // As known at an instant: one province is always replayed from what was recorded by then (the API's
    // form of the integrity check: it must equal the stored snapshot); a list replays only the provinces
    // whose history changed since, and the others answer from their stored states, as an asOf read does.
    const changed = !read.knownAt ? new Set<string>() : (changedInList ?? new Set(rows.map((r) => r.id)));
    const stored = await this.repo.statesAsOf(q, asOf, rows.map((r) => r.id));
    for (const row of rows) states.set(row.id, stored.get(row.id) ?? initialFormationState(row.seats));
    if (read.knownAt && changed.size > 0) {
      // A few hundred provinces' events at a time: a list known at an instant far in the past replays
      // every province, and holding all their events at once (a million at the bench's scale) would
      // take the memory of the whole history instead of a slice of it.
      const byId = new Map(rows.map((r) => [r.id, r]));
      const ids = rows.filter((r) => changed.has(r.id)).map((r) => r.id);
      for (let i = 0; i < ids.length; i += REPLAY_CHUNK) {
        const events = await this.repo.eventsKnownAt(q, read.knownAt, asOf, ids.slice(i, i + REPLAY_CHUNK));
        const byProvince = new Map<string, ReplayedEvent[]>();
        for (const e of events) {
          const list = byProvince.get(e.provinceId);
          if (list) list.push(e);
          else byProvince.set(e.provinceId, [e]);
        }
        for (const id of ids.slice(i, i + REPLAY_CHUNK)) {
          const row = byId.get(id)!;
          states.set(id, replay(initialFormationState(row.seats), byProvince.get(id) ?? [], machineEventOf, row.rules).state);
        }
      }
    }
    return rows.map((row) => {
      const state = states.get(row.id)!;
      const view = toProvinceView(row, state, row.rules, asOf);
      return { state, view: { ...view, asOf: asOf.toISOString(), ...(read.knownAt ? { knownAt: read.knownAt.toISOString() } : {}) } };
    });
  }
}
