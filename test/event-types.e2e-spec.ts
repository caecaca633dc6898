import { EVENT_TYPES } from '@app/workflow';
import { INTERNAL_EVENT_TYPES } from '../apps/api/src/provinces/dto/event-body.dto.js';
import { setupSuite } from './support/test-app.js';

/**
 * Issue 19, item 3: the database accepts exactly the event types the workflow knows. A type added to
 * the event catalogue without the migration that widens province_event's CHECK would answer 500 on
 * its first POST; this test fails first (docs/adding-an-event-type.md).
 */
let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('event-types');
});
afterAll(async () => s?.teardown());

/** The event types named by each CHECK of province_event on `type`, keyed by the columns it reads. */
async function typeChecks(): Promise<Record<string, string[]>> {
  const rows: { columns: string; def: string }[] = await s.app.running.database.dataSource.query(
    `SELECT (SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
              WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns,
            pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
      WHERE c.conrelid = 'province_event'::regclass AND c.contype = 'c'`,
  );
  // PostgreSQL prints a list as CHECK ((type = ANY (ARRAY['SET_CRITERIA'::text, …]))), one value as (type = 'REPORT'::text).
  const named = (def: string) => [...def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]).sort();
  return Object.fromEntries(rows.filter((r) => r.columns.split(',').includes('type')).map((r) => [r.columns, named(r.def)]));
}

test("province_event's CHECK on type lists exactly EVENT_TYPES", async () => {
  expect((await typeChecks()).type).toEqual([...EVENT_TYPES].sort());
});

test('the CHECK on internal events allows exactly INTERNAL_EVENT_TYPES', async () => {
  expect((await typeChecks())['internal,type']).toEqual([...INTERNAL_EVENT_TYPES].sort());
});
