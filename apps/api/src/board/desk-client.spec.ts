import { EVENT_TABLE, EVENT_TYPES, REPORT_KINDS, type GuardReason } from '@app/workflow';
import { digestMessages } from '../digest/digest.i18n.js';
import { arabicDate as serverArabicDate, arabicLongDate as serverArabicLongDate } from '../digest/arabic-calendar.js';
import { EVENT_CATALOGUE } from '../provinces/event-catalogue.js';
import { OPERATIONS, allowed } from './public/api.js';
import { MESSAGE_KEYS, arabicDate, arabicInstant, arabicLongDate, countdownText, englishLongDate, formatInstant, hasMessage, tIn } from './public/i18n.js';
import { digestHref, parseRoute, provinceHref } from './public/routes.js';
import { localInputValue, zoneOffsetMinutes, zonedInstant } from './public/time.js';

/** The desk's browser modules that need no DOM: its words in two languages, its routes, times typed in Baghdad, roles. */

const BAGHDAD = 'Asia/Baghdad';
const ar = digestMessages('ar');

describe('the two languages', () => {
  test('every message has an English and an Arabic text, neither empty', () => {
    for (const key of MESSAGE_KEYS) {
      for (const lang of ['en', 'ar'] as const) {
        const value = tIn(lang, key, '1', '2', '3');
        const text = Array.isArray(value) ? value.join('') : String(value);
        expect({ key, lang, empty: text.trim() === '' }).toEqual({ key, lang, empty: false });
      }
    }
  });

  test("Arabic names of stages, statuses, alert kinds, event types and report kinds are the digest's own", () => {
    for (const [stage, word] of Object.entries(ar.stage)) expect([stage, tIn('ar', `stage:${stage}`)]).toEqual([stage, word]);
    for (const [status, word] of Object.entries(ar.deadlineStatus)) expect([status, tIn('ar', `status:${status}`)]).toEqual([status, word]);
    for (const [kind, word] of Object.entries(ar.alertKind)) expect([kind, tIn('ar', `alertKind:${kind}`)]).toEqual([kind, word]);
    for (const type of EVENT_TYPES) expect([type, tIn('ar', `event:${type}`)]).toEqual([type, EVENT_CATALOGUE[type].label.ar]);
    for (const kind of REPORT_KINDS) expect([kind, tIn('ar', `enum:kind:${kind}`)]).toEqual([kind, ar.reportKind[kind]]);
    for (const tier of ['A', 'B', 'C'] as const) expect(tIn('ar', `tier:${tier}`)).toBe(ar.tier[tier]);
  });

  test('every reason a guard can give is said in plain words in both languages', () => {
    const reasons = new Set<GuardReason>(Object.values(EVENT_TABLE).flatMap((entry) => (entry.guard?.reasons ?? []) as GuardReason[]));
    expect(reasons.size).toBeGreaterThan(5);
    for (const reason of reasons) expect([reason, hasMessage(`guard:${reason}`)]).toEqual([reason, true]);
    const values = { votes: 8, seats: 15, majority: 9, present: 15 };
    expect(tIn('en', 'guard:majority-not-reached', values)).toBe('8 votes of 15 is not an absolute majority (9).');
    expect(tIn('ar', 'guard:majority-not-reached', values)).toBe('٨ صوتًا من ١٥ ليست أغلبية مطلقة (٩).');
  });

  test("dates are the digest's: in Arabic Iraqi months and Arabic-Indic digits; long dates in both languages; a year of days", () => {
    for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2025, 0, 1); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      expect(arabicDate(day)).toBe(serverArabicDate(day));
      expect(arabicLongDate(day)).toBe(serverArabicLongDate(day));
      expect(englishLongDate(day)).toBe(digestMessages('en').longDate(day));
    }
  });

  test("an instant in Arabic is written as the digest's …AtLabel writes it", () => {
    for (const instant of ['2024-02-09T20:59:59.999Z', '2024-02-09T21:00:00.000Z', '2024-08-10T12:00:00Z', '2023-12-31T22:05:00Z']) {
      const local = new Date(Date.parse(instant) + 3 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(arabicInstant(instant, BAGHDAD)).toBe(ar.localTime(local));
    }
    expect(arabicInstant('2024-02-09T20:59:59.999Z', BAGHDAD)).toBe('٩ شباط ٢٠٢٤، ٢٣:٥٩');
    expect(formatInstant('2024-02-09T20:59:59.999Z', BAGHDAD, 'en')).toBe('9 Feb 2024, 23:59');
  });

  test("the Arabic countdown is the digest's phrase, with its number agreement", () => {
    for (const days of [-1032, -100, -11, -10, -3, -2, -1, 0, 1, 2, 3, 10, 11, 21, 100]) {
      expect(countdownText(days, 'ar')).toBe(ar.daysPhrase(days));
    }
    expect(countdownText(-1, 'en')).toBe('1 day overdue');
  });
});

describe('times typed in Baghdad', () => {
  test('a wall-clock time becomes an instant with the zone’s offset, and back', () => {
    expect(zonedInstant('2024-02-05T14:00', BAGHDAD)).toBe('2024-02-05T14:00:00+03:00');
    expect(Date.parse(zonedInstant('2024-02-05T14:00', BAGHDAD)!)).toBe(Date.parse('2024-02-05T11:00:00Z'));
    expect(localInputValue('2024-02-05T11:00:00Z', BAGHDAD)).toBe('2024-02-05T14:00');
    expect(localInputValue('2024-02-09T20:59:59.999Z', BAGHDAD)).toBe('2024-02-09T23:59');
    expect(zonedInstant('', BAGHDAD)).toBeNull();
    expect(zonedInstant('05/02/2024 14:00', BAGHDAD)).toBeNull();
  });

  test('the offset is the zone’s at that time of year (a zone with summer time)', () => {
    expect(zoneOffsetMinutes(new Date('2024-07-01T12:00:00Z'), 'Europe/London')).toBe(60);
    expect(zoneOffsetMinutes(new Date('2024-01-01T12:00:00Z'), 'Europe/London')).toBe(0);
    expect(zonedInstant('2024-07-01T09:30', 'Europe/London')).toBe('2024-07-01T09:30:00+01:00');
    expect(zonedInstant('2024-01-01T09:30', 'America/Los_Angeles')).toBe('2024-01-01T09:30:00-08:00');
    // Around both of London's changes (an hour that repeats in October has two answers: not asked here).
    for (const instant of ['2024-03-31T00:30:00Z', '2024-03-31T01:30:00Z', '2024-10-27T01:30:00Z', '2024-06-15T23:59:00Z']) {
      expect(Date.parse(zonedInstant(localInputValue(instant, 'Europe/London'), 'Europe/London')!)).toBe(Date.parse(instant));
    }
  });
});

describe('routes', () => {
  test('the board, a province (as of an instant, one event), the digest; anchors are not routes', () => {
    expect(parseRoute('')).toEqual({ view: 'board' });
    expect(parseRoute('#/')).toEqual({ view: 'board' });
    expect(parseRoute('#alerts-title')).toBeNull();
    expect(parseRoute('#/provinces/basra')).toEqual({ view: 'province', slug: 'basra', seq: null, asOf: null });
    expect(parseRoute('#/provinces/basra/events/12')).toEqual({ view: 'province', slug: 'basra', seq: 12, asOf: null });
    expect(parseRoute('#/digest?date=2024-02-09&lang=ar')).toEqual({ view: 'digest', date: '2024-02-09', lang: 'ar' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'board' });
  });

  test('links round-trip, an instant with its offset included', () => {
    const asOf = '2024-02-05T14:00:00+03:00';
    const href = provinceHref('dhi-qar', { asOf });
    expect(href).toBe('#/provinces/dhi-qar?asOf=2024-02-05T14%3A00%3A00%2B03%3A00');
    expect(parseRoute(href)).toEqual({ view: 'province', slug: 'dhi-qar', seq: null, asOf });
    expect(parseRoute(provinceHref('basra', { seq: 3 }))).toEqual({ view: 'province', slug: 'basra', seq: 3, asOf: null });
    expect(parseRoute('#/provinces/basra?asOf=2024-02-05T14:00:00+03:00')).toMatchObject({ asOf: '2024-02-05T14:00:00+03:00' });
    expect(parseRoute(digestHref({ date: '2024-02-10', lang: 'en' }))).toEqual({ view: 'digest', date: '2024-02-10', lang: 'en' });
    expect(digestHref()).toBe('#/digest');
  });
});

describe("what a role may do is the document's x-required-role", () => {
  const op = (role?: string) => (role ? { security: [{ bearer: [] }], 'x-required-role': role } : { security: [] });
  const doc = {
    paths: {
      '/api/v1/provinces/{slug}/events': { post: op('editor') },
      '/api/v1/provinces/{slug}/contacts': { post: op('viewer') },
      '/api/v1/provinces/{slug}/history': { get: op('public') },
      '/api/v1/digest': { get: op() },
    },
  };

  test('a role may call what needs it or less, nothing above, and nothing the document lacks', () => {
    expect(['public', 'viewer', 'editor', 'admin'].map((r) => allowed(doc, r, 'appendEvent'))).toEqual([false, false, true, true]);
    expect(['public', 'viewer', 'editor', 'admin'].map((r) => allowed(doc, r, 'logContact'))).toEqual([false, true, true, true]);
    expect(allowed(doc, 'public', 'history')).toBe(true);
    expect(allowed(doc, 'public', 'digest')).toBe(true);
    expect(allowed(doc, 'admin', 'approve')).toBe(false);
    expect(allowed(doc, undefined, 'history')).toBe(false);
    expect(allowed(null, 'admin', 'appendEvent')).toBe(false);
  });

  test('every operation the page names is a method and a path under /api/v1', () => {
    for (const [name, [method, path]] of Object.entries(OPERATIONS)) {
      expect([name, method, path.startsWith('/')]).toEqual([name, expect.stringMatching(/^(get|post)$/), true]);
    }
  });
});
