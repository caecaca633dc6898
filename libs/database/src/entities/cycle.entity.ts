import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { VacancyRule } from '@app/workflow';

export const CYCLE_STATUSES = ['active', 'archived'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

/** A vacancy's clock as stored: a fixed day, or N calendar days after the VACATE (libs/workflow's VacancyRule). */
export type StoredDeadlineRule = VacancyRule;

/** A stored vacancy rule (or none), checked where raw SQL reads it back. */
export function isStoredDeadlineRuleOrNull(v: unknown): v is VacancyRule | null {
  if (v === null) return true;
  if (typeof v !== 'object' || typeof (v as { basis?: unknown }).basis !== 'string') return false;
  const r = v as { date?: unknown; after?: unknown; days?: unknown };
  return typeof r.date === 'string' || (r.after === 'VACATE' && typeof r.days === 'number');
}

@Entity('cycle')
@Check('cycle_check', `deadline > election_date`)
@Check('cycle_tier_by_days_check', `tier_by_days >= 0`)
@Check('cycle_candidate_by_days_check', `candidate_by_days >= 0`)
@Check('cycle_slug_check', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100`)
@Check('cycle_status_check', `status IN ('active', 'archived')`)
@Check(
  'cycle_vacancy_deadline_check',
  `vacancy_deadline IS NULL
        OR (jsonb_typeof(vacancy_deadline->'basis') = 'string'
            AND ((jsonb_typeof(vacancy_deadline->'date') = 'string' AND NOT vacancy_deadline ? 'after')
              OR (jsonb_typeof(vacancy_deadline->'after') = 'string' AND jsonb_typeof(vacancy_deadline->'days') = 'number')))`,
)
// At most one default cycle: the routes without a cycle answer for it.
@Index('cycle_one_default', ['isDefault'], { unique: true, where: 'is_default' })
export class CycleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The cycle's id in routes and files (`iraq-2023`). */
  @Column('text', { unique: true }) slug: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { nullable: true }) nameAr: string | null;
  /** `archived`: read-only (writes answer 409 cycle-archived). */
  @Column('text', { default: 'active' }) status: CycleStatus;
  @Column('boolean', { default: false }) isDefault: boolean;
  /** Each vacancy's clock; null: none until an editor sets one with SET_DEADLINE. */
  @Column('jsonb', { nullable: true }) vacancyDeadline: StoredDeadlineRule | null;
  @Column('date') electionDate: string;
  @Column('date') deadline: string;
  @Column('text') deadlineBasis: string;
  @Column('text') timezone: string;
  @Column('int', { default: 21 }) tierByDays: number;
  @Column('int', { default: 7 }) candidateByDays: number;
  /** The two-person rule: APPOINT, REVOKE and SET_DEADLINE are proposed, then applied by a second editor. */
  @Column('boolean', { default: false }) requireApproval: boolean;
  @Column('int', { default: 1 }) version: number;
  @UpdateDateColumn({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
