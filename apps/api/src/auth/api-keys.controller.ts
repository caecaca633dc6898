import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '../common/app-error.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { RequireRole } from './roles.decorator.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('No such API key.') });

@ApiTags('admin')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @ApiOperation({ summary: 'Create an API key' })
  @Post()
  @ApiCreatedResponse({ description: 'The new key; `key` is its secret, shown this once.', schema: responseSchema('ApiKeyCreated') })
  @ApiProblems(400, { status: 409, codes: ['key-name-taken'] }, 413, 415)
  create(@Body() body: CreateApiKeyDto) {
    return this.keys.create(body.name, body.role, body.person);
  }

  @ApiOperation({ summary: 'List the API keys' })
  @Get()
  @ApiOkResponse({ description: 'Every key, revoked ones included; never a secret.', schema: responseSchema('ApiKeyList') })
  async list() {
    return { items: await this.keys.list() };
  }

  @ApiOperation({ summary: 'Revoke an API key' })
  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The revoked key.', schema: responseSchema('ApiKey') })
  @ApiProblems(404)
  revoke(@Param('id', uuid) id: string) {
    return this.keys.revoke(id);
  }
}
