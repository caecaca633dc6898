import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readRows } from '@app/database';

/**
 * What a cached answer was computed from. Every accepted event and retraction adds one to its
 * province's version, every change of the cycle to the cycle's, and every claim report or move adds a
 * row to the append-only claim_step; the province count covers a province added with version 0. The
 * provinces' count and versions are read from province_data_version (migration HotProvinceUpdates: a
 * copy kept by a trigger, so that no index on province(version) makes every event's update non-HOT).
 * One statement before every cached answer, measured at 10,000 provinces (`npm run bench`, case
 * `data-version`): hand-written.
 */
const DATA_VERSION_SQL = `
  SELECT (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM province_data_version) || '.' ||
         (SELECT coalesce(sum(version), 0) FROM cycle)::text || '.' ||
         (SELECT count(*) FROM claim_step)::text AS version,
         (SELECT string_agg(DISTINCT timezone, ',' ORDER BY timezone) FROM cycle) AS timezones`;

@Injectable()
export class ReadCacheRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The data version, and the time zones of the cycles (comma-separated; null without a cycle). */
  async dataVersion(): Promise<{ version: string; timezones: string | null }> {
    const rows: unknown = await this.db.query(DATA_VERSION_SQL);
    return readRows(rows, (r) => ({ version: r.text('version'), timezones: r.textOrNull('timezones') }))[0];
  }
}
