import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppError } from '../common/app-error.js';
import { IdempotencyRepository } from './idempotency.repository.js';

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
  constructor(private readonly repo: IdempotencyRepository) {}

  /**
   * Claim a key for this request in its own short statement (so that a concurrent retry sees the
   * claim at once and gets 409 instead of waiting), or find the response to replay.
   */
  async claim(apiKeyId: string, key: string, hash: string): Promise<Claim> {
    if (!KEY_RE.test(key)) {
      throw AppError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
    }
    const claimed = await this.repo.claim(apiKeyId, key, hash);
    if (claimed) return { kind: 'claimed', id: claimed };
    const row = await this.repo.find(apiKeyId, key);
    if (!row) return this.claim(apiKeyId, key, hash); // expired and swept between the two statements
    if (row.requestHash !== hash) {
      throw new AppError('idempotency-mismatch', 'This Idempotency-Key was used with a different request.');
    }
    if (row.state === 'in_flight') {
      throw new AppError('idempotency-in-flight', 'The first request with this Idempotency-Key is still in progress; retry shortly.');
    }
    if (row.responseStatus === null) throw new Error(`idempotency key ${key} is done without a response status`); // a CHECK forbids it
    return { kind: 'replay', status: row.responseStatus, body: row.responseBody };
  }

  /** Store the response (when the write did not already do so in its own transaction). */
  async complete(id: string, status: number, body: unknown): Promise<void> {
    await this.repo.complete(id, status, body);
  }

  /** Forget a claim whose request failed for reasons a retry may not meet (server or database errors). */
  async release(id: string): Promise<void> {
    await this.repo.release(id);
  }

  async purgeExpired(): Promise<number> {
    return this.repo.purgeExpired();
  }
}
