import { Check, Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity.js';
import { ProvinceEventEntity } from './province-event.entity.js';
import { ProvinceEntity } from './province.entity.js';
import type { StoredJson } from './stored-json.js';

export const PROPOSAL_STATUSES = ['pending', 'applied', 'rejected', 'stale', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** An event waiting for a second editor (the two-person rule); applied only while its province is at `baseVersion`. */
@Entity('proposal')
@ForeignKey(() => ProvinceEventEntity, ['provinceId', 'eventSeq'], ['provinceId', 'seq'], { name: 'proposal_event' })
@Index('proposal_by_status', ['status', 'createdAt', 'id'])
@Index('proposal_by_province', ['provinceId', 'createdAt'])
@Check('proposal_type_check', `type IN ('APPOINT', 'REVOKE', 'SET_DEADLINE', 'RETRACT')`)
@Check('proposal_check', `body->>'type' = type`)
@Check('proposal_base_version_check', `base_version >= 0`)
@Check('proposal_status_check', `status IN ('pending', 'applied', 'rejected', 'stale', 'withdrawn')`)
@Check('proposal_event_seq_check', `event_seq > 0`)
@Check(
  'proposal_decision_complete',
  `(status = 'pending') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)
   AND (decided_by IS NULL) = (decided_by_key_id IS NULL)`,
)
@Check('proposal_applied_has_event', `(status = 'applied') = (event_seq IS NOT NULL)`)
@Check('proposal_rejected_has_reason', `status <> 'rejected' OR reason IS NOT NULL`)
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'proposal_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  @Column('text') type: string;
  /** The validated event request (with its occurredAt fixed when proposed). */
  @Column('jsonb') body: StoredJson;
  @Column('int') baseVersion: number;
  @Column('uuid') proposedByKeyId: string;
  @ManyToOne(() => ApiKeyEntity)
  @JoinColumn({ name: 'proposed_by_key_id', foreignKeyConstraintName: 'proposal_proposed_by_key_id_fkey' })
  proposedByKey?: Relation<ApiKeyEntity>;
  @Column('text') proposedBy: string;
  @Column('text') status: ProposalStatus;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedByKeyId: string | null;
  @ManyToOne(() => ApiKeyEntity)
  @JoinColumn({ name: 'decided_by_key_id', foreignKeyConstraintName: 'proposal_decided_by_key_id_fkey' })
  decidedByKey?: Relation<ApiKeyEntity>;
  @Column('text', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('int', { nullable: true }) eventSeq: number | null;
}
