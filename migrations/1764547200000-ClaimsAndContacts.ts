import type { MigrationInterface, QueryRunner } from 'typeorm';

const CLAIM_STATUSES = `('reported', 'denied', 'confirmed', 'retracted')`;

/**
 * The claims ledger and the contact log (issue 7): a claim is a rumour with its source, moved
 * reported → denied | confirmed → retracted by append-only, sourced and dated steps; a contact is a
 * reporter's call to an official, never published.
 */
export class ClaimsAndContacts1764547200000 implements MigrationInterface {
  name = 'ClaimsAndContacts1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        province_id uuid NOT NULL REFERENCES province (id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        subject text CHECK (length(subject) BETWEEN 1 AND 200),
        event jsonb CHECK (event IS NULL OR jsonb_typeof(event->'type') = 'string'),
        source jsonb NOT NULL CHECK (jsonb_typeof(source->'name') = 'string'),
        reported_at timestamptz NOT NULL,
        internal boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ${CLAIM_STATUSES}),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_step int NOT NULL DEFAULT 1 CHECK (last_step >= 1),
        applied_seq int,
        CONSTRAINT claim_applied_event FOREIGN KEY (province_id, applied_seq) REFERENCES province_event (province_id, seq),
        CONSTRAINT claim_applied_needs_event CHECK (applied_seq IS NULL OR (event IS NOT NULL AND status IN ('confirmed', 'retracted')))
      )`);
    await q.query(`CREATE INDEX claim_by_province ON claim (province_id, reported_at)`);
    await q.query(`CREATE INDEX claim_by_status ON claim (status, reported_at)`);
    await q.query(`
      CREATE TABLE claim_step (
        id bigserial PRIMARY KEY,
        claim_id uuid NOT NULL REFERENCES claim (id),
        step int NOT NULL CHECK (step >= 1),
        from_status text CHECK (from_status IN ${CLAIM_STATUSES}),
        to_status text NOT NULL CHECK (to_status IN ${CLAIM_STATUSES}),
        source jsonb NOT NULL CHECK (jsonb_typeof(source->'name') = 'string'),
        note text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        event_seq int,
        CONSTRAINT claim_step_unique UNIQUE (claim_id, step),
        -- The moves the ledger allows, whatever the code does: the report itself, then
        -- reported → denied | confirmed, denied → confirmed, and any live status → retracted.
        CONSTRAINT claim_step_allowed CHECK (
          (from_status IS NULL AND to_status = 'reported' AND step = 1)
          OR (from_status = 'reported' AND to_status IN ('denied', 'confirmed', 'retracted'))
          OR (from_status = 'denied' AND to_status IN ('confirmed', 'retracted'))
          OR (from_status = 'confirmed' AND to_status = 'retracted')),
        CONSTRAINT claim_step_event_on_confirm CHECK (event_seq IS NULL OR to_status = 'confirmed')
      )`);
    await q.query(`CREATE INDEX claim_step_occurred ON claim_step (occurred_at)`);
    await q.query(`
      CREATE FUNCTION claim_step_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'claim_step is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER claim_step_append_only BEFORE UPDATE OR DELETE ON claim_step
      FOR EACH ROW EXECUTE FUNCTION claim_step_append_only()`);
    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        province_id uuid NOT NULL REFERENCES province (id),
        official_name text NOT NULL CHECK (length(official_name) BETWEEN 1 AND 200),
        official_title text CHECK (length(official_title) BETWEEN 1 AND 200),
        channel text NOT NULL CHECK (channel IN ('call', 'message', 'meeting', 'other')),
        outcome text NOT NULL CHECK (outcome IN ('declined_to_comment', 'denied', 'confirmed', 'no_answer', 'commented')),
        summary text CHECK (length(summary) BETWEEN 1 AND 5000),
        contacted_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL
      )`);
    await q.query(`CREATE INDEX contact_by_province ON contact (province_id, contacted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contact`);
    await q.query(`DROP TABLE claim_step`);
    await q.query(`DROP FUNCTION claim_step_append_only`);
    await q.query(`DROP TABLE claim`);
  }
}
