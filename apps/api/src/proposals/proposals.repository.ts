import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProposalStatus } from '@app/database';
import type { ProposalRow } from './proposal.view.js';

const PROPOSAL_COLUMNS = `pr.id, p.slug, pr.province_id, pr.type, pr.body, pr.base_version, pr.proposed_by_key_id, pr.proposed_by,
  pr.status, pr.created_at, pr.decided_at, pr.decided_by, pr.reason, pr.event_seq`;

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

/** The SQL of the two-person rule. */
@Injectable()
export class ProposalsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Lock the province (as the write path does, so the version read cannot move before the proposal is
   * stored) and read whether its cycle requires approval.
   */
  async lockProvince(m: EntityManager, slug: string): Promise<{ id: string; version: number; requireApproval: boolean } | null> {
    const rows = await m.query(
      `SELECT p.id, p.version, c.require_approval AS "requireApproval"
         FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE p.slug = $1
          FOR UPDATE OF p`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** The type of a province's event (retracted or not), or null when it has no such seq. */
  async eventType(m: EntityManager, provinceId: string, seq: number): Promise<string | null> {
    const rows = await m.query(`SELECT type FROM province_event WHERE province_id = $1 AND seq = $2`, [provinceId, seq]);
    return rows[0]?.type ?? null;
  }

  /** The province's version now, under its row lock (the approval's staleness check). */
  async lockedVersion(m: EntityManager, provinceId: string): Promise<number> {
    const [row] = await m.query(`SELECT version FROM province WHERE id = $1 FOR UPDATE`, [provinceId]);
    return row.version;
  }

  async insert(m: EntityManager, p: NewProposal, idem: { id: string; status: number; body: (row: ProposalRow) => unknown } | null): Promise<ProposalRow> {
    const [row]: ProposalRow[] = await m.query(
      `WITH pr AS (
         INSERT INTO proposal (province_id, type, body, base_version, proposed_by_key_id, proposed_by, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', date_trunc('milliseconds', now()))
         RETURNING *
       )
       SELECT ${PROPOSAL_COLUMNS} FROM pr JOIN province p ON p.id = pr.province_id`,
      [p.provinceId, p.type, JSON.stringify(p.body), p.baseVersion, p.proposedByKeyId, p.proposedBy],
    );
    // The 202 of an Idempotency-Key request is stored in the proposal's own transaction, as the write path stores its 201.
    if (idem) {
      await m.query(`UPDATE idempotency_key SET state = 'done', response_status = $2, response_body = $3 WHERE id = $1`, [
        idem.id,
        idem.status,
        JSON.stringify(idem.body(row)),
      ]);
    }
    return row;
  }

  /** One proposal, locked for a decision: a second approver waits here, then finds it decided. */
  async lockById(m: EntityManager, id: string): Promise<ProposalRow | null> {
    const rows = await m.query(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposal pr JOIN province p ON p.id = pr.province_id WHERE pr.id = $1 FOR UPDATE OF pr`,
      [id],
    );
    return rows[0] ?? null;
  }

  async decide(m: EntityManager, id: string, d: Decision): Promise<ProposalRow> {
    const [row]: ProposalRow[] = await m.query(
      `WITH pr AS (
         UPDATE proposal SET status = $2, decided_at = date_trunc('milliseconds', now()), decided_by_key_id = $3, decided_by = $4,
                reason = $5, event_seq = $6
          WHERE id = $1 AND status = 'pending'
         RETURNING *
       )
       SELECT ${PROPOSAL_COLUMNS} FROM pr JOIN province p ON p.id = pr.province_id`,
      [id, d.status, d.byKeyId, d.by, d.reason, d.eventSeq],
    );
    return row;
  }

  async findById(id: string): Promise<ProposalRow | null> {
    const rows = await this.db.query(`SELECT ${PROPOSAL_COLUMNS} FROM proposal pr JOIN province p ON p.id = pr.province_id WHERE pr.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Newest first; `null` status means every status. */
  async list(status: ProposalStatus | null): Promise<ProposalRow[]> {
    return this.db.query(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposal pr JOIN province p ON p.id = pr.province_id
        WHERE $1::text IS NULL OR pr.status = $1
        ORDER BY pr.created_at DESC, pr.id
        LIMIT 1000`,
      [status],
    );
  }
}
