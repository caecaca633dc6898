import {
  STAGES,
  TIERS,
  addDays,
  daysToDeadline,
  deadlineInstant,
  deadlineStatus,
  initialFormationState,
  localDate,
  startOfDay,
  zoneOffsetMs,
  type CycleRules,
  type DeadlineStatus,
  type EventType,
  type FormationState,
  type Governor,
  type OccurredAtPrecision,
  type ReportKind,
  type Stage,
  type Tier,
  firstSelectionRule,
} from '@app/workflow';
import type { EventSource } from '@app/database';
import { digestMessages, type DigestMessages } from './digest.i18n.js';

/** One province as the digest's queries read it: who it is and its state at `asOf` (null: no event yet). */
export interface DigestProvinceInput {
  slug: string;
  name: string;
  nameAr: string;
  seats: number;
  state: FormationState | null;
}

/** A live event that occurred during the day. */
export interface DigestEventInput {
  province: string;
  seq: number;
  type: EventType;
  payload: Record<string, unknown>;
  occurredAt: Date;
  occurredAtPrecision: OccurredAtPrecision;
  source: EventSource;
  confidence: 'confirmed' | 'reported';
  fromStage: Stage;
  toStage: Stage;
  late: boolean;
}

/** An event whose retraction was recorded during the day. */
export interface DigestCorrectionInput {
  province: string;
  seq: number;
  type: EventType;
  reason: string;
  retractedAt: Date;
}

/** A claim as the digest shows it: who it is about, and the step (or, for `unconfirmed`, the report) that puts it in a section. */
export interface DigestClaimInput {
  id: string;
  province: string;
  text: string;
  subject: string | null;
  internal: boolean;
  /** The step's status (`reported`, `denied`, `confirmed`, `retracted`); for still-unconfirmed claims, `reported`. */
  status: 'reported' | 'denied' | 'confirmed' | 'retracted';
  source: EventSource;
  at: Date;
}

export interface DigestInput {
  date: string;
  rules: CycleRules;
  provinces: DigestProvinceInput[];
  events: DigestEventInput[];
  corrections: DigestCorrectionInput[];
  /** Claim steps that occurred during the day, and claims still only reported at its end. */
  claims?: { steps: DigestClaimInput[]; unconfirmed: DigestClaimInput[] };
  /** Whether the reader may see internal claims (seesInternal); without it they are left out. */
  includeInternal?: boolean;
  /** The cycle the request named (`?cycle=`), for the links; none: the default cycle. */
  cycle?: string;
  /** PUBLIC_BASE_URL: the picture's link is absolute under it (it is pasted elsewhere); none: a path under the API's origin. */
  publicBaseUrl?: string | null;
}

export interface DigestClaim {
  id: string;
  province: string;
  text: string;
  subject: string | null;
  internal: boolean;
  source: EventSource;
  at: string;
}

export type DigestAlertKind = 'breach' | 'at_risk';

export interface TierTotals {
  provinces: number;
  withoutGovernor: number;
}

/** GET /digest (SPEC §6), plus `headline`. */
export interface Digest {
  date: string;
  timezone: string;
  asOf: string;
  deadline: string;
  deadlineInstant: string;
  daysToDeadline: number;
  /** The formation timeline as it stood at the end of the day: absolute under PUBLIC_BASE_URL, else a path under the API's origin. Needs no key. */
  timeline: string;
  headline: string[];
  totals: {
    /** `vacant` appears only when a province is vacant (a missing count is 0). */
    byStage: Partial<Record<Stage, number>>;
    byTier: Record<Tier | 'none', number>;
    /** `no_deadline` appears only when a province has no deadline in force (a missing count is 0). */
    byStatus: Partial<Record<DeadlineStatus, number>>;
    tiers: Record<Tier, TierTotals>;
  };
  changes: {
    province: string;
    type: EventType;
    fromStage: Stage;
    toStage: Stage;
    summary: string;
    occurredAt: string;
    /** 'day': only the day is known; the Markdown and the labels print no time for it. */
    occurredAtPrecision: OccurredAtPrecision;
    source: EventSource;
    confidence: 'confirmed' | 'reported';
    late: boolean;
  }[];
  corrections: { province: string; seq: number; type: EventType; reason: string; retractedAt: string }[];
  alerts: { province: string; kind: DigestAlertKind; openedAt: string; new: boolean }[];
  reports: { province: string; kind: ReportKind; text: string; source: EventSource; occurredAt: string; occurredAtPrecision: OccurredAtPrecision }[];
  /** The claims ledger's day: steps that occurred during it, and claims still unconfirmed (only reported) at its end. */
  claims: { reported: DigestClaim[]; denied: DigestClaim[]; confirmed: DigestClaim[]; retracted: DigestClaim[]; unconfirmed: DigestClaim[] };
  provinces: {
    slug: string;
    name: string;
    nameAr: string;
    stage: Stage;
    tier: Tier | null;
    governor: Governor | null;
    deadlineStatus: DeadlineStatus;
  }[];
}

/**
 * The timeline chart of a digest's day (GET /charts/timeline.svg, drawn up to the end of that day), of
 * the cycle the digest was asked for by name (none: the default cycle, as the digest itself); under
 * `base` (PUBLIC_BASE_URL) when there is one, so the picture loads wherever the digest is pasted.
 */
export function timelineUrl(date: string, cycle?: string, base?: string | null): string {
  return `${base ?? ''}/api/v1/charts/timeline.svg?until=${date}${cycle === undefined ? '' : `&cycle=${encodeURIComponent(cycle)}`}`;
}

/** The day a digest covers: [start, asOf) in the cycle's zone, asOf being the first instant of the next day. */
export function digestDay(date: string, timezone: string): { start: Date; asOf: Date } {
  return { start: startOfDay(date, timezone), asOf: startOfDay(addDays(date, 1), timezone) };
}

/** Local wall-clock time of an instant in the zone: "2024-02-06 02:00". */
export function localDateTime(iso: string, timeZone: string): string {
  const t = new Date(iso);
  return new Date(t.getTime() + zoneOffsetMs(t, timeZone)).toISOString().slice(0, 16).replace('T', ' ');
}

/** "3 days left", "deadline today", "1 day overdue" (the English entry of the catalogue). */
export const daysPhrase = (days: number): string => digestMessages('en').daysPhrase(days);

/** `afterVacancy`: the provinces without a governor in a later selection, which the cycle's deadline does not bind. */
function headlineFor(d: Digest, m: DigestMessages, afterVacancy: number): string[] {
  const when = m.daysPhrase(d.daysToDeadline);
  const without = d.provinces.filter((p) => p.stage !== 'appointed').length;
  const lines = [
    afterVacancy === 0
      ? m.headlineWithoutGovernor(without, d.provinces.length, null, when)
      : m.headlineWithoutGovernorAfterVacancy(without, d.provinces.length, without - afterVacancy, afterVacancy, when),
  ];
  for (const tier of TIERS) {
    const t = d.totals.tiers[tier];
    if (t.provinces > 0) lines.push(m.headlineWithoutGovernor(t.withoutGovernor, t.provinces, tier, when));
  }
  for (const kind of ['breach', 'at_risk'] as const) {
    const alerts = d.alerts.filter((a) => a.kind === kind);
    if (alerts.length > 0) lines.push(m.headlineAlerts(kind, alerts.length, alerts.filter((a) => a.new).length));
  }
  lines.push(m.headlineActivity(d.changes.length, d.reports.length, d.corrections.length, d.date));
  return lines;
}

const ALERT_ORDER: Record<DigestAlertKind, number> = { breach: 0, at_risk: 1 };

/**
 * The digest of one day, from the provinces' states at the day's end and the day's events and
 * retractions. Pure: the service reads, this decides. Alerts are derived from the states (the history
 * as known now), not read from alert rows, so a backdated appointment erases a breach that never was.
 * The headline and the changes' summaries are written in the language of `m`; every other field is
 * the same in every language.
 */
export function buildDigest(input: DigestInput, m: DigestMessages = digestMessages('en')): Digest {
  const { rules, date } = input;
  const { start, asOf } = digestDay(date, rules.timezone);
  const seatsOf = new Map(input.provinces.map((p) => [p.slug, p.seats]));

  // The stage and status @2 added (vacant, no_deadline) are counted only when a province is in them: a
  // cycle without vacancies answers exactly as before (a missing count is 0).
  const byStage: Partial<Record<Stage, number>> = { criteria: 0, tier: 0, candidate: 0, appointed: 0 };
  const byTier = { A: 0, B: 0, C: 0, none: 0 } as Record<Tier | 'none', number>;
  const byStatus: Partial<Record<DeadlineStatus, number>> = { on_track: 0, at_risk: 0, breached: 0, met: 0, met_late: 0 };
  const tiers = Object.fromEntries(TIERS.map((t) => [t, { provinces: 0, withoutGovernor: 0 }])) as Record<Tier, TierTotals>;
  const alerts: Digest['alerts'] = [];
  const provinces: Digest['provinces'] = [];
  let afterVacancy = 0;

  for (const p of input.provinces) {
    const state = p.state ?? initialFormationState(p.seats);
    const verdict = deadlineStatus(state, rules, asOf);
    const tier = state.context.tier;
    byStage[state.stage] = (byStage[state.stage] ?? 0) + 1;
    byTier[tier ?? 'none'] += 1;
    byStatus[verdict.status] = (byStatus[verdict.status] ?? 0) + 1;
    if (state.stage !== 'appointed' && state.context.selection > 1) afterVacancy += 1;
    if (tier) {
      tiers[tier].provinces += 1;
      if (state.stage !== 'appointed') tiers[tier].withoutGovernor += 1;
    }
    if ((verdict.status === 'breached' || verdict.status === 'at_risk') && verdict.since) {
      const t = verdict.since.getTime();
      alerts.push({
        province: p.slug,
        kind: verdict.status === 'breached' ? 'breach' : 'at_risk',
        openedAt: verdict.since.toISOString(),
        new: t >= start.getTime() && t < asOf.getTime(),
      });
    }
    provinces.push({
      slug: p.slug,
      name: p.name,
      nameAr: p.nameAr,
      stage: state.stage,
      tier,
      governor: state.stage === 'appointed' ? state.context.governor : null,
      deadlineStatus: verdict.status,
    });
  }
  alerts.sort((a, b) => ALERT_ORDER[a.kind] - ALERT_ORDER[b.kind] || a.openedAt.localeCompare(b.openedAt) || a.province.localeCompare(b.province));

  const inOrder = [...input.events].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.province.localeCompare(b.province) || a.seq - b.seq,
  );
  const changes: Digest['changes'] = inOrder
    .filter((e) => e.type !== 'REPORT')
    .map((e) => ({
      province: e.province,
      type: e.type,
      fromStage: e.fromStage,
      toStage: e.toStage,
      summary: m.eventSummary(e.type, e.payload, seatsOf.get(e.province)),
      occurredAt: e.occurredAt.toISOString(),
      occurredAtPrecision: e.occurredAtPrecision,
      source: e.source,
      confidence: e.confidence,
      late: e.late,
    }));
  const reports: Digest['reports'] = inOrder
    .filter((e) => e.type === 'REPORT')
    .map((e) => ({
      province: e.province,
      kind: e.payload.kind as ReportKind,
      text: String(e.payload.text ?? ''),
      source: e.source,
      occurredAt: e.occurredAt.toISOString(),
      occurredAtPrecision: e.occurredAtPrecision,
    }));
  const corrections: Digest['corrections'] = [...input.corrections]
    .sort((a, b) => a.retractedAt.getTime() - b.retractedAt.getTime() || a.province.localeCompare(b.province) || a.seq - b.seq)
    .map((c) => ({ province: c.province, seq: c.seq, type: c.type, reason: c.reason, retractedAt: c.retractedAt.toISOString() }));

  const visible = (c: DigestClaimInput) => c.internal !== true || input.includeInternal === true;
  const claimView = (c: DigestClaimInput): DigestClaim => ({
    id: c.id,
    province: c.province,
    text: c.text,
    subject: c.subject,
    internal: c.internal,
    source: c.source,
    at: c.at.toISOString(),
  });
  const byTime = (a: DigestClaimInput, b: DigestClaimInput) => a.at.getTime() - b.at.getTime() || a.province.localeCompare(b.province) || a.id.localeCompare(b.id);
  const steps = (input.claims?.steps ?? []).filter(visible).sort(byTime);
  const ofStatus = (status: DigestClaimInput['status']) => steps.filter((c) => c.status === status).map(claimView);
  const claims: Digest['claims'] = {
    reported: ofStatus('reported'),
    denied: ofStatus('denied'),
    confirmed: ofStatus('confirmed'),
    retracted: ofStatus('retracted'),
    unconfirmed: (input.claims?.unconfirmed ?? []).filter(visible).sort(byTime).map(claimView),
  };

  // The cycle's deadline: its first selection's day (a vacancy's own clock shows on its province).
  const firstRule = firstSelectionRule(rules);
  const cycleDeadline = 'date' in firstRule ? firstRule.date : rules.electionDate;
  const digest: Digest = {
    date,
    timezone: rules.timezone,
    asOf: asOf.toISOString(),
    deadline: cycleDeadline,
    deadlineInstant: deadlineInstant(cycleDeadline, rules).toISOString(),
    // Counted from the digest's own day (not from asOf, which is already the next day).
    daysToDeadline: daysToDeadline(cycleDeadline, start, rules),
    timeline: timelineUrl(date, input.cycle, input.publicBaseUrl),
    headline: [],
    totals: { byStage, byTier, byStatus, tiers },
    changes,
    corrections,
    alerts,
    reports,
    claims,
    provinces,
  };
  digest.headline = headlineFor(digest, m, afterVacancy);
  return digest;
}

/**
 * The JSON digest in another language than English (GET /digest?lang=ar): every key of `Digest`
 * kept with its value (enums stay codes that clients compare), plus `lang` and human-readable
 * `…Label` fields in that language beside the codes they name. The headline and summaries are
 * already in that language (buildDigest with the same messages). English answers stay without
 * these fields, as they were before languages existed.
 */
export function labelDigest(d: Digest, m: DigestMessages) {
  const provinceLabel = new Map(d.provinces.map((p) => [p.slug, m.provinceName(p)]));
  const where = (slug: string) => provinceLabel.get(slug) ?? slug;
  const at = (iso: string) => m.localTime(localDateTime(iso, d.timezone));
  // A day-precision event's label names its day alone: its stored time of day was never reported.
  const occurred = (e: { occurredAt: string; occurredAtPrecision: OccurredAtPrecision }) =>
    e.occurredAtPrecision === 'day' ? m.longDate(localDate(new Date(e.occurredAt), d.timezone)) : at(e.occurredAt);
  return {
    lang: m.lang,
    ...d,
    dateLabel: m.longDate(d.date),
    dateHijri: m.hijriDate(d.date),
    deadlineLabel: m.longDate(d.deadline),
    daysLabel: m.daysPhrase(d.daysToDeadline),
    changes: d.changes.map((c) => ({ ...c, provinceLabel: where(c.province), typeLabel: m.eventType[c.type], occurredAtLabel: occurred(c) })),
    corrections: d.corrections.map((c) => ({ ...c, provinceLabel: where(c.province), typeLabel: m.eventType[c.type], retractedAtLabel: at(c.retractedAt) })),
    alerts: d.alerts.map((a) => ({ ...a, provinceLabel: where(a.province), kindLabel: m.alertKind[a.kind], openedAtLabel: at(a.openedAt) })),
    reports: d.reports.map((r) => ({ ...r, provinceLabel: where(r.province), kindLabel: m.reportKind[r.kind], occurredAtLabel: occurred(r) })),
    claims: Object.fromEntries(
      Object.entries(d.claims).map(([group, items]) => [group, items.map((c) => ({ ...c, provinceLabel: where(c.province), atLabel: at(c.at) }))]),
    ) as { [K in keyof Digest['claims']]: (Digest['claims'][K][number] & { provinceLabel: string; atLabel: string })[] },
    provinces: d.provinces.map((p) => ({
      ...p,
      stageLabel: m.stage[p.stage],
      tierLabel: m.tier[p.tier ?? 'none'],
      deadlineStatusLabel: m.deadlineStatus[p.deadlineStatus],
    })),
  };
}
export type LabelledDigest = ReturnType<typeof labelDigest>;
