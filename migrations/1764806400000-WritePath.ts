import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write path in fewer round trips (issue 6): one call locks a province and returns it with its
 * cycle's rules, the transaction's clock and its active alerts (locked too). The alerts are read by a
 * second statement inside the function, after the row lock is granted: in READ COMMITTED each statement
 * of a VOLATILE function takes a new snapshot, so a writer that committed while this one waited for the
 * lock is seen — a subquery of the locking SELECT would read the snapshot taken before the wait.
 */
export class WritePath1764806400000 implements MigrationInterface {
  name = 'WritePath1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION gt_lock_province(p_slug text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        locked jsonb;
        pid uuid;
      BEGIN
        SELECT p.id, jsonb_build_object(
                 'id', p.id, 'slug', p.slug, 'code', p.code, 'name', p.name, 'nameAr', p.name_ar, 'seats', p.seats,
                 'state', p.state, 'version', p.version, 'updatedAt', p.updated_at,
                 'lastOccurredAt', p.last_occurred_at, 'maxSeq', p.last_seq,
                 'rules', jsonb_build_object('electionDate', c.election_date, 'deadline', c.deadline,
                   'deadlineBasis', c.deadline_basis, 'timezone', c.timezone, 'tierByDays', c.tier_by_days,
                   'candidateByDays', c.candidate_by_days),
                 'now', date_trunc('milliseconds', now()))
          INTO pid, locked
          FROM province p JOIN cycle c ON c.id = p.cycle_id
         WHERE p.slug = p_slug
           FOR UPDATE OF p;
        IF pid IS NULL THEN
          RETURN NULL;
        END IF;
        RETURN locked || jsonb_build_object('alerts', (
          SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.kind), '[]'::jsonb)
            FROM (SELECT * FROM alert WHERE province_id = pid AND status <> 'resolved' FOR UPDATE) a));
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION gt_lock_province(text)`);
  }
}
