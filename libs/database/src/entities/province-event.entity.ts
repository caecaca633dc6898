import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EventType, FormationState, Stage } from '@app/workflow';

export interface EventSource {
  name: string;
  url?: string | null;
}

/** Append-only: a trigger refuses deletes and any update but a retraction or a replayed `stateAfter`. */
@Entity('province_event')
export class ProvinceEventEntity {
  /** Global recording order (with txId, the cursor of /changes). */
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid') provinceId: string;
  /** Per province, gap-free, in recording order. */
  @Column('int') seq: number;
  @Column('text') type: EventType;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz') occurredAt: Date;
  @Column('timestamptz') recordedAt: Date;
  @Column('text') actor: string;
  @Column('jsonb') source: EventSource;
  @Column('text') confidence: 'confirmed' | 'reported';
  @Column('text', { nullable: true }) note: string | null;
  @Column('text') machine: string;
  @Column('text') fromStage: Stage;
  @Column('text') toStage: Stage;
  @Column('boolean') late: boolean;
  @Column('int') daysToDeadline: number;
  @Column('jsonb') stateAfter: FormationState;
  @Column('timestamptz', { nullable: true }) retractedAt: Date | null;
  @Column('text', { nullable: true }) retractedBy: string | null;
  @Column('text', { nullable: true }) retractionReason: string | null;
  /** Newsroom-only (anonymous sources, notes): never shown to a public key. Only REPORT events (a CHECK). */
  @Column('boolean', { default: false }) internal: boolean;
  /** Under the two-person rule: the editor who approved the proposal `actor` made. */
  @Column('text', { nullable: true }) approvedBy: string | null;
  /** The writing transaction's id (xid8): /changes only hands out rows older than every open writer. */
  @Column({ type: 'text', insert: false, update: false }) txId: string;
}
