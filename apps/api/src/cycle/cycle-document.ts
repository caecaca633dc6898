import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { isValidTimeZone, type OccurredAtPrecision } from '@app/workflow';
import { AppError, type FieldError } from '../common/app-error.js';
import { isInstant } from '../common/instants.js';
import { parseEventBody, type EventInput } from '../provinces/dto/event-body.dto.js';
import SCHEMA from './cycle-document.schema.json' with { type: 'json' };

/**
 * The cycle document (issue 20): one JSON file = a cycle, its councils and optionally each council's
 * sourced events in order. The JSON Schema beside this file is its one definition of shape; each event
 * is then checked by the very function that checks POST /provinces/{slug}/events (so every event type
 * the API takes, this takes), and the checks a schema cannot say (a real time zone, the deadline after
 * the election, unique councils, events in order) follow here. Everything is reported at once, one
 * problem per field; nothing is stored until all of it passes.
 */

export { SCHEMA as CYCLE_DOCUMENT_SCHEMA };

export interface DeadlineDocument {
  date: string;
  basis: string;
}

export type VacancyRuleDocument = { after: 'VACATE'; days: number; basis: string } | DeadlineDocument;

/** An event as POST /provinces/{slug}/events takes it, occurredAt required. */
export type EventDocument = { type: string; occurredAt: string; source: { name: string; url?: string } } & Record<string, unknown>;

export interface CouncilDocument {
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
  events?: EventDocument[];
}

export interface CycleDocument {
  $schema?: string;
  slug: string;
  name: string;
  nameAr?: string;
  electionDate: string;
  timezone: string;
  deadline: DeadlineDocument;
  vacancyDeadline?: VacancyRuleDocument;
  milestones?: { tierByDays?: number; candidateByDays?: number };
  requireApproval?: boolean;
  status?: 'active' | 'archived';
  default?: boolean;
  councils: CouncilDocument[];
}

/** A council ready to import: its place in the file (for error paths) and its events as the write path takes them. */
export interface ParsedCouncil {
  index: number;
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
  events: EventInput[];
}

/** A checked document: what to store, and its canonical form (what `cycles export` would write) to compare with. */
export interface ParsedCycleDocument {
  canonical: Required<Pick<CycleDocument, 'milestones' | 'requireApproval' | 'status'>> & CycleDocument;
  councils: ParsedCouncil[];
}

/** The most problems one answer lists: a file gone wrong throughout says so without a megabyte of errors. */
const MAX_PROBLEMS = 200;

// ajv-formats is CommonJS whose default export TypeScript's nodenext view wraps once more.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv, ['date']);
const validateShape = ajv.compile<CycleDocument>(SCHEMA);

const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** What a pattern of the schema means, for people. */
function patternMessage(pattern: string): string {
  if (pattern === SLUG_PATTERN) return 'must be lower-case letters and digits in words joined by single hyphens (dhi-qar)';
  if (pattern.startsWith('^[A-Z]{2}-')) return 'must be an ISO 3166-2 code (IQ-BA)';
  if (pattern.includes('[0-9]{2}-[0-9]{2}')) return 'must be a calendar date written YYYY-MM-DD, from 1900 to 2199';
  if (pattern.startsWith('^[A-Z]')) return 'must be an event type in capitals (GET /machine lists them)';
  return 'must be text without control characters, not blank';
}

/** `/councils/0/events/2` → `councils[0].events[2]`. */
function fieldOf(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field ? `${field}.${part}` : part), '');
}

function messageOf(e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: fieldOf(e.instancePath, String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: fieldOf(e.instancePath, String(p.additionalProperty)), message: 'unknown field' };
    case 'enum':
      return { field: fieldOf(e.instancePath), message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { field: fieldOf(e.instancePath), message: patternMessage(String(p.pattern)) };
    case 'format':
      return { field: fieldOf(e.instancePath), message: 'must be a calendar date written YYYY-MM-DD' };
    default:
      return { field: fieldOf(e.instancePath), message: e.message ?? 'is invalid' };
  }
}

/**
 * The schema's errors as field problems. Where a value may take one of several shapes (a vacancy rule:
 * after/days or a date), only the shape it comes closest to (fewest errors) speaks.
 */
function shapeProblems(errors: ErrorObject[]): FieldError[] {
  const choices = errors.filter((e) => e.keyword === 'oneOf');
  // A branch's errors belong to the oneOf at that schema path whose value holds theirs.
  const groupOf = (e: ErrorObject): { key: string; branch: number } | null => {
    const m = /^(.*\/oneOf)\/(\d+)\//.exec(e.schemaPath);
    const choice = m && choices.find((o) => o.schemaPath === m[1] && (e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`)));
    return choice ? { key: `${choice.schemaPath}|${choice.instancePath}`, branch: Number(m![2]) } : null;
  };
  const counts = new Map<string, Map<number, number>>();
  for (const e of errors) {
    const g = groupOf(e);
    if (!g) continue;
    const branches = counts.get(g.key) ?? new Map<number, number>();
    branches.set(g.branch, (branches.get(g.branch) ?? 0) + 1);
    counts.set(g.key, branches);
  }
  const chosen = new Map([...counts].map(([key, branches]) => [key, [...branches].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0][0]]));
  return errors
    .filter((e) => {
      if (e.keyword === 'oneOf') return false;
      const g = groupOf(e);
      return !g || chosen.get(g.key) === g.branch;
    })
    .map(messageOf);
}

/** JSON.parse makes strings PostgreSQL refuses (a lone surrogate, NUL): found anywhere, keys too, before they reach a statement. */
function badText(value: unknown, field: string, out: FieldError[]): void {
  const bad = (s: string) => !s.isWellFormed() || s.includes('\u0000');
  if (typeof value === 'string') {
    if (bad(value)) out.push({ field: field || 'body', message: 'must be well-formed text without NUL characters' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => badText(v, `${field}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = field ? `${field}.${k}` : k;
      if (bad(k)) out.push({ field: field || 'body', message: 'has a field name that is not well-formed text' });
      else badText(v, child, out);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isDate = (v: unknown): v is string => typeof v === 'string' && /^(19|20|21)\d{2}-\d{2}-\d{2}$/.test(v);

/**
 * The same event, written the one way export writes it: type and payload, occurredAt in UTC, the common
 * fields (occurredAtPrecision only when 'day': absent means to the minute, as before the field).
 */
export function canonicalEvent(e: {
  payload: Record<string, unknown>;
  occurredAt: Date;
  occurredAtPrecision: OccurredAtPrecision;
  source: { name: string; url?: string | null };
  confidence: string;
  note: string | null;
  internal: boolean;
}): EventDocument {
  const { type, ...fields } = e.payload;
  return {
    type: String(type),
    ...fields,
    occurredAt: e.occurredAt.toISOString(),
    ...(e.occurredAtPrecision === 'day' ? { occurredAtPrecision: 'day' } : {}),
    source: e.source.url ? { name: e.source.name, url: e.source.url } : { name: e.source.name },
    confidence: e.confidence,
    ...(e.note !== null ? { note: e.note } : {}),
    ...(e.internal ? { internal: true } : {}),
  };
}

/** Councils in one order (slug, by bytes), whatever order a file lists them in. */
export const byCouncilSlug = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/**
 * Check a cycle document; throws a validation AppError listing every problem (one per field). Each
 * event goes through parseEventBody, as POST /provinces/{slug}/events does, so its problems read the
 * same, under `councils[i].events[j].`.
 */
export function parseCycleDocument(raw: unknown): ParsedCycleDocument {
  if (!isObject(raw)) throw AppError.validation([{ field: 'body', message: 'must be a JSON object (a cycle document)' }]);
  const problems: FieldError[] = [];
  badText(raw, '', problems);
  if (!validateShape(raw)) problems.push(...shapeProblems(validateShape.errors ?? []));

  if (typeof raw.timezone === 'string' && raw.timezone.length <= 100 && !isValidTimeZone(raw.timezone)) {
    problems.push({ field: 'timezone', message: 'must be an IANA time zone (Asia/Baghdad)' });
  }
  const deadline = isObject(raw.deadline) ? raw.deadline.date : undefined;
  if (isDate(raw.electionDate) && isDate(deadline) && deadline <= raw.electionDate) {
    problems.push({ field: 'deadline.date', message: `must be after the election date ${raw.electionDate}` });
  }

  const councils: ParsedCouncil[] = [];
  const seen = { slug: new Map<unknown, number>(), code: new Map<unknown, number>() };
  (Array.isArray(raw.councils) ? raw.councils : []).forEach((c: unknown, i: number) => {
    if (!isObject(c)) return;
    for (const key of ['slug', 'code'] as const) {
      if (typeof c[key] !== 'string') continue;
      const first = seen[key].get(c[key]);
      if (first !== undefined) problems.push({ field: `councils[${i}].${key}`, message: `repeats councils[${first}].${key} ("${c[key]}")` });
      else seen[key].set(c[key], i);
    }
    const events: EventInput[] = [];
    let previous: { at: number; j: number } | null = null;
    (Array.isArray(c.events) ? c.events : []).forEach((e: unknown, j: number) => {
      const at = `councils[${i}].events[${j}]`;
      const occurredAt = isObject(e) && isInstant(e.occurredAt) ? new Date(e.occurredAt).getTime() : null;
      if (occurredAt !== null) {
        if (previous && occurredAt < previous.at) {
          problems.push({ field: `${at}.occurredAt`, message: `is before events[${previous.j}]: a council's events are listed in the order they occurred` });
        }
        previous = { at: occurredAt, j };
      }
      try {
        events.push(parseEventBody(e));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'validation') throw err;
        const fields = (err.extensions.errors as FieldError[] | undefined) ?? [{ field: 'body', message: err.detail }];
        for (const f of fields) problems.push({ field: f.field === 'body' ? at : `${at}.${f.field}`, message: f.message });
      }
    });
    councils.push({ index: i, slug: c.slug as string, code: c.code as string, name: c.name as string, nameAr: c.nameAr as string, seats: c.seats as number, events });
  });

  if (problems.length > 0) {
    const seenFields = new Set<string>();
    const one = problems.filter((p) => !seenFields.has(p.field) && seenFields.add(p.field));
    const listed = one.slice(0, MAX_PROBLEMS);
    const more = one.length - listed.length;
    throw AppError.validation(
      listed,
      `The cycle document has ${one.length} problem${one.length === 1 ? '' : 's'}${more > 0 ? ` (the first ${MAX_PROBLEMS} are listed)` : ''}; nothing was stored.`,
    );
  }

  const doc = raw as unknown as CycleDocument;
  const canonical = {
    slug: doc.slug,
    name: doc.name,
    ...(doc.nameAr !== undefined ? { nameAr: doc.nameAr } : {}),
    electionDate: doc.electionDate,
    timezone: doc.timezone,
    deadline: { date: doc.deadline.date, basis: doc.deadline.basis },
    ...(doc.vacancyDeadline ? { vacancyDeadline: doc.vacancyDeadline } : {}),
    milestones: { tierByDays: doc.milestones?.tierByDays ?? 21, candidateByDays: doc.milestones?.candidateByDays ?? 7 },
    requireApproval: doc.requireApproval ?? false,
    status: doc.status ?? 'active',
    ...(doc.default ? { default: true } : {}),
    councils: councils
      .map((c) => ({
        slug: c.slug,
        code: c.code,
        name: c.name,
        nameAr: c.nameAr,
        seats: c.seats,
        events: c.events.map((e) => canonicalEvent({ ...e, payload: e.payload as unknown as Record<string, unknown>, occurredAt: new Date(e.occurredAt!) })),
      }))
      .sort(byCouncilSlug),
  };
  return { canonical, councils };
}

/** Key order aside, are two JSON values the same? */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
}

/**
 * Where a document and a stored cycle (both canonical) differ, as paths a person can look up (the
 * first 20): an empty list means importing the document again changes nothing.
 */
export function differences(doc: ParsedCycleDocument['canonical'], stored: ParsedCycleDocument['canonical']): string[] {
  const out: string[] = [];
  const { councils: docCouncils, default: docDefault, ...docCycle } = doc;
  const { councils: storedCouncils, default: storedDefault, ...storedCycle } = stored;
  for (const key of new Set([...Object.keys(docCycle), ...Object.keys(storedCycle)])) {
    if (!same((docCycle as Record<string, unknown>)[key], (storedCycle as Record<string, unknown>)[key])) out.push(key);
  }
  // `default: true` asks for the default; leaving it out asks nothing.
  if (docDefault && !storedDefault) out.push('default');
  const storedBySlug = new Map(storedCouncils.map((c) => [c.slug, c]));
  const docSlugs = new Set(docCouncils.map((c) => c.slug));
  for (const c of docCouncils) {
    const s = storedBySlug.get(c.slug);
    if (!s) {
      out.push(`councils[${c.slug}] (not in the stored cycle)`);
      continue;
    }
    for (const key of ['code', 'name', 'nameAr', 'seats'] as const) if (c[key] !== s[key]) out.push(`councils[${c.slug}].${key}`);
    const events = c.events ?? [];
    const storedEvents = s.events ?? [];
    const first = events.findIndex((e, i) => !same(e, storedEvents[i]));
    if (first >= 0) out.push(`councils[${c.slug}].events[${first}]`);
    else if (storedEvents.length > events.length) out.push(`councils[${c.slug}].events[${events.length}] (stored, not in the document)`);
  }
  for (const s of storedCouncils) if (!docSlugs.has(s.slug)) out.push(`councils[${s.slug}] (stored, not in the document)`);
  return out.slice(0, 20);
}
