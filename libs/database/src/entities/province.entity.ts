import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { STAGES, type FormationState, type Stage, type Tier } from '@app/workflow';
import { CycleEntity } from './cycle.entity.js';

/** The stages a province moves through, as the migrations' CHECKs list them. */
export const STAGES_SQL = `('criteria', 'tier', 'candidate', 'appointed', 'vacant')`;

/**
 * Whether a stored JSON value is a formation state (as a province's `state` or an event's `stateAfter`):
 * the machine wrote it, and a CHECK keeps its stage the province's; this checks its outline where raw
 * SQL reads it back.
 */
export function isFormationState(value: unknown): value is FormationState {
  if (value === null || typeof value !== 'object' || !('stage' in value) || !('context' in value) || !('machine' in value)) return false;
  return STAGES.some((stage) => stage === value.stage) && typeof value.machine === 'string' && typeof value.context === 'object' && value.context !== null;
}

@Entity('province')
@Check('province_slug_check', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check('province_code_check', `code ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'`)
@Check('province_seats_check', `seats > 0`)
@Check('province_stage_check', `stage IN ${STAGES_SQL}`)
@Check('province_tier_check', `tier IN ('A', 'B', 'C')`)
@Check('province_check', `state->>'stage' = stage`)
@Check('province_version_check', `version >= 0`)
@Check('province_last_seq_check', `last_seq >= 0`)
// A province is unique within its cycle: the same slug and code exist in every cycle.
@Unique('province_cycle_slug_key', ['cycleId', 'slug'])
@Unique('province_cycle_code_key', ['cycleId', 'code'])
export class ProvinceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') cycleId: string;
  @ManyToOne(() => CycleEntity)
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'province_cycle_id_fkey' })
  cycle?: Relation<CycleEntity>;
  @Column('text') slug: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column('text') nameAr: string;
  @Column('int') seats: number;
  /** Denormalised from `state` for filtering; the CHECKs keep it one of the stages and equal to state's. */
  @Column('text') stage: Stage;
  @Column('text', { nullable: true }) tier: Tier | null;
  @Column('jsonb') state: FormationState;
  @Column('int', { default: 0 }) version: number;
  /** The seq of the province's latest event: read under the row lock, so the next seq is never stale. */
  @Column('int', { default: 0 }) lastSeq: number;
  @Column('timestamptz', { nullable: true }) lastOccurredAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}
