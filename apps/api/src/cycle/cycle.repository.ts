import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { CycleEntity, isFormationState, readRows } from '@app/database';
import type { ProvinceForAlerts } from '../alerts/alerts.repository.js';

export type CycleChange = Pick<
  CycleEntity,
  'name' | 'nameAr' | 'status' | 'deadline' | 'deadlineBasis' | 'vacancyDeadline' | 'tierByDays' | 'candidateByDays' | 'requireApproval'
>;

/** Cycles through their entity; SQL for the transaction's clock and the provinces locked in byte order. */
@Injectable()
export class CycleRepository {
  constructor(@InjectRepository(CycleEntity) private readonly cycles: Repository<CycleEntity>) {}

  /** Every cycle: the default first, then the latest election first. */
  all(): Promise<CycleEntity[]> {
    return this.cycles.find({ order: { isDefault: 'DESC', electionDate: 'DESC', slug: 'ASC' } });
  }

  byId(id: string): Promise<CycleEntity> {
    return this.cycles.findOneByOrFail({ id });
  }

  /** A cycle, locked for the caller's transaction. */
  lock(m: EntityManager, id: string): Promise<CycleEntity> {
    return m.getRepository(CycleEntity).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Make a cycle the default (the one the routes without a cycle answer for); the unique index allows one. */
  async makeDefault(m: EntityManager, id: string): Promise<void> {
    const cycles = m.getRepository(CycleEntity);
    await cycles.update({ isDefault: true }, { isDefault: false });
    await cycles.update(id, { isDefault: true });
  }

  /** Change a cycle (its version moves by one, updatedAt to the transaction's clock) and read it back. */
  async update(m: EntityManager, id: string, change: CycleChange): Promise<CycleEntity> {
    const cycles = m.getRepository(CycleEntity);
    await cycles.update(id, { ...change, version: () => 'version + 1' });
    return cycles.findOneByOrFail({ id });
  }

  /** The transaction's clock, to the millisecond (what it stores and decides by). */
  async now(m: EntityManager): Promise<Date> {
    return readRows(await m.query(`SELECT date_trunc('milliseconds', now()) AS now`), (r) => r.instant('now'))[0];
  }

  /**
   * The cycle's provinces, locked in slug order by bytes (JavaScript's order), as a batch of event
   * writes locks its provinces: neither can hold one province while waiting for another the other holds.
   */
  async lockProvinces(m: EntityManager, cycleId: string): Promise<Omit<ProvinceForAlerts, 'rules' | 'cycle'>[]> {
    const rows: unknown = await m.query(`SELECT id, slug, name, state FROM province WHERE cycle_id = $1 ORDER BY slug COLLATE "C" FOR UPDATE`, [cycleId]);
    return readRows(rows, (r) => ({ id: r.text('id'), slug: r.text('slug'), name: r.text('name'), state: r.checked('state', isFormationState, 'a formation state') }));
  }
}
