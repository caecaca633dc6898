import { Column, Entity, Index } from 'typeorm';

/**
 * The live stream's record of every notice not kept on an event's row (`province_event.notices`):
 * retractions, acknowledgements, sweeps, claims, proposals, contacts, cycle changes. Written with
 * their outbox rows by gt_record_notices; numbered from the events' sequence, so that (txId, id) is
 * one order over both, the one /stream resumes in.
 */
@Entity('notice')
@Index('notice_recording', ['txId', 'id'])
export class NoticeEntity {
  @Column('bigint', { primary: true, default: () => `nextval('province_event_id_seq')` }) id: string;
  /** The writing transaction's id, as province_event.tx_id (data-source.ts adds the xid8 type). */
  @Column({ type: 'xid8' as 'text', default: () => 'pg_current_xact_id()', insert: false, update: false }) txId: string;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  /** The whole notice, as streamed. */
  @Column('jsonb') payload: Record<string, unknown>;
}
