// Calendar arithmetic in a named IANA time zone, with nothing but the runtime's Intl.
// A "date" here is always a `YYYY-MM-DD` string naming a day in some zone; an "instant" is a Date.
// A date is never parsed as UTC midnight: every conversion names the zone it happens in.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * The caches below are plain Maps (a hit is one look-up: Intl is slow, and a busy write path or a list
 * of 10,000 provinces asks for the same few keys over and over), each forgotten all at once when it
 * holds CACHE_LIMIT entries. A call site reads `cache.get(key) ?? remember(cache, key, compute())`.
 */
const CACHE_LIMIT = 10_000;
function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** By zone; only a zone Intl accepts is kept (it throws on the others). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  return formatters.get(timeZone) ?? remember(formatters, timeZone, newFormatter(timeZone));
}

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** True for a real calendar day written `YYYY-MM-DD` (rejects 2024-02-30). */
export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Calendar dates already parsed (a long list parses the same few deadlines). */
const parsedDates = new Map<string, readonly [number, number, number]>();

function parseDate(date: string): readonly [number, number, number] {
  return parsedDates.get(date) ?? remember(parsedDates, date, parseNewDate(date));
}

function parseNewDate(date: string): readonly [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m || !isValidDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])] as const;
}

/**
 * Offsets already computed, by zone and whole second: the tz database's transitions fall on whole
 * seconds, so an offset holds for the whole second it was computed for.
 */
const offsets = new Map<string, number>();

/** Offset of the zone from UTC at an instant, in milliseconds (Baghdad: +3 h). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const second = Math.floor(instant.getTime() / 1000);
  const key = `${timeZone}|${second}`;
  return offsets.get(key) ?? remember(offsets, key, computeOffsetMs(instant, second, timeZone));
}

function computeOffsetMs(instant: Date, second: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - second * 1000;
}

/** The last answer of localDate: a list of 10,000 provinces asks for the same instant's day 10,000 times. */
let lastLocal = { timeZone: '', time: NaN, date: '' };

/** The calendar day (`YYYY-MM-DD`) an instant falls on in the zone. */
export function localDate(instant: Date, timeZone: string): string {
  const time = instant.getTime();
  if (time === lastLocal.time && timeZone === lastLocal.timeZone) return lastLocal.date;
  const date = new Date(time + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
  lastLocal = { timeZone, time, date };
  return date;
}

/** Day starts already computed. */
const dayStarts = new Map<string, number>();

/** The first instant of a calendar day in the zone (local 00:00). */
export function startOfDay(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  return new Date(dayStarts.get(key) ?? remember(dayStarts, key, computeStartOfDay(date, timeZone)));
}

function computeStartOfDay(date: string, timeZone: string): number {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when the day starts near a DST change.
  const first = wall - zoneOffsetMs(new Date(wall), timeZone);
  return wall - zoneOffsetMs(new Date(first), timeZone);
}

/** Day ends already computed (the day after's start, less a millisecond). */
const dayEnds = new Map<string, number>();

/** The last millisecond of a calendar day in the zone: 2024-02-09 in Baghdad → 2024-02-09T20:59:59.999Z. */
export function endOfDay(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  return new Date(dayEnds.get(key) ?? remember(dayEnds, key, startOfDay(addDays(date, 1), timeZone).getTime() - 1));
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parseDate(from);
  const [y2, m2, d2] = parseDate(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

/**
 * How precisely an event's instant is known: to the minute (the default), or only to the day (in the
 * cycle's zone), when the sources report the day alone. A day-precision event's time of day only orders
 * it among that day's events: every printed form of it names the day alone.
 */
export const OCCURRED_AT_PRECISIONS = ['day', 'minute'] as const;
export type OccurredAtPrecision = (typeof OCCURRED_AT_PRECISIONS)[number];
