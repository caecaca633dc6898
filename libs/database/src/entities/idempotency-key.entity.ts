import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('idempotency_key')
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') apiKeyId: string;
  @Column('text') key: string;
  /** SHA-256 of method, path and the canonical JSON body: a reuse with another body is refused. */
  @Column('text') requestHash: string;
  @Column('text') state: 'in_flight' | 'done';
  @Column('int', { nullable: true }) responseStatus: number | null;
  @Column('jsonb', { nullable: true }) responseBody: unknown;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
}
