import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only rule over a list of immutable columns (all but state_after and the retraction's three). */
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
  'from_stage', 'to_stage', 'late', 'days_to_deadline', 'tx_id',
];

/**
 * Issue 7, parts 2 and 4. Internal events (only REPORTs: a state change shows in every public
 * snapshot anyway) and the approver of an event; the cycle's two-person rule and its proposals (of a
 * gated event, or of the retraction of one: type RETRACT, whose applied event_seq is the retracted event).
 * The append-only trigger is redefined so that the two new columns are as immutable as the others.
 */
export class ApprovalAndInternal1764633600000 implements MigrationInterface {
  name = 'ApprovalAndInternal1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE province_event
        ADD COLUMN internal boolean NOT NULL DEFAULT false,
        ADD COLUMN approved_by text CHECK (approved_by IS NULL OR length(approved_by) BETWEEN 1 AND 100),
        ADD CONSTRAINT province_event_internal_only_reports CHECK (NOT internal OR type = 'REPORT')`);
    await q.query(appendOnlyFunction([...IMMUTABLE, 'internal', 'approved_by']));
    await q.query(`ALTER TABLE cycle ADD COLUMN require_approval boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        province_id uuid NOT NULL REFERENCES province (id),
        type text NOT NULL CHECK (type IN ('APPOINT', 'REVOKE', 'SET_DEADLINE', 'RETRACT')),
        body jsonb NOT NULL CHECK (body->>'type' = type),
        base_version int NOT NULL CHECK (base_version >= 0),
        proposed_by_key_id uuid NOT NULL REFERENCES api_key (id),
        proposed_by text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'applied', 'rejected', 'stale', 'withdrawn')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by_key_id uuid REFERENCES api_key (id),
        decided_by text,
        reason text,
        event_seq int CHECK (event_seq > 0),
        CONSTRAINT proposal_decision_complete
          CHECK ((status = 'pending') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)
                 AND (decided_by IS NULL) = (decided_by_key_id IS NULL)),
        CONSTRAINT proposal_applied_has_event CHECK ((status = 'applied') = (event_seq IS NOT NULL)),
        CONSTRAINT proposal_rejected_has_reason CHECK (status <> 'rejected' OR reason IS NOT NULL),
        CONSTRAINT proposal_event FOREIGN KEY (province_id, event_seq) REFERENCES province_event (province_id, seq)
      )`);
    await q.query(`CREATE INDEX proposal_by_status ON proposal (status, created_at, id)`);
    await q.query(`CREATE INDEX proposal_by_province ON proposal (province_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposal`);
    await q.query(`ALTER TABLE cycle DROP COLUMN require_approval`);
    await q.query(appendOnlyFunction(IMMUTABLE));
    await q.query(`ALTER TABLE province_event DROP CONSTRAINT province_event_internal_only_reports`);
    await q.query(`ALTER TABLE province_event DROP COLUMN approved_by, DROP COLUMN internal`);
  }
}
