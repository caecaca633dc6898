import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const PROPOSAL_STATUSES = ['pending', 'applied', 'rejected', 'stale', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** An event waiting for a second editor (the two-person rule); applied only while its province is at `baseVersion`. */
@Entity('proposal')
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') provinceId: string;
  @Column('text') type: string;
  /** The validated event request (with its occurredAt fixed when proposed). */
  @Column('jsonb') body: Record<string, unknown>;
  @Column('int') baseVersion: number;
  @Column('uuid') proposedByKeyId: string;
  @Column('text') proposedBy: string;
  @Column('text') status: ProposalStatus;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('uuid', { nullable: true }) decidedByKeyId: string | null;
  @Column('text', { nullable: true }) decidedBy: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('int', { nullable: true }) eventSeq: number | null;
}
