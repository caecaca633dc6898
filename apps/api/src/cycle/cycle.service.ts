import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { daysToDeadline, deadlineInstant, milestoneInstants, startOfDay } from '@app/workflow';
import { AppError } from '../common/app-error.js';

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
    version: c.version,
    updatedAt: c.updated_at.toISOString(),
  };
}

@Injectable()
export class CycleService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The current cycle: the one with the latest election (one is seeded: iraq-2023). */
  async current(): Promise<CycleView> {
    const [row]: CycleRow[] = await this.db.query(`SELECT * FROM cycle ORDER BY election_date DESC, name LIMIT 1`);
    if (!row) throw AppError.notFound('No cycle has been loaded; run the seeds.');
    return toCycleView(row, new Date());
  }
}

