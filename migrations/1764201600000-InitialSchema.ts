import type { MigrationInterface, QueryRunner } from 'typeorm';

const STAGES = `('criteria', 'tier', 'candidate', 'appointed')`;
const EVENT_TYPES = `('SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'WITHDRAW', 'APPOINT', 'DECREE', 'REVOKE', 'SET_DEADLINE', 'REPORT')`;

/** The foundation: cycle, province, the append-only event log, API keys and idempotency keys. */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cycle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        election_date date NOT NULL,
        deadline date NOT NULL CHECK (deadline > election_date),
        deadline_basis text NOT NULL,
        timezone text NOT NULL,
        tier_by_days int NOT NULL DEFAULT 21 CHECK (tier_by_days >= 0),
        candidate_by_days int NOT NULL DEFAULT 7 CHECK (candidate_by_days >= 0),
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE province (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cycle_id uuid NOT NULL REFERENCES cycle (id),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'),
        name text NOT NULL,
        name_ar text NOT NULL,
        seats int NOT NULL CHECK (seats > 0),
        stage text NOT NULL CHECK (stage IN ${STAGES}),
        tier text CHECK (tier IN ('A', 'B', 'C')),
        state jsonb NOT NULL CHECK (state->>'stage' = stage),
        version int NOT NULL DEFAULT 0 CHECK (version >= 0),
        last_seq int NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        last_occurred_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE province_event (
        id bigserial PRIMARY KEY,
        province_id uuid NOT NULL REFERENCES province (id),
        seq int NOT NULL CHECK (seq > 0),
        type text NOT NULL CHECK (type IN ${EVENT_TYPES}),
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        source jsonb NOT NULL CHECK (jsonb_typeof(source->'name') = 'string'),
        confidence text NOT NULL CHECK (confidence IN ('confirmed', 'reported')),
        note text,
        machine text NOT NULL,
        from_stage text NOT NULL CHECK (from_stage IN ${STAGES}),
        to_stage text NOT NULL CHECK (to_stage IN ${STAGES}),
        late boolean NOT NULL,
        days_to_deadline int NOT NULL,
        state_after jsonb NOT NULL,
        retracted_at timestamptz,
        retracted_by text,
        retraction_reason text,
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT province_event_seq_unique UNIQUE (province_id, seq),
        CONSTRAINT province_event_retraction_complete
          CHECK ((retracted_at IS NULL) = (retraction_reason IS NULL) AND (retracted_at IS NULL) = (retracted_by IS NULL))
      )`);
    // The timeline of one province (replays, as-of reads) and the global recording order (/changes).
    await q.query(`CREATE INDEX province_event_timeline ON province_event (province_id, occurred_at, seq)`);
    await q.query(`CREATE INDEX province_event_recording ON province_event (tx_id, id)`);
    // Append-only, enforced by the database: no deletes; an update may only retract once or rewrite state_after.
    await q.query(`
      CREATE FUNCTION province_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'province_event is append-only' USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.id, NEW.province_id, NEW.seq, NEW.type, NEW.payload, NEW.occurred_at, NEW.recorded_at, NEW.actor,
            NEW.source, NEW.confidence, NEW.note, NEW.machine, NEW.from_stage, NEW.to_stage, NEW.late,
            NEW.days_to_deadline, NEW.tx_id)
           IS DISTINCT FROM
           (OLD.id, OLD.province_id, OLD.seq, OLD.type, OLD.payload, OLD.occurred_at, OLD.recorded_at, OLD.actor,
            OLD.source, OLD.confidence, OLD.note, OLD.machine, OLD.from_stage, OLD.to_stage, OLD.late,
            OLD.days_to_deadline, OLD.tx_id)
           OR (OLD.retracted_at IS NOT NULL AND
               (NEW.retracted_at, NEW.retracted_by, NEW.retraction_reason)
               IS DISTINCT FROM (OLD.retracted_at, OLD.retracted_by, OLD.retraction_reason)) THEN
          RAISE EXCEPTION 'province_event is append-only: only a retraction or a replayed state_after may change'
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER province_event_append_only BEFORE UPDATE OR DELETE ON province_event
      FOR EACH ROW EXECUTE FUNCTION province_event_append_only()`);
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE idempotency_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        api_key_id uuid NOT NULL REFERENCES api_key (id),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'done')),
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_key_unique UNIQUE (api_key_id, key),
        CONSTRAINT idempotency_key_done_has_response CHECK (state = 'in_flight' OR response_status IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE province_event`);
    await q.query(`DROP FUNCTION province_event_append_only`);
    await q.query(`DROP TABLE province`);
    await q.query(`DROP TABLE cycle`);
  }
}
