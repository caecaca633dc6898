import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ApiKeyEntity, type Role } from '@app/database';

/** API keys, through their entity; the one statement of SQL is the bootstrap's advisory lock. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  /** The live (unrevoked) key with this hash. */
  findLive(keyHash: string): Promise<Pick<ApiKeyEntity, 'id' | 'name' | 'role'> | null> {
    return this.keys.findOne({ select: { id: true, name: true, role: true }, where: { keyHash, revokedAt: IsNull() } });
  }

  async insert(name: string, role: Role, keyHash: string): Promise<ApiKeyEntity> {
    const key = this.keys.create({ name, role, keyHash });
    await this.keys.insert(key); // fills in id and createdAt from the statement's RETURNING
    return key;
  }

  /** A key with this hash, unless one exists (revoked or not). */
  async insertUnlessExists(name: string, role: Role, keyHash: string): Promise<void> {
    await this.keys.createQueryBuilder().insert().values({ name, role, keyHash }).orIgnore().execute();
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

  /** Run `work` on this repository in a transaction that no other instance's `exclusively` runs beside (an advisory lock). */
  exclusively<T>(work: (repo: ApiKeysRepository) => Promise<T>): Promise<T> {
    return this.keys.manager.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('governor-tracker:bootstrap-admin'))`);
      return work(new ApiKeysRepository(m.getRepository(ApiKeyEntity)));
    });
  }
}
