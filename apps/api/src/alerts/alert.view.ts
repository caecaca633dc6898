import type { AlertKind, AlertResolution, AlertStatus } from '@app/database';

// The kinds, statuses and resolutions are the alert entity's (the migrations' CHECKs list the same).
export { ALERT_KINDS, ALERT_RESOLUTIONS, ALERT_STATUSES, type AlertKind, type AlertResolution, type AlertStatus } from '@app/database';

/** An alert row with its province's slug, as the repositories read it. */
export interface AlertRow {
  id: string;
  province_id: string;
  slug: string;
  kind: AlertKind;
  status: AlertStatus;
  opened_at: Date;
  detected_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolution: AlertResolution | null;
  detail: string;
  updated_at: Date;
}

/** An alert row as it is shown: with the slug of its province's cycle. */
export interface CycleAlertRow extends AlertRow {
  cycle: string;
}

/** An alert as the API shows it (SPEC §5). */
export interface AlertView {
  id: string;
  /** The cycle's slug: the same province slug exists in every cycle. */
  cycle: string;
  province: string;
  kind: AlertKind;
  status: AlertStatus;
  openedAt: string;
  detectedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolution: AlertResolution | null;
  detail: string;
  updatedAt: string;
}

export function toAlertView(r: CycleAlertRow): AlertView {
  return {
    id: r.id,
    cycle: r.cycle,
    province: r.slug,
    kind: r.kind,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    detectedAt: r.detected_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolution: r.resolution,
    detail: r.detail,
    updatedAt: r.updated_at.toISOString(),
  };
}
