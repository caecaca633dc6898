import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, type EntityManager, type Repository } from 'typeorm';
import { ApiKeyEntity, type Role } from '@app/database';
import { foldName } from './key-names.js';

export type LiveKey = Pick<ApiKeyEntity, 'id' | 'name' | 'person' | 'role'>;

/** API keys, through their entity; the one statement of SQL is the bootstrap's advisory lock. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  /** The live (unrevoked) key with this hash. */
  findLive(keyHash: string): Promise<LiveKey | null> {
    return this.keys.findOne({ select: { id: true, name: true, person: true, role: true }, where: { keyHash, revokedAt: IsNull() } });
  }

  /** The key with this hash, live or revoked. */
  findByHash(keyHash: string): Promise<Pick<ApiKeyEntity, 'id' | 'revokedAt'> | null> {
    return this.keys.findOne({ select: { id: true, revokedAt: true }, where: { keyHash } });
  }

  /** Who holds a key (keys are never deleted, and their holder never changes); in `m`'s transaction when given. */
  async personOf(id: string, m?: EntityManager): Promise<string | null> {
    const keys = m ? m.getRepository(ApiKeyEntity) : this.keys;
    return (await keys.findOne({ select: { person: true }, where: { id } }))?.person ?? null;
  }

  /** Whether a live key already has this name (as compared: folded). */
  nameTaken(name: string): Promise<boolean> {
    return this.keys.existsBy({ nameFold: foldName(name), revokedAt: IsNull() });
  }

  /** A new key; the unique index on live names refuses a name taken meanwhile (23505). */
  async insert(name: string, person: string, role: Role, keyHash: string): Promise<ApiKeyEntity> {
    const key = this.keys.create({ name, person, nameFold: foldName(name), role, keyHash });
    await this.keys.insert(key); // fills in id and createdAt from the statement's RETURNING
    return key;
  }

  anyLiveAdmin(): Promise<boolean> {
    return this.keys.existsBy({ role: 'admin', revokedAt: IsNull() });
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revoke once (revoking again keeps the first instant); null when there is no such key. */
  async revoke(id: string): Promise<ApiKeyEntity | null> {
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return this.keys.findOneBy({ id });
  }

  /** Revoke every live key of this name but the one with `keepHash`; the ids revoked. */
  async revokeNamedExcept(name: string, keepHash: string): Promise<string[]> {
    const stale = await this.keys.find({ select: { id: true }, where: { name, revokedAt: IsNull(), keyHash: Not(keepHash) } });
    if (stale.length === 0) return [];
    await this.keys.update({ id: In(stale.map((k) => k.id)), revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return stale.map((k) => k.id);
  }

  /** Of these key ids, the ones still live. */
  async liveIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const live = await this.keys.find({ select: { id: true }, where: { id: In(ids), revokedAt: IsNull() } });
    return new Set(live.map((k) => k.id));
  }

  /** Run `work` on this repository in a transaction that no other instance's `exclusively` runs beside (an advisory lock). */
  exclusively<T>(work: (repo: ApiKeysRepository) => Promise<T>): Promise<T> {
    return this.keys.manager.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('governor-tracker:bootstrap-admin'))`);
      return work(new ApiKeysRepository(m.getRepository(ApiKeyEntity)));
    });
  }
}
