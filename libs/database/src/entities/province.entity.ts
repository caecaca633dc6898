import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FormationState, Stage, Tier } from '@app/workflow';

@Entity('province')
export class ProvinceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') cycleId: string;
  @Column('text', { unique: true }) slug: string;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') nameAr: string;
  @Column('int') seats: number;
  /** Denormalised from `state` for filtering; the migration's CHECK keeps it one of the stages. */
  @Column('text') stage: Stage;
  @Column('text', { nullable: true }) tier: Tier | null;
  @Column('jsonb') state: FormationState;
  @Column('int') version: number;
  /** The seq of the province's latest event: read under the row lock, so the next seq is never stale. */
  @Column('int') lastSeq: number;
  @Column('timestamptz', { nullable: true }) lastOccurredAt: Date | null;
  @Column('timestamptz') updatedAt: Date;
}
