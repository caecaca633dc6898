import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookEntity } from '@app/database';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookEntity])],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDispatcher, WebhooksRepository, WebhookDeliveriesRepository],
})
export class WebhooksModule implements OnApplicationBootstrap {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  /** Deliveries start once every module is ready (the change bus included) and stop before the database closes. */
  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }
}
