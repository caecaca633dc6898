import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDispatcher],
})
export class WebhooksModule implements OnApplicationBootstrap {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  /** Deliveries start once every module is ready (the change bus included) and stop before the database closes. */
  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }
}
