import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { preparedOn, sqlLiteral, type SqlSession } from '@app/database';
import type { FormationState, OccurredAtPrecision, Stage, Tier } from '@app/workflow';
import type { AlertRow } from '../alerts/alert.view.js';
import type { ChangeNotice } from '../stream/change-notice.js';
import type { CycleRulesWithBasis, EventRow, ProvinceIdentity } from './province.view.js';
import { STATES_AS_OF_SQL } from './states-as-of.sql.js';

/** A province in its cycle: the key of every province route (`/cycles/:cycle/provinces/:slug`). */
export interface ProvinceRef {
  cycleId: string;
  slug: string;
}

/** A province row with its cycle's rules, as the write path reads it under lock. */
export interface LockedProvince extends ProvinceIdentity {
  id: string;
  /** Its cycle: an archived one is read-only. */
  cycleRef: { id: string; slug: string; status: 'active' | 'archived' };
  state: FormationState;
  lastOccurredAt: Date | null;
  maxSeq: number;
  rules: CycleRulesWithBasis;
  /** The transaction's clock (milliseconds): recordedAt of what it writes, and "now" for its checks. */
  now: Date;
  /** Its open and acknowledged alerts, locked in the same transaction. */
  alerts: AlertRow[];
}

/** Everything an accepted event stores, in the caller's transaction. */
export interface EventWrite {
  event: NewEvent;
  finalState: FormationState;
  idempotent: IdempotentResponse | null;
  /** Their outbox rows (one per subscribed webhook) are written with the event. */
  notices: ChangeNotice[];
  /** The channel to NOTIFY them on (delivered at commit), or null without LISTEN/NOTIFY (embedded mode). */
  notifyChannel: string | null;
}

/**
 * The JSON document `gt_append_event` (migration WritePath) stores: the event, the province, the answer,
 * the notices. Its instants are written as ISO strings here: a Date left to JSON.stringify sends the
 * whole document down the serializer's slow path (8.6 µs against 13.5 µs for this document).
 */
export function appendDocument(w: EventWrite): string {
  const e = w.event;
  return JSON.stringify({
    provinceId: e.provinceId, seq: e.seq, type: e.type, payload: e.payload, occurredAt: e.occurredAt.toISOString(),
    occurredAtPrecision: e.occurredAtPrecision, recordedAt: e.recordedAt.toISOString(),
    actor: e.actor, source: e.source, confidence: e.confidence, note: e.note, machine: e.machine, fromStage: e.fromStage,
    toStage: e.toStage, late: e.late, daysToDeadline: e.daysToDeadline, stateAfter: e.stateAfter, internal: e.internal,
    approvedBy: e.approvedBy, finalState: w.finalState, idempotency: w.idempotent, notices: w.notices, notifyChannel: w.notifyChannel,
  });
}

/** The statement that locks and reads a province, for the simple protocol (sent with BEGIN in one message). */
export function lockStatement(ref: ProvinceRef): string {
  return `SELECT gt_lock_province(${sqlLiteral(ref.cycleId)}::uuid, ${sqlLiteral(ref.slug)}) AS p`;
}

/** The statement that stores an accepted event, for the simple protocol (sent with COMMIT in one message). */
export function appendStatement(write: EventWrite): string {
  return `SELECT gt_append_event(${sqlLiteral(appendDocument(write))}::jsonb)`;
}

/** gt_lock_province's answer as the write path uses it (its instants arrive as strings). */
export function parseLocked(p: LockedJson | null): LockedProvince | null {
  if (!p) return null;
  return {
    ...p,
    cycle: p.cycleRef.slug,
    updatedAt: new Date(p.updatedAt),
    lastOccurredAt: p.lastOccurredAt ? new Date(p.lastOccurredAt) : null,
    now: new Date(p.now),
    alerts: p.alerts.map((a) => ({
      ...a,
      slug: p.slug,
      opened_at: new Date(a.opened_at),
      detected_at: new Date(a.detected_at),
      acknowledged_at: a.acknowledged_at ? new Date(a.acknowledged_at) : null,
      resolved_at: a.resolved_at ? new Date(a.resolved_at) : null,
      updated_at: new Date(a.updated_at),
    })),
  };
}

/** gt_lock_province's answer: the same, as JSON (instants as strings). */
type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
export type LockedJson = Omit<Jsonified<LockedProvince>, 'alerts'> & { alerts: Jsonified<Omit<AlertRow, 'slug'>>[] };

export interface ProvinceRow extends ProvinceIdentity {
  id: string;
  state: FormationState;
  rules: CycleRulesWithBasis;
}

/** A stored event as replays need it. */
export interface TimelineEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
  stateAfter: FormationState;
}

/** An event as a replay from the start reads it (eventsKnownAt). */
export type ReplayedEvent = Omit<TimelineEvent, 'stateAfter'> & { provinceId: string };

export interface NewEvent {
  provinceId: string;
  seq: number;
  type: string;
  payload: unknown;
  occurredAt: Date;
  occurredAtPrecision: OccurredAtPrecision;
  recordedAt: Date;
  actor: string;
  source: unknown;
  confidence: string;
  note: string | null;
  machine: string;
  fromStage: Stage;
  toStage: Stage;
  late: boolean;
  daysToDeadline: number | null;
  stateAfter: FormationState;
  internal: boolean;
  approvedBy: string | null;
}

export interface IdempotentResponse {
  id: string;
  status: number;
  body: unknown;
}

const PROVINCE_COLUMNS = `
  p.id, c.slug AS cycle, p.slug, p.code, p.name, p.name_ar AS "nameAr", p.seats, p.state, p.version, p.updated_at AS "updatedAt",
  json_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'deadlineBasis', c.deadline_basis,
    'timezone', c.timezone, 'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days,
    'vacancyDeadline', c.vacancy_deadline) AS rules`;

/** The SQL of the provinces feature, written out so that every round trip on the write path is visible. */
@Injectable()
export class ProvincesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Lock one province for the length of the transaction (events for a province are serialized here)
   * and read it with its cycle's rules, the transaction's clock and its active alerts, locked too: one
   * round trip, through the `gt_lock_province` function (migration WritePath), as a prepared statement.
   */
  async lock(s: SqlSession, ref: ProvinceRef): Promise<LockedProvince | null> {
    const [row] = await preparedOn<{ p: LockedJson | null }>(s, 'gt_lock_province', `SELECT gt_lock_province($1, $2) AS p`, [ref.cycleId, ref.slug]);
    return parseLocked(row?.p ?? null);
  }

  /**
   * A page of provinces in slug order after `after` (keyset; null from the start): a whole list is
   * read a page at a time, inside one snapshot (ProvincesService.listPages).
   */
  async findPage(q: EntityManager, cycleId: string, filter: { stage?: Stage; tier?: Tier | 'none' }, after: string | null, limit: number): Promise<ProvinceRow[]> {
    return q.query(
      `SELECT ${PROVINCE_COLUMNS} FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE p.cycle_id = $5 AND ($1::text IS NULL OR p.stage = $1)
          AND ($2::text IS NULL OR ($2 = 'none' AND p.tier IS NULL) OR p.tier = $2)
          AND ($3::text IS NULL OR p.slug > $3)
        ORDER BY p.slug
        LIMIT $4`,
      [filter.stage ?? null, filter.tier ?? null, after, limit, cycleId],
    );
  }

  /** One snapshot of the database for the length of `work` (a REPEATABLE READ transaction; `work` only reads). */
  snapshot<T>(work: (q: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', work);
  }

  /** Outside a transaction: the pool's own manager. */
  get reader(): EntityManager {
    return this.db.manager;
  }

  async findOne(ref: ProvinceRef): Promise<ProvinceRow | null> {
    const rows = await this.db.query(`SELECT ${PROVINCE_COLUMNS} FROM province p JOIN cycle c ON c.id = p.cycle_id WHERE p.cycle_id = $1 AND p.slug = $2`, [
      ref.cycleId,
      ref.slug,
    ]);
    return rows[0] ?? null;
  }

  /** The state after the last live event that sorts before (occurredAt, seq); null when there is none. */
  async stateBefore(s: SqlSession, provinceId: string, occurredAt: Date, seq: number): Promise<FormationState | null> {
    const rows = await s.query(
      `SELECT state_after FROM province_event
        WHERE province_id = $1 AND retracted_at IS NULL AND (occurred_at, seq) < ($2, $3)
        ORDER BY occurred_at DESC, seq DESC LIMIT 1`,
      [provinceId, occurredAt, seq],
    );
    return rows[0]?.state_after ?? null;
  }

  /** The live events that sort after (occurredAt, seq), in timeline order. */
  async eventsAfter(s: SqlSession, provinceId: string, occurredAt: Date, seq: number): Promise<TimelineEvent[]> {
    return s.query(
      `SELECT seq, type, payload, occurred_at AS "occurredAt", state_after AS "stateAfter" FROM province_event
        WHERE province_id = $1 AND retracted_at IS NULL AND (occurred_at, seq) > ($2, $3)
        ORDER BY occurred_at, seq`,
      [provinceId, occurredAt, seq],
    );
  }

  async eventBySeq(s: SqlSession, provinceId: string, seq: number): Promise<(EventRow & { id: string }) | null> {
    const rows = await s.query(`SELECT * FROM province_event WHERE province_id = $1 AND seq = $2`, [provinceId, seq]);
    return rows[0] ?? null;
  }

  /** Store an accepted event (see `appendDocument`) with one prepared statement, in the caller's transaction. */
  async append(s: SqlSession, write: EventWrite): Promise<void> {
    await preparedOn(s, 'gt_append_event', `SELECT gt_append_event($1::jsonb)`, [appendDocument(write)]);
  }

  /** A replay rewrites `stateAfter` of the events it passed over (the only update the log allows but retraction). */
  async rewriteStatesAfter(s: SqlSession, provinceId: string, states: { seq: number; state: FormationState }[]): Promise<void> {
    if (states.length === 0) return;
    await s.query(
      `UPDATE province_event e SET state_after = v.state
         FROM (SELECT unnest($2::int[]) AS seq, unnest($3::jsonb[]) AS state) v
        WHERE e.province_id = $1 AND e.seq = v.seq`,
      [provinceId, states.map((x) => x.seq), states.map((x) => JSON.stringify(x.state))],
    );
  }

  /** Mark an event retracted and store the province as the replay without it left it, with the idempotent answer. */
  async retract(s: SqlSession, provinceId: string, at: Date, r: { seq: number; actor: string; reason: string; finalState: FormationState; idempotent: IdempotentResponse | null }): Promise<void> {
    await s.query(
      `WITH ev AS (
         UPDATE province_event SET retracted_at = $4, retracted_by = $3, retraction_reason = $5
          WHERE province_id = $1 AND seq = $2
       ), pv AS (
         UPDATE province SET state = $6, stage = $7, tier = $8, version = version + 1, updated_at = $4,
                last_occurred_at = (SELECT max(occurred_at) FROM province_event
                                     WHERE province_id = $1 AND retracted_at IS NULL AND seq <> $2)
          WHERE id = $1
       )
       UPDATE idempotency_key SET state = 'done', response_status = $10, response_body = $11 WHERE id = $9`,
      [
        provinceId, r.seq, r.actor, at, r.reason, JSON.stringify(r.finalState), r.finalState.stage, r.finalState.context.tier,
        r.idempotent?.id ?? null, r.idempotent?.status ?? null, r.idempotent ? JSON.stringify(r.idempotent.body) : null,
      ],
    );
  }

  /** A province's history: the columns the event view shows (not each event's stateAfter, most of its bytes). */
  async history(provinceId: string): Promise<EventRow[]> {
    return this.db.query(
      `SELECT seq, type, payload, occurred_at, occurred_at_precision, recorded_at, actor, source, confidence, note, machine, from_stage,
              to_stage, late, days_to_deadline, retracted_at, retracted_by, retraction_reason, internal, approved_by
         FROM province_event WHERE province_id = $1 ORDER BY occurred_at, seq`,
      [provinceId],
    );
  }

  /** Each province's state as of `asOf` (STATES_AS_OF_SQL: stored stateAfter, no replay), null-free. */
  async statesAsOf(q: EntityManager, asOf: Date, provinceIds: string[]): Promise<Map<string, FormationState>> {
    const rows: { province_id: string; state_after: FormationState | null }[] = await q.query(STATES_AS_OF_SQL, [asOf, provinceIds]);
    return new Map(rows.filter((r) => r.state_after !== null).map((r) => [r.province_id, r.state_after!]));
  }

  /**
   * The provinces whose history up to `asOf` has changed since `knownAt`: an event that occurred by
   * then was recorded after it, or retracted after it. Only these need a replay to be seen as known
   * at `knownAt`; for every other one the history known then is the history known now, whose stored
   * states answer (statesAsOf). Two index probes (recorded_at, and the partial retracted_at index).
   */
  async changedSince(q: EntityManager, knownAt: Date, asOf: Date): Promise<Set<string>> {
    const rows: { province_id: string }[] = await q.query(
      `SELECT province_id FROM province_event WHERE recorded_at > $1 AND occurred_at <= $2
       UNION
       SELECT province_id FROM province_event WHERE retracted_at > $1 AND occurred_at <= $2`,
      [knownAt, asOf],
    );
    return new Set(rows.map((r) => r.province_id));
  }

  /** The events of some provinces known (recorded, and not yet retracted) at `knownAt` that occurred by `asOf`, for a replay. */
  /**
   * The events a replay as known at `knownAt` applies: what a replay reads of them (type, payload,
   * occurredAt), not their stored stateAfter, which such a replay recomputes — it is most of an event's
   * bytes, and a list known at an early instant reads hundreds of thousands of events.
   */
  async eventsKnownAt(q: EntityManager, knownAt: Date, asOf: Date, provinceIds: string[]): Promise<ReplayedEvent[]> {
    return q.query(
      `SELECT province_id AS "provinceId", seq, type, payload, occurred_at AS "occurredAt"
         FROM province_event
        WHERE province_id = ANY ($3::uuid[]) AND recorded_at <= $1 AND occurred_at <= $2 AND (retracted_at IS NULL OR retracted_at > $1)
        ORDER BY province_id, occurred_at, seq`,
      [knownAt, asOf, provinceIds],
    );
  }

}
