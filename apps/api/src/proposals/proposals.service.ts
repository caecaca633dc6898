import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventType } from '@app/workflow';
import type { ProposalStatus } from '@app/database';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { parseEventBody, type EventInput } from '../provinces/dto/event-body.dto.js';
import type { EventView, ProvinceView } from '../provinces/province.view.js';
import { ProvincesService, type AppendResult, type RetractResult, type WriteOptions } from '../provinces/provinces.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { toProposalView, type ProposalRow, type ProposalView } from './proposal.view.js';
import { ProposalsRepository } from './proposals.repository.js';

/** The events a story would lead with: under the two-person rule, a second editor applies them. */
export const APPROVAL_EVENT_TYPES: readonly EventType[] = ['APPOINT', 'REVOKE', 'SET_DEADLINE'];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Submission = { kind: 'applied'; result: AppendResult } | { kind: 'proposed'; proposal: ProposalView };
export type RetractionSubmission = { kind: 'applied'; result: RetractResult } | { kind: 'proposed'; proposal: ProposalView };

/** A RETRACT proposal's body: the retraction request of a gated event. */
interface RetractRequest {
  type: 'RETRACT';
  seq: number;
  reason: string;
}

export interface Approval {
  event: EventView;
  province: ProvinceView;
  proposal: ProposalView;
}

/** The request body of a proposal's event, as it will be validated again and applied. */
function eventRequest(input: EventInput, occurredAt: string): Record<string, unknown> {
  return {
    ...input.payload,
    occurredAt,
    source: input.source.url ? input.source : { name: input.source.name },
    confidence: input.confidence,
    ...(input.note !== null ? { note: input.note } : {}),
  };
}

/**
 * The two-person rule (issue 7, part 2). With the cycle's `requireApproval` on, an APPOINT, REVOKE or
 * SET_DEADLINE is checked as the write path would check it, then stored as a pending proposal; a
 * second editor applies it through the same write path, in the transaction that marks it applied,
 * only while the province is still at the version the proposal was made against. The retraction of
 * such an event (same public effect) goes the same way, as a RETRACT proposal.
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly repo: ProposalsRepository,
    private readonly provinces: ProvincesService,
    private readonly publisher: ChangePublisher,
  ) {}

  /** POST /provinces/:slug/events for a gated type: applied at once when the rule is off, else proposed. */
  async submit(slug: string, input: EventInput, actor: Principal, opts: WriteOptions): Promise<Submission> {
    return this.publisher.transaction(async (m, emit): Promise<Submission> => {
      const province = await this.repo.lockProvince(m, slug);
      if (!province?.requireApproval) {
        // Rule off (or no such province: the write path answers its 404).
        return { kind: 'applied', result: await this.provinces.appendIn(m, emit, slug, input, actor, opts) };
      }
      // Refuse at once what the machine would refuse now: run the write itself and roll it back. Its
      // notices are dropped, and the Idempotency-Key is completed below, with the 202.
      await m.query('SAVEPOINT proposal_check');
      const preview = await this.provinces.appendIn(m, () => undefined, slug, input, actor, { expectedVersion: opts.expectedVersion });
      await m.query('ROLLBACK TO SAVEPOINT proposal_check');
      const row = await this.repo.insert(
        m,
        {
          provinceId: province.id,
          type: input.payload.type,
          body: eventRequest(input, preview.event.occurredAt),
          baseVersion: province.version,
          proposedByKeyId: actor.keyId,
          proposedBy: actor.name,
        },
        opts.idempotencyId ? { id: opts.idempotencyId, status: 202, body: (r) => ({ proposal: toProposalView(r) }) } : null,
      );
      return { kind: 'proposed', proposal: toProposalView(row) };
    });
  }

  /**
   * POST /provinces/:slug/events/:seq/retract. Retracting an APPOINT, REVOKE or SET_DEADLINE has the
   * public effect of the gated event itself, so under the rule it is proposed too (checked at once as
   * `submit` checks an event); any other retraction, or any with the rule off, is applied at once.
   */
  async submitRetraction(slug: string, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<RetractionSubmission> {
    return this.publisher.transaction(async (m, emit): Promise<RetractionSubmission> => {
      const province = await this.repo.lockProvince(m, slug);
      const type = province?.requireApproval ? await this.repo.eventType(m, province.id, seq) : null;
      if (!province || !type || !APPROVAL_EVENT_TYPES.includes(type as EventType)) {
        // Rule off, a type that is not gated, or no such province or event (the retraction answers its 404).
        return { kind: 'applied', result: await this.provinces.retractIn(m, emit, slug, seq, reason, actor, opts) };
      }
      await m.query('SAVEPOINT proposal_check');
      await this.provinces.retractIn(m, () => undefined, slug, seq, reason, actor, { expectedVersion: opts.expectedVersion });
      await m.query('ROLLBACK TO SAVEPOINT proposal_check');
      const body: RetractRequest = { type: 'RETRACT', seq, reason };
      const row = await this.repo.insert(
        m,
        { provinceId: province.id, type: 'RETRACT', body: { ...body }, baseVersion: province.version, proposedByKeyId: actor.keyId, proposedBy: actor.name },
        opts.idempotencyId ? { id: opts.idempotencyId, status: 202, body: (r) => ({ proposal: toProposalView(r) }) } : null,
      );
      return { kind: 'proposed', proposal: toProposalView(row) };
    });
  }

  async list(status: ProposalStatus | 'all' | undefined): Promise<ProposalView[]> {
    const rows = await this.repo.list(status === 'all' ? null : (status ?? 'pending'));
    return rows.map(toProposalView);
  }

  async get(id: string): Promise<ProposalView> {
    const row = UUID_RE.test(id) ? await this.repo.findById(id) : null;
    if (!row) throw AppError.notFound(`No proposal "${id.slice(0, 40)}".`);
    return toProposalView(row);
  }

  /**
   * A second editor applies the proposal. A proposal whose province has changed since is marked
   * stale (and that decision is kept) before the 409 is answered.
   */
  async approve(id: string, approver: Principal): Promise<Approval> {
    const outcome = await this.publisher.transaction(async (m, emit) => {
      const row = await this.lockPending(m, id);
      if (row.proposed_by_key_id === approver.keyId || row.proposed_by === approver.name) {
        throw new AppError('self-approval', `Proposal ${row.id} was made by "${row.proposed_by}"; a second editor must approve it.`, {
          proposedBy: row.proposed_by,
        });
      }
      const version = await this.repo.lockedVersion(m, row.province_id);
      if (version !== row.base_version) {
        await this.repo.decide(m, row.id, { status: 'stale', byKeyId: approver.keyId, by: approver.name, reason: null, eventSeq: null });
        return { stale: true as const, row, version };
      }
      const proposer: Principal = { keyId: row.proposed_by_key_id, name: row.proposed_by, role: 'editor' };
      // A retraction is recorded as the proposer's (retractedBy); the approver shows as the proposal's decidedBy.
      const result =
        row.type === 'RETRACT'
          ? await this.retractionOf(m, emit, row, proposer)
          : await this.provinces.appendIn(m, emit, row.slug, parseEventBody(row.body), proposer, {
              expectedVersion: row.base_version,
              approvedBy: approver.name,
            });
      const decided = await this.repo.decide(m, row.id, {
        status: 'applied',
        byKeyId: approver.keyId,
        by: approver.name,
        reason: null,
        eventSeq: result.event.seq,
      });
      return { stale: false as const, ...result, proposal: toProposalView(decided) };
    });
    if (outcome.stale) {
      throw new AppError(
        'proposal-stale',
        `${outcome.row.slug} is at version ${outcome.version}; the proposal was made at version ${outcome.row.base_version}. It is now stale: propose again.`,
        { baseVersion: outcome.row.base_version, currentVersion: outcome.version },
      );
    }
    const { stale: _stale, ...approval } = outcome;
    return approval;
  }

  /** Any editor may reject, the proposer included: the proposer's own rejection is recorded as `withdrawn`. */
  async reject(id: string, reason: string, by: Principal): Promise<ProposalView> {
    return this.publisher.transaction(async (m) => {
      const row = await this.lockPending(m, id);
      const own = row.proposed_by_key_id === by.keyId;
      const decided = await this.repo.decide(m, row.id, { status: own ? 'withdrawn' : 'rejected', byKeyId: by.keyId, by: by.name, reason, eventSeq: null });
      return toProposalView(decided);
    });
  }

  private retractionOf(m: EntityManager, emit: Emit, row: ProposalRow, proposer: Principal): Promise<RetractResult> {
    const { seq, reason } = row.body as unknown as RetractRequest;
    return this.provinces.retractIn(m, emit, row.slug, seq, reason, proposer, { expectedVersion: row.base_version });
  }

  private async lockPending(m: Parameters<ProposalsRepository['lockById']>[0], id: string): Promise<ProposalRow> {
    const row = UUID_RE.test(id) ? await this.repo.lockById(m, id) : null;
    if (!row) throw AppError.notFound(`No proposal "${id.slice(0, 40)}".`);
    if (row.status !== 'pending') {
      throw new AppError('proposal-not-pending', `The proposal is already ${row.status}.`, { proposalStatus: row.status });
    }
    return row;
  }
}
