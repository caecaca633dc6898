import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AppError } from '../common/app-error.js';
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

  @Post()
  create(@Body() body: CreateApiKeyDto) {
    return this.keys.create(body.name, body.role);
  }

  @Get()
  async list() {
    return { items: await this.keys.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  revoke(@Param('id', uuid) id: string) {
    return this.keys.revoke(id);
  }
}
