import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@app/database';
import { AppError } from '../common/app-error.js';
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

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  revoked_at: Date | null;
}

const toView = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  private readonly known = new Map<string, { principal: Principal; until: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Known keys are remembered for a few seconds (one database round trip less per request); a
   * revocation clears this instance's memory at once, and reaches other instances within KEY_CACHE_MS.
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashKey(secret);
    const cached = this.known.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const rows: { id: string; name: string; role: Role }[] = await this.db.query(
      `SELECT id, name, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    if (!rows[0]) return null;
    const principal = { keyId: rows[0].id, name: rows[0].name, role: rows[0].role };
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(hash, { principal, until: Date.now() + KEY_CACHE_MS });
    return principal;
  }

  /** Create a key; the secret is returned here once and never stored. */
  async create(name: string, role: Role, secret = generateKey()): Promise<{ id: string; name: string; role: Role; key: string }> {
    const [row]: KeyRow[] = await this.db.query(
      `INSERT INTO api_key (name, role, key_hash) VALUES ($1, $2, $3) RETURNING *`,
      [name, role, hashKey(secret)],
    );
    this.logger.log(`api key created: ${row.name} (${row.role}, id ${row.id})`);
    return { id: row.id, name: row.name, role: row.role, key: secret };
  }

  async list(): Promise<ApiKeyView[]> {
    const rows: KeyRow[] = await this.db.query(`SELECT * FROM api_key ORDER BY created_at, id`);
    return rows.map(toView);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const rows: KeyRow[] = await this.db.query(
      // A CTE, so that the driver returns rows (TypeORM answers a bare UPDATE … RETURNING with [rows, count]).
      `WITH u AS (UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *) SELECT * FROM u`,
      [id],
    );
    if (!rows[0]) throw AppError.notFound(`No API key ${id}.`);
    this.known.clear();
    this.logger.log(`api key revoked: ${rows[0].name}`);
    return toView(rows[0]);
  }

  /**
   * At start: make the ADMIN_API_KEY secret a working admin key, or, when there is no admin key at
   * all, create one and return its secret so that the caller can print it once.
   */
  async bootstrap(adminSecret: string | null): Promise<string | null> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('governor-tracker:bootstrap-admin'))`);
      if (adminSecret) {
        await m.query(
          `INSERT INTO api_key (name, role, key_hash) VALUES ('admin (ADMIN_API_KEY)', 'admin', $1)
           ON CONFLICT (key_hash) DO NOTHING`,
          [hashKey(adminSecret)],
        );
        return null;
      }
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM api_key WHERE role = 'admin' AND revoked_at IS NULL`);
      if (n > 0) return null;
      const secret = generateKey();
      await m.query(`INSERT INTO api_key (name, role, key_hash) VALUES ('admin (first start)', 'admin', $1)`, [hashKey(secret)]);
      return secret;
    });
  }
}
