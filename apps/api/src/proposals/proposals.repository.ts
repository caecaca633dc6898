import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsSelect, type FindOptionsWhere } from 'typeorm';
import {
  IdempotencyKeyEntity,
  ProposalEntity,
  ProvinceEntity,
  ProvinceEventEntity,
  isJsonObject,
  readFirst,
  type ProposalStatus,
} from '@app/database';
import type { ProposalRow } from './proposal.view.js';

export interface NewProposal {
  provinceId: string;
  type: string;
  body: Record<string, unknown>;
  baseVersion: number;
  proposedByKeyId: string;
  proposedBy: string;
}

export interface Decision {
  status: Exclude<ProposalStatus, 'pending'>;
  byKeyId: string;
  by: string;
  reason: string | null;
  eventSeq: number | null;
}

/** Proposals are dated by the transaction's clock, to the millisecond. */
const NOW_MS = () => `date_trunc('milliseconds', now())`;

/** Every column of a proposal and its province's slug. */
const SELECT: FindOptionsSelect<ProposalEntity> = {
  id: true,
  provinceId: true,
  type: true,
  body: true,
  baseVersion: true,
  proposedByKeyId: true,
  proposedBy: true,
  status: true,
  createdAt: true,
  decidedAt: true,
  decidedByKeyId: true,
  decidedBy: true,
  reason: true,
  eventSeq: true,
  province: { id: true, slug: true, cycleId: true, cycle: { id: true, slug: true } },
};

function toRow(p: ProposalEntity): ProposalRow {
  if (!p.province) throw new Error(`proposal ${p.id} was read without its province`);
  if (!isJsonObject(p.body)) throw new Error(`proposal ${p.id}: its body is not a JSON object`);
  return {
    id: p.id,
    slug: p.province.slug,
    cycle_id: p.province.cycleId,
    cycle_slug: p.province.cycle?.slug ?? '',
    province_id: p.provinceId,
    type: p.type,
    body: p.body,
    base_version: p.baseVersion,
    proposed_by_key_id: p.proposedByKeyId,
    proposed_by: p.proposedBy,
    status: p.status,
    created_at: p.createdAt,
    decided_at: p.decidedAt,
    decided_by: p.decidedBy,
    reason: p.reason,
    event_seq: p.eventSeq,
  };
}

/** The two-person rule's data through its entities; the province's lock (with its cycle's rule) is one statement. */
@Injectable()
export class ProposalsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Lock the province (as the write path does, so the version read cannot move before the proposal is
   * stored) and read whether its cycle requires approval.
   */
  async lockProvince(m: EntityManager, ref: { cycleId: string; slug: string }): Promise<{ id: string; version: number; requireApproval: boolean } | null> {
    const rows: unknown = await m.query(
      `SELECT p.id, p.version, c.require_approval
         FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE p.cycle_id = $1 AND p.slug = $2
          FOR UPDATE OF p`,
      [ref.cycleId, ref.slug],
    );
    return readFirst(rows, (r) => ({ id: r.text('id'), version: r.int('version'), requireApproval: r.bool('require_approval') }));
  }

  /** The type of a province's event (retracted or not), or null when it has no such seq. */
  async eventType(m: EntityManager, provinceId: string, seq: number): Promise<string | null> {
    const event = await m.getRepository(ProvinceEventEntity).findOne({ select: { id: true, type: true }, where: { provinceId, seq } });
    return event?.type ?? null;
  }

  /** The province's version now, under its row lock (the approval's staleness check). */
  async lockedVersion(m: EntityManager, provinceId: string): Promise<number> {
    const province = await m
      .getRepository(ProvinceEntity)
      .findOneOrFail({ select: { id: true, version: true }, where: { id: provinceId }, lock: { mode: 'pessimistic_write' } });
    return province.version;
  }

  async insert(m: EntityManager, p: NewProposal, idem: { id: string; status: number; body: (row: ProposalRow) => unknown } | null): Promise<ProposalRow> {
    const { identifiers } = await m.getRepository(ProposalEntity).insert({ ...p, status: 'pending', createdAt: NOW_MS });
    const id = readFirst(identifiers, (r) => r.text('id'));
    if (!id) throw new Error('the proposal insert returned no id');
    const row = toRow(await this.findOneOrFail(m, { id }));
    // The 202 of an Idempotency-Key request is stored in the proposal's own transaction, as the write path stores its 201.
    if (idem) {
      await m.getRepository(IdempotencyKeyEntity).update(idem.id, { state: 'done', responseStatus: idem.status, responseBody: idem.body(row) ?? null });
    }
    return row;
  }

  /** One proposal, locked for a decision: a second approver waits here, then finds it decided. */
  async lockById(m: EntityManager, id: string): Promise<ProposalRow | null> {
    const locked = await m.getRepository(ProposalEntity).findOne({ select: { id: true }, where: { id }, lock: { mode: 'pessimistic_write' } });
    return locked && toRow(await this.findOneOrFail(m, { id }));
  }

  /** Decide a pending proposal (the caller holds its lock: lockById). */
  async decide(m: EntityManager, id: string, d: Decision): Promise<ProposalRow> {
    const { affected } = await m.getRepository(ProposalEntity).update(
      { id, status: 'pending' },
      { status: d.status, decidedAt: NOW_MS, decidedByKeyId: d.byKeyId, decidedBy: d.by, reason: d.reason, eventSeq: d.eventSeq },
    );
    if (affected !== 1) throw new Error(`proposal ${id} was not pending`);
    return toRow(await this.findOneOrFail(m, { id }));
  }

  async findById(id: string): Promise<ProposalRow | null> {
    const proposal = await this.db.getRepository(ProposalEntity).findOne({ select: SELECT, relations: { province: { cycle: true } }, where: { id } });
    return proposal && toRow(proposal);
  }

  /** One cycle's proposals, newest first; `null` status means every status. */
  async list(cycleId: string, status: ProposalStatus | null): Promise<ProposalRow[]> {
    const proposals = await this.db.getRepository(ProposalEntity).find({
      select: SELECT,
      relations: { province: { cycle: true } },
      where: { province: { cycleId }, ...(status === null ? {} : { status }) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: 1000,
    });
    return proposals.map(toRow);
  }

  private findOneOrFail(m: EntityManager, where: FindOptionsWhere<ProposalEntity>): Promise<ProposalEntity> {
    return m.getRepository(ProposalEntity).findOneOrFail({ select: SELECT, relations: { province: { cycle: true } }, where });
  }
}
