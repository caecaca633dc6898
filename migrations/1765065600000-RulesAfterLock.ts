import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `gt_lock_province` read the cycle's rules in the statement that waited for the province's row lock,
 * so from the snapshot taken before the wait: an event that waited behind a change of the cycle (which
 * locks every province) was decided under the old deadline, and its alert reconciliation undid the
 * change's. The rules are now read by a second statement, after the lock is granted (in READ COMMITTED
 * each statement of a VOLATILE function takes a new snapshot), as the alerts already were.
 */
export class RulesAfterLock1765065600000 implements MigrationInterface {
  name = 'RulesAfterLock1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION gt_lock_province(p_slug text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        locked jsonb;
        pid uuid;
        cid uuid;
      BEGIN
        SELECT p.id, p.cycle_id, jsonb_build_object(
                 'id', p.id, 'slug', p.slug, 'code', p.code, 'name', p.name, 'nameAr', p.name_ar, 'seats', p.seats,
                 'state', p.state, 'version', p.version, 'updatedAt', p.updated_at,
                 'lastOccurredAt', p.last_occurred_at, 'maxSeq', p.last_seq,
                 'now', date_trunc('milliseconds', now()))
          INTO pid, cid, locked
          FROM province p
         WHERE p.slug = p_slug
           FOR UPDATE OF p;
        IF pid IS NULL THEN
          RETURN NULL;
        END IF;
        RETURN locked || jsonb_build_object(
          'rules', (SELECT jsonb_build_object('electionDate', c.election_date, 'deadline', c.deadline,
                      'deadlineBasis', c.deadline_basis, 'timezone', c.timezone, 'tierByDays', c.tier_by_days,
                      'candidateByDays', c.candidate_by_days)
                      FROM cycle c WHERE c.id = cid),
          'alerts', (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.kind), '[]'::jsonb)
                       FROM (SELECT * FROM alert WHERE province_id = pid AND status <> 'resolved' FOR UPDATE) a));
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION gt_lock_province(p_slug text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
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
}
