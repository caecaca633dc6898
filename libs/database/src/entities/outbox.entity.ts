import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { WebhookEntity } from './webhook.entity.js';

/**
 * The transactional outbox: one row per notice and subscribed webhook, written in the transaction
 * that made the change (by the SQL function gt_enqueue_notices), delivered at least once.
 */
@Entity('outbox')
@Index('outbox_due', ['nextAttemptAt', 'id'], { where: 'delivered_at IS NULL AND abandoned_at IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: number;
  @Column('uuid') webhookId: string;
  @ManyToOne(() => WebhookEntity)
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'outbox_webhook_id_fkey' })
  webhook?: Relation<WebhookEntity>;
  @Column('text') eventType: string;
  /** The whole notice, as sent. */
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('int', { default: 0 }) attempts: number;
  @Column('timestamptz', { default: () => 'now()' }) nextAttemptAt: Date;
  /** A dispatcher holds the row until then (SKIP LOCKED claims; an expired lease is claimed again). */
  @Column('timestamptz', { nullable: true }) leaseUntil: Date | null;
  @Column('timestamptz', { nullable: true }) deliveredAt: Date | null;
  @Column('timestamptz', { nullable: true }) abandonedAt: Date | null;
  @Column('int', { nullable: true }) lastStatus: number | null;
  @Column('text', { nullable: true }) lastError: string | null;
}
