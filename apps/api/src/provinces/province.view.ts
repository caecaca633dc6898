import {
  absoluteMajority,
  allowedEvents,
  daysToDeadline,
  deadlineInForce,
  deadlineStatus,
  upgradeState,
  type CycleRules,
  type DeadlineStatus,
  type EventType,
  type FormationState,
  type OccurredAtPrecision,
  type Stage,
  type Tier,
} from '@app/workflow';
import type { EventSource } from '@app/database';
import { summarizeEvent } from './event-summary.js';

/** A province as the API shows it (SPEC §4): its snapshot, judged against the deadline at `at`. */
export interface ProvinceView {
  /** The cycle's slug. */
  cycle: string;
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
  majority: number;
  stage: Stage;
  tier: Tier | null;
  criteria: string | null;
  nominees: { name: string; nameAr: string | null; bloc: string | null; nominatedAt: string }[];
  governor: FormationState['context']['governor'];
  convenedAt: string | null;
  chair: string | null;
  decree: FormationState['context']['decree'];
  /** The deadline in force for the current selection; null (status no_deadline) when none is. */
  deadline: string | null;
  deadlineBasis: string | null;
  deadlineInstant: string | null;
  deadlineStatus: DeadlineStatus;
  daysToDeadline: number | null;
  /** 1 for the election's first selection; each vacancy opens the next. */
  selection: number;
  /** A vote or an order disputed and waiting for a ruling (the record stands meanwhile). */
  contested: { by: string; grounds: string; since: string; target: 'appointment' | 'vacancy' } | null;
  /** Who holds the office while no elected governor does. */
  acting: { name: string; nameAr: string | null; kind: 'acting' | 'caretaker'; since: string } | null;
  /** Why the current selection opened: the governor who left, why and when. */
  vacancy: { reason: string; since: string; previousGovernor: string } | null;
  version: number;
  updatedAt: string;
  allowedEvents?: EventType[];
  asOf?: string;
  knownAt?: string;
}

export interface ProvinceIdentity {
  /** The cycle's slug. */
  cycle: string;
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
  version: number;
  updatedAt: Date;
}

export interface CycleRulesWithBasis extends CycleRules {
  deadlineBasis: string;
}

export function toProvinceView(p: ProvinceIdentity, stored: FormationState, rules: CycleRulesWithBasis, at: Date): ProvinceView {
  const state = upgradeState(stored);
  const inForce = deadlineInForce(state, rules);
  const c = state.context;
  return {
    cycle: p.cycle,
    slug: p.slug,
    code: p.code,
    name: p.name,
    nameAr: p.nameAr,
    seats: p.seats,
    majority: absoluteMajority(c.seats),
    stage: state.stage,
    tier: c.tier,
    criteria: c.criteria,
    nominees: c.nominees.map((n) => ({ name: n.name, nameAr: n.nameAr ?? null, bloc: n.bloc ?? null, nominatedAt: n.nominatedAt })),
    governor: c.governor,
    convenedAt: c.convenedAt,
    chair: c.chair,
    decree: c.decree,
    deadline: inForce?.date ?? null,
    deadlineBasis: inForce ? (inForce.basis ?? '') : null,
    deadlineInstant: inForce?.instant.toISOString() ?? null,
    deadlineStatus: deadlineStatus(state, rules, at).status,
    daysToDeadline: inForce ? daysToDeadline(inForce.date, at, rules) : null,
    selection: c.selection,
    contested: c.contested,
    acting: c.acting,
    vacancy: c.vacancy ? { reason: c.vacancy.reason, since: c.vacancy.since, previousGovernor: c.vacancy.previousGovernor.name } : null,
    version: p.version,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function withAllowedEvents(view: ProvinceView, state: FormationState): ProvinceView {
  return { ...view, allowedEvents: allowedEvents(state) };
}

/** One stored event as the API shows it. */
export interface EventView {
  province: string;
  seq: number;
  type: EventType;
  payload: Record<string, unknown>;
  occurredAt: string;
  /** 'day': only the day of occurredAt (in the cycle's zone) is known; its time of day only orders it among that day's events. */
  occurredAtPrecision: OccurredAtPrecision;
  recordedAt: string;
  actor: string;
  source: EventSource;
  confidence: 'confirmed' | 'reported';
  note: string | null;
  machine: string;
  fromStage: Stage;
  toStage: Stage;
  late: boolean;
  /** Null when no deadline was in force (a vacancy without a clock). */
  daysToDeadline: number | null;
  retracted: boolean;
  retractedAt: string | null;
  retractedBy: string | null;
  retractionReason: string | null;
  /** Newsroom-only (never shown to a public key). */
  internal: boolean;
  /** Under the two-person rule: who approved the proposal `actor` made; null otherwise. */
  approvedBy: string | null;
}

export interface EventRow {
  seq: number;
  type: EventType;
  payload: Record<string, unknown>;
  occurred_at: Date;
  occurred_at_precision: OccurredAtPrecision;
  recorded_at: Date;
  actor: string;
  source: EventSource;
  confidence: 'confirmed' | 'reported';
  note: string | null;
  machine: string;
  from_stage: Stage;
  to_stage: Stage;
  late: boolean;
  days_to_deadline: number;
  retracted_at: Date | null;
  retracted_by: string | null;
  retraction_reason: string | null;
  internal: boolean;
  approved_by: string | null;
}

export function toEventView(slug: string, r: EventRow): EventView {
  return {
    province: slug,
    seq: r.seq,
    type: r.type,
    payload: r.payload,
    occurredAt: r.occurred_at.toISOString(),
    occurredAtPrecision: r.occurred_at_precision,
    recordedAt: r.recorded_at.toISOString(),
    actor: r.actor,
    source: r.source,
    confidence: r.confidence,
    note: r.note,
    machine: r.machine,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    late: r.late,
    daysToDeadline: r.days_to_deadline,
    retracted: r.retracted_at !== null,
    retractedAt: r.retracted_at?.toISOString() ?? null,
    retractedBy: r.retracted_by,
    retractionReason: r.retraction_reason,
    internal: r.internal,
    approvedBy: r.approved_by,
  };
}

/**
 * Events as a caller may see them: everything for the newsroom; for a public key, no internal event,
 * no note (a note is newsroom text whatever the event), and no key's name: who recorded, approved or
 * retracted an event is `publicActor` (PUBLIC_ACTOR_NAME).
 */
export function eventsFor(items: EventView[], seesInternal: boolean, publicActor: string): EventView[] {
  if (seesInternal) return items;
  return items
    .filter((e) => !e.internal)
    .map((e) => ({
      ...e,
      note: null,
      actor: publicActor,
      approvedBy: e.approvedBy === null ? null : publicActor,
      retractedBy: e.retractedBy === null ? null : publicActor,
    }));
}

const CSV_COLUMNS: (keyof ProvinceView)[] = [
  'slug', 'code', 'name', 'nameAr', 'seats', 'stage', 'tier', 'deadline', 'deadlineStatus', 'daysToDeadline', 'version', 'updatedAt',
];

/**
 * Text a spreadsheet would run as a formula: a formula sign (ASCII or full-width) as the first
 * character that is not a space (spreadsheets trim leading spaces, no-break ones too), or a leading
 * tab or carriage return.
 */
const FORMULA = /^(?:\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])/u;

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  // Quote everything that could split a cell; neutralise spreadsheet formulas.
  const safe = typeof value === 'string' && FORMULA.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV in UTF-8 with a BOM so that Arabic names open right in a spreadsheet. */
export function provincesCsv(items: ProvinceView[]): string {
  const header = [...CSV_COLUMNS, 'nominees', 'governor'];
  const lines = items.map((p) =>
    [...CSV_COLUMNS.map((c) => p[c]), p.nominees.map((n) => n.name).join('; '), p.governor?.name ?? ''].map(csvCell).join(','),
  );
  return '\uFEFF' + [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/**
 * What an event says, in one line a reporter can read (CSV history, Atom feeds): the names and
 * numbers of its payload, without the common fields.
 */
// A column added later goes last: a sheet that reads the columns by position keeps working.
const EVENT_CSV_COLUMNS = [
  'seq', 'occurredAt', 'recordedAt', 'type', 'fromStage', 'toStage', 'late', 'daysToDeadline', 'actor', 'sourceName', 'sourceUrl',
  'confidence', 'retracted', 'retractedAt', 'retractionReason', 'summary', 'note', 'occurredAtPrecision',
] as const;

/** A province's history as CSV (UTF-8 with a BOM, like provincesCsv): one row per event, retracted ones marked. */
export function eventsCsv(items: EventView[]): string {
  const lines = items.map((e) =>
    [
      e.seq, e.occurredAt, e.recordedAt, e.type, e.fromStage, e.toStage, e.late, e.daysToDeadline, e.actor, e.source.name,
      e.source.url ?? '', e.confidence, e.retracted, e.retractedAt, e.retractionReason, summarizeEvent(e.type, e.payload), e.note,
      e.occurredAtPrecision,
    ]
      .map(csvCell)
      .join(','),
  );
  return '\uFEFF' + [EVENT_CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
