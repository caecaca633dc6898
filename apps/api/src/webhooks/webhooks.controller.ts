import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto.js';
import { WebhooksService } from './webhooks.service.js';

const webhookId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('No such webhook.') });

@ApiTags('admin')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Subscribe a URL to notices; the signing secret is in this response only. */
  @Post()
  @ApiCreatedResponse({ description: '{ id, url, events, description, createdAt, deletedAt, secret } — the secret is shown once.' })
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  async list() {
    return { items: await this.webhooks.list() };
  }

  /** Unsubscribe; pending deliveries are abandoned. */
  @Delete(':id')
  @HttpCode(200)
  remove(@Param('id', webhookId) id: string) {
    return this.webhooks.remove(id);
  }

  /** The delivery log: the latest attempts, newest first. */
  @Get(':id/deliveries')
  async deliveries(@Param('id', webhookId) id: string, @Query() query: DeliveriesQueryDto) {
    return { items: await this.webhooks.deliveries(id, query.limit ? Number(query.limit) : undefined) };
  }
}
