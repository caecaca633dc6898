import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlLiteral } from '@app/database';
import type { PersonEventRow, ProvinceNamesRow } from './search.index.js';

/** Event types whose payload names a person (the partial index province_event_person covers exactly these). */
const PERSON_EVENT_TYPES = `('NOMINATE', 'APPOINT', 'CONVENE', 'WITHDRAW')`;

/** Person-naming events folded per batch while the search index is built. */
const NAMES_BATCH = 2000;

/**
 * The names GET /search ranks: a cycle's provinces and their live events that name people, in one
 * snapshot. Matching happens in the application (name-folding.ts), not in SQL, so that one fold
 * serves the query and the names on PostgreSQL and PGlite alike, with no extension.
 */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The provinces, and every live person-naming event handed to `each` a batch at a time through a
   * cursor (one sort, one snapshot): at 10,000 provinces they are ~40,000 events, which read as one
   * result held ~15 MiB at once while the index was built.
   */
  names(cycleId: string, each: (events: PersonEventRow[]) => void): Promise<ProvinceNamesRow[]> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const provinces: ProvinceNamesRow[] = await m.query(`SELECT slug, code, name, name_ar AS "nameAr" FROM province WHERE cycle_id = $1 ORDER BY slug`, [
        cycleId,
      ]);
      // The cursor's statement is sent without parameters (a utility statement): the id goes in as a literal.
      await m.query(
        `DECLARE person_events NO SCROLL CURSOR FOR
         SELECT p.slug AS province, e.type, e.payload
           FROM province_event e
           JOIN province p ON p.id = e.province_id
          WHERE p.cycle_id = ${sqlLiteral(cycleId)}::uuid AND e.type IN ${PERSON_EVENT_TYPES} AND e.retracted_at IS NULL
          ORDER BY p.slug, e.seq`,
      );
      for (;;) {
        const events: PersonEventRow[] = await m.query(`FETCH ${NAMES_BATCH} FROM person_events`);
        each(events);
        if (events.length < NAMES_BATCH) return provinces;
      }
    });
  }
}
