import { Injectable } from '@nestjs/common';
import type { CycleEntity } from '@app/database';
import { daysToDeadline, deadlineInstant, milestoneInstants, startOfDay } from '@app/workflow';
import { AlertsService } from '../alerts/alerts.service.js';
import { AppError } from '../common/app-error.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import { CycleRepository } from './cycle.repository.js';
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

/** The rules the workflow decides deadlines by. */
const rulesOf = (c: CycleEntity) => ({
  electionDate: c.electionDate,
  deadline: c.deadline,
  timezone: c.timezone,
  tierByDays: c.tierByDays,
  candidateByDays: c.candidateByDays,
});

export function toCycleView(c: CycleEntity, now: Date): CycleView {
  const rules = rulesOf(c);
  const m = milestoneInstants(c.deadline, rules);
  return {
    name: c.name,
    electionDate: c.electionDate,
    electionStart: startOfDay(c.electionDate, c.timezone).toISOString(),
    deadline: c.deadline,
    deadlineBasis: c.deadlineBasis,
    deadlineInstant: deadlineInstant(c.deadline, rules).toISOString(),
    daysToDeadline: daysToDeadline(c.deadline, now, rules),
    timezone: c.timezone,
    tierByDays: c.tierByDays,
    candidateByDays: c.candidateByDays,
    milestones: { tier: m.tier.toISOString(), candidate: m.candidate.toISOString() },
    requireApproval: c.requireApproval,
    version: c.version,
    updatedAt: c.updatedAt.toISOString(),
  };
}

@Injectable()
export class CycleService {
  constructor(
    private readonly repo: CycleRepository,
    private readonly publisher: ChangePublisher,
    private readonly alerts: AlertsService,
  ) {}

  /** The current cycle: the one with the latest election (one is seeded: iraq-2023). */
  async current(): Promise<CycleView> {
    const row = await this.repo.current();
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
      const current = await this.repo.lockCurrent(m);
      if (!current) throw AppError.notFound('No cycle has been loaded; run the seeds.');
      const deadline = patch.deadline ?? current.deadline;
      if (patch.deadline && patch.deadline !== current.deadline && !patch.deadlineBasis) {
        throw AppError.validation([{ field: 'deadlineBasis', message: 'a new deadline needs its written basis' }]);
      }
      if (deadline <= current.electionDate) {
        throw AppError.validation([{ field: 'deadline', message: `must be after the election date ${current.electionDate}` }]);
      }
      const row = await this.repo.update(m, current.id, {
        deadline,
        deadlineBasis: patch.deadlineBasis ?? current.deadlineBasis,
        tierByDays: patch.tierByDays ?? current.tierByDays,
        candidateByDays: patch.candidateByDays ?? current.candidateByDays,
        requireApproval: patch.requireApproval ?? current.requireApproval,
      });
      const now = await this.repo.now(m);
      const rules = rulesOf(row);
      // The sweep skips locked provinces and never waits; event writes lock theirs in the same order as this.
      const provinces = await this.repo.lockProvinces(m, current.id);
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
