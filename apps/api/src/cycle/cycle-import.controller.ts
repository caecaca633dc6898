import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, type SchemaObject, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_TYPES } from '@app/workflow';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { EVENT_DTOS } from '../provinces/dto/event-body.dto.js';
import { CYCLE_DOCUMENT_SCHEMA } from './cycle-document.js';
import { CycleImportService } from './cycle-import.service.js';

/**
 * The cycle document's JSON Schema as an OpenAPI 3.0 schema: the same shape (it keeps to the keywords
 * both share) without the JSON Schema dialect's `$schema`/`$id`, each event as the event bodies'
 * own schemas.
 */
function openApiSchema(): SchemaObject {
  const { $schema: _dialect, $id: _id, ...schema } = structuredClone(CYCLE_DOCUMENT_SCHEMA) as unknown as SchemaObject & { $schema?: string; $id?: string };
  const council = (schema.properties!.councils as SchemaObject).items as SchemaObject;
  const events = council.properties!.events as SchemaObject;
  events.items = {
    description: (events.items as SchemaObject).description,
    oneOf: EVENT_TYPES.map((t) => ({ $ref: getSchemaPath(EVENT_DTOS[t]) })),
  };
  return schema;
}

const EXAMPLE = {
  slug: 'iraq-2023-basra-demo',
  name: 'Basra demo',
  nameAr: 'تجربة البصرة',
  electionDate: '2023-12-18',
  timezone: 'Asia/Baghdad',
  deadline: { date: '2024-02-09', basis: 'Reported by Shafaq News as the deadline to select governors.' },
  milestones: { tierByDays: 21, candidateByDays: 7 },
  requireApproval: false,
  status: 'active',
  councils: [
    {
      slug: 'basra',
      code: 'IQ-BA',
      name: 'Basra',
      nameAr: 'البصرة',
      seats: 23,
      events: [
        { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T07:00:00.000Z', source: { name: 'Shafaq News', url: 'https://shafaq.com/en' }, confidence: 'confirmed' },
      ],
    },
  ],
};

/** `POST /cycles`: a cycle from its document (issue 20); the same document as `npm run cli -- cycles import`. */
@ApiTags('cycle')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(EVENT_DTOS))
@Controller('cycles')
export class CycleImportController {
  constructor(private readonly imports: CycleImportService) {}

  /**
   * Admin: create a cycle, its councils and their events (each decided by the workflow, in order, as
   * POST /provinces/{slug}/events decides it) in one transaction. The same document again changes nothing.
   */
  @ApiOperation({ summary: 'Import a cycle document' })
  @Post()
  @RequireRole('admin')
  @ApiBody({
    description: 'The cycle document (JSON Schema: apps/api/src/cycle/cycle-document.schema.json). Each event is an event body with occurredAt.',
    schema: openApiSchema(),
    examples: { 'one-council': { summary: 'A cycle with one council and its first event', value: EXAMPLE } },
  })
  @ApiCreatedResponse({
    description: 'The cycle was created with its councils and events.',
    schema: responseSchema('Cycle'),
    headers: { Location: { schema: { type: 'string', example: '/api/v1/cycles/iraq-2023' } } },
  })
  @ApiOkResponse({ description: 'The cycle already holds exactly this document: nothing changed.', schema: responseSchema('Cycle') })
  @ApiProblems(400, { status: 409, codes: ['cycle-exists', 'invalid-transition', 'guard-failed', 'history-conflict'] }, 413, 415)
  async import(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.imports.import(body, principal);
    if (result.outcome === 'created') void reply.status(201).header('location', `/api/v1/cycles/${result.cycle.slug}`);
    else void reply.status(200);
    return result.cycle;
  }
}
