import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openDatabase, withEntityColumnTypes, type OpenDatabase } from '@app/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 19, item 4: the entities describe the schema the migrations make. TypeORM's schema builder,
 * asked what it would change in a freshly migrated database, must find nothing — not a column type,
 * default, index, check, unique or foreign key — and every table must have an entity. (Views,
 * functions and triggers are the migrations' alone: TypeORM does not compare them.)
 */
describe('entities and migrations describe one schema', () => {
  let db: TestDatabase;
  let open: OpenDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('schema');
    open = await openDatabase(
      { databaseUrl: db.databaseUrl, dataDir: db.dataDir, pool: { poolMax: 2, connectionTimeoutMs: 5_000, statementTimeoutMs: 30_000 } },
      { applicationName: 'governor-tracker-schema-test' },
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

  /**
   * The schema builder compares checks and the WHERE of partial indexes by name only. So the entities
   * are also built into a schema of their own, and PostgreSQL's rendering of every column, check,
   * foreign key and index there is compared with the migrated schema's (names of primary keys and
   * single-column unique constraints aside: TypeORM names those itself).
   */
  test("the entities' expressions are the migrations' own: checks, partial indexes, defaults", async () => {
    const BUILT = 'entities_built';
    const options = open.dataSource.options;
    if (options.type !== 'postgres') throw new Error(`a PostgreSQL data source was expected, not ${options.type}`);
    await open.dataSource.query(`CREATE SCHEMA ${BUILT}`);
    const built = withEntityColumnTypes(new DataSource({ ...options, schema: BUILT, migrations: [] }));
    await built.initialize();
    try {
      await built.synchronize();
      const migrated = await describeSchema(open.dataSource, options.schema ?? 'public');
      expect(migrated.length).toBeGreaterThan(150);
      expect(await describeSchema(open.dataSource, BUILT)).toEqual(migrated);
    } finally {
      await built.destroy();
      await open.dataSource.query(`DROP SCHEMA ${BUILT} CASCADE`);
    }
  });
});

/** Columns, named constraints and indexes of a schema, as PostgreSQL renders them, with the schema's name left out. */
async function describeSchema(ds: DataSource, schema: string): Promise<string[]> {
  const unqualified = (text: string) => text.replaceAll(`${schema}.`, '');
  const columns: { line: string }[] = await ds.query(
    `SELECT table_name || '.' || column_name || ' ' || data_type || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
            || coalesce(' DEFAULT ' || column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'migrations'`,
    [schema],
  );
  const constraints: { line: string }[] = await ds.query(
    `SELECT t.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND c.contype IN ('c', 'f', 'u')
        AND NOT (c.contype = 'u' AND cardinality(c.conkey) = 1)`,
    [schema],
  );
  const indexes: { line: string }[] = await ds.query(
    `SELECT i.indexdef AS line
       FROM pg_indexes i
      WHERE i.schemaname = $1 AND i.tablename <> 'migrations'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                         WHERE n.nspname = $1 AND c.conname = i.indexname AND c.contype IN ('p', 'u'))`,
    [schema],
  );
  return [...columns, ...constraints, ...indexes].map((r) => unqualified(r.line)).sort();
}
