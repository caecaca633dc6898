import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { responseSchema } from '../docs/schemas.js';
import { HealthRepository } from './health.repository.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly db: HealthRepository) {}

  /** The process is up and serving HTTP. */
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @Get('live')
  @ApiOkResponse({ description: 'Up.', schema: responseSchema('Health') })
  live() {
    return { status: 'ok' };
  }

  /** Ready for traffic: the database answers and every migration is applied. */
  @ApiOperation({ summary: 'Readiness: the database answers, migrations applied' })
  @Get('ready')
  @ApiOkResponse({ description: 'The database answers and every migration is applied (503 otherwise).', schema: responseSchema('Health') })
  async ready() {
    let pending: boolean;
    try {
      await this.db.ping();
      pending = await this.db.migrationsPending();
    } catch {
      throw new AppError('database-unavailable', 'The database is not reachable.');
    }
    if (pending) throw new AppError('database-unavailable', 'Migrations are pending.', { migrations: 'pending' });
    return { status: 'ok', database: 'up', migrations: 'applied' };
  }
}
