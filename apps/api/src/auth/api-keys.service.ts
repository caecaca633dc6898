import { Injectable, Logger } from '@nestjs/common';
import { hash, randomBytes } from 'node:crypto';
import type { ApiKeyEntity, Role } from '@app/database';
import { AppError } from '../common/app-error.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { Principal } from './principal.js';

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

/** How long another instance may still accept a key after it was revoked elsewhere. */
export const KEY_CACHE_MS = 5_000;

/** SHA-256 of a secret, hex (the one-shot `hash`: a third of `createHash`'s cost, paid on every request). */
export function hashKey(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** 256 random bits: a hash without salt or stretching is enough for secrets nobody chose. */
export function generateKey(): string {
  return `gt_${randomBytes(32).toString('base64url')}`;
}

const toView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  private readonly known = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly repo: ApiKeysRepository) {}

  /**
   * Known keys are remembered for a few seconds (one database round trip less per request); a
   * revocation clears this instance's memory at once, and reaches other instances within KEY_CACHE_MS.
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashKey(secret);
    const cached = this.known.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const key = await this.repo.findLive(hash);
    if (!key) return null;
    const principal = { keyId: key.id, name: key.name, role: key.role };
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(hash, { principal, until: Date.now() + KEY_CACHE_MS });
    return principal;
  }

  /** Create a key; the secret is returned here once and never stored. */
  async create(name: string, role: Role, secret = generateKey()): Promise<{ id: string; name: string; role: Role; key: string }> {
    const row = await this.repo.insert(name, role, hashKey(secret));
    this.logger.log(`api key created: ${row.name} (${row.role}, id ${row.id})`);
    return { id: row.id, name: row.name, role: row.role, key: secret };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.repo.list()).map(toView);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const key = await this.repo.revoke(id);
    if (!key) throw AppError.notFound(`No API key ${id}.`);
    this.known.clear();
    this.logger.log(`api key revoked: ${key.name}`);
    return toView(key);
  }

  /**
   * At start: make the ADMIN_API_KEY secret a working admin key, or, when there is no admin key at
   * all, create one and return its secret so that the caller can print it once.
   */
  async bootstrap(adminSecret: string | null): Promise<string | null> {
    return this.repo.exclusively(async (keys) => {
      if (adminSecret) {
        await keys.insertUnlessExists('admin (ADMIN_API_KEY)', 'admin', hashKey(adminSecret));
        return null;
      }
      if (await keys.anyLiveAdmin()) return null;
      const secret = generateKey();
      await keys.insert('admin (first start)', 'admin', hashKey(secret));
      return secret;
    });
  }
}
