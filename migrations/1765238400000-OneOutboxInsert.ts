import type { MigrationInterface, QueryRunner } from 'typeorm';

/** gt_append_event as migration WritePath defined it, with `enqueue` writing the notices' outbox rows. */
const appendEvent = (enqueue: string) => `
      CREATE OR REPLACE FUNCTION gt_append_event(w jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
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
        ${enqueue}
        -- NOTIFY payloads stop at 8000 bytes: a larger notice still reaches webhooks through the outbox,
        -- and live streams miss it rather than the event being refused.
        IF w->>'notifyChannel' IS NOT NULL THEN
          PERFORM pg_notify(w->>'notifyChannel', n::text)
             FROM jsonb_array_elements(w->'notices') AS n
            WHERE octet_length(n::text) < 8000;
        END IF;
      END $$`;

/**
 * The outbox insert in one place (issue 19): `gt_enqueue_notices(notices)` writes one outbox row per
 * notice and live webhook subscribed to its type. `gt_append_event` (the event write path, migration
 * WritePath) calls it in its own transaction, and so does OutboxWriter for every other use case; until
 * now each held a copy of the INSERT. A PL/pgSQL function, so its plan is cached per connection as the
 * caller's statements are.
 */
export class OneOutboxInsert1765238400000 implements MigrationInterface {
  name = 'OneOutboxInsert1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION gt_enqueue_notices(notices jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        INSERT INTO outbox (webhook_id, event_type, payload)
        SELECT h.id, n->>'type', n
          FROM jsonb_array_elements(notices) AS n
          JOIN webhook h ON h.deleted_at IS NULL AND n->>'type' = ANY (h.events);
      END $$`);
    await q.query(appendEvent(`PERFORM gt_enqueue_notices(w->'notices');`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      appendEvent(`INSERT INTO outbox (webhook_id, event_type, payload)
        SELECT h.id, n->>'type', n
          FROM jsonb_array_elements(w->'notices') AS n
          JOIN webhook h ON h.deleted_at IS NULL AND n->>'type' = ANY (h.events);`),
    );
    await q.query(`DROP FUNCTION gt_enqueue_notices(jsonb)`);
  }
}
