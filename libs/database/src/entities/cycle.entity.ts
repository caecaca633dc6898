import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('cycle')
export class CycleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('date') electionDate: string;
  @Column('date') deadline: string;
  @Column('text') deadlineBasis: string;
  @Column('text') timezone: string;
  @Column('int') tierByDays: number;
  @Column('int') candidateByDays: number;
  /** The two-person rule: APPOINT, REVOKE and SET_DEADLINE are proposed, then applied by a second editor. */
  @Column('boolean', { default: false }) requireApproval: boolean;
  @Column('int') version: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
