import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only rule of migration ApprovalAndInternal over a list of immutable columns. */
const appendOnlyFunction = (immutable: string[]) => `
  CREATE OR REPLACE FUNCTION province_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'province_event is append-only' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (${immutable.map((c) => `NEW.${c}`).join(', ')})
       IS DISTINCT FROM
       (${immutable.map((c) => `OLD.${c}`).join(', ')})
       OR (OLD.retracted_at IS NOT NULL AND
           (NEW.retracted_at, NEW.retracted_by, NEW.retraction_reason)
           IS DISTINCT FROM (OLD.retracted_at, OLD.retracted_by, OLD.retraction_reason)) THEN
      RAISE EXCEPTION 'province_event is append-only: only a retraction or a replayed state_after may change'
        USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
  END $$`;

const IMMUTABLE = [
  'id', 'province_id', 'seq', 'type', 'payload', 'occurred_at', 'recorded_at', 'actor', 'source', 'confidence', 'note', 'machine',
  'from_stage', 'to_stage', 'late', 'days_to_deadline', 'tx_id', 'internal', 'approved_by',
];

/** gt_append_event as migration ResumableStream defined it (the event's notices on its row), storing `precision` as the event's occurred_at_precision. */
const appendEvent = (precision: { column: string; value: string }) => `
      CREATE OR REPLACE FUNCTION gt_append_event(w jsonb) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        pid uuid := (w->>'provinceId')::uuid;
        recorded timestamptz := (w->>'recordedAt')::timestamptz;
        occurred timestamptz := (w->>'occurredAt')::timestamptz;
      BEGIN
        INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence, note,
                                    machine, from_stage, to_stage, late, days_to_deadline, state_after, internal, approved_by, notices${precision.column})
        VALUES (pid, (w->>'seq')::int, w->>'type', w->'payload', occurred, recorded, w->>'actor', w->'source', w->>'confidence',
                w->>'note', w->>'machine', w->>'fromStage', w->>'toStage', (w->>'late')::boolean, (w->>'daysToDeadline')::int,
                w->'stateAfter', (w->>'internal')::boolean, w->>'approvedBy', w->'notices'${precision.value});
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
 * Issue 21. An event says how precisely its occurred_at is known: 'minute' (as before, the default of
 * every stored row) or 'day' (the sources report only the day of occurred_at in the cycle's zone; its
 * time of day only orders the event among that day's others, and nothing prints it). As immutable as
 * the other columns; gt_append_event stores it (absent from its document: 'minute').
 */
export class OccurredAtPrecision1765843200000 implements MigrationInterface {
  name = 'OccurredAtPrecision1765843200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE province_event
        ADD COLUMN occurred_at_precision text NOT NULL DEFAULT 'minute',
        ADD CONSTRAINT province_event_occurred_at_precision_check CHECK (occurred_at_precision IN ('day', 'minute'))`);
    await q.query(appendOnlyFunction([...IMMUTABLE, 'occurred_at_precision']));
    await q.query(appendEvent({ column: ', occurred_at_precision', value: `, COALESCE(w->>'occurredAtPrecision', 'minute')` }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(appendEvent({ column: '', value: '' }));
    await q.query(appendOnlyFunction(IMMUTABLE));
    await q.query(`ALTER TABLE province_event DROP COLUMN occurred_at_precision`);
  }
}
