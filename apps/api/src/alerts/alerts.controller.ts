import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { Idempotent } from '../idempotency/idempotency.interceptor.js';
import { AlertsService } from './alerts.service.js';
import { AlertsQueryDto } from './dto/alerts-query.dto.js';

const alertId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('No such alert.') });

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly cycles: CycleResolver,
  ) {}

  @ApiOperation({ summary: 'List deadline alerts' })
  @Get()
  @ApiOkResponse({ description: 'One cycle’s alerts (`cycle`, default: the default cycle), open ones by default.', schema: responseSchema('AlertList') })
  @ApiProblems(400, 404)
  async list(@Query() query: AlertsQueryDto) {
    return { items: await this.alerts.list(await this.cycles.scope(query.cycle), query) };
  }

  /** Any viewer may acknowledge; who and when are recorded. */
  @ApiOperation({ summary: 'Acknowledge an alert' })
  @Post(':id/ack')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The acknowledged alert (who and when recorded).', schema: responseSchema('Alert') })
  @ApiProblems(404, { status: 409, codes: ['alert-resolved', 'idempotency-in-flight'] }, 422)
  @Idempotent()
  ack(@Param('id', alertId) id: string, @CurrentPrincipal() principal: Principal) {
    return this.alerts.acknowledge(id, principal.name);
  }
}
