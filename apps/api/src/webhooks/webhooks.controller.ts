import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
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
  @ApiOperation({ summary: 'Subscribe a URL to notices' })
  @Post()
  @ApiCreatedResponse({ description: 'The subscription with its signing secret, shown this once.', schema: responseSchema('WebhookCreated') })
  @ApiProblems(400, 413, 415)
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @ApiOperation({ summary: 'List webhook subscriptions' })
  @Get()
  @ApiOkResponse({ description: 'The live subscriptions, without their secrets.', schema: responseSchema('WebhookList') })
  async list() {
    return { items: await this.webhooks.list() };
  }

  /** Unsubscribe; pending deliveries are abandoned. */
  @ApiOperation({ summary: 'Unsubscribe a webhook' })
  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The subscription, now deleted.', schema: responseSchema('Webhook') })
  @ApiProblems(404)
  remove(@Param('id', webhookId) id: string) {
    return this.webhooks.remove(id);
  }

  /** The delivery log: the latest attempts, newest first. */
  @ApiOperation({ summary: 'A webhook’s delivery log' })
  @Get(':id/deliveries')
  @ApiOkResponse({ description: 'The latest attempts, newest first (deleted webhooks included).', schema: responseSchema('WebhookDeliveryAttemptList') })
  @ApiProblems(400, 404)
  async deliveries(@Param('id', webhookId) id: string, @Query() query: DeliveriesQueryDto) {
    return { items: await this.webhooks.deliveries(id, query.limit ? Number(query.limit) : undefined) };
  }
}
