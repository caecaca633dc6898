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
