import { Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { hash, randomBytes } from 'node:crypto';
import type { Subscription } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { ApiKeyEntity, Role } from '@app/database';
import { AppError } from '../common/app-error.js';
import { ChangeBus } from '../stream/change-bus.js';
import { LiveStreams } from '../stream/live-streams.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ADMIN_API_KEY_NAME, FIRST_START_KEY_NAME, RESERVED_NAMES, cleanName, foldName } from './key-names.js';
import type { Principal } from './principal.js';

export interface ApiKeyView {
  id: string;
  name: string;
  person: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

/** How long a key checked here is trusted without the database; a revocation anywhere is heard sooner (LISTEN). */
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
  person: k.person,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

const isUniqueViolation = (err: unknown) => (err as { driverError?: { code?: string } })?.driverError?.code === '23505';

@Injectable()
export class ApiKeysService implements OnModuleDestroy {
  private readonly logger = new Logger(ApiKeysService.name);

  private readonly known = new Map<string, { principal: Principal; until: number }>();
  /** Moves on every revocation heard: a check that started before one may not fill the cache after it. */
  private generation = 0;
  private readonly subscriptions: Subscription[] = [];

  /** The bus and the streams are the API's; the CLI builds this service on the repository alone. */
  constructor(
    private readonly repo: ApiKeysRepository,
    @Optional() private readonly bus?: ChangeBus,
    @Optional() private readonly streams?: LiveStreams,
  ) {
    if (bus) {
      this.subscriptions.push(
        bus.revokedKeys.subscribe(() => this.forgetAll()),
        bus.listenerResynced.subscribe(() => void this.recheckStreams()),
      );
    }
  }

  onModuleDestroy(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  /**
   * Known keys are remembered for a few seconds (one database round trip less per request); any
   * revocation heard (here, or from another instance through LISTEN) empties that memory, and a
   * check that was already in flight when it came does not put its key back.
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashKey(secret);
    const cached = this.known.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const generation = this.generation;
    const key = await this.repo.findLive(hash);
    if (!key) return null;
    const principal = { keyId: key.id, name: key.name, person: key.person, role: key.role };
    if (generation === this.generation) {
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(hash, { principal, until: Date.now() + KEY_CACHE_MS });
    }
    return principal;
  }

  /**
   * Create a key; the secret is returned here once and never stored. Names are cleaned (trimmed,
   * NFKC) and unique among live keys as compared case-folded; `person` (who holds it) defaults to the name.
   */
  async create(name: string, role: Role, person?: string, secret = generateKey()): Promise<{ id: string; name: string; person: string; role: Role; key: string }> {
    const clean = cleanName(name);
    if (RESERVED_NAMES.has(foldName(clean))) {
      throw AppError.validation([{ field: 'name', message: 'is reserved for the keys the server makes itself' }]);
    }
    if (await this.repo.nameTaken(clean)) throw this.nameTaken(clean);
    let row: ApiKeyEntity;
    try {
      row = await this.repo.insert(clean, cleanName(person ?? clean), role, hashKey(secret));
    } catch (err) {
      if (isUniqueViolation(err)) throw this.nameTaken(clean);
      throw err;
    }
    this.logger.log(`api key created: ${row.name} (${row.role}, id ${row.id})`);
    return { id: row.id, name: row.name, person: row.person, role: row.role, key: secret };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.repo.list()).map(toView);
  }

  /** Who holds a key (null for an unknown id); read in `m`'s transaction when given. */
  personOf(keyId: string, m?: EntityManager): Promise<string | null> {
    return this.repo.personOf(keyId, m);
  }

  /** Revoke: refused at once here, and its live streams end on every instance (the database announces it). */
  async revoke(id: string): Promise<ApiKeyView> {
    const key = await this.repo.revoke(id);
    if (!key) throw AppError.notFound(`No API key ${id}.`);
    this.revoked([key.id]);
    this.logger.log(`api key revoked: ${key.name}`);
    return toView(key);
  }

  /**
   * At start: make the ADMIN_API_KEY secret the one working bootstrap key (a different value than
   * the last start's revokes the old one), or, when there is no admin key at all, create one and
   * return its secret so that the caller can print it once.
   */
  async bootstrap(adminSecret: string | null): Promise<string | null> {
    const { secret, revoked } = await this.repo.exclusively(async (keys) => {
      if (adminSecret) {
        const keyHash = hashKey(adminSecret);
        const retired = await keys.revokeNamedExcept(ADMIN_API_KEY_NAME, keyHash);
        const existing = await keys.findByHash(keyHash);
        if (!existing) await keys.insert(ADMIN_API_KEY_NAME, ADMIN_API_KEY_NAME, 'admin', keyHash);
        else if (existing.revokedAt) this.logger.warn('ADMIN_API_KEY is a key that was revoked: it stays revoked; set a new value');
        if (retired.length > 0) this.logger.log(`ADMIN_API_KEY changed: the previous one is revoked`);
        return { secret: null, revoked: retired };
      }
      if (await keys.anyLiveAdmin()) return { secret: null, revoked: [] };
      const created = generateKey();
      await keys.insert(FIRST_START_KEY_NAME, FIRST_START_KEY_NAME, 'admin', hashKey(created));
      return { secret: created, revoked: [] };
    });
    this.revoked(revoked);
    return secret;
  }

  private nameTaken(name: string): AppError {
    return new AppError('key-name-taken', `A live key is already named "${name}" (names are compared ignoring case and spacing).`);
  }

  /** Revocations committed here: heard at once by this instance (other instances hear the database's notice). */
  private revoked(ids: string[]): void {
    if (ids.length === 0) return;
    this.forgetAll();
    this.bus?.keyRevoked(ids);
  }

  private forgetAll(): void {
    this.generation++;
    this.known.clear();
  }

  /** LISTEN was down for a while: forget every cached key, and end the streams of keys revoked meanwhile. */
  private async recheckStreams(): Promise<void> {
    this.forgetAll();
    const open = this.streams?.keyIds() ?? [];
    try {
      const live = await this.repo.liveIds(open);
      const gone = open.filter((id) => !live.has(id));
      if (gone.length > 0) this.bus?.keyRevoked(gone);
    } catch (err) {
      this.logger.warn(`could not recheck the keys of open streams: ${(err as Error).message}`);
    }
  }
}
