import { Injectable } from '@nestjs/common';
import type { CycleEntity, CycleStatus, StoredDeadlineRule } from '@app/database';
import { daysToDeadline, deadlineInstant, milestoneInstants, startOfDay } from '@app/workflow';
import { AlertsService } from '../alerts/alerts.service.js';
import { AppError } from '../common/app-error.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import { CycleResolver, type CycleParam } from './cycle-resolver.js';
import { CycleRepository } from './cycle.repository.js';
import type { PatchCycleDto, VacancyRuleDto } from './dto/patch-cycle.dto.js';

export interface CycleView {
  slug: string;
  name: string;
  nameAr: string | null;
  status: CycleStatus;
  default: boolean;
  electionDate: string;
  electionStart: string;
  deadline: string;
  deadlineBasis: string;
  deadlineInstant: string;
  daysToDeadline: number;
  /** Each vacancy's clock; null: none until an editor sets one. */
  vacancyDeadline: StoredDeadlineRule | null;
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
  deadlineBasis: c.deadlineBasis,
  vacancyDeadline: c.vacancyDeadline,
  timezone: c.timezone,
  tierByDays: c.tierByDays,
  candidateByDays: c.candidateByDays,
});

/** A vacancy rule as the request gave it: N days after VACATE, or a fixed day after the election; with its basis. */
function vacancyRule(dto: VacancyRuleDto | null): StoredDeadlineRule | null {
  if (dto === null) return null;
  const after = dto.after !== undefined || dto.days !== undefined;
  if (after && (dto.after === undefined || dto.days === undefined || dto.date !== undefined)) {
    throw AppError.validation([{ field: 'vacancyDeadline', message: 'give either after and days, or a date' }]);
  }
  if (!after && dto.date === undefined) throw AppError.validation([{ field: 'vacancyDeadline', message: 'give either after and days, or a date' }]);
  return after ? { after: 'VACATE', days: dto.days!, basis: dto.basis } : { date: dto.date!, basis: dto.basis };
}

export function toCycleView(c: CycleEntity, now: Date): CycleView {
  const rules = rulesOf(c);
  const m = milestoneInstants(c.deadline, rules);
  return {
    slug: c.slug,
    name: c.name,
    nameAr: c.nameAr,
    status: c.status,
    default: c.isDefault,
    electionDate: c.electionDate,
    electionStart: startOfDay(c.electionDate, c.timezone).toISOString(),
    deadline: c.deadline,
    deadlineBasis: c.deadlineBasis,
    deadlineInstant: deadlineInstant(c.deadline, rules).toISOString(),
    daysToDeadline: daysToDeadline(c.deadline, now, rules),
    vacancyDeadline: c.vacancyDeadline,
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
    private readonly cycles: CycleResolver,
  ) {}

  /** Every cycle: the default first, then the latest election first. */
  async list(): Promise<CycleView[]> {
    const now = new Date();
    return (await this.repo.all()).map((c) => toCycleView(c, now));
  }

  /** One cycle (undefined: the default one). */
  async get(param: CycleParam): Promise<CycleView> {
    const ref = await this.cycles.resolve(param);
    return toCycleView(await this.repo.byId(ref.id), new Date());
  }

  /**
   * Change a cycle: its names, the deadline, the milestones, the vacancies' clock, the two-person rule
   * (every province's alerts re-evaluated in the same transaction; turning `requireApproval` off leaves
   * pending proposals approvable); make it the default; archive it (read-only) or make it active again.
   * An archived cycle takes no other change.
   */
  async update(param: CycleParam, patch: PatchCycleDto): Promise<CycleView> {
    if (Object.keys(patch).length === 0) throw AppError.validation([{ field: 'body', message: 'name at least one field to change' }]);
    const ref = await this.cycles.resolve(param);
    try {
      return await this.publisher.transaction(async (m, emit) => {
        const current = await this.repo.lock(m, ref.id);
        const { default: makeDefault, status, ...change } = patch;
        const archived = (status ?? current.status) === 'archived';
        if (archived && Object.keys(change).length > 0) {
          throw new AppError('cycle-archived', `The cycle "${current.slug}" is archived: only its status or default can change.`, { cycle: current.slug });
        }
        const deadline = patch.deadline ?? current.deadline;
        if (patch.deadline && patch.deadline !== current.deadline && !patch.deadlineBasis) {
          throw AppError.validation([{ field: 'deadlineBasis', message: 'a new deadline needs its written basis' }]);
        }
        if (deadline <= current.electionDate) {
          throw AppError.validation([{ field: 'deadline', message: `must be after the election date ${current.electionDate}` }]);
        }
        if (makeDefault === false && current.isDefault) {
          throw AppError.validation([{ field: 'default', message: 'make another cycle the default instead' }]);
        }
        if (makeDefault) await this.repo.makeDefault(m, current.id);
        const row = await this.repo.update(m, current.id, {
          name: patch.name ?? current.name,
          nameAr: patch.nameAr === undefined ? current.nameAr : patch.nameAr,
          status: status ?? current.status,
          deadline,
          deadlineBasis: patch.deadlineBasis ?? current.deadlineBasis,
          vacancyDeadline: patch.vacancyDeadline === undefined ? current.vacancyDeadline : vacancyRule(patch.vacancyDeadline),
          tierByDays: patch.tierByDays ?? current.tierByDays,
          candidateByDays: patch.candidateByDays ?? current.candidateByDays,
          requireApproval: patch.requireApproval ?? current.requireApproval,
        });
        const now = await this.repo.now(m);
        const view = toCycleView(row, now);
        if (!archived && Object.keys(change).length > 0) {
          const rules = rulesOf(row);
          // The sweep skips locked provinces and never waits; event writes lock theirs in the same order as this.
          const provinces = await this.repo.lockProvinces(m, current.id);
          const active = await this.alerts.activeAlerts(m, provinces.map((p) => p.id));
          for (const p of provinces) {
            emit(await this.alerts.reconcile(m, { ...p, cycle: row.slug, rules }, now, { kind: 'cycle' }, active.get(p.id) ?? []));
          }
        }
        emit([notice('province.changed', { cycle: { slug: view.slug, deadline: view.deadline, version: view.version }, change: { kind: 'cycle' } }, now)]);
        return view;
      });
    } finally {
      this.cycles.forget();
    }
  }
}
