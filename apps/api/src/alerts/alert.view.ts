export const ALERT_KINDS = ['breach', 'at_risk'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertResolution = 'appointed' | 'appointed_late' | 'deadline_changed' | 'retracted' | 'progressed' | 'escalated';

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

/** An alert as the API shows it (SPEC §5). */
export interface AlertView {
  id: string;
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

export function toAlertView(r: AlertRow): AlertView {
  return {
    id: r.id,
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
