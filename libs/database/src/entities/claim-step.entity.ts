import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { CLAIM_STATUSES_SQL, ClaimEntity } from './claim.entity.js';
import type { EventSource } from './province-event.entity.js';

/** One move of a claim; append-only (a trigger refuses updates and deletes). */
@Entity('claim_step')
@Unique('claim_step_unique', ['claimId', 'step'])
@Index('claim_step_occurred', ['occurredAt'])
@Check('claim_step_step_check', `step >= 1`)
@Check('claim_step_from_status_check', `from_status IN ${CLAIM_STATUSES_SQL}`)
@Check('claim_step_to_status_check', `to_status IN ${CLAIM_STATUSES_SQL}`)
@Check('claim_step_source_check', `jsonb_typeof(source->'name') = 'string'`)
// The moves the ledger allows, whatever the code does.
@Check(
  'claim_step_allowed',
  `(from_status IS NULL AND to_status = 'reported' AND step = 1)
   OR (from_status = 'reported' AND to_status IN ('denied', 'confirmed', 'retracted'))
   OR (from_status = 'denied' AND to_status IN ('confirmed', 'retracted'))
   OR (from_status = 'confirmed' AND to_status = 'retracted')`,
)
@Check('claim_step_event_on_confirm', `event_seq IS NULL OR to_status = 'confirmed'`)
export class ClaimStepEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: number;
  @Column('uuid') claimId: string;
  @ManyToOne(() => ClaimEntity)
  @JoinColumn({ name: 'claim_id', foreignKeyConstraintName: 'claim_step_claim_id_fkey' })
  claim?: Relation<ClaimEntity>;
  @Column('int') step: number;
  @Column('text', { nullable: true }) fromStatus: string | null;
  @Column('text') toStatus: string;
  @Column('jsonb') source: EventSource;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz') occurredAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  @Column('text') actor: string;
  @Column('int', { nullable: true }) eventSeq: number | null;
}
