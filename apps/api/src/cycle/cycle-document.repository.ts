import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, QueryFailedError, type EntityManager } from 'typeorm';
import { CycleEntity, ProvinceEntity, ProvinceEventEntity, type CycleStatus, type StoredDeadlineRule } from '@app/database';
import { initialFormationState } from '@app/workflow';
import { AppError } from '../common/app-error.js';

export type NewCycle = Pick<
  CycleEntity,
  'slug' | 'name' | 'nameAr' | 'electionDate' | 'deadline' | 'deadlineBasis' | 'timezone' | 'tierByDays' | 'candidateByDays' | 'requireApproval'
> & { vacancyDeadline: StoredDeadlineRule | null };

export interface NewCouncil {
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
}

/** A stored event as a cycle document writes it. */
export type ExportedEvent = Pick<ProvinceEventEntity, 'provinceId' | 'type' | 'payload' | 'occurredAt' | 'occurredAtPrecision' | 'source' | 'confidence' | 'note' | 'internal'>;

/** The rows of a cycle document: cycles and councils through their entities; the one statement of SQL is the imports' advisory lock. */
@Injectable()
export class CycleDocumentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One snapshot of the database for the length of `work` (which only reads): an export is one instant. */
  snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', work);
  }

  /** One import at a time across every instance: the check for an existing cycle and the insert cannot interleave with another's. */
  async lockImports(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('governor-tracker:cycle-import'))`);
  }

  findBySlug(m: EntityManager, slug: string): Promise<CycleEntity | null> {
    return m.getRepository(CycleEntity).findOneBy({ slug });
  }

  findByName(m: EntityManager, name: string): Promise<CycleEntity | null> {
    return m.getRepository(CycleEntity).findOneBy({ name });
  }

  countCycles(): Promise<number> {
    return this.db.getRepository(CycleEntity).count();
  }

  async hasDefault(m: EntityManager): Promise<boolean> {
    return (await m.getRepository(CycleEntity).countBy({ isDefault: true })) > 0;
  }

  /** A new cycle, active and not the default (the import decides both after its events). */
  async insertCycle(m: EntityManager, c: NewCycle): Promise<string> {
    try {
      const result = await m.getRepository(CycleEntity).insert({ ...c, status: 'active', isDefault: false });
      return (result.identifiers[0] as { id: string }).id;
    } catch (err) {
      // Imports take turns (lockImports); a PATCH renaming another cycle meanwhile is the one way here.
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw new AppError('cycle-exists', `A cycle with the slug "${c.slug}" or the name "${c.name}" exists.`, { cycle: c.slug });
      }
      throw err;
    }
  }

  /** Its status, once its events are in (an archived cycle refuses them). */
  async setStatus(m: EntityManager, id: string, status: CycleStatus): Promise<void> {
    await m.getRepository(CycleEntity).update(id, { status });
  }

  /** Its councils, each at the start of the workflow. */
  async insertCouncils(m: EntityManager, cycleId: string, councils: NewCouncil[]): Promise<void> {
    if (councils.length === 0) return;
    await m.getRepository(ProvinceEntity).insert(
      councils.map((c) => {
        const state = initialFormationState(c.seats);
        return { cycleId, ...c, stage: state.stage, tier: null, state, version: 0 };
      }),
    );
  }

  councilsOf(m: EntityManager, cycleId: string): Promise<ProvinceEntity[]> {
    return m.getRepository(ProvinceEntity).find({ select: { id: true, slug: true, code: true, name: true, nameAr: true, seats: true }, where: { cycleId } });
  }

  /** The live (not retracted) events of some provinces, each province's in timeline order. */
  liveEventsOf(m: EntityManager, provinceIds: string[]): Promise<ExportedEvent[]> {
    if (provinceIds.length === 0) return Promise.resolve([]);
    return m.getRepository(ProvinceEventEntity).find({
      select: { provinceId: true, type: true, payload: true, occurredAt: true, occurredAtPrecision: true, source: true, confidence: true, note: true, internal: true },
      where: { provinceId: In(provinceIds), retractedAt: IsNull() },
      order: { occurredAt: 'ASC', seq: 'ASC' },
    });
  }
}
