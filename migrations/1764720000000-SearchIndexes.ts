import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /search reads the live events that name people (nominations, appointments, conventions,
 * withdrawals): a partial index holds just those, so the search does not scan the whole log
 * (at 1M events almost all are reports and stage changes).
 */
export class SearchIndexes1764720000000 implements MigrationInterface {
  name = 'SearchIndexes1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX province_event_person ON province_event (province_id, seq)
        WHERE type IN ('NOMINATE', 'APPOINT', 'CONVENE', 'WITHDRAW') AND retracted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX province_event_person`);
  }
}
