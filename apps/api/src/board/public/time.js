// Calendar arithmetic in the cycle's time zone (Asia/Baghdad), never the browser's: a reporter in
// London or Washington must see the same "days overdue" as the desk in Baghdad.

const dayFormats = new Map();

function dayFormat(timeZone) {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** The calendar date (YYYY-MM-DD) that `instant` falls on in `timeZone`. */
export function localDate(instant, timeZone) {
  const parts = Object.fromEntries(dayFormat(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function dayNumber(date) {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Whole calendar days from the day `now` falls on in `timeZone` to `deadline` (YYYY-MM-DD); negative when overdue. */
export function daysToDeadline(deadline, now, timeZone) {
  return dayNumber(deadline) - dayNumber(localDate(now, timeZone));
}

/** "12 days left", "Due today", "1 day overdue". */
export function countdownText(days) {
  if (days === 0) return 'Due today';
  const n = Math.abs(days);
  return `${n} ${n === 1 ? 'day' : 'days'} ${days > 0 ? 'left' : 'overdue'}`;
}

/** A date-only value as "9 Feb 2024" (it names a calendar day, so it is formatted without any zone shift). */
export function formatDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(Date.UTC(y, m - 1, d));
}

/** An instant as "9 Feb 2024, 23:59" in `timeZone`. */
export function formatInstant(instant, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

/** An instant as "14:03:05" in `timeZone`. */
export function formatClock(instant, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

const partFormats = new Map();

/** The zone's offset from UTC at `instant`, in minutes (+180 for Baghdad). */
export function zoneOffsetMinutes(instant, timeZone) {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partFormats.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * A wall-clock time typed in `timeZone` ("2024-02-05T14:00", as <input type="datetime-local"> gives
 * it) as an ISO 8601 instant with that zone's offset ("2024-02-05T14:00:00+03:00"), or null.
 */
export function zonedInstant(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local ?? '');
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset at the instant first guessed, then at the instant it gives (they differ only across a zone change).
  let offset = zoneOffsetMinutes(new Date(wall), timeZone);
  offset = zoneOffsetMinutes(new Date(wall - offset * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local.slice(0, 16)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the wall-clock value of a datetime-local input in `timeZone` ("2024-02-05T14:00"). */
export function localInputValue(instant, timeZone) {
  const at = new Date(instant);
  const shifted = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}
