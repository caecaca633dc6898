import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A webhook subscription; deleting one is soft (`deletedAt`), so its delivery log stays readable. */
@Entity('webhook')
@Check('webhook_url_check', `url ~ '^https?://'`)
export class WebhookEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') url: string;
  /** Signs every delivery; shown once, when the webhook is created. */
  @Column('text') secret: string;
  /** The notice types delivered to it. */
  @Column('text', { array: true }) events: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) deletedAt: Date | null;
}
