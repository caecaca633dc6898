import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { daysToDeadline, deadlineInstant, milestoneInstants, startOfDay } from '@app/workflow';
import { AlertsService, type ProvinceForAlerts } from '../alerts/alerts.service.js';
import { AppError } from '../common/app-error.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import type { PatchCycleDto } from './dto/patch-cycle.dto.js';

export interface CycleView {
  name: string;
  electionDate: string;
  electionStart: string;
  deadline: string;
  deadlineBasis: string;
  deadlineInstant: string;
  daysToDeadline: number;
  timezone: string;
  tierByDays: number;
  candidateByDays: number;
  milestones: { tier: string; candidate: string };
  requireApproval: boolean;
  version: number;
  updatedAt: string;
}

interface CycleRow {
  name: string;
  election_date: string;
  deadline: string;
  deadline_basis: string;
  timezone: string;
  tier_by_days: number;
  candidate_by_days: number;
  require_approval: boolean;
  version: number;
  updated_at: Date;
}

export function toCycleView(c: CycleRow, now: Date): CycleView {
  const rules = {
    electionDate: c.election_date,
    deadline: c.deadline,
    timezone: c.timezone,
    tierByDays: c.tier_by_days,
    candidateByDays: c.candidate_by_days,
  };
  const m = milestoneInstants(c.deadline, rules);
  return {
    name: c.name,
    electionDate: c.election_date,
    electionStart: startOfDay(c.election_date, c.timezone).toISOString(),
    deadline: c.deadline,
    deadlineBasis: c.deadline_basis,
    deadlineInstant: deadlineInstant(c.deadline, rules).toISOString(),
    daysToDeadline: daysToDeadline(c.deadline, now, rules),
    timezone: c.timezone,
    tierByDays: c.tier_by_days,
    candidateByDays: c.candidate_by_days,
    milestones: { tier: m.tier.toISOString(), candidate: m.candidate.toISOString() },
    requireApproval: c.require_approval,
    version: c.version,
    updatedAt: c.updated_at.toISOString(),
  };
}

@Injectable()
export class CycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: ChangePublisher,
    private readonly alerts: AlertsService,
  ) {}

  /** The current cycle: the one with the latest election (one is seeded: iraq-2023). */
  async current(): Promise<CycleView> {
    const [row]: CycleRow[] = await this.db.query(`SELECT * FROM cycle ORDER BY election_date DESC, name LIMIT 1`);
    if (!row) throw AppError.notFound('No cycle has been loaded; run the seeds.');
    return toCycleView(row, new Date());
  }

  /**
   * Change the deadline, the milestones or the two-person rule; every province's alerts are re-evaluated
   * in the same transaction. Turning `requireApproval` off leaves pending proposals approvable.
   */
  async update(patch: PatchCycleDto): Promise<CycleView> {
    if (Object.keys(patch).length === 0) throw AppError.validation([{ field: 'body', message: 'name at least one field to change' }]);
    return this.publisher.transaction(async (m, emit) => {
      const [current]: (CycleRow & { id: string })[] = await m.query(
        `SELECT * FROM cycle ORDER BY election_date DESC, name LIMIT 1 FOR UPDATE`,
      );
      if (!current) throw AppError.notFound('No cycle has been loaded; run the seeds.');
      const deadline = patch.deadline ?? current.deadline;
      if (patch.deadline && patch.deadline !== current.deadline && !patch.deadlineBasis) {
        throw AppError.validation([{ field: 'deadlineBasis', message: 'a new deadline needs its written basis' }]);
      }
      if (deadline <= current.election_date) {
        throw AppError.validation([{ field: 'deadline', message: `must be after the election date ${current.election_date}` }]);
      }
      const [row]: CycleRow[] = await m.query(
        `WITH u AS (UPDATE cycle SET deadline = $2, deadline_basis = $3, tier_by_days = $4, candidate_by_days = $5,
                require_approval = $6, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING *) SELECT * FROM u`,
        [
          current.id,
          deadline,
          patch.deadlineBasis ?? current.deadline_basis,
          patch.tierByDays ?? current.tier_by_days,
          patch.candidateByDays ?? current.candidate_by_days,
          patch.requireApproval ?? current.require_approval,
        ],
      );
      const [{ now }] = await m.query(`SELECT date_trunc('milliseconds', now()) AS now`);
      const rules = {
        electionDate: row.election_date,
        deadline: row.deadline,
        timezone: row.timezone,
        tierByDays: row.tier_by_days,
        candidateByDays: row.candidate_by_days,
      };
      // Locked in slug order (bytes: JavaScript's order), as a batch of event writes locks its provinces: neither can hold one
      // province while waiting for another the other holds (the sweep skips locked rows and never waits).
      const provinces: Omit<ProvinceForAlerts, 'rules'>[] = await m.query(
        `SELECT id, slug, name, state FROM province WHERE cycle_id = $1 ORDER BY slug COLLATE "C" FOR UPDATE`,
        [current.id],
      );
      const active = await this.alerts.activeAlerts(m, provinces.map((p) => p.id));
      for (const p of provinces) {
        emit(await this.alerts.reconcile(m, { ...p, rules }, now, { kind: 'cycle' }, active.get(p.id) ?? []));
      }
      const view = toCycleView(row, now);
      emit([notice('province.changed', { cycle: { deadline: view.deadline, version: view.version }, change: { kind: 'cycle' } }, now)]);
      return view;
    });
  }
}
