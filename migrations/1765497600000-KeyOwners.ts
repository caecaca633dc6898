import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 23, items 2 and 5. Keys get an owner (`person`, whom the two-person rule compares) and a
 * folded name (`name_fold`) that is unique among live keys, so `alice`, `alice ` and `Alice` are one
 * name; a revocation, however it is made, is announced at commit on `governor_tracker_key_revoked`
 * (every instance's live streams of that key close, and its key cache forgets it).
 */
export class KeyOwners1765497600000 implements MigrationInterface {
  name = 'KeyOwners1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key ADD COLUMN person text, ADD COLUMN name_fold text`);
    // The fold as this migration knows it (the app's is apps/api/src/auth/key-names.ts, the same rules
    // today); live keys whose names already fold alike keep working, and all but the oldest get their id
    // in the fold, so no new key can take any of those names.
    const rows = (await q.query(`SELECT id, name, revoked_at FROM api_key ORDER BY created_at, id`)) as { id: string; name: string; revoked_at: Date | null }[];
    const live = new Set<string>();
    for (const row of rows) {
      let fold = foldName(row.name);
      if (row.revoked_at === null) {
        if (live.has(fold)) fold = `${fold} #${row.id}`;
        live.add(fold);
      }
      await q.query(`UPDATE api_key SET person = name, name_fold = $2 WHERE id = $1`, [row.id, fold]);
    }
    await q.query(`ALTER TABLE api_key ALTER COLUMN person SET NOT NULL, ALTER COLUMN name_fold SET NOT NULL`);
    await q.query(`ALTER TABLE api_key ADD CONSTRAINT api_key_person_check CHECK (length(person) BETWEEN 1 AND 100)`);
    await q.query(`CREATE UNIQUE INDEX api_key_live_name ON api_key (name_fold) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE FUNCTION gt_notify_key_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('governor_tracker_key_revoked', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER api_key_revoked AFTER UPDATE OF revoked_at ON api_key
        FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
        EXECUTE FUNCTION gt_notify_key_revoked()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER api_key_revoked ON api_key`);
    await q.query(`DROP FUNCTION gt_notify_key_revoked()`);
    await q.query(`DROP INDEX api_key_live_name`);
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_person_check, DROP COLUMN person, DROP COLUMN name_fold`);
  }
}

function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .trim()
    .replace(/\s+/gu, ' ')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC');
}
