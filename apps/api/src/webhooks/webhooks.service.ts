import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { AppError } from '../common/app-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { NoticeType } from '../stream/change-notice.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { isLocalName, isPublicAddress, literalAddress } from './webhook-target.js';
import { toDeliveryAttemptView, toWebhookView, type DeliveryAttemptView, type WebhookView } from './webhook.view.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** Webhook subscriptions (admin) and their delivery log; the deliveries themselves are WebhookDispatcher's. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Subscribe; the secret is returned here once (it stays in the database, which must sign with it). */
  async create(input: { url: string; events: NoticeType[]; description?: string | null }): Promise<WebhookView & { secret: string }> {
    const url = new URL(input.url);
    // A host written as an inside address (or localhost) is refused now; names are checked at every delivery.
    const literal = literalAddress(url);
    if (!this.config.webhooks.allowPrivate && (isLocalName(url) || (literal !== null && !isPublicAddress(literal)))) {
      throw AppError.validation([
        { field: 'url', message: 'must not point at a loopback, link-local, private or unique-local address (WEBHOOK_ALLOW_PRIVATE is off)' },
      ]);
    }
    const secret = generateWebhookSecret();
    const webhook = await this.repo.insert({ url: url.href, secret, events: input.events, description: input.description ?? null });
    this.logger.log(`webhook created: ${webhook.id} (${webhook.events.join(', ')})`);
    this.dispatcher.webhooksChanged();
    return { ...toWebhookView(webhook), secret };
  }

  /** The live subscriptions, without their secrets. */
  async list(): Promise<WebhookView[]> {
    return (await this.repo.listLive()).map(toWebhookView);
  }

  /**
   * Unsubscribe (soft: the delivery log stays readable). Deliveries still pending are abandoned in the
   * same transaction; one already in flight may still arrive. Deleting again changes nothing.
   */
  async remove(id: string): Promise<WebhookView> {
    const removed = await this.repo.markDeleted(id);
    if (!removed) throw AppError.notFound(`No webhook ${id}.`);
    this.logger.log(`webhook deleted: ${id}`);
    this.dispatcher.webhooksChanged();
    return toWebhookView(removed);
  }

  /** The latest attempts to deliver to a webhook (deleted ones included), newest first. */
  async deliveries(id: string, limit = 100): Promise<DeliveryAttemptView[]> {
    if (!(await this.repo.exists(id))) throw AppError.notFound(`No webhook ${id}.`);
    return (await this.repo.deliveries(id, limit)).map(toDeliveryAttemptView);
  }
}
