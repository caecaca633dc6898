import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/roles.decorator.js';
import { CycleResolver } from '../cycle/cycle-resolver.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { ChartsService } from './charts.service.js';
import { TimelineQueryDto } from './dto/timeline-query.dto.js';

@ApiTags('charts')
@ApiBearerAuth()
@Controller('charts')
export class ChartsController {
  constructor(
    private readonly charts: ChartsService,
    private readonly cycles: CycleResolver,
  ) {}

  /**
   * No key: the digest embeds this picture wherever it is pasted (CMS, e-mail), where no key goes. It
   * tells every caller the same (internal events are left out for all), so a key protected nothing.
   */
  @ApiOperation({ summary: 'Timeline chart of the provinces (SVG)' })
  @Get('timeline.svg')
  @Public()
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({
    description:
      'The formation timeline of one cycle (`cycle`, default: the default cycle): one row per province (English and Arabic names), its stages along the days from the election, ' +
      'the deadline as a vertical rule, late segments outlined, the governor at the end. Self-contained (fonts embedded).',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 404)
  async timelineSvg(@Query() query: TimelineQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const svg = await this.charts.timelineSvg(await this.cycles.scope(query.cycle), query);
    // Other sites' pages may show it (the site-wide policy is same-origin).
    void reply.header('content-type', 'image/svg+xml; charset=utf-8').header('cache-control', 'no-cache').header('cross-origin-resource-policy', 'cross-origin');
    return svg;
  }
}
