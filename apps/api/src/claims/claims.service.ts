import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { checkOccurredAt, type CycleRules, type EventType, type FormationPayload } from '@app/workflow';
import type { Principal } from '../auth/principal.js';
import { seesInternal } from '../auth/visibility.js';
import { AppError } from '../common/app-error.js';
import { APP_CONFIG } from '../common/tokens.js';
import { isUuid } from '../common/identifiers.js';
import type { EventView, ProvinceView } from '../provinces/province.view.js';
import { ProvincesService, type ProvinceRef } from '../provinces/provinces.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { SubmissionsService } from '../submissions/submissions.service.js';
import { notice } from '../stream/notices.js';
import { ALLOWED_MOVES, MOVE_TARGET, canMove, statusesOf, type ClaimMove, type ClaimStatusFilter } from './claim-transitions.js';
import { toClaimView, type ClaimView } from './claim.view.js';
import { ClaimsRepository } from './claims.repository.js';


export interface NewClaimInput {
  text: string;
  subject: string | null;
  event: FormationPayload | null;
  source: { name: string; url: string | null };
  reportedAt: string | null;
  internal: boolean;
}

export interface ClaimStepInput {
  source: { name: string; url: string | null };
  occurredAt: string | null;
  note: string | null;
  apply: boolean;
}

export interface ClaimConfirmed {
  claim: ClaimView;
  applied: { event: EventView; province: ProvinceView } | null;
}

/** The instant a claim or step happened: refused like an event's occurredAt (SPEC §2). */
function checkInstant(at: Date, rules: CycleRules, now: Date, field: string): void {
  const timing = checkOccurredAt(at, rules, now);
  if (!timing) return;
  const message =
    timing === 'in-the-future'
      ? 'must not be more than 5 minutes in the future'
      : `must not be before the election day (${rules.electionDate}, ${rules.timezone})`;
  throw AppError.validation([{ field, message }], `${field} ${message}.`);
}

function checkId(id: string): void {
  if (!isUuid(id)) throw AppError.notFound(`No claim "${id.slice(0, 40)}".`);
}

/**
 * The claims ledger: a rumour recorded with its source, moved reported → denied | confirmed →
 * retracted by sourced, dated, append-only steps. Confirming with `apply` appends the claim's event
 * through the provinces' own write path in the same transaction.
 */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly repo: ClaimsRepository,
    private readonly publisher: ChangePublisher,
    private readonly provinces: ProvincesService,
    private readonly submissions: SubmissionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ref: ProvinceRef, input: NewClaimInput, actor: Principal, idempotencyId?: string): Promise<ClaimView> {
    return this.publisher.transaction(async (m, emit) => {
      const p = await this.repo.province(m, ref);
      if (!p) throw AppError.notFound(`No province "${ref.slug}".`);
      const reportedAt = input.reportedAt ? new Date(input.reportedAt) : p.now;
      checkInstant(reportedAt, p.rules, p.now, 'reportedAt');
      const id = await this.repo.insert(m, { ...input, provinceId: p.id, reportedAt, actor: actor.name, now: p.now });
      const view = toClaimView((await this.repo.findOne(m, ref, id))!, true, this.config.publicActorName);
      if (idempotencyId) await this.repo.completeIdempotency(m, { id: idempotencyId, status: 201, body: view });
      this.announce(emit, p.cycle, view, p.now);
      return view;
    });
  }

  async move(ref: ProvinceRef, id: string, move: ClaimMove, input: ClaimStepInput, actor: Principal, idempotencyId?: string): Promise<ClaimConfirmed> {
    checkId(id);
    return this.publisher.transaction(async (m, emit) => {
      const claim = await this.repo.lock(m, ref, id);
      if (!claim) throw AppError.notFound(`Province ${ref.slug} has no claim ${id}.`);
      if (!canMove(claim.status, move)) {
        throw new AppError('invalid-claim-transition', `The claim "${claim.text.slice(0, 80)}" is ${claim.status}; it cannot be ${MOVE_TARGET[move]}.`, {
          claimStatus: claim.status,
          allowedMoves: ALLOWED_MOVES[claim.status],
        });
      }
      if (input.apply && !claim.event) {
        throw AppError.validation([{ field: 'apply', message: 'the claim describes no event to apply' }], 'The claim describes no event to apply.');
      }
      const previous = claim.steps.reduce((t, s) => Math.max(t, new Date(s.occurredAt).getTime()), 0);
      let occurredAt = input.occurredAt ? new Date(input.occurredAt) : null;
      if (occurredAt) {
        checkInstant(occurredAt, claim.rules, claim.now, 'occurredAt');
        if (occurredAt.getTime() < previous) {
          throw AppError.validation([
            { field: 'occurredAt', message: `must not be before the claim's previous step (${new Date(previous).toISOString()})` },
          ]);
        }
      }

      let applied: ClaimConfirmed['applied'] = null;
      if (input.apply && claim.event) {
        const type = (claim.event as { type: EventType }).type;
        await this.submissions.refuseIfGated(m, ref, type);
        // Without an instant, the event (and this step) happen now — but never before the claim's previous
        // step, which may lie up to five minutes ahead (a report dated slightly in the future).
        if (!occurredAt && previous > claim.now.getTime()) occurredAt = new Date(previous);
        // The province's own write path, in this transaction: a refusal (409) rolls the confirmation back with it.
        applied = await this.provinces.appendIn(
          m,
          emit,
          ref,
          {
            payload: claim.event as unknown as FormationPayload,
            occurredAt: occurredAt?.toISOString() ?? null,
            occurredAtPrecision: 'minute',
            source: input.source,
            confidence: 'confirmed',
            note: `From claim ${claim.id}: ${claim.text}`.slice(0, 5000),
            // An internal claim's report stays internal; a state change is public whatever its source.
            internal: claim.internal && type === 'REPORT',
          },
          actor,
          {},
        );
        occurredAt = new Date(applied.event.occurredAt);
      }
      // Without an explicit instant a step happens now, but never before the claim's previous step.
      const at = occurredAt ?? new Date(Math.max(claim.now.getTime(), previous));
      await this.repo.step(m, {
        claimId: claim.id,
        step: claim.lastStep + 1,
        from: claim.status,
        to: MOVE_TARGET[move],
        source: input.source,
        note: input.note,
        occurredAt: at,
        actor: actor.name,
        eventSeq: applied?.event.seq ?? null,
        now: claim.now,
      });
      const result: ClaimConfirmed = { claim: toClaimView((await this.repo.findOne(m, ref, id))!, true, this.config.publicActorName), applied };
      if (idempotencyId) await this.repo.completeIdempotency(m, { id: idempotencyId, status: 200, body: move === 'confirm' ? result : result.claim });
      this.announce(emit, claim.cycle, result.claim, claim.now);
      return result;
    });
  }

  async get(ref: ProvinceRef, id: string, principal: Principal): Promise<ClaimView> {
    checkId(id);
    const claim = await this.repo.findOne(null, ref, id);
    // An internal claim does not exist for a caller who may not see it.
    if (!claim || (claim.internal && !seesInternal(principal))) throw AppError.notFound(`Province ${ref.slug} has no claim ${id}.`);
    return toClaimView(claim, seesInternal(principal), this.config.publicActorName);
  }

  /** One province's claims, or one cycle's. */
  async list(filter: { province: ProvinceRef } | { cycleId: string }, status: ClaimStatusFilter | undefined, principal: Principal): Promise<ClaimView[]> {
    let scope: { provinceId: string } | { cycleId: string };
    if ('province' in filter) {
      const p = await this.repo.province(null, filter.province);
      if (!p) throw AppError.notFound(`No province "${filter.province.slug}".`);
      scope = { provinceId: p.id };
    } else {
      scope = filter;
    }
    const internal = seesInternal(principal);
    const rows = await this.repo.list({ ...scope, statuses: statusesOf(status), includeInternal: internal });
    return rows.map((r) => toClaimView(r, internal, this.config.publicActorName));
  }

  /** Live streams and webhooks hear of publishable claims only: an internal claim never leaves. */
  private announce(emit: Emit, cycle: string, claim: ClaimView, at: Date): void {
    if (claim.internal) return;
    const last = claim.steps[claim.steps.length - 1];
    emit([
      notice(
        'claim.changed',
        {
          cycle: { slug: cycle },
          claim: { id: claim.id, province: claim.province, text: claim.text, subject: claim.subject, status: claim.status },
          change: { step: last.step, from: last.from, to: last.to, eventSeq: last.eventSeq },
        },
        at,
      ),
    ]);
  }
}
