import 'reflect-metadata';
import { openDatabase, type OpenDatabase } from '@app/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 19, item 4: the entities describe the schema the migrations make. TypeORM's schema builder,
 * asked what it would change in a freshly migrated database, must find nothing — not a column type,
 * default, index, check, unique or foreign key — and every table must have an entity.
 * (Views, functions and triggers are the migrations' alone: TypeORM does not compare them.)
 */
describe('entities and migrations describe one schema', () => {
  let db: TestDatabase;
  let open: OpenDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('schema');
    open = await openDatabase(
      { databaseUrl: db.databaseUrl, dataDir: db.dataDir, pool: { poolMax: 2, connectionTimeoutMs: 5_000, statementTimeoutMs: 30_000 } },
      { seed: false, applicationName: 'governor-tracker-schema-test' },
    );
  });
  afterAll(async () => {
    await open?.close();
    await db?.drop();
  });

  test('the schema builder would run no statement on the migrated database', async () => {
    const { upQueries } = await open.dataSource.driver.createSchemaBuilder().log();
    // The statements themselves are the failure message: each names what an entity and the migrations disagree on.
    expect(upQueries.map((q) => q.query)).toEqual([]);
  });

  test('every table the migrations make has an entity', async () => {
    const rows: { table_name: string }[] = await open.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    const described = new Set(open.dataSource.entityMetadatas.map((e) => e.tableName));
    const tables = rows.map((r) => r.table_name).filter((t) => t !== open.dataSource.options.migrationsTableName);
    expect(tables.filter((t) => !described.has(t)).sort()).toEqual([]);
    expect(tables.length).toBeGreaterThanOrEqual(14);
  });
});
