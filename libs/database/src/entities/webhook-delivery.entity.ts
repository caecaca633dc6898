import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { OutboxEntity } from './outbox.entity.js';
import { WebhookEntity } from './webhook.entity.js';

/** The delivery log: one row per attempt to POST an outbox row. */
@Entity('webhook_delivery')
@Index('webhook_delivery_by_webhook', ['webhookId', 'id'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: number;
  @Column('bigint') outboxId: number;
  @ManyToOne(() => OutboxEntity)
  @JoinColumn({ name: 'outbox_id', foreignKeyConstraintName: 'webhook_delivery_outbox_id_fkey' })
  outbox?: Relation<OutboxEntity>;
  @Column('uuid') webhookId: string;
  @ManyToOne(() => WebhookEntity)
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'webhook_delivery_webhook_id_fkey' })
  webhook?: Relation<WebhookEntity>;
  @Column('int') attempt: number;
  @Column('timestamptz', { default: () => 'now()' }) attemptedAt: Date;
  @Column('int', { nullable: true }) statusCode: number | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('int') durationMs: number;
}
