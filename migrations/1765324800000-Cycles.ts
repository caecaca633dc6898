import type { MigrationInterface, QueryRunner } from 'typeorm';

const STAGES = `('criteria', 'tier', 'candidate', 'appointed', 'vacant')`;
const STAGES_BEFORE = `('criteria', 'tier', 'candidate', 'appointed')`;
const EVENT_TYPES = `('SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'WITHDRAW', 'APPOINT', 'DECREE', 'REVOKE', 'SET_DEADLINE', 'REPORT', 'VACATE', 'ACTING', 'CONTEST', 'RULING')`;
const EVENT_TYPES_BEFORE = `('SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'WITHDRAW', 'APPOINT', 'DECREE', 'REVOKE', 'SET_DEADLINE', 'REPORT')`;

/** gt_lock_province as RulesAfterLock defined it, looked up by `where` and answering `rules`. */
const lockProvince = (signature: string, where: string, rules: string) => `
      CREATE FUNCTION gt_lock_province(${signature}) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
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
         WHERE ${where}
           FOR UPDATE OF p;
        IF pid IS NULL THEN
          RETURN NULL;
        END IF;
        RETURN locked || jsonb_build_object(
          ${rules}
          'alerts', (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.kind), '[]'::jsonb)
                       FROM (SELECT * FROM alert WHERE province_id = pid AND status <> 'resolved' FOR UPDATE) a));
      END $$`;

/**
 * Many cycles side by side (issue 20). A cycle gets a slug (its id in routes and files; the existing
 * cycle's name, `iraq-2023`), an Arabic name, a status (`archived` is read-only), an explicit default
 * (the routes without a cycle use it; never "the latest election"), and the rule of a vacancy's clock.
 * A province is unique per cycle, by slug and by code. The workflow's @2 stage and events join the
 * CHECKs; an event decided while no deadline is in force has no daysToDeadline. gt_lock_province
 * takes the cycle (NULL: the default one) and answers the cycle's slug, status and vacancy rule.
 */
export class Cycles1765324800000 implements MigrationInterface {
  name = 'Cycles1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle ADD COLUMN slug text CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100)`);
    await q.query(`UPDATE cycle SET slug = name`);
    await q.query(`ALTER TABLE cycle ALTER COLUMN slug SET NOT NULL`);
    await q.query(`ALTER TABLE cycle ADD CONSTRAINT cycle_slug_key UNIQUE (slug)`);
    await q.query(`ALTER TABLE cycle ADD COLUMN name_ar text`);
    await q.query(`ALTER TABLE cycle ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived'))`);
    await q.query(`ALTER TABLE cycle ADD COLUMN is_default boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX cycle_one_default ON cycle (is_default) WHERE is_default`);
    // The cycle the routes of today answered for (the latest election) becomes the explicit default.
    await q.query(`UPDATE cycle SET is_default = true WHERE id = (SELECT id FROM cycle ORDER BY election_date DESC, name LIMIT 1)`);
    await q.query(`
      ALTER TABLE cycle ADD COLUMN vacancy_deadline jsonb CHECK (
        vacancy_deadline IS NULL
        OR (jsonb_typeof(vacancy_deadline->'basis') = 'string'
            AND ((jsonb_typeof(vacancy_deadline->'date') = 'string' AND NOT vacancy_deadline ? 'after')
              OR (jsonb_typeof(vacancy_deadline->'after') = 'string' AND jsonb_typeof(vacancy_deadline->'days') = 'number'))))`);

    await q.query(`ALTER TABLE province DROP CONSTRAINT province_slug_key`);
    await q.query(`ALTER TABLE province DROP CONSTRAINT province_code_key`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_cycle_slug_key UNIQUE (cycle_id, slug)`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_cycle_code_key UNIQUE (cycle_id, code)`);

    await q.query(`ALTER TABLE province DROP CONSTRAINT province_stage_check`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_stage_check CHECK (stage IN ${STAGES})`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_from_stage_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_from_stage_check CHECK (from_stage IN ${STAGES})`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_to_stage_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_to_stage_check CHECK (to_stage IN ${STAGES})`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_type_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_type_check CHECK (type IN ${EVENT_TYPES})`);
    await q.query(`ALTER TABLE province_event ALTER COLUMN days_to_deadline DROP NOT NULL`);

    await q.query(`DROP FUNCTION gt_lock_province(text)`);
    await q.query(
      lockProvince(
        'p_cycle uuid, p_slug text',
        `p.cycle_id = p_cycle AND p.slug = p_slug`,
        `'rules', (SELECT jsonb_build_object('electionDate', c.election_date, 'deadline', c.deadline,
                      'deadlineBasis', c.deadline_basis, 'timezone', c.timezone, 'tierByDays', c.tier_by_days,
                      'candidateByDays', c.candidate_by_days, 'vacancyDeadline', c.vacancy_deadline)
                      FROM cycle c WHERE c.id = cid),
          'cycleRef', (SELECT jsonb_build_object('id', c.id, 'slug', c.slug, 'status', c.status) FROM cycle c WHERE c.id = cid),`,
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION gt_lock_province(uuid, text)`);
    await q.query(
      lockProvince(
        'p_slug text',
        `p.slug = p_slug`,
        `'rules', (SELECT jsonb_build_object('electionDate', c.election_date, 'deadline', c.deadline,
                      'deadlineBasis', c.deadline_basis, 'timezone', c.timezone, 'tierByDays', c.tier_by_days,
                      'candidateByDays', c.candidate_by_days)
                      FROM cycle c WHERE c.id = cid),`,
      ),
    );
    await q.query(`ALTER TABLE province_event ALTER COLUMN days_to_deadline SET NOT NULL`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_type_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_type_check CHECK (type IN ${EVENT_TYPES_BEFORE})`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_to_stage_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_to_stage_check CHECK (to_stage IN ${STAGES_BEFORE})`);
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_from_stage_check`);
    await q.query(`ALTER TABLE province_event ADD CONSTRAINT province_event_from_stage_check CHECK (from_stage IN ${STAGES_BEFORE})`);
    await q.query(`ALTER TABLE province DROP CONSTRAINT province_stage_check`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_stage_check CHECK (stage IN ${STAGES_BEFORE})`);
    await q.query(`ALTER TABLE province DROP CONSTRAINT province_cycle_code_key`);
    await q.query(`ALTER TABLE province DROP CONSTRAINT province_cycle_slug_key`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_code_key UNIQUE (code)`);
    await q.query(`ALTER TABLE province ADD CONSTRAINT province_slug_key UNIQUE (slug)`);
    await q.query(`ALTER TABLE cycle DROP COLUMN vacancy_deadline`);
    await q.query(`DROP INDEX cycle_one_default`);
    await q.query(`ALTER TABLE cycle DROP COLUMN is_default`);
    await q.query(`ALTER TABLE cycle DROP COLUMN status`);
    await q.query(`ALTER TABLE cycle DROP COLUMN name_ar`);
    await q.query(`ALTER TABLE cycle DROP CONSTRAINT cycle_slug_key`);
    await q.query(`ALTER TABLE cycle DROP COLUMN slug`);
  }
}
