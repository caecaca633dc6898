import { Injectable } from '@nestjs/common';
import type { SqlSession } from '@app/database';
import { deadlineInForce, deadlineStatus, effectiveDeadline, type CycleRules, type FormationState } from '@app/workflow';
import { AppError } from '../common/app-error.js';
import type { CycleRef } from '../cycle/cycle-resolver.js';
import type { ChangeNotice } from '../stream/change-notice.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { notice } from '../stream/notices.js';
import { toAlertView, type AlertKind, type AlertResolution, type AlertRow, type AlertStatus, type AlertView } from './alert.view.js';
import { AlertsRepository, type ProvinceForAlerts } from './alerts.repository.js';

/** What made the evaluation run: it decides how a cleared alert is explained. */
export type EvaluationCause = { kind: 'event'; type: string } | { kind: 'retraction' } | { kind: 'cycle' } | { kind: 'sweep' };

function resolutionFor(kind: AlertKind, state: FormationState, rules: CycleRules, at: Date, cause: EvaluationCause): AlertResolution {
  const governor = state.context.governor;
  if (state.stage === 'appointed' && governor) {
    const deadline = deadlineInForce(state, rules);
    return !deadline || new Date(governor.appointedAt).getTime() <= deadline.instant.getTime() ? 'appointed' : 'appointed_late';
  }
  if (cause.kind === 'cycle' || (cause.kind === 'event' && cause.type === 'SET_DEADLINE')) return 'deadline_changed';
  if (cause.kind === 'retraction') return 'retracted';
  return kind === 'at_risk' && deadlineStatus(state, rules, at).status === 'breached' ? 'escalated' : 'progressed';
}

function detailFor(kind: AlertKind, p: ProvinceForAlerts): string {
  const deadline = effectiveDeadline(p.state, p.rules);
  if (kind === 'breach') return `${p.name}: no governor appointed by the deadline ${deadline} (end of day, ${p.rules.timezone}).`;
  return p.state.stage === 'criteria'
    ? `${p.name}: still at the criteria stage with ${p.rules.tierByDays} days or less to the deadline ${deadline}.`
    : `${p.name}: no nominee with ${p.rules.candidateByDays} days or less to the deadline ${deadline}.`;
}

/**
 * Deadline alerts (SPEC §5). `reconcile` makes a province's alert rows agree with its deadline status
 * at an instant; it runs inside the transaction that changed the province (under its row lock), in
 * the periodic sweep, and when the cycle changes.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly repo: AlertsRepository,
    private readonly publisher: ChangePublisher,
  ) {}

  /** The active (open or acknowledged) alerts of some provinces, locked for the caller's transaction. */
  async activeAlerts(m: SqlSession, provinceIds: string[]): Promise<Map<string, AlertRow[]>> {
    const rows = await this.repo.active(m, provinceIds);
    const byProvince = new Map<string, AlertRow[]>();
    for (const r of rows) byProvince.set(r.province_id, [...(byProvince.get(r.province_id) ?? []), r]);
    return byProvince;
  }

  async reconcile(
    m: SqlSession,
    p: ProvinceForAlerts,
    at: Date,
    cause: EvaluationCause,
    preloaded?: AlertRow[],
  ): Promise<ChangeNotice[]> {
    const verdict = deadlineStatus(p.state, p.rules, at);
    const wanted: Record<AlertKind, Date | null> = {
      breach: verdict.status === 'breached' ? verdict.since : null,
      at_risk: verdict.status === 'at_risk' ? verdict.since : null,
    };
    const active = preloaded ?? (await this.activeAlerts(m, [p.id])).get(p.id) ?? [];
    const notices: ChangeNotice[] = [];
    for (const kind of ['breach', 'at_risk'] as const) {
      const current = active.find((a) => a.kind === kind);
      const since = wanted[kind];
      if (since && !current) {
        const row = await this.repo.open(m, { provinceId: p.id, cycle: p.cycle, slug: p.slug, kind, openedAt: since, detectedAt: at, detail: detailFor(kind, p) });
        notices.push(notice('alert.opened', { cycle: { slug: p.cycle }, alert: toAlertView(row) }, at));
      } else if (!since && current) {
        const resolution = resolutionFor(kind, p.state, p.rules, at, cause);
        const appointedAt = p.state.context.governor ? new Date(p.state.context.governor.appointedAt) : null;
        // Cleared by an appointment: at the appointment's time (never before the alert opened); otherwise now.
        const resolvedAt =
          (resolution === 'appointed' || resolution === 'appointed_late') && appointedAt
            ? new Date(Math.max(appointedAt.getTime(), current.opened_at.getTime()))
            : at;
        const row = await this.repo.resolve(m, { id: current.id, cycle: p.cycle, slug: p.slug, resolvedAt, resolution, at });
        notices.push(notice('alert.resolved', { cycle: { slug: p.cycle }, alert: toAlertView(row) }, at));
      }
    }
    return notices;
  }

  /** One cycle's alerts. */
  async list(cycle: CycleRef, filter: { status?: AlertStatus | 'all'; kind?: AlertKind; province?: string }): Promise<AlertView[]> {
    const rows = await this.repo.list({ cycle, status: filter.status ?? 'open', kind: filter.kind ?? null, province: filter.province ?? null });
    return rows.map(toAlertView);
  }

  /**
   * Acknowledge: records who and when. An open alert becomes acknowledged; acknowledging again changes
   * nothing. A resolved alert is refused (409 alert-resolved): there is nothing left to watch.
   */
  async acknowledge(id: string, by: string): Promise<AlertView> {
    return this.publisher.transaction(async (m, emit) => {
      const acknowledged = await this.repo.acknowledge(m, id, by);
      if (acknowledged) {
        const view = toAlertView(acknowledged);
        emit([notice('alert.acknowledged', { cycle: { slug: view.cycle }, alert: view })]);
        return view;
      }
      const existing = await this.repo.findOne(m, id);
      if (!existing) throw AppError.notFound(`No alert ${id}.`);
      const view = toAlertView(existing);
      if (view.status === 'resolved') {
        throw new AppError('alert-resolved', `The alert was resolved at ${view.resolvedAt} (${view.resolution}); there is nothing left to acknowledge.`, {
          resolvedAt: view.resolvedAt,
          resolution: view.resolution,
        });
      }
      return view;
    });
  }
}
