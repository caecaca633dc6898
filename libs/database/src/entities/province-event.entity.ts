import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EVENT_TYPES, type EventType, type FormationState, type OccurredAtPrecision, type Stage } from '@app/workflow';
import { ProvinceEntity, STAGES_SQL } from './province.entity.js';

export interface EventSource {
  name: string;
  url?: string | null;
}

const EVENT_TYPES_SQL = `(${EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`;

/** Append-only: a trigger refuses deletes and any update but a retraction or a replayed `stateAfter`. */
@Entity('province_event')
@Unique('province_event_seq_unique', ['provinceId', 'seq'])
// The timeline of one province (replays, as-of reads) and the global recording order (/changes).
@Index('province_event_timeline', ['provinceId', 'occurredAt', 'seq'])
@Index('province_event_recording', ['txId', 'id'])
@Index('province_event_retracted', ['retractedAt'], { where: 'retracted_at IS NOT NULL' })
@Index('province_event_occurred', ['occurredAt'])
@Index('province_event_recorded', ['recordedAt'])
@Index('province_event_person', ['provinceId', 'seq'], {
  where: `type IN ('NOMINATE', 'APPOINT', 'CONVENE', 'WITHDRAW') AND retracted_at IS NULL`,
})
@Check('province_event_seq_check', `seq > 0`)
@Check('province_event_type_check', `type IN ${EVENT_TYPES_SQL}`)
@Check('province_event_source_check', `jsonb_typeof(source->'name') = 'string'`)
@Check('province_event_confidence_check', `confidence IN ('confirmed', 'reported')`)
@Check('province_event_from_stage_check', `from_stage IN ${STAGES_SQL}`)
@Check('province_event_to_stage_check', `to_stage IN ${STAGES_SQL}`)
@Check(
  'province_event_retraction_complete',
  `(retracted_at IS NULL) = (retraction_reason IS NULL) AND (retracted_at IS NULL) = (retracted_by IS NULL)`,
)
@Check('province_event_approved_by_check', `approved_by IS NULL OR length(approved_by) BETWEEN 1 AND 100`)
@Check('province_event_internal_only_reports', `NOT internal OR type = 'REPORT'`)
@Check('province_event_occurred_at_precision_check', `occurred_at_precision IN ('day', 'minute')`)
export class ProvinceEventEntity {
  /** Global recording order (with txId, the cursor of /changes). */
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'province_event_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  /** Per province, gap-free, in recording order. */
  @Column('int') seq: number;
  @Column('text') type: EventType;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz') occurredAt: Date;
  /** 'day': the sources report only the day of occurredAt in the cycle's zone; its time of day only orders it. */
  @Column('text', { default: 'minute' }) occurredAtPrecision: OccurredAtPrecision;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  @Column('text') actor: string;
  @Column('jsonb') source: EventSource;
  @Column('text') confidence: 'confirmed' | 'reported';
  @Column('text', { nullable: true }) note: string | null;
  @Column('text') machine: string;
  @Column('text') fromStage: Stage;
  @Column('text') toStage: Stage;
  @Column('boolean') late: boolean;
  /** Null when no deadline was in force (a vacancy without a clock). */
  @Column('int', { nullable: true }) daysToDeadline: number | null;
  @Column('jsonb') stateAfter: FormationState;
  @Column('timestamptz', { nullable: true }) retractedAt: Date | null;
  @Column('text', { nullable: true }) retractedBy: string | null;
  @Column('text', { nullable: true }) retractionReason: string | null;
  /** Newsroom-only (anonymous sources, notes): never shown to a public key. Only REPORT events (a CHECK). */
  @Column('boolean', { default: false }) internal: boolean;
  /** Under the two-person rule: the editor who approved the proposal `actor` made. */
  @Column('text', { nullable: true }) approvedBy: string | null;
  /**
   * The writing transaction's id: /changes only hands out rows older than every open writer. xid8
   * is a PostgreSQL type TypeORM's list lacks; data-source.ts adds it (the column is never written by TypeORM).
   */
  @Column({ type: 'xid8' as 'text', default: () => 'pg_current_xact_id()', insert: false, update: false }) txId: string;
  /** The notices this event's transaction told (its province.changed, the alerts it moved): what /stream replays. */
  @Column('jsonb', { nullable: true }) notices: Record<string, unknown>[] | null;
}
