import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * gt_append_event as migration OneOutboxInsert defined it; `withNotices` also keeps the event's notices
 * on its own row, the stream's record of them (no second row on the event path).
 */
const appendEvent = (withNotices: boolean) => `
      CREATE OR REPLACE FUNCTION gt_append_event(w jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        pid uuid := (w->>'provinceId')::uuid;
        recorded timestamptz := (w->>'recordedAt')::timestamptz;
        occurred timestamptz := (w->>'occurredAt')::timestamptz;
      BEGIN
        INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence, note,
                                    machine, from_stage, to_stage, late, days_to_deadline, state_after, internal, approved_by${withNotices ? ', notices' : ''})
        VALUES (pid, (w->>'seq')::int, w->>'type', w->'payload', occurred, recorded, w->>'actor', w->'source', w->>'confidence',
                w->>'note', w->>'machine', w->>'fromStage', w->>'toStage', (w->>'late')::boolean, (w->>'daysToDeadline')::int,
                w->'stateAfter', (w->>'internal')::boolean, w->>'approvedBy'${withNotices ? `, w->'notices'` : ''});
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
        PERFORM gt_enqueue_notices(w->'notices');
        -- NOTIFY payloads stop at 8000 bytes: a larger notice still reaches webhooks through the outbox,
        -- and live streams read it from the event's row.
        IF w->>'notifyChannel' IS NOT NULL THEN
          PERFORM pg_notify(w->>'notifyChannel', n::text)
             FROM jsonb_array_elements(w->'notices') AS n
            WHERE octet_length(n::text) < 8000;
        END IF;
      END $$`;

/**
 * Issue 24, item 1: the live stream resumes where a client left it. Every notice gets a place in one
 * order, the recording order of /changes (transaction id, then a number of the events' sequence):
 * - the notices of an event (province.changed and the alerts it opened or resolved) are kept on the
 *   event's own row, `province_event.notices`: the event path writes no other row for them;
 * - every other notice (retractions, acknowledgements, sweeps, claims, proposals, contacts, cycle
 *   changes) is a row of `notice`, numbered from the same sequence, written with its outbox rows by
 *   `gt_record_notices`.
 * A stream replays both after the position a client names (apps/api/src/stream/notice-log.repository.ts).
 */
export class ResumableStream1765584000000 implements MigrationInterface {
  name = 'ResumableStream1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE province_event ADD COLUMN notices jsonb`);
    await q.query(`
      CREATE TABLE notice (
        id bigint PRIMARY KEY DEFAULT nextval('province_event_id_seq'::regclass),
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX notice_recording ON notice (tx_id, id)`);
    await q.query(`
      CREATE FUNCTION gt_record_notices(notices jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM gt_enqueue_notices(notices);
        INSERT INTO notice (payload) SELECT n FROM jsonb_array_elements(notices) AS n;
      END $$`);
    await q.query(appendEvent(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(appendEvent(false));
    await q.query(`DROP FUNCTION gt_record_notices(jsonb)`);
    await q.query(`DROP TABLE notice`);
    await q.query(`ALTER TABLE province_event DROP COLUMN notices`);
  }
}
