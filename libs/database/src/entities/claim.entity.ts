import { Check, Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { EventSource } from './province-event.entity.js';
import { ProvinceEventEntity } from './province-event.entity.js';
import { ProvinceEntity } from './province.entity.js';
import type { StoredJson } from './stored-json.js';

export const CLAIM_STATUSES_SQL = `('reported', 'denied', 'confirmed', 'retracted')`;

/** A rumour with its source, moved reported → denied | confirmed → retracted by append-only steps (claim_step). */
@Entity('claim')
@ForeignKey(() => ProvinceEventEntity, ['provinceId', 'appliedSeq'], ['provinceId', 'seq'], { name: 'claim_applied_event' })
@Index('claim_by_province', ['provinceId', 'reportedAt'])
@Index('claim_by_status', ['status', 'reportedAt'])
@Check('claim_text_check', `length(text) BETWEEN 1 AND 2000`)
@Check('claim_subject_check', `length(subject) BETWEEN 1 AND 200`)
@Check('claim_event_check', `event IS NULL OR jsonb_typeof(event->'type') = 'string'`)
@Check('claim_source_check', `jsonb_typeof(source->'name') = 'string'`)
@Check('claim_status_check', `status IN ${CLAIM_STATUSES_SQL}`)
@Check('claim_last_step_check', `last_step >= 1`)
@Check('claim_applied_needs_event', `applied_seq IS NULL OR (event IS NOT NULL AND status IN ('confirmed', 'retracted'))`)
export class ClaimEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'claim_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  @Column('text') text: string;
  @Column('text', { nullable: true }) subject: string | null;
  /** The machine event the claim describes, if any. */
  @Column('jsonb', { nullable: true }) event: StoredJson | null;
  @Column('jsonb') source: EventSource;
  @Column('timestamptz') reportedAt: Date;
  @Column('boolean', { default: false }) internal: boolean;
  @Column('text') status: string;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  @Column('text') actor: string;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
  @Column('int', { default: 1 }) lastStep: number;
  /** The seq of the event its confirmation appended. */
  @Column('int', { nullable: true }) appliedSeq: number | null;
}
