import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ProvinceEntity } from './province.entity.js';

export const ALERT_KINDS = ['breach', 'at_risk'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_RESOLUTIONS = ['appointed', 'appointed_late', 'deadline_changed', 'retracted', 'progressed', 'escalated'] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];

/** A deadline alert of a province (SPEC §5). */
@Entity('alert')
// One active (open or acknowledged) alert per province and kind, enforced by the database.
@Index('alert_one_active', ['provinceId', 'kind'], { unique: true, where: `status <> 'resolved'` })
@Index('alert_status', ['status', 'openedAt'])
@Index('alert_updated', ['updatedAt', 'id'])
@Check('alert_kind_check', `kind IN ('breach', 'at_risk')`)
@Check('alert_status_check', `status IN ('open', 'acknowledged', 'resolved')`)
@Check(
  'alert_resolution_check',
  `resolution IN ('appointed', 'appointed_late', 'deadline_changed', 'retracted', 'progressed', 'escalated')`,
)
@Check('alert_resolved_complete', `(status = 'resolved') = (resolved_at IS NOT NULL AND resolution IS NOT NULL)`)
@Check('alert_ack_complete', `(acknowledged_at IS NULL) = (acknowledged_by IS NULL)`)
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity)
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'alert_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  @Column('text') kind: AlertKind;
  @Column('text') status: AlertStatus;
  @Column('timestamptz') openedAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) detectedAt: Date;
  @Column('timestamptz', { nullable: true }) acknowledgedAt: Date | null;
  @Column('text', { nullable: true }) acknowledgedBy: string | null;
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;
  @Column('text', { nullable: true }) resolution: AlertResolution | null;
  @Column('text') detail: string;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}
