import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type FindOptionsSelect, type FindOptionsWhere } from 'typeorm';
import {
  ClaimEntity,
  ClaimStepEntity,
  IdempotencyKeyEntity,
  ProvinceEntity,
  isJsonObject,
  readFirst,
  type RowReader,
  type StoredJson,
} from '@app/database';
import type { CycleRules } from '@app/workflow';
import { CLAIM_STATUSES, type ClaimStatus } from './claim-transitions.js';
import type { ClaimRow, ClaimStepRow } from './claim.view.js';
import type { ProvinceRef } from '../provinces/provinces.repository.js';

/** A province as a claim write needs it: its id, its cycle's rules and slug, and the transaction's clock. */
export interface ClaimProvince {
  id: string;
  slug: string;
  rules: CycleRules;
  /** The cycle's slug (the notices name it). */
  cycle: string;
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

/** The cycle's rules and slug and the transaction's clock, selected beside a province `p` joined to its cycle `cy`. */
const RULES_AND_NOW = `cy.election_date, cy.deadline, cy.timezone, cy.tier_by_days, cy.candidate_by_days, cy.slug AS cycle_slug,
  date_trunc('milliseconds', now()) AS now`;

function rulesAndNow(r: RowReader): { rules: CycleRules; cycle: string; now: Date } {
  return {
    cycle: r.text('cycle_slug'),
    rules: {
      electionDate: r.text('election_date'),
      deadline: r.text('deadline'),
      timezone: r.text('timezone'),
      tierByDays: r.int('tier_by_days'),
      candidateByDays: r.int('candidate_by_days'),
    },
    now: r.instant('now'),
  };
}

/** Every column of a claim (a find that selects its province's slug must name them). */
const CLAIM_COLUMNS: FindOptionsSelect<ClaimEntity> = {
  id: true,
  text: true,
  subject: true,
  event: true,
  source: true,
  reportedAt: true,
  internal: true,
  status: true,
  recordedAt: true,
  actor: true,
  updatedAt: true,
  lastStep: true,
  appliedSeq: true,
};

/** A stored JSON value that must be an object. */
function jsonObject(value: StoredJson, what: string): Record<string, unknown> {
  if (!isJsonObject(value)) throw new Error(`${what} is not a JSON object`);
  return value;
}

/** A stored status, checked against the ledger's (the column's CHECK lists the same). */
function claimStatus(value: string): ClaimStatus {
  const status = CLAIM_STATUSES.find((s) => s === value);
  if (!status) throw new Error(`claim status "${value}" is not one of ${CLAIM_STATUSES.join(', ')}`);
  return status;
}

function toStepRow(s: ClaimStepEntity): ClaimStepRow {
  return {
    step: s.step,
    from: s.fromStatus === null ? null : claimStatus(s.fromStatus),
    to: claimStatus(s.toStatus),
    source: s.source,
    note: s.note,
    occurredAt: s.occurredAt,
    recordedAt: s.recordedAt,
    actor: s.actor,
    eventSeq: s.eventSeq,
  };
}

function toClaimRow(c: ClaimEntity, steps: ClaimStepEntity[]): ClaimRow {
  if (!c.province) throw new Error(`claim ${c.id} was read without its province`);
  return {
    id: c.id,
    province: c.province.slug,
    text: c.text,
    subject: c.subject,
    event: c.event === null ? null : jsonObject(c.event, `claim ${c.id}: event`),
    source: c.source,
    reportedAt: c.reportedAt,
    internal: c.internal,
    status: claimStatus(c.status),
    recordedAt: c.recordedAt,
    actor: c.actor,
    updatedAt: c.updatedAt,
    appliedSeq: c.appliedSeq,
    lastStep: c.lastStep,
    steps: steps.map(toStepRow),
  };
}

/**
 * The claims ledger through its entities (a claim, then its steps: two statements per read). The
 * province look-ups with the cycle's rules and the clock, and the claim's row lock, are one
 * statement each. Steps are append-only (a trigger refuses updates and deletes).
 */
@Injectable()
export class ClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async province(m: EntityManager | null, ref: ProvinceRef): Promise<ClaimProvince | null> {
    const rows: unknown = await (m ?? this.db).query(
      `SELECT p.id, p.slug, ${RULES_AND_NOW} FROM province p JOIN cycle cy ON cy.id = p.cycle_id WHERE p.cycle_id = $1 AND p.slug = $2`,
      [ref.cycleId, ref.slug],
    );
    return readFirst(rows, (r) => ({ id: r.text('id'), slug: r.text('slug'), ...rulesAndNow(r) }));
  }

  /** One claim of a province under a row lock: steps on one claim are serialized here. */
  async lock(m: EntityManager, ref: ProvinceRef, id: string): Promise<(ClaimRow & { rules: CycleRules; cycle: string; now: Date }) | null> {
    const rows: unknown = await m.query(
      `SELECT ${RULES_AND_NOW}
         FROM claim c JOIN province p ON p.id = c.province_id JOIN cycle cy ON cy.id = p.cycle_id
        WHERE p.cycle_id = $1 AND p.slug = $2 AND c.id = $3
          FOR UPDATE OF c`,
      [ref.cycleId, ref.slug, id],
    );
    const locked = readFirst(rows, rulesAndNow);
    const claim = locked && (await this.findOne(m, ref, id));
    return claim && locked && { ...claim, ...locked };
  }

  /** The claim and its first step (the report). */
  async insert(m: EntityManager, c: NewClaim): Promise<string> {
    const { identifiers } = await m.getRepository(ClaimEntity).insert({
      provinceId: c.provinceId,
      text: c.text,
      subject: c.subject,
      event: c.event,
      source: c.source,
      reportedAt: c.reportedAt,
      internal: c.internal,
      status: 'reported',
      recordedAt: c.now,
      actor: c.actor,
      updatedAt: c.now,
    });
    const id = readFirst(identifiers, (r) => r.text('id'));
    if (!id) throw new Error('the claim insert returned no id');
    await m.getRepository(ClaimStepEntity).insert({
      claimId: id,
      step: 1,
      fromStatus: null,
      toStatus: 'reported',
      source: c.source,
      occurredAt: c.reportedAt,
      recordedAt: c.now,
      actor: c.actor,
    });
    return id;
  }

  /** Append a step and move the claim to its status (recording the applied event's seq on a confirmation). */
  async step(m: EntityManager, s: NewClaimStep): Promise<void> {
    await m.getRepository(ClaimStepEntity).insert({
      claimId: s.claimId,
      step: s.step,
      fromStatus: s.from,
      toStatus: s.to,
      source: s.source,
      note: s.note,
      occurredAt: s.occurredAt,
      recordedAt: s.now,
      actor: s.actor,
      eventSeq: s.eventSeq,
    });
    await m
      .getRepository(ClaimEntity)
      .update(s.claimId, { status: s.to, lastStep: s.step, updatedAt: s.now, ...(s.eventSeq === null ? {} : { appliedSeq: s.eventSeq }) });
  }

  async findOne(m: EntityManager | null, ref: ProvinceRef, id: string): Promise<ClaimRow | null> {
    const [claim] = await this.withSteps(m ?? this.db.manager, { id, province: { slug: ref.slug, cycleId: ref.cycleId } });
    return claim ?? null;
  }

  /** Newest reports first: one province's, or one cycle's. */
  async list(filter: { provinceId?: string; cycleId?: string; statuses: ClaimStatus[] | null; includeInternal: boolean }): Promise<ClaimRow[]> {
    return this.withSteps(this.db.manager, {
      ...(filter.provinceId ? { provinceId: filter.provinceId } : {}),
      ...(filter.cycleId ? { province: { cycleId: filter.cycleId } } : {}),
      ...(filter.statuses ? { status: In(filter.statuses) } : {}),
      ...(filter.includeInternal ? {} : { internal: false }),
    });
  }

  /** Store the response of an Idempotency-Key in the write's own transaction. */
  async completeIdempotency(m: EntityManager, idem: IdempotentResponse): Promise<void> {
    await m.getRepository(IdempotencyKeyEntity).update(idem.id, { state: 'done', responseStatus: idem.status, responseBody: idem.body ?? null });
  }

  /** Claims (newest reports first) with their province's slug, then their steps in one more statement. */
  private async withSteps(m: EntityManager, where: FindOptionsWhere<ClaimEntity>): Promise<ClaimRow[]> {
    const claims = await m.getRepository(ClaimEntity).find({
      relations: { province: true },
      select: { ...CLAIM_COLUMNS, province: { id: true, slug: true } },
      where,
      order: { reportedAt: 'DESC', recordedAt: 'DESC', id: 'ASC' },
    });
    if (claims.length === 0) return [];
    const steps = await m.getRepository(ClaimStepEntity).find({ where: { claimId: In(claims.map((c) => c.id)) }, order: { claimId: 'ASC', step: 'ASC' } });
    const stepsOf = new Map<string, ClaimStepEntity[]>();
    for (const step of steps) stepsOf.set(step.claimId, [...(stepsOf.get(step.claimId) ?? []), step]);
    return claims.map((c) => toClaimRow(c, stepsOf.get(c.id) ?? []));
  }
}
