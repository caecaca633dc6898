import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/roles.decorator.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format. Public like the health checks: it holds counts, never names, keys or content. */
  @ApiOperation({ summary: 'Prometheus metrics' })
  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus exposition format 0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' }, example: 'governor_alerts_open{kind="breach"} 2\ngovernor_events_accepted_total{type="APPOINT"} 1\n' } },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType);
    return body;
  }
}
