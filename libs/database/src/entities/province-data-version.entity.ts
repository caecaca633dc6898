import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ProvinceEntity } from './province.entity.js';

/**
 * A narrow copy of each province's version, kept by a trigger on `province` (migration
 * HotProvinceUpdates): the read cache sums it without an index on province(version).
 */
@Entity('province_data_version')
export class ProvinceDataVersionEntity {
  @PrimaryColumn('uuid') provinceId: string;
  @ManyToOne(() => ProvinceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'province_id', foreignKeyConstraintName: 'province_data_version_province_id_fkey' })
  province?: Relation<ProvinceEntity>;
  @Column('int') version: number;
}
