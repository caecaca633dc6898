import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { initialFormationState, replay, termsOf, type FormationState, type Term } from '@app/workflow';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { checkSlug } from '../common/identifiers.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import type { EventInput } from './dto/event-body.dto.js';
import { EventDecider, lockedOrFail, machineEventOf, type AppendResult, type RetractResult, type WriteOptions } from './event-decider.js';
import { EventWriter } from './event-writer.js';
import { toEventView, toProvinceView, withAllowedEvents, type EventView, type ProvinceView } from './province.view.js';
import { ProvincesRepository, type LockedProvince, type ProvinceRef, type ProvinceRow, type ReplayedEvent } from './provinces.repository.js';

export type { ProvinceRef } from './provinces.repository.js';

export type { AppendResult, RetractResult, WriteOptions } from './event-decider.js';
export { machineEventOf } from './event-decider.js';

export interface ReadOptions {
  asOf?: Date;
  knownAt?: Date;
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
    private readonly decider: EventDecider,
    private readonly writer: EventWriter,
    private readonly publisher: ChangePublisher,
  ) {}

  /**
   * Every province (filtered), a page of LIST_PAGE at a time, handed to `each` in slug order: a list of
   * 10,000 holds one page's rows, states and views at once, never the whole list's. All pages are read
   * in one snapshot (REPEATABLE READ), so the list is one instant of the database, as one statement's was.
   */
  async listPages(cycleId: string, filter: { stage?: string; tier?: string; status?: string }, read: ReadOptions, each: (views: ProvinceView[]) => void | Promise<void>): Promise<void> {
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
        const rows = await this.repo.findPage(q, cycleId, sqlFilter, after, LIST_PAGE);
        if (rows.length === 0) return;
        const views = asOfMode ? (await this.rebuild(q, rows, read, changed)).map((r) => r.view) : rows.map((r) => toProvinceView(r, r.state, r.rules, now));
        await each(views.filter(keep));
        if (rows.length < LIST_PAGE) return;
        after = rows[rows.length - 1].slug;
      }
    });
  }

  async get(ref: ProvinceRef, read: ReadOptions): Promise<{ view: ProvinceView; state: FormationState }> {
    const row = await this.findRow(ref);
    if (read.asOf !== undefined || read.knownAt !== undefined) {
      const [{ view, state }] = await this.rebuild(this.repo.reader, [row], read);
      return { view: withAllowedEvents(view, state), state };
    }
    return { view: withAllowedEvents(toProvinceView(row, row.state, row.rules, new Date()), row.state), state: row.state };
  }

  async history(ref: ProvinceRef): Promise<EventView[]> {
    const row = await this.findRow(ref);
    return (await this.repo.history(row.id)).map((e) => toEventView(ref.slug, e));
  }

  /**
   * Who held the office, from when to when, and why each term ended (termsOf over the live timeline):
   * as things stood at `asOf` (default now).
   */
  async terms(ref: ProvinceRef, asOf?: Date): Promise<Term[]> {
    const row = await this.findRow(ref);
    const timeline = await this.repo.eventsAfter(this.repo.reader, row.id, new Date(0), 0);
    return termsOf(timeline.map((e) => ({ event: machineEventOf(e), state: e.stateAfter })), asOf);
  }

  /** POST /provinces/:slug/events: decided and stored by the event writer, alone or in a batch. */
  async append(ref: ProvinceRef, input: EventInput, actor: Principal, opts: WriteOptions): Promise<AppendResult> {
    checkSlug(ref.slug);
    return this.writer.submit({ ref, input, actor, opts });
  }

  /**
   * The append use case inside a transaction the caller holds: approving a proposal (two-person rule)
   * and confirming a claim with `apply` run it in their own transaction, so both commit or neither does.
   */
  async appendIn(m: EntityManager, emit: Emit, ref: ProvinceRef, input: EventInput, actor: Principal, opts: WriteOptions): Promise<AppendResult> {
    const p = await this.lockOrFail(m, ref, opts);
    const { body, write } = await this.decider.decideAppend(m, p, input, actor, opts, this.publisher.notifyChannel);
    await this.repo.append(m, write);
    emit(write.notices, { persisted: true });
    return body;
  }

  /** The retraction inside a transaction the caller holds (approving a RETRACT proposal under the two-person rule). */
  async retractIn(m: EntityManager, emit: Emit, ref: ProvinceRef, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<RetractResult> {
    const p = await this.lockOrFail(m, ref, opts);
    const decision = await this.decider.decideRetraction(m, p, seq, reason, actor, opts);
    await this.repo.retract(m, p.id, p.now, decision);
    emit(decision.notices);
    return decision.result;
  }

  private async lockOrFail(m: EntityManager, ref: ProvinceRef, opts: WriteOptions): Promise<LockedProvince> {
    checkSlug(ref.slug);
    return lockedOrFail(await this.repo.lock(m, ref), ref.slug, opts);
  }

  private async findRow(ref: ProvinceRef): Promise<ProvinceRow> {
    checkSlug(ref.slug);
    const row = await this.repo.findOne(ref);
    if (!row) throw AppError.notFound(`No province "${ref.slug}".`);
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
