import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CycleRules } from '@app/workflow';
import type { ClaimStatus } from './claim-transitions.js';
import type { ClaimRow } from './claim.view.js';

/** A province as a claim write needs it: its id, its cycle's rules and the transaction's clock. */
export interface ClaimProvince {
  id: string;
  slug: string;
  rules: CycleRules;
  now: Date;
}

export interface NewClaim {
  provinceId: string;
  text: string;
  subject: string | null;
  event: Record<string, unknown> | null;
  source: { name: string; url: string | null };
  reportedAt: Date;
  internal: boolean;
  actor: string;
  now: Date;
}

export interface NewClaimStep {
  claimId: string;
  step: number;
  from: ClaimStatus;
  to: ClaimStatus;
  source: { name: string; url: string | null };
  note: string | null;
  occurredAt: Date;
  actor: string;
  eventSeq: number | null;
  now: Date;
}

export interface IdempotentResponse {
  id: string;
  status: number;
  body: unknown;
}

const RULES = `json_build_object('electionDate', cy.election_date, 'deadline', cy.deadline, 'timezone', cy.timezone,
  'tierByDays', cy.tier_by_days, 'candidateByDays', cy.candidate_by_days)`;

const CLAIM_COLUMNS = `
  c.id, p.slug AS province, c.text, c.subject, c.event, c.source, c.reported_at AS "reportedAt", c.internal, c.status,
  c.recorded_at AS "recordedAt", c.actor, c.updated_at AS "updatedAt", c.applied_seq AS "appliedSeq", c.last_step AS "lastStep",
  (SELECT coalesce(json_agg(json_build_object('step', s.step, 'from', s.from_status, 'to', s.to_status, 'source', s.source,
            'note', s.note, 'occurredAt', s.occurred_at, 'recordedAt', s.recorded_at, 'actor', s.actor, 'eventSeq', s.event_seq)
          ORDER BY s.step), '[]'::json)
     FROM claim_step s WHERE s.claim_id = c.id) AS steps`;

/** The SQL of the claims ledger. Steps are append-only (a trigger refuses updates and deletes). */
@Injectable()
export class ClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async province(m: EntityManager | null, slug: string): Promise<ClaimProvince | null> {
    const rows = await (m ?? this.db).query(
      `SELECT p.id, p.slug, ${RULES} AS rules, date_trunc('milliseconds', now()) AS now
         FROM province p JOIN cycle cy ON cy.id = p.cycle_id WHERE p.slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** Whether the province's cycle has the two-person rule on. */
  async requiresApproval(m: EntityManager, slug: string): Promise<boolean> {
    const rows: { on: boolean }[] = await m.query(
      `SELECT cy.require_approval AS on FROM province p JOIN cycle cy ON cy.id = p.cycle_id WHERE p.slug = $1`,
      [slug],
    );
    return rows[0]?.on ?? false;
  }

  /** One claim of a province under a row lock: steps on one claim are serialized here. */
  async lock(m: EntityManager, slug: string, id: string): Promise<(ClaimRow & { rules: CycleRules; now: Date }) | null> {
    const rows = await m.query(
      `SELECT ${CLAIM_COLUMNS}, ${RULES} AS rules, date_trunc('milliseconds', now()) AS now
         FROM claim c JOIN province p ON p.id = c.province_id JOIN cycle cy ON cy.id = p.cycle_id
        WHERE p.slug = $1 AND c.id = $2
          FOR UPDATE OF c`,
      [slug, id],
    );
    return rows[0] ?? null;
  }

  /** The claim and its first step (the report), in one statement. */
  async insert(m: EntityManager, c: NewClaim): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `WITH c AS (
         INSERT INTO claim (province_id, text, subject, event, source, reported_at, internal, status, recorded_at, actor, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'reported', $8, $9, $8)
         RETURNING id
       ), s AS (
         INSERT INTO claim_step (claim_id, step, from_status, to_status, source, occurred_at, recorded_at, actor)
         SELECT id, 1, NULL, 'reported', $5, $6, $8, $9 FROM c
       )
       SELECT id FROM c`,
      [c.provinceId, c.text, c.subject, c.event ? JSON.stringify(c.event) : null, JSON.stringify(c.source), c.reportedAt, c.internal, c.now, c.actor],
    );
    return rows[0].id;
  }

  /** Append a step and move the claim to its status (recording the applied event's seq on a confirmation). */
  async step(m: EntityManager, s: NewClaimStep): Promise<void> {
    await m.query(
      `WITH st AS (
         INSERT INTO claim_step (claim_id, step, from_status, to_status, source, note, occurred_at, recorded_at, actor, event_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       )
       UPDATE claim SET status = $4, last_step = $2, updated_at = $8, applied_seq = coalesce($10, applied_seq) WHERE id = $1`,
      [s.claimId, s.step, s.from, s.to, JSON.stringify(s.source), s.note, s.occurredAt, s.now, s.actor, s.eventSeq],
    );
  }

  async findOne(m: EntityManager | null, slug: string, id: string): Promise<ClaimRow | null> {
    const rows = await (m ?? this.db).query(
      `SELECT ${CLAIM_COLUMNS} FROM claim c JOIN province p ON p.id = c.province_id WHERE p.slug = $1 AND c.id = $2`,
      [slug, id],
    );
    return rows[0] ?? null;
  }

  /** Newest reports first. */
  async list(filter: { provinceId?: string; statuses: ClaimStatus[] | null; includeInternal: boolean }): Promise<ClaimRow[]> {
    return this.db.query(
      `SELECT ${CLAIM_COLUMNS} FROM claim c JOIN province p ON p.id = c.province_id
        WHERE ($1::uuid IS NULL OR c.province_id = $1)
          AND ($2::text[] IS NULL OR c.status = ANY ($2))
          AND ($3::boolean OR NOT c.internal)
        ORDER BY c.reported_at DESC, c.recorded_at DESC, c.id`,
      [filter.provinceId ?? null, filter.statuses, filter.includeInternal],
    );
  }

  /** Store the response of an Idempotency-Key in the write's own transaction. */
  async completeIdempotency(m: EntityManager, idem: IdempotentResponse): Promise<void> {
    await m.query(`UPDATE idempotency_key SET state = 'done', response_status = $2, response_body = $3 WHERE id = $1`, [
      idem.id,
      idem.status,
      JSON.stringify(idem.body),
    ]);
  }
}
