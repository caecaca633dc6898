import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error.js';

/** How long a stored response answers retries (Stripe keeps 24 hours too). */
const RETENTION = '24 hours';
/** A claim still in flight after this long belongs to a process that died: a retry may take it over. */
const ABANDONED_AFTER = '60 seconds';

export type Claim = { kind: 'claimed'; id: string } | { kind: 'replay'; status: number; body: unknown };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonical(body)}`).digest('hex');
}

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claim a key for this request in its own short statement (so that a concurrent retry sees the
   * claim at once and gets 409 instead of waiting), or find the response to replay.
   */
  async claim(apiKeyId: string, key: string, hash: string): Promise<Claim> {
    if (!KEY_RE.test(key)) {
      throw AppError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    }
    const claimed: { id: string }[] = await this.db.query(
      `INSERT INTO idempotency_key (api_key_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_flight', now() + interval '${RETENTION}')
       ON CONFLICT (api_key_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', response_status = NULL, response_body = NULL,
             created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
            OR (idempotency_key.state = 'in_flight' AND idempotency_key.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING id`,
      [apiKeyId, key, hash],
    );
    if (claimed[0]) return { kind: 'claimed', id: claimed[0].id };
    const [row]: { request_hash: string; state: string; response_status: number; response_body: unknown }[] = await this.db.query(
      `SELECT request_hash, state, response_status, response_body FROM idempotency_key WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key],
    );
    if (!row) return this.claim(apiKeyId, key, hash); // expired and swept between the two statements
    if (row.request_hash !== hash) {
      throw new AppError('idempotency-mismatch', 'This Idempotency-Key was used with a different request.');
    }
    if (row.state === 'in_flight') {
      throw new AppError('idempotency-in-flight', 'The first request with this Idempotency-Key is still in progress; retry shortly.');
    }
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** Store the response (when the write did not already do so in its own transaction). */
  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_key SET state = 'done', response_status = $2, response_body = $3 WHERE id = $1 AND state = 'in_flight'`,
      [id, status, JSON.stringify(body)],
    );
  }

  /** Forget a claim whose request failed for reasons a retry may not meet (server or database errors). */
  async release(id: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_key WHERE id = $1 AND state = 'in_flight'`, [id]);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.db.query(`WITH d AS (DELETE FROM idempotency_key WHERE expires_at < now() RETURNING id) SELECT id FROM d`);
    return rows.length;
  }
}
