import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ALERT_KINDS, ALERT_RESOLUTIONS, ALERT_STATUSES, isFormationState, isStoredDeadlineRuleOrNull, readFirst, readRows, type RowReader, type SqlSession } from '@app/database';
import type { CycleRules, FormationState } from '@app/workflow';
import type { CycleRef } from '../cycle/cycle-resolver.js';
import type { AlertKind, AlertResolution, AlertRow, AlertStatus, CycleAlertRow } from './alert.view.js';

/** A province as its alerts are decided: its state and its cycle's rules. */
export interface ProvinceForAlerts {
  id: string;
  /** Its cycle's slug (the notices name it). */
  cycle: string;
  slug: string;
  name: string;
  state: FormationState;
  rules: CycleRules;
}

/** An alert row and its province's slug, checked. */
function alertRow(r: RowReader): AlertRow {
  return {
    id: r.text('id'),
    province_id: r.text('province_id'),
    slug: r.text('slug'),
    kind: r.oneOf('kind', ALERT_KINDS),
    status: r.oneOf('status', ALERT_STATUSES),
    opened_at: r.instant('opened_at'),
    detected_at: r.instant('detected_at'),
    acknowledged_at: r.instantOrNull('acknowledged_at'),
    acknowledged_by: r.textOrNull('acknowledged_by'),
    resolved_at: r.instantOrNull('resolved_at'),
    resolution: r.oneOfOrNull('resolution', ALERT_RESOLUTIONS),
    detail: r.text('detail'),
    updated_at: r.instant('updated_at'),
  };
}

/** The same with its cycle's slug, as alerts are shown. */
function cycleAlertRow(r: RowReader): CycleAlertRow {
  return { ...alertRow(r), cycle: r.text('cycle') };
}

/**
 * The alerts' SQL. Hand-written: alerts are opened and cleared inside the event write path's
 * transaction (on its raw session, where no entity manager exists), and the sweep reads every
 * province a page at a time.
 */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The active (open or acknowledged) alerts of some provinces, locked for the caller's transaction. */
  async active(s: SqlSession, provinceIds: string[]): Promise<AlertRow[]> {
    const rows: unknown = await s.query(
      `SELECT a.*, p.slug FROM alert a JOIN province p ON p.id = a.province_id
        WHERE a.province_id = ANY ($1::uuid[]) AND a.status <> 'resolved' FOR UPDATE OF a`,
      [provinceIds],
    );
    return readRows(rows, alertRow);
  }

  async open(s: SqlSession, a: { provinceId: string; cycle: string; slug: string; kind: AlertKind; openedAt: Date; detectedAt: Date; detail: string }): Promise<CycleAlertRow> {
    const rows: unknown = await s.query(
      `INSERT INTO alert (province_id, kind, status, opened_at, detected_at, detail, updated_at)
       VALUES ($1, $2, 'open', $3, $4, $5, $4) RETURNING *, $6::text AS slug, $7::text AS cycle`,
      [a.provinceId, a.kind, a.openedAt, a.detectedAt, a.detail, a.slug, a.cycle],
    );
    return readRows(rows, cycleAlertRow)[0];
  }

  async resolve(s: SqlSession, r: { id: string; cycle: string; slug: string; resolvedAt: Date; resolution: AlertResolution; at: Date }): Promise<CycleAlertRow> {
    const rows: unknown = await s.query(
      // A CTE, so that the driver returns rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      `WITH u AS (UPDATE alert SET status = 'resolved', resolved_at = $2, resolution = $3, updated_at = $4 WHERE id = $1
       RETURNING *) SELECT u.*, $5::text AS slug, $6::text AS cycle FROM u`,
      [r.id, r.resolvedAt, r.resolution, r.at, r.slug, r.cycle],
    );
    return readRows(rows, cycleAlertRow)[0];
  }

  /** The alerts of one cycle's provinces. */
  async list(filter: { cycle: CycleRef; status: AlertStatus | 'all'; kind: AlertKind | null; province: string | null }): Promise<CycleAlertRow[]> {
    const rows: unknown = await this.db.query(
      `SELECT a.*, p.slug, $5::text AS cycle FROM alert a JOIN province p ON p.id = a.province_id
        WHERE p.cycle_id = $4 AND ($1 = 'all' OR a.status = $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR p.slug = $3)
        ORDER BY a.opened_at, p.slug, a.kind, a.id`,
      [filter.status, filter.kind, filter.province, filter.cycle.id, filter.cycle.slug],
    );
    return readRows(rows, cycleAlertRow);
  }

  /** Record who acknowledged and when, once; null when the alert was acknowledged before (or does not exist). */
  async acknowledge(m: EntityManager, id: string, by: string): Promise<CycleAlertRow | null> {
    const rows: unknown = await m.query(
      `WITH upd AS (
         UPDATE alert SET acknowledged_at = now(), acknowledged_by = $2, updated_at = now(),
                status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END
          WHERE id = $1 AND acknowledged_at IS NULL AND status <> 'resolved' RETURNING *
       )
       SELECT upd.*, p.slug, c.slug AS cycle FROM upd JOIN province p ON p.id = upd.province_id JOIN cycle c ON c.id = p.cycle_id`,
      [id, by],
    );
    return readFirst(rows, cycleAlertRow);
  }

  async findOne(m: EntityManager, id: string): Promise<CycleAlertRow | null> {
    const rows: unknown = await m.query(
      `SELECT a.*, p.slug, c.slug AS cycle FROM alert a JOIN province p ON p.id = a.province_id JOIN cycle c ON c.id = p.cycle_id WHERE a.id = $1`,
      [id],
    );
    return readFirst(rows, cycleAlertRow);
  }

  /** Whether this transaction may sweep: one sweep at a time across every instance (a transaction-level advisory lock). */
  async trySweepLock(m: EntityManager): Promise<boolean> {
    const rows: unknown = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('governor-tracker:alert-sweep')) AS locked`);
    return readRows(rows, (r) => r.bool('locked'))[0];
  }

  /**
   * A page of provinces in id order after `after`, with their cycles' rules, locked; the ones a writer
   * holds are skipped (the writer evaluates them itself).
   */
  async sweepPage(m: EntityManager, after: string | null, limit: number): Promise<ProvinceForAlerts[]> {
    const rows: unknown = await m.query(
      `SELECT p.id, c.slug AS cycle, p.slug, p.name, p.state, c.election_date, c.deadline, c.deadline_basis, c.vacancy_deadline,
              c.timezone, c.tier_by_days, c.candidate_by_days
         FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE ($1::uuid IS NULL OR p.id > $1) AND c.status = 'active'
        ORDER BY p.id LIMIT $2 FOR UPDATE OF p SKIP LOCKED`,
      [after, limit],
    );
    return readRows(rows, (r) => ({
      id: r.text('id'),
      cycle: r.text('cycle'),
      slug: r.text('slug'),
      name: r.text('name'),
      state: r.checked('state', isFormationState, 'a formation state'),
      rules: {
        electionDate: r.text('election_date'),
        deadline: r.text('deadline'),
        deadlineBasis: r.text('deadline_basis'),
        vacancyDeadline: r.checked('vacancy_deadline', isStoredDeadlineRuleOrNull, 'a deadline rule'),
        timezone: r.text('timezone'),
        tierByDays: r.int('tier_by_days'),
        candidateByDays: r.int('candidate_by_days'),
      },
    }));
  }
}
