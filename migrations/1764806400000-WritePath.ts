import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write path in two round trips (issue 6), as two functions:
 *
 * - `gt_lock_province(slug)` locks a province and returns it with its cycle's rules, the transaction's
 *   clock and its active alerts (locked too). The alerts are read by a second statement inside the
 *   function, after the row lock is granted: in READ COMMITTED each statement of a VOLATILE function
 *   takes a new snapshot, so a writer that committed while this one waited for the lock is seen — a
 *   subquery of the locking SELECT would read the snapshot taken before the wait. Sent with BEGIN.
 * - `gt_append_event(write)` stores everything an accepted event writes, from one JSON document: the
 *   event, the province's new state, the idempotent answer, the outbox rows of its notices (one per
 *   subscribed webhook) and their NOTIFY (delivered by PostgreSQL at commit, only if it commits).
 *   Sent with COMMIT. Its statements are planned once per connection (PL/pgSQL caches their plans).
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
    await q.query(`
      CREATE FUNCTION gt_append_event(w jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        pid uuid := (w->>'provinceId')::uuid;
        recorded timestamptz := (w->>'recordedAt')::timestamptz;
        occurred timestamptz := (w->>'occurredAt')::timestamptz;
      BEGIN
        INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence, note,
                                    machine, from_stage, to_stage, late, days_to_deadline, state_after, internal, approved_by)
        VALUES (pid, (w->>'seq')::int, w->>'type', w->'payload', occurred, recorded, w->>'actor', w->'source', w->>'confidence',
                w->>'note', w->>'machine', w->>'fromStage', w->>'toStage', (w->>'late')::boolean, (w->>'daysToDeadline')::int,
                w->'stateAfter', (w->>'internal')::boolean, w->>'approvedBy');
        UPDATE province
           SET state = w->'finalState', stage = w->'finalState'->>'stage', tier = w->'finalState'->'context'->>'tier',
               version = version + 1, updated_at = recorded, last_seq = (w->>'seq')::int,
               last_occurred_at = GREATEST(last_occurred_at, occurred)
         WHERE id = pid;
        IF jsonb_typeof(w->'idempotency') = 'object' THEN
          UPDATE idempotency_key
             SET state = 'done', response_status = (w->'idempotency'->>'status')::int, response_body = w->'idempotency'->'body'
           WHERE id = (w->'idempotency'->>'id')::uuid;
        END IF;
        INSERT INTO outbox (webhook_id, event_type, payload)
        SELECT h.id, n->>'type', n
          FROM jsonb_array_elements(w->'notices') AS n
          JOIN webhook h ON h.deleted_at IS NULL AND n->>'type' = ANY (h.events);
        -- NOTIFY payloads stop at 8000 bytes: a larger notice still reaches webhooks through the outbox,
        -- and live streams miss it rather than the event being refused.
        IF w->>'notifyChannel' IS NOT NULL THEN
          PERFORM pg_notify(w->>'notifyChannel', n::text)
             FROM jsonb_array_elements(w->'notices') AS n
            WHERE octet_length(n::text) < 8000;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION gt_append_event(jsonb)`);
    await q.query(`DROP FUNCTION gt_lock_province(text)`);
  }
}
