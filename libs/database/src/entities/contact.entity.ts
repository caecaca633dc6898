import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ProvinceEntity } from './province.entity.js';

export const CONTACT_CHANNELS = ['call', 'message', 'meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_OUTCOMES = ['declined_to_comment', 'denied', 'confirmed', 'no_answer', 'commented'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** A reporter's call to an official: newsroom-only, never published. */
@Entity('contact')
@Index('contact_by_province', ['provinceId', 'contactedAt'])
@Check('contact_official_name_check', `length(official_name) BETWEEN 1 AND 200`)
@Check('contact_official_title_check', `length(official_title) BETWEEN 1 AND 200`)
@Check('contact_channel_check', `channel IN ('call', 'message', 'meeting', 'other')`)
@Check('contact_outcome_check', `outcome IN ('declined_to_comment', 'denied', 'confirmed', 'no_answer', 'commented')`)
@Check('contact_summary_check', `length(summary) BETWEEN 1 AND 5000`)
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'contact_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  @Column('text') officialName: string;
  @Column('text', { nullable: true }) officialTitle: string | null;
  @Column('text') channel: ContactChannel;
  @Column('text') outcome: ContactOutcome;
  @Column('text', { nullable: true }) summary: string | null;
  @Column('timestamptz') contactedAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
  @Column('text') actor: string;
}
