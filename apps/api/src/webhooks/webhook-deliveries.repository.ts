import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readRows } from '@app/database';

/** Longer than a POST can take plus recording it: a live instance never loses its lease. */
const LEASE = `interval '30 seconds'`;

/** An outbox row leased to this instance for one attempt, with its webhook. */
export interface ClaimedDelivery {
  id: number;
  webhookId: string;
  payload: unknown;
  /** Attempts including this one. */
  attempts: number;
  url: string;
  secret: string;
  webhookDeleted: boolean;
}

export interface AttemptOutcome {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** The line an attempt adds to the delivery log, sent with the statement that records the outbox row's new state. */
const LOG_ATTEMPT = `INSERT INTO webhook_delivery (outbox_id, webhook_id, attempt, attempted_at, status_code, error, duration_ms)
                     VALUES ($1, $2, $3, now() - $4::double precision * interval '1 millisecond', $5::int, $6::text, $4)`;

/**
 * The dispatcher's SQL: one statement to claim a batch (SKIP LOCKED, so instances share the work),
 * one to record each attempt. Hand-written, as the deliveries run beside the write load and each
 * statement does in one round trip what the entities would do in several.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Lease up to `limit` due deliveries, counting the attempt. */
  async claimDue(limit: number): Promise<ClaimedDelivery[]> {
    const rows: unknown = await this.db.query(
      // A CTE, so that the driver returns rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      `WITH c AS (
         UPDATE outbox SET lease_until = now() + ${LEASE}, attempts = attempts + 1
          WHERE id IN (SELECT id FROM outbox
                        WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= now()
                          AND (lease_until IS NULL OR lease_until < now())
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, webhook_id, payload, attempts)
       SELECT c.id, c.webhook_id, c.payload, c.attempts, w.url, w.secret, w.deleted_at IS NOT NULL AS webhook_deleted
         FROM c JOIN webhook w ON w.id = c.webhook_id
        ORDER BY c.id`,
      [limit],
    );
    return readRows(rows, (r) => ({
      id: r.int('id'),
      webhookId: r.text('webhook_id'),
      payload: r.json('payload'),
      attempts: r.int('attempts'),
      url: r.text('url'),
      secret: r.text('secret'),
      webhookDeleted: r.bool('webhook_deleted'),
    }));
  }

  /** Delivered: the outbox row's end and the attempt's line in the log, in one statement. */
  async recordDelivered(d: ClaimedDelivery, o: AttemptOutcome): Promise<void> {
    await this.db.query(
      `WITH u AS (UPDATE outbox SET delivered_at = now(), abandoned_at = NULL, lease_until = NULL, last_status = $5::int, last_error = NULL
                   WHERE id = $1 AND delivered_at IS NULL)
       ${LOG_ATTEMPT}`,
      [d.id, d.webhookId, d.attempts, o.durationMs, o.status, null],
    );
  }

  /** Failed: retried after `retryInMs`, or abandoned; with the attempt's line in the log, in one statement. */
  async recordFailed(d: ClaimedDelivery, o: AttemptOutcome, retryInMs: number, abandon: boolean): Promise<void> {
    await this.db.query(
      `WITH u AS (UPDATE outbox SET lease_until = NULL, last_status = $5::int, last_error = $6::text,
                         next_attempt_at = now() + $7::double precision * interval '1 millisecond',
                         abandoned_at = CASE WHEN $8::boolean THEN now() END
                   WHERE id = $1 AND attempts = $3 AND delivered_at IS NULL AND abandoned_at IS NULL)
       ${LOG_ATTEMPT}`,
      [d.id, d.webhookId, d.attempts, o.durationMs, o.status, o.error, retryInMs, abandon],
    );
  }

  /** Give a claimed row back without an attempt (nothing was sent), or abandon it with `abandon` as its error. */
  async unclaim(d: ClaimedDelivery, abandon: string | null): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET lease_until = NULL, attempts = attempts - 1,
              abandoned_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, last_error = COALESCE($3::text, last_error)
        WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND abandoned_at IS NULL`,
      [d.id, d.attempts, abandon],
    );
  }
}
