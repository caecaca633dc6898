import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alerts, webhook subscriptions, the transactional outbox of their deliveries, and the delivery log. */
export class Newsroom1764288000000 implements MigrationInterface {
  name = 'Newsroom1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        province_id uuid NOT NULL REFERENCES province (id),
        kind text NOT NULL CHECK (kind IN ('breach', 'at_risk')),
        status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        opened_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        resolution text CHECK (resolution IN ('appointed', 'appointed_late', 'deadline_changed', 'retracted', 'progressed', 'escalated')),
        detail text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alert_resolved_complete CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND resolution IS NOT NULL)),
        CONSTRAINT alert_ack_complete CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
      )`);
    // One active (open or acknowledged) alert per province and kind, enforced by the database.
    await q.query(`CREATE UNIQUE INDEX alert_one_active ON alert (province_id, kind) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX alert_status ON alert (status, opened_at)`);
    await q.query(`CREATE INDEX alert_updated ON alert (updated_at, id)`);
    await q.query(`
      CREATE TABLE webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://'),
        secret text NOT NULL,
        events text[] NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhook (id),
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        delivered_at timestamptz,
        abandoned_at timestamptz,
        last_status int,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND abandoned_at IS NULL`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id bigserial PRIMARY KEY,
        outbox_id bigint NOT NULL REFERENCES outbox (id),
        webhook_id uuid NOT NULL REFERENCES webhook (id),
        attempt int NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code int,
        error text,
        duration_ms int NOT NULL
      )`);
    await q.query(`CREATE INDEX webhook_delivery_by_webhook ON webhook_delivery (webhook_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE webhook`);
    await q.query(`DROP TABLE alert`);
  }
}
