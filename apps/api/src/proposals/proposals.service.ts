import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProposalStatus } from '@app/database';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { samePerson } from '../auth/key-names.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import { isUuid } from '../common/identifiers.js';
import { parseEventBody } from '../provinces/dto/event-body.dto.js';
import type { EventView, ProvinceView } from '../provinces/province.view.js';
import { ProvincesService, type RetractResult } from '../provinces/provinces.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import { proposalNotice, toProposalView, type ProposalRow, type ProposalView } from './proposal.view.js';
import { ProposalsRepository } from './proposals.repository.js';

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

/**
 * The two-person rule's proposals (SubmissionsService makes them): listed, and applied by a second
 * editor through the provinces' write path, in the transaction that marks them applied, only while the
 * province is still at the version the proposal was made against; or rejected.
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly repo: ProposalsRepository,
    private readonly provinces: ProvincesService,
    private readonly publisher: ChangePublisher,
    private readonly keys: ApiKeysService,
  ) {}

  async list(cycleId: string, status: ProposalStatus | 'all' | undefined): Promise<ProposalView[]> {
    const rows = await this.repo.list(cycleId, status === 'all' ? null : (status ?? 'pending'));
    return rows.map(toProposalView);
  }

  async get(id: string): Promise<ProposalView> {
    const row = isUuid(id) ? await this.repo.findById(id) : null;
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
      // People, not keys: another key of the proposer's (same person, compared case- and space-blind) is the proposer.
      const proposerPerson = (await this.keys.personOf(row.proposed_by_key_id, m)) ?? row.proposed_by;
      if (row.proposed_by_key_id === approver.keyId || samePerson(proposerPerson, approver.person)) {
        throw new AppError('self-approval', `Proposal ${row.id} was made by "${row.proposed_by}"; a second person must approve it.`, {
          proposedBy: row.proposed_by,
        });
      }
      const version = await this.repo.lockedVersion(m, row.province_id);
      if (version !== row.base_version) {
        const stale = await this.repo.decide(m, row.id, { status: 'stale', byKeyId: approver.keyId, by: approver.name, reason: null, eventSeq: null });
        emit([notice('proposal.changed', proposalNotice(toProposalView(stale), stale.cycle_slug))]);
        return { stale: true as const, row, version };
      }
      const proposer: Principal = { keyId: row.proposed_by_key_id, name: row.proposed_by, person: proposerPerson, role: 'editor' };
      // A retraction is recorded as the proposer's (retractedBy); the approver shows as the proposal's decidedBy.
      const result =
        row.type === 'RETRACT'
          ? await this.retractionOf(m, emit, row, proposer)
          : await this.provinces.appendIn(m, emit, { cycleId: row.cycle_id, slug: row.slug }, parseEventBody(row.body), proposer, {
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
      const proposal = toProposalView(decided);
      emit([notice('proposal.changed', proposalNotice(proposal, decided.cycle_slug))]);
      return { stale: false as const, ...result, proposal };
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
    return this.publisher.transaction(async (m, emit) => {
      const row = await this.lockPending(m, id);
      const proposerPerson = (await this.keys.personOf(row.proposed_by_key_id, m)) ?? row.proposed_by;
      const own = row.proposed_by_key_id === by.keyId || samePerson(proposerPerson, by.person);
      const decided = await this.repo.decide(m, row.id, { status: own ? 'withdrawn' : 'rejected', byKeyId: by.keyId, by: by.name, reason, eventSeq: null });
      const proposal = toProposalView(decided);
      emit([notice('proposal.changed', proposalNotice(proposal, decided.cycle_slug))]);
      return proposal;
    });
  }

  private retractionOf(m: EntityManager, emit: Emit, row: ProposalRow, proposer: Principal): Promise<RetractResult> {
    const { seq, reason } = row.body as unknown as RetractRequest;
    return this.provinces.retractIn(m, emit, { cycleId: row.cycle_id, slug: row.slug }, seq, reason, proposer, { expectedVersion: row.base_version });
  }

  private async lockPending(m: Parameters<ProposalsRepository['lockById']>[0], id: string): Promise<ProposalRow> {
    const row = isUuid(id) ? await this.repo.lockById(m, id) : null;
    if (!row) throw AppError.notFound(`No proposal "${id.slice(0, 40)}".`);
    if (row.status !== 'pending') {
      throw new AppError('proposal-not-pending', `The proposal is already ${row.status}.`, { proposalStatus: row.status });
    }
    return row;
  }
}
