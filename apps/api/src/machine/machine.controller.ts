import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { describeMachine, machineMermaid } from '@app/workflow';
import { machineDiagramSvg } from '../charts/machine-diagram.spec-builder.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';

@ApiTags('machine')
@ApiBearerAuth()
@Controller('machine')
export class MachineController {
  @ApiOperation({ summary: 'The workflow, as data or as a diagram' })
  @Get()
  @RequireRole('public')
  @ApiProduces('application/json', 'text/vnd.mermaid', 'image/svg+xml')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'mermaid', 'svg'] })
  @ApiOkResponse({
    description: 'The province-formation machine: stages, events, transitions with their guards, and the transition table.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['id', 'version', 'ref', 'initial', 'stages', 'events', 'transitions', 'table'],
          properties: {
            id: { type: 'string', example: 'province-formation' },
            version: { type: 'integer', example: 1 },
            ref: { type: 'string', example: 'province-formation@1' },
            initial: { type: 'string', example: 'criteria' },
            stages: { type: 'array', items: { type: 'string' } },
            events: { type: 'array', items: { type: 'string' } },
            transitions: { type: 'array', items: { type: 'object', additionalProperties: true } },
            table: { type: 'array', items: { type: 'object', additionalProperties: true } },
          },
        },
      },
      'text/vnd.mermaid': { schema: { type: 'string' }, example: 'stateDiagram-v2\n  candidate --> appointed: APPOINT [canAppoint]' },
      'image/svg+xml': { schema: { type: 'string', description: 'format=svg: every stage × event, where it leads and its guard (rendered with Vega-Lite).' } },
    },
  })
  @ApiProblems(400)
  async get(@Query('format') format: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (format === 'svg') {
      void reply.header('content-type', 'image/svg+xml; charset=utf-8');
      return machineDiagramSvg(describeMachine());
    }
    if (format === 'mermaid') {
      void reply.header('content-type', 'text/vnd.mermaid; charset=utf-8');
      return machineMermaid();
    }
    if (format !== undefined && format !== 'json') {
      throw AppError.validation([{ field: 'format', message: 'format must be json, mermaid or svg' }]);
    }
    return describeMachine();
  }
}
