import { Injectable } from '@nestjs/common';
import type { SqlSession } from '@app/database';
import {
  MACHINE_REF,
  applyEvent,
  checkOccurredAt,
  initialFormationState,
  replay,
  type FormationEvent,
  type FormationState,
  type WorkflowRefusal,
} from '@app/workflow';
import { AlertsService, type EvaluationCause } from '../alerts/alerts.service.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../common/app-error.js';
import type { ChangeNotice } from '../stream/change-notice.js';
import { notice } from '../stream/notices.js';
import type { EventInput } from './dto/event-body.dto.js';
import { toEventView, toProvinceView, withAllowedEvents, type EventView, type ProvinceView } from './province.view.js';
import {
  ProvincesRepository,
  type EventWrite,
  type IdempotentResponse,
  type LockedProvince,
  type NewEvent,
  type TimelineEvent,
} from './provinces.repository.js';

const MAX_SEQ = 2_147_483_647;

export interface WriteOptions {
  /** The version the client last saw (If-Match); a different current version refuses with 412. */
  expectedVersion?: number;
  /** The claimed Idempotency-Key row, completed in the same transaction as the write. */
  idempotencyId?: string;
  /** Two-person rule: the editor who approved this event (its actor proposed it). */
  approvedBy?: string;
}

export interface AppendResult {
  event: EventView;
  province: ProvinceView;
}

export interface RetractResult {
  /** The retracted event, as `GET /provinces/:slug/events` shows it now. */
  event: EventView;
  province: ProvinceView;
}

/** An accepted event: the answer, what the write stores, and the province as it leaves it (for a batch's next event of it). */
export interface AppendDecision {
  body: AppendResult;
  write: EventWrite;
  after: LockedProvince;
  /** The event opened or cleared an alert: the province's active alerts must be read again before its next event. */
  alertsChanged: boolean;
}

/** A decided retraction: what it stores, and the answer. */
export interface RetractDecision {
  result: RetractResult;
  seq: number;
  reason: string;
  actor: string;
  finalState: FormationState;
  idempotent: IdempotentResponse | null;
  notices: ChangeNotice[];
}

/** The locked province, or its 404; an archived cycle is read-only (409); a stale If-Match is a 412. */
export function lockedOrFail(p: LockedProvince | null, slug: string, opts: WriteOptions): LockedProvince {
  if (!p) throw AppError.notFound(`No province "${slug}".`);
  if (p.cycleRef.status === 'archived') {
    throw new AppError('cycle-archived', `The cycle "${p.cycleRef.slug}" is archived: it is read-only.`, { cycle: p.cycleRef.slug });
  }
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== p.version) {
    const expected = opts.expectedVersion < 0 ? 'and a weak If-Match (W/"…") never matches' : `not ${opts.expectedVersion}`;
    throw new AppError('precondition-failed', `The province is at version ${p.version}, ${expected}.`, {
      currentVersion: p.version,
    });
  }
  return p;
}

/** A stored event as the machine takes it. */
export function machineEventOf(e: Pick<TimelineEvent, 'type' | 'payload' | 'occurredAt'>): FormationEvent {
  return { ...e.payload, type: e.type, occurredAt: e.occurredAt.toISOString() } as FormationEvent;
}

/**
 * When an event occurred: as given, else "now" — never before the province's latest event, so that
 * concurrent writers without an explicit occurredAt (whose transactions started in another order than
 * they got the lock) stay in order.
 */
function occurredAtOf(p: LockedProvince, input: EventInput): Date {
  return input.occurredAt ? new Date(input.occurredAt) : new Date(Math.max(p.now.getTime(), p.lastOccurredAt?.getTime() ?? 0));
}

/** Backdated: before the province's latest event, so it goes in at its place in the timeline and what follows is replayed. */
export function isBackdated(p: LockedProvince, input: EventInput): boolean {
  return p.lastOccurredAt !== null && occurredAtOf(p, input).getTime() < p.lastOccurredAt.getTime();
}

function checkInstant(occurredAt: Date, p: LockedProvince): void {
  const timing = checkOccurredAt(occurredAt, p.rules, p.now);
  if (!timing) return;
  const message =
    timing === 'in-the-future'
      ? 'must not be more than 5 minutes in the future'
      : `must not be before the election day (${p.rules.electionDate}, ${p.rules.timezone})`;
  throw AppError.validation([{ field: 'occurredAt', message }], `occurredAt ${message}.`);
}

function refusalError(refusal: WorkflowRefusal, type: string): AppError {
  if (refusal.code === 'invalid-transition') {
    return new AppError('invalid-transition', `${type} is not accepted while the province is in stage "${refusal.stage}".`, {
      stage: refusal.stage,
      allowedEvents: refusal.allowedEvents,
    });
  }
  return new AppError('guard-failed', `${type} was refused: ${refusal.reason}.`, { stage: refusal.stage, reason: refusal.reason });
}

function newEventView(slug: string, e: NewEvent, input: EventInput): EventView {
  return {
    province: slug,
    seq: e.seq,
    type: e.type as EventView['type'],
    payload: e.payload as Record<string, unknown>,
    occurredAt: e.occurredAt.toISOString(),
    occurredAtPrecision: e.occurredAtPrecision,
    recordedAt: e.recordedAt.toISOString(),
    actor: e.actor,
    source: input.source,
    confidence: input.confidence,
    note: e.note,
    machine: e.machine,
    fromStage: e.fromStage,
    toStage: e.toStage,
    late: e.late,
    daysToDeadline: e.daysToDeadline,
    retracted: false,
    retractedAt: null,
    retractedBy: null,
    retractionReason: null,
    internal: e.internal,
    approvedBy: e.approvedBy,
  };
}

/**
 * The decisions of the write path, on a province locked by the caller's transaction: an event (at its
 * place in the timeline, replaying what follows when backdated) or a retraction, checked by the pure
 * machine, the alerts brought up to date, and everything the write stores. Refusals throw before
 * anything is written; the only statements run here read the timeline, rewrite the replayed events'
 * states and reconcile the alerts.
 */
@Injectable()
export class EventDecider {
  constructor(
    private readonly repo: ProvincesRepository,
    private readonly alerts: AlertsService,
  ) {}

  async decideAppend(s: SqlSession, p: LockedProvince, input: EventInput, actor: Principal, opts: WriteOptions, notifyChannel: string | null): Promise<AppendDecision> {
    const occurredAt = occurredAtOf(p, input);
    checkInstant(occurredAt, p);
    const event = { ...input.payload, occurredAt: occurredAt.toISOString() } as FormationEvent;

    // In order: apply to the current state. Backdated: apply at its place in the timeline and replay what follows.
    const inOrder = !isBackdated(p, input);
    const before = inOrder ? p.state : ((await this.repo.stateBefore(s, p.id, occurredAt, MAX_SEQ)) ?? initialFormationState(p.seats));
    const applied = applyEvent(before, event, p.rules);
    if (!applied.ok) throw refusalError(applied.refusal, event.type);
    const later = inOrder ? [] : await this.repo.eventsAfter(s, p.id, occurredAt, MAX_SEQ);
    const replayed = replayOrConflict(applied.state, later, p, `inserting ${event.type} at ${event.occurredAt}`);

    const seq = p.maxSeq + 1;
    const { type: _type, ...payload } = input.payload;
    const record: NewEvent = {
      provinceId: p.id,
      seq,
      type: event.type,
      payload,
      occurredAt,
      occurredAtPrecision: input.occurredAtPrecision,
      recordedAt: p.now,
      actor: actor.name,
      source: input.source,
      confidence: input.confidence,
      note: input.note,
      machine: MACHINE_REF,
      fromStage: applied.record.fromStage,
      toStage: applied.record.toStage,
      late: applied.record.late,
      daysToDeadline: applied.record.daysToDeadline,
      stateAfter: applied.state,
      internal: input.internal,
      approvedBy: opts.approvedBy ?? null,
    };
    const province = toProvinceView({ ...p, version: p.version + 1, updatedAt: p.now }, replayed.state, p.rules, p.now);
    // The answer is complete before the write, so that an Idempotency-Key's stored answer commits with it.
    const body = { event: newEventView(p.slug, record, input), province };
    await this.repo.rewriteStatesAfter(s, p.id, replayed.rewritten);
    const notices = await this.changeNotices(s, p, replayed.state, province, { kind: 'event', type: event.type }, { kind: 'event', seq, type: event.type });
    const idempotent = opts.idempotencyId ? { id: opts.idempotencyId, status: 201, body } : null;
    const after: LockedProvince = {
      ...p,
      state: replayed.state,
      version: p.version + 1,
      updatedAt: p.now,
      lastOccurredAt: p.lastOccurredAt && p.lastOccurredAt > occurredAt ? p.lastOccurredAt : occurredAt,
      maxSeq: seq,
    };
    return {
      body,
      write: { event: record, finalState: replayed.state, idempotent, notices, notifyChannel },
      after,
      alertsChanged: notices.some((n) => n.type !== 'province.changed'),
    };
  }

  async decideRetraction(s: SqlSession, p: LockedProvince, seq: number, reason: string, actor: Principal, opts: WriteOptions): Promise<RetractDecision> {
    const target = await this.repo.eventBySeq(s, p.id, seq);
    if (!target) throw AppError.notFound(`Province ${p.slug} has no event ${seq}.`);
    if (target.retracted_at) {
      throw new AppError('already-retracted', `Event ${seq} was retracted at ${target.retracted_at.toISOString()}.`, { seq });
    }
    const start = (await this.repo.stateBefore(s, p.id, target.occurred_at, seq)) ?? initialFormationState(p.seats);
    const later = await this.repo.eventsAfter(s, p.id, target.occurred_at, seq);
    const replayed = replayOrConflict(start, later, p, `retracting event ${seq}`);
    const province = withAllowedEvents(toProvinceView({ ...p, version: p.version + 1, updatedAt: p.now }, replayed.state, p.rules, p.now), replayed.state);
    await this.repo.rewriteStatesAfter(s, p.id, replayed.rewritten);
    const notices = await this.changeNotices(s, p, replayed.state, province, { kind: 'retraction' }, { kind: 'retraction', seq, reason });
    const event = toEventView(p.slug, { ...target, retracted_at: p.now, retracted_by: actor.name, retraction_reason: reason });
    return {
      result: { event, province },
      seq,
      reason,
      actor: actor.name,
      finalState: replayed.state,
      idempotent: opts.idempotencyId ? { id: opts.idempotencyId, status: 200, body: province } : null,
      notices,
    };
  }

  /** A province's active alerts, locked, read again inside a batch after one of its events changed them. */
  async activeAlertsOf(s: SqlSession, provinceId: string) {
    return (await this.alerts.activeAlerts(s, [provinceId])).get(provinceId) ?? [];
  }

  /** Bring the province's alerts up to date (in the write's transaction) and say what changed. */
  private async changeNotices(
    s: SqlSession,
    p: LockedProvince,
    state: FormationState,
    province: ProvinceView,
    cause: EvaluationCause,
    change: Record<string, unknown>,
  ): Promise<ChangeNotice[]> {
    const forAlerts = { id: p.id, cycle: p.cycle, slug: p.slug, name: p.name, state, rules: p.rules };
    const alertNotices = await this.alerts.reconcile(s, forAlerts, p.now, cause, p.alerts);
    const { slug, version, stage, tier, deadlineStatus } = province;
    return [
      notice('province.changed', { cycle: { slug: p.cycle }, province: { slug, version, stage, tier, deadlineStatus, governor: province.governor?.name ?? null }, change }, p.now),
      ...alertNotices,
    ];
  }
}

/** Replay later events from a new starting state; the first that no longer applies refuses the whole change. */
function replayOrConflict(start: FormationState, later: TimelineEvent[], p: LockedProvince, what: string) {
  const result = replay(start, later, machineEventOf, p.rules);
  if (result.failed && !result.failed.result.ok) {
    const refusal = result.failed.result.refusal;
    const why = refusal.code === 'guard-failed' ? refusal.reason : `not accepted in stage ${refusal.stage}`;
    throw new AppError(
      'history-conflict',
      `${what} would invalidate event ${result.failed.item.seq} (${result.failed.item.type}: ${why}); nothing was changed.`,
      { conflictingSeq: result.failed.item.seq, reason: refusal.code === 'guard-failed' ? refusal.reason : refusal.code },
    );
  }
  const rewritten = result.steps.map((s) => ({ seq: s.item.seq, state: (s.result as { state: FormationState }).state }));
  return { state: result.state, rewritten };
}
