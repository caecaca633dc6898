import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, type Repository } from 'typeorm';
import { IdempotencyKeyEntity, readFirst } from '@app/database';

/** How long a stored response answers retries (Stripe keeps 24 hours too). */
const RETENTION = '24 hours';
/** A claim still in flight after this long belongs to a process that died: a retry may take it over. */
const ABANDONED_AFTER = '60 seconds';

export type StoredRequest = Pick<IdempotencyKeyEntity, 'requestHash' | 'state' | 'responseStatus' | 'responseBody'>;

/** Idempotency keys through their entity; the claim is one hand-written upsert, on the path of every keyed write. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>) {}

  /**
   * Claim the key for a request, taking over one that expired or whose first request died in flight;
   * the claim's id, or null when the key is held or answered.
   */
  async claim(apiKeyId: string, key: string, requestHash: string): Promise<string | null> {
    const rows: unknown = await this.keys.query(
      `INSERT INTO idempotency_key (api_key_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_flight', now() + interval '${RETENTION}')
       ON CONFLICT (api_key_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', response_status = NULL, response_body = NULL,
             created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
            OR (idempotency_key.state = 'in_flight' AND idempotency_key.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING id`,
      [apiKeyId, key, requestHash],
    );
    return readFirst(rows, (r) => r.text('id'));
  }

  find(apiKeyId: string, key: string): Promise<StoredRequest | null> {
    return this.keys.findOne({ select: { requestHash: true, state: true, responseStatus: true, responseBody: true }, where: { apiKeyId, key } });
  }

  /** Store the response of a claim still in flight. */
  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.keys.update({ id, state: 'in_flight' }, { state: 'done', responseStatus: status, responseBody: body ?? null });
  }

  async release(id: string): Promise<void> {
    await this.keys.delete({ id, state: 'in_flight' });
  }

  async purgeExpired(): Promise<number> {
    const { affected } = await this.keys.delete({ expiresAt: Raw((expiresAt) => `${expiresAt} < now()`) });
    return affected ?? 0;
  }
}
