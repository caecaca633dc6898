import { Check, Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('cycle')
@Check('cycle_check', `deadline > election_date`)
@Check('cycle_tier_by_days_check', `tier_by_days >= 0`)
@Check('cycle_candidate_by_days_check', `candidate_by_days >= 0`)
export class CycleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
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
