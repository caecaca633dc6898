import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { describeMachine, machineMermaid } from '@app/workflow';
import { AppError } from '../common/app-error.js';

@ApiTags('machine')
@ApiBearerAuth()
@Controller('machine')
export class MachineController {
  @Get()
  @ApiProduces('application/json', 'text/vnd.mermaid')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'mermaid'] })
  get(@Query('format') format: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (format === 'mermaid') {
      void reply.header('content-type', 'text/vnd.mermaid; charset=utf-8');
      return machineMermaid();
    }
    if (format !== undefined && format !== 'json') {
      throw AppError.validation([{ field: 'format', message: 'format must be json or mermaid' }]);
    }
    return describeMachine();
  }
}
