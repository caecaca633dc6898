import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { Idempotent } from '../idempotency/idempotency.interceptor.js';
import { AlertsService } from './alerts.service.js';
import { AlertsQueryDto } from './dto/alerts-query.dto.js';

const alertId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('No such alert.') });

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  async list(@Query() query: AlertsQueryDto) {
    return { items: await this.alerts.list(query) };
  }

  /** Any viewer may acknowledge; who and when are recorded. */
  @Post(':id/ack')
  @HttpCode(200)
  @Idempotent()
  ack(@Param('id', alertId) id: string, @CurrentPrincipal() principal: Principal) {
    return this.alerts.acknowledge(id, principal.name);
  }
}
