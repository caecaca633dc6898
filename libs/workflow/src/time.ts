// Calendar arithmetic in a named IANA time zone, with nothing but the runtime's Intl.
// A "date" here is always a `YYYY-MM-DD` string naming a day in some zone; an "instant" is a Date.
// A date is never parsed as UTC midnight: every conversion names the zone it happens in.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
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

/** Calendar dates already parsed: a long list parses the same few deadlines over and over. */
const parsedDates = new Map<string, readonly [number, number, number]>();

function parseDate(date: string): readonly [number, number, number] {
  let parsed = parsedDates.get(date);
  if (!parsed) {
    const m = DATE_RE.exec(date);
    if (!m || !isValidDate(date)) throw new RangeError(`not a calendar date: ${date}`);
    parsed = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
    if (parsedDates.size >= 10_000) parsedDates.clear();
    parsedDates.set(date, parsed);
  }
  return parsed;
}

/**
 * Offsets already computed, by zone and whole second: the tz database's transitions fall on whole
 * seconds, so an offset holds for the whole second it was computed for (Intl is slow: a busy write
 * path asks for the same few seconds over and over).
 */
const offsets = new Map<string, number>();

/** Offset of the zone from UTC at an instant, in milliseconds (Baghdad: +3 h). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const second = Math.floor(instant.getTime() / 1000);
  const key = `${timeZone}|${second}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = formatter(timeZone).formatToParts(instant);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    offset = asUtc - second * 1000;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
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

/** Day starts already computed: Intl is slow, and a list of 10,000 provinces asks the same few days. */
const dayStarts = new Map<string, number>();

/** The first instant of a calendar day in the zone (local 00:00). */
export function startOfDay(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    const [y, m, d] = parseDate(date);
    const wall = Date.UTC(y, m - 1, d);
    // Two passes settle the offset even when the day starts near a DST change.
    start = wall - zoneOffsetMs(new Date(wall), timeZone);
    start = wall - zoneOffsetMs(new Date(start), timeZone);
    if (dayStarts.size >= 10_000) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return new Date(start);
}

/** Day ends already computed (the day after's start, less a millisecond). */
const dayEnds = new Map<string, number>();

/** The last millisecond of a calendar day in the zone: 2024-02-09 in Baghdad → 2024-02-09T20:59:59.999Z. */
export function endOfDay(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let end = dayEnds.get(key);
  if (end === undefined) {
    end = startOfDay(addDays(date, 1), timeZone).getTime() - 1;
    if (dayEnds.size >= 10_000) dayEnds.clear();
    dayEnds.set(key, end);
  }
  return new Date(end);
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
