import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventType } from '@app/workflow';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { proposalNotice, toProposalView, type ProposalView } from '../proposals/proposal.view.js';
import { ProposalsRepository } from '../proposals/proposals.repository.js';
import type { EventInput } from '../provinces/dto/event-body.dto.js';
import { ProvincesService, type AppendResult, type ProvinceRef, type RetractResult, type WriteOptions } from '../provinces/provinces.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';

/** The events a story would lead with: under the two-person rule, a second editor applies them. */
export const APPROVAL_EVENT_TYPES: readonly EventType[] = ['APPOINT', 'REVOKE', 'SET_DEADLINE'];

export type Submission = { kind: 'applied'; result: AppendResult } | { kind: 'proposed'; proposal: ProposalView };
export type RetractionSubmission = { kind: 'applied'; result: RetractResult } | { kind: 'proposed'; proposal: ProposalView };

function gated(type: string): boolean {
  return (APPROVAL_EVENT_TYPES as readonly string[]).includes(type);
}

/** The request body of a proposal's event, as it will be validated again and applied. */
function eventRequest(input: EventInput, occurredAt: string): Record<string, unknown> {
  return {
    ...input.payload,
    occurredAt,
    ...(input.occurredAtPrecision === 'day' ? { occurredAtPrecision: 'day' } : {}),
    source: input.source.url ? input.source : { name: input.source.name },
    confidence: input.confidence,
    ...(input.note !== null ? { note: input.note } : {}),
  };
}

/**
 * What an editor submits — an event or a retraction — applied at once, or, under the two-person rule
 * (the cycle's `requireApproval`), checked as the write path would check it and stored as a proposal
 * for a second editor (ProposalsService.approve applies it). The one place that decides whether a
 * change needs a second editor: the write routes and claims confirmed with `apply` ask it.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly provinces: ProvincesService,
    private readonly proposals: ProposalsRepository,
    private readonly publisher: ChangePublisher,
  ) {}

  /** POST /provinces/:slug/events: an ungated type goes straight to the write path; a gated one is applied or proposed. */
  async submitEvent(ref: ProvinceRef, input: EventInput, actor: Principal, opts: WriteOptions): Promise<Submission> {
    if (!gated(input.payload.type)) return { kind: 'applied', result: await this.provinces.append(ref, input, actor, opts) };
    return this.publisher.transaction(async (m, emit): Promise<Submission> => {
      const province = await this.proposals.lockProvince(m, ref);
      if (!province?.requireApproval) {
        // Rule off (or no such province: the write path answers its 404).
        return { kind: 'applied', result: await this.provinces.appendIn(m, emit, ref, input, actor, opts) };
      }
      // Refuse at once what the machine would refuse now: the write itself, rolled back. Its notices are
      // dropped, and the Idempotency-Key is completed with the 202.
      const preview = await this.dryRun(m, (inner) => this.provinces.appendIn(inner, () => undefined, ref, input, actor, { expectedVersion: opts.expectedVersion }));
      const body = eventRequest(input, preview.event.occurredAt);
      return { kind: 'proposed', proposal: await this.propose(m, emit, province, input.payload.type, body, actor, opts) };
    });
  }

  /**
   * POST /provinces/:slug/events/:seq/retract. Retracting a gated event has the public effect of the
   * event itself, so under the rule it is proposed too (checked at once as an event is); any other
   * retraction, or any with the rule off, is applied at once.
   */
  async submitRetraction(ref: ProvinceRef, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<RetractionSubmission> {
    return this.publisher.transaction(async (m, emit): Promise<RetractionSubmission> => {
      const province = await this.proposals.lockProvince(m, ref);
      const type = province?.requireApproval ? await this.proposals.eventType(m, province.id, seq) : null;
      if (!province || !type || !gated(type)) {
        // Rule off, a type that is not gated, or no such province or event (the retraction answers its 404).
        return { kind: 'applied', result: await this.provinces.retractIn(m, emit, ref, seq, reason, actor, opts) };
      }
      await this.dryRun(m, (inner) => this.provinces.retractIn(inner, () => undefined, ref, seq, reason, actor, { expectedVersion: opts.expectedVersion }));
      return { kind: 'proposed', proposal: await this.propose(m, emit, province, 'RETRACT', { type: 'RETRACT', seq, reason }, actor, opts) };
    });
  }

  /**
   * A claim confirmed with `apply` appends its event directly: refused for a gated type while the rule
   * is on, so that the two-person rule is not bypassed through a claim.
   */
  async refuseIfGated(m: EntityManager, ref: ProvinceRef, type: EventType): Promise<void> {
    if (!gated(type) || !(await this.proposals.lockProvince(m, ref))?.requireApproval) return;
    throw new AppError(
      'approval-required',
      `The two-person rule is on: confirm the claim without "apply", then propose its ${type} through POST /provinces/${ref.slug}/events for a second editor to approve.`,
      { eventType: type },
    );
  }

  /** Run a write to see whether it would be accepted, then undo it (a nested transaction: a savepoint rolled back). */
  private async dryRun<T>(m: EntityManager, write: (inner: EntityManager) => Promise<T>): Promise<T> {
    const undo = new Error('dry run');
    const done: T[] = [];
    try {
      await m.transaction(async (inner) => {
        done.push(await write(inner));
        throw undo;
      });
    } catch (err) {
      if (err !== undo) throw err;
    }
    return done[0];
  }

  private async propose(
    m: EntityManager,
    emit: Emit,
    province: { id: string; version: number },
    type: string,
    body: Record<string, unknown>,
    actor: Principal,
    opts: WriteOptions,
  ): Promise<ProposalView> {
    const row = await this.proposals.insert(
      m,
      { provinceId: province.id, type, body, baseVersion: province.version, proposedByKeyId: actor.keyId, proposedBy: actor.name },
      opts.idempotencyId ? { id: opts.idempotencyId, status: 202, body: (r) => ({ proposal: toProposalView(r) }) } : null,
    );
    const proposal = toProposalView(row);
    emit([notice('proposal.changed', proposalNotice(proposal, row.cycle_slug))]);
    return proposal;
  }
}
