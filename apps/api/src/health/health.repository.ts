import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What readiness asks the database. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One round trip: throws when the database does not answer. */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  /** Whether a migration this build knows is not applied yet. */
  migrationsPending(): Promise<boolean> {
    return this.db.showMigrations();
  }
}
