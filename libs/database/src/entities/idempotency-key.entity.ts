import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity.js';
import type { StoredJson } from './stored-json.js';

@Entity('idempotency_key')
@Unique('idempotency_key_unique', ['apiKeyId', 'key'])
@Index('idempotency_key_expiry', ['expiresAt'])
@Check('idempotency_key_key_check', `length(key) BETWEEN 1 AND 255`)
@Check('idempotency_key_state_check', `state IN ('in_flight', 'done')`)
@Check('idempotency_key_done_has_response', `state = 'in_flight' OR response_status IS NOT NULL`)
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') apiKeyId: string;
  @ManyToOne(() => ApiKeyEntity)
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'idempotency_key_api_key_id_fkey' })
  apiKey?: Relation<ApiKeyEntity>;
  @Column('text') key: string;
  /** SHA-256 of method, path and the canonical JSON body: a reuse with another body is refused. */
  @Column('text') requestHash: string;
  @Column('text') state: 'in_flight' | 'done';
  @Column('int', { nullable: true }) responseStatus: number | null;
  /** The stored answer (SQL NULL until the request is done). */
  @Column('jsonb', { nullable: true }) responseBody: StoredJson | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
}
