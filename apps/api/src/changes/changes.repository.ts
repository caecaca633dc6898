import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RECORDING_HORIZON_SQL } from '@app/database';
import type { AlertRow } from '../alerts/alert.view.js';
import type { EventRow } from '../provinces/province.view.js';
import type { ChangeCursor } from './change-cursor.js';

/** An event with its place in the recording order (both as decimal text: xid8 and bigint exceed a JS number). */
export interface RecordedEventRow extends EventRow {
  slug: string;
  cursor_tx: string;
  cursor_id: string;
}

export interface ProvinceNames {
  slug: string;
  name: string;
  name_ar: string;
}

/** Every column the event views need; not state_after, which can be large and is for replays only. */
const EVENT_COLUMNS = `e.seq, e.type, e.payload, e.occurred_at, e.occurred_at_precision, e.recorded_at, e.actor, e.source, e.confidence, e.note, e.machine,
  e.from_stage, e.to_stage, e.late, e.days_to_deadline, e.retracted_at, e.retracted_by, e.retraction_reason, e.internal, e.approved_by`;

@Injectable()
export class ChangesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One cycle's events after `after` in recording order (tx_id, id), but only those recorded by
   * transactions older than the oldest one still running here (RECORDING_HORIZON_SQL: the snapshot's
   * xmin, less other databases' transactions). A transaction that could still commit an event has an
   * xid ≥ that horizon, so the rows below it are final and
   * all visible; a later read can only add rows after the last one returned, and a cursor never skips
   * one. (pg_current_snapshot() is the statement's own snapshot, the one the rows are read with.) The
   * order and the cursor are the log's, across cycles: a cycle's events are a subsequence of it.
   */
  async recordedAfter(cycleId: string, after: ChangeCursor, limit: number): Promise<RecordedEventRow[]> {
    return this.db.query(
      `WITH horizon AS MATERIALIZED (${RECORDING_HORIZON_SQL})
       SELECT ${EVENT_COLUMNS}, p.slug, e.tx_id::text AS cursor_tx, e.id::text AS cursor_id
         FROM province_event e JOIN province p ON p.id = e.province_id
        WHERE e.tx_id < (SELECT xmin FROM horizon)
          AND (e.tx_id, e.id) > ($1::xid8, $2::bigint)
          AND p.cycle_id = $4
        ORDER BY e.tx_id, e.id
        LIMIT $3`,
      [after.txId.toString(), after.id.toString(), limit, cycleId],
    );
  }

  /**
   * One cycle's latest events in recording order, newest first (no horizon: a feed reader dedupes by
   * entry id); without `includeInternal`, the latest publishable ones. With the cycle's zone, which
   * names a day-precision event's day.
   */
  async latestEvents(cycleId: string, limit: number, includeInternal: boolean): Promise<(EventRow & ProvinceNames & { timezone: string })[]> {
    return this.db.query(
      `SELECT ${EVENT_COLUMNS}, p.slug, p.name, p.name_ar, c.timezone
         FROM province_event e JOIN province p ON p.id = e.province_id JOIN cycle c ON c.id = p.cycle_id
        WHERE p.cycle_id = $3 AND ($2 OR NOT e.internal)
        ORDER BY e.tx_id DESC, e.id DESC
        LIMIT $1`,
      [limit, includeInternal, cycleId],
    );
  }

  /** One cycle's most recently changed alerts, newest first (ties broken by id, so the order is stable). */
  async latestAlerts(cycleId: string, limit: number): Promise<(AlertRow & ProvinceNames)[]> {
    return this.db.query(
      `SELECT a.*, p.slug, p.name, p.name_ar
         FROM alert a JOIN province p ON p.id = a.province_id
        WHERE p.cycle_id = $2
        ORDER BY a.updated_at DESC, a.id DESC
        LIMIT $1`,
      [limit, cycleId],
    );
  }
}
