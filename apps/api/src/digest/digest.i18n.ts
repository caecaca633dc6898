import { EVENT_TYPES, type DeadlineStatus, type EventType, type Stage, type Tier } from '@app/workflow';
import { EVENT_CATALOGUE, REPORT_KIND_WORDS, TIER_AR, eventSummaryIn } from '../provinces/event-catalogue.js';
import { arabicDate, arabicDigits, arabicLongDate, hijriDate } from './arabic-calendar.js';

/**
 * Every word the digest says, in each language, keyed by label: the builder (headline, summaries),
 * the JSON labels and the Markdown renderer take their text from here and from nowhere else. A new
 * digest section adds its entries here — `entry(english, arabic)`, the compiler makes both have the
 * same shape — and its renderer asks `m.<label>`. English entries reproduce the digest as it was
 * before the catalogue, byte for byte (the digest's specs and e2e tests are unchanged).
 *
 * Markdown entries (`md…`) receive text that is already escaped (digest.markdown.ts `mdText`) and
 * return Markdown; the others return plain text.
 */

export const DIGEST_LANGS = ['en', 'ar'] as const;
export type DigestLang = (typeof DIGEST_LANGS)[number];

const entry = <T>(en: T, ar: T) => ({ en, ar });

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Friday 9 February 2024": spelled out here rather than by Intl, whose punctuation varies with the ICU build. */
function englishLongDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const englishHijri = new Intl.DateTimeFormat('en-GB-u-ca-islamic-umalqura', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Arabic number agreement: 1 and 2 have their own words, 3–10 take the plural, 11–99 the singular accusative, 0 and 100+ the singular. */
interface ArabicForms {
  one: string;
  two: string;
  few: string;
  many: string;
  other: string;
}
const arabicPlural = new Intl.PluralRules('ar');
function arabicCount(n: number, forms: ArabicForms): string {
  const category = arabicPlural.select(n);
  const form = category === 'zero' ? forms.other : forms[category as keyof ArabicForms];
  return form.replace('#', arabicDigits(n));
}
const ARABIC_DAYS: ArabicForms = { one: 'يوم واحد', two: 'يومان', few: '# أيام', many: '# يومًا', other: '# يوم' };

const TZ_AR: Record<string, string> = { 'Asia/Baghdad': 'بتوقيت بغداد' };

/** The event types' names in one language, from the event catalogue. */
const eventTypeLabels = (lang: DigestLang) =>
  Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_CATALOGUE[type].label[lang]])) as Record<EventType, string>;
const EVENT_TYPE_LABELS = entry(eventTypeLabels('en'), eventTypeLabels('ar'));

const RLM = '\u200F';
/**
 * A right-to-left mark at the start of each line's text (after `#`, `- `, or in each table cell): lines
 * that open with a time or a Latin name still run right to left. A line that opens with emphasis gets
 * the mark inside it, after the `_`/`**`: before it, the mark (neither space nor punctuation) would keep
 * CommonMark's flanking rules from opening the emphasis, and `_…_` would print as it is.
 */
function rtlLine(line: string): string {
  if (line === '' || /^\|[-|]+\|$/.test(line)) return line;
  if (line.startsWith('|')) return line.replace(/(?<!\\)\| (?!$)/g, `| ${RLM}`);
  return line.replace(/^(#+ |- )?(_|\*\*)?/, `$1$2${RLM}`);
}

const CATALOGUE = {
  /** Numbers in running text. */
  number: entry((n: number) => String(n), (n) => arabicDigits(n)),
  /** A day, "2024-02-09", in words. */
  longDate: entry(englishLongDate, arabicLongDate),
  /** The Umm al-Qura Hijri date of a day. */
  hijriDate: entry((date: string) => englishHijri.format(new Date(`${date}T12:00:00Z`)), hijriDate),
  /** A province's name in the language. */
  provinceName: entry((p: { name: string; nameAr: string }) => p.name, (p) => p.nameAr),
  /** A Baghdad wall-clock time "HH:MM" or date-time "YYYY-MM-DD HH:MM" (a Baghdad day other than the digest's). */
  localTime: entry(
    (local: string) => local,
    (local) => (local.length > 5 ? `${arabicDate(local.slice(0, 10))}، ${arabicDigits(local.slice(11))}` : arabicDigits(local)),
  ),

  stage: entry<Record<Stage, string>>(
    { criteria: 'criteria', tier: 'tier', candidate: 'candidate', appointed: 'appointed', vacant: 'vacant' },
    { criteria: 'تحديد المعايير', tier: 'تحديد الفئة', candidate: 'الترشيح', appointed: 'تم التعيين', vacant: 'شاغر' },
  ),
  tier: entry<Record<Tier | 'none', string>>({ A: 'A', B: 'B', C: 'C', none: '—' }, { A: 'الفئة أ', B: 'الفئة ب', C: 'الفئة ج', none: '—' }),
  deadlineStatus: entry<Record<DeadlineStatus, string>>(
    { on_track: 'on track', at_risk: 'at risk', breached: 'breached', met: 'met', met_late: 'met late', no_deadline: 'no deadline' },
    {
      on_track: 'ضمن المهلة',
      at_risk: 'مهدّدة بتجاوز المهلة',
      breached: 'تجاوزت المهلة',
      met: 'أُنجز في الموعد',
      met_late: 'أُنجز متأخرًا',
      no_deadline: 'بلا مهلة محددة',
    },
  ),
  alertKind: entry<Record<'breach' | 'at_risk', string>>({ breach: 'breach', at_risk: 'at risk' }, { breach: 'تجاوز المهلة', at_risk: 'خطر تجاوز المهلة' }),
  reportKind: entry(REPORT_KIND_WORDS.en, REPORT_KIND_WORDS.ar),
  eventType: EVENT_TYPE_LABELS,
  eventSummary: entry(eventSummaryIn('en'), eventSummaryIn('ar')),

  /** "3 days left", "deadline today", "1 day overdue". */
  daysPhrase: entry(
    (days: number) => (days === 0 ? 'deadline today' : days > 0 ? `${count(days, 'day')} left` : `${count(-days, 'day')} overdue`),
    (days) =>
      days === 0 ? 'تنتهي المهلة اليوم' : days > 0 ? `بقي على المهلة ${arabicCount(days, ARABIC_DAYS)}` : `مضى على انقضاء المهلة ${arabicCount(-days, ARABIC_DAYS)}`,
  ),
  /** A headline line on the provinces (tier null) or a tier's provinces without a governor. */
  headlineWithoutGovernor: entry(
    (n: number, of: number, tier: Tier | null, when: string) => {
      const what = tier ? `tier-${tier} provinces` : 'provinces';
      return n === 0 ? `All ${of} ${what} have a governor` : `${n} of ${of} ${what} without a governor, ${when}`;
    },
    (n, of, tier, when) => {
      const what = tier ? `محافظات الفئة ${TIER_AR[tier]}` : 'المحافظات';
      return n === 0 ? `لكل ${what} محافظ (${arabicDigits(of)} من ${arabicDigits(of)})` : `${what} بلا محافظ: ${arabicDigits(n)} من ${arabicDigits(of)}، ${when}`;
    },
  ),
  /**
   * The provinces line when some are without a governor after a vacancy: the cycle's deadline phrase is
   * said only of those still in their first selection (a vacancy runs on its own clock, or none).
   */
  headlineWithoutGovernorAfterVacancy: entry(
    (n: number, of: number, first: number, later: number, when: string) =>
      first === 0
        ? `${n} of ${of} provinces without a governor, after a vacancy`
        : `${n} of ${of} provinces without a governor: ${first} since the first selection, ${when}; ${later} after a vacancy`,
    (n, of, first, later, when) =>
      first === 0
        ? `المحافظات بلا محافظ: ${arabicDigits(n)} من ${arabicDigits(of)}، بعد شغور المنصب`
        : `المحافظات بلا محافظ: ${arabicDigits(n)} من ${arabicDigits(of)}؛ ${arabicDigits(first)} منذ الاختيار الأول، ${when}؛ و${arabicDigits(later)} بعد شغور المنصب`,
  ),
  /** A headline line on the day's alerts of one kind. */
  headlineAlerts: entry(
    (kind: 'breach' | 'at_risk', n: number, fresh: number) =>
      `${count(n, 'province')} ${kind === 'breach' ? 'in breach of the deadline' : 'at risk of missing the deadline'}${fresh > 0 ? ` (${fresh} new)` : ''}`,
    (kind, n, fresh) =>
      `${kind === 'breach' ? 'محافظات تجاوزت المهلة' : 'محافظات مهدّدة بتجاوز المهلة'}: ${arabicDigits(n)}${fresh > 0 ? ` (منها ${arabicDigits(fresh)} جديدة)` : ''}`,
  ),
  /** The headline's last line: the day's activity. */
  headlineActivity: entry(
    (changes: number, reports: number, corrections: number, date: string) =>
      `${count(changes, 'change')}, ${count(reports, 'report')} and ${count(corrections, 'correction')} on ${date}`,
    (changes, reports, corrections, date) =>
      `يوم ${arabicDate(date)}: التغييرات ${arabicDigits(changes)}، التقارير ${arabicDigits(reports)}، التصحيحات ${arabicDigits(corrections)}`,
  ),

  mdTitle: entry(
    (date: string) => `Governor selection digest — ${englishLongDate(date)}`,
    (date) => `موجز اختيار المحافظين — ${arabicLongDate(date)} (${date})`,
  ),
  mdDeadline: entry(
    (deadline: string, timezone: string, when: string, date: string) =>
      `Deadline ${deadline} (end of day, ${timezone}): ${when}. As of the end of ${date}, as the history is known now.`,
    (deadline, timezone, when, date) =>
      `المهلة: نهاية يوم ${arabicLongDate(deadline)} (${deadline}) ${TZ_AR[timezone] ?? `بتوقيت ${timezone}`} — ${when}. الموقف في نهاية يوم ${arabicDate(date)} (${hijriDate(date)})، وفق السجل كما هو معروف الآن.`,
  ),
  mdTimelineAlt: entry((date: string) => `Formation timeline to the end of ${date}`, (date) => `مراحل التشكيل حتى نهاية ${arabicDate(date)}`),
  /** Section headings, with the count of their items. */
  mdSection: entry(
    (section: DigestSection, n: number | null) => `${SECTION_TITLES.en[section]}${n === null ? '' : ` (${n})`}`,
    (section, n) => `${SECTION_TITLES.ar[section]}${n === null ? '' : ` (${arabicDigits(n)})`}`,
  ),
  /** What an empty section says. */
  mdEmpty: entry(
    (section: DigestSection) => SECTION_EMPTY.en[section],
    (section) => SECTION_EMPTY.ar[section],
  ),
  /** A province as the Markdown names it (escaped names). */
  mdProvince: entry(
    (p: { name: string; nameAr: string }) => `${p.name} (${p.nameAr})`,
    (p) => p.nameAr,
  ),
  /** A person with an optional Arabic name (escaped names). */
  mdPerson: entry(
    (p: { name: string; nameAr: string | null }) => `${p.name}${p.nameAr ? ` (${p.nameAr})` : ''}`,
    (p) => (p.nameAr ? `${p.nameAr} (${p.name})` : p.name),
  ),
  mdNew: entry(' — **new**', ' — **جديد**'),
  mdBreach: entry(
    (who: string, since: string) => `${who} — no governor by the deadline (since ${since})`,
    (who, since) => `${who} — لا محافظ حتى انقضاء المهلة (منذ ${since})`,
  ),
  mdAtRisk: entry((who: string, since: string) => `${who} — a milestone passed ${since}`, (who, since) => `${who} — فات موعد مرحلة في ${since}`),
  /** The flags after a change: unconfirmed, after the deadline. */
  mdChangeFlags: entry(
    (reported: boolean, late: boolean) => {
      const flags = [reported ? 'reported, unconfirmed' : null, late ? 'after the deadline' : null].filter(Boolean);
      return flags.length ? ` (${flags.join('; ')})` : '';
    },
    (reported, late) => {
      const flags = [reported ? 'منقول، غير مؤكد' : null, late ? 'بعد انقضاء المهلة' : null].filter(Boolean);
      return flags.length ? ` (${flags.join('؛ ')})` : '';
    },
  ),
  mdQuote: entry((text: string) => `“${text}”`, (text) => `«${text}»`),
  mdRetracted: entry(
    (seq: number, type: EventType, reason: string) => `event ${seq} (${type}) retracted: ${reason}`,
    (seq, type, reason) => `سُحب الحدث ${arabicDigits(seq)} (${EVENT_TYPE_LABELS.ar[type]}): ${reason}`,
  ),
  /** The claims ledger's section: its heading, the day's steps and what is still unconfirmed. */
  mdClaimsHeading: entry(
    (today: number, unconfirmed: number) => `Claims (${today} today, ${unconfirmed} still unconfirmed)`,
    (today, unconfirmed) => `الادعاءات (اليوم: ${arabicDigits(today)}، بانتظار التأكيد: ${arabicDigits(unconfirmed)})`,
  ),
  mdClaimStep: entry(
    (step: ClaimDigestGroup, n: number) => `${CLAIM_GROUP_TITLES.en[step]} (${n})`,
    (step, n) => `${CLAIM_GROUP_TITLES.ar[step]} (${arabicDigits(n)})`,
  ),
  /** Where a line's time would stand, for an event whose sources report only its day (the digest's day). */
  mdTimeNotReported: entry('time not reported', 'لم يُذكر الوقت'),
  mdReportedAt: entry((when: string) => `reported ${when}`, (when) => `نُقل في ${when}`),
  mdNoUnconfirmed: entry('_No claim awaits confirmation._', '_لا ادعاء بانتظار التأكيد._'),
  mdInternal: entry(' — _internal_', ' — _داخلي_'),
  mdTableHeader: entry(['Province', 'Stage', 'Tier', 'Governor', 'Deadline'], ['المحافظة', 'المرحلة', 'الفئة', 'المحافظ', 'المهلة']),
  /**
   * The whole document from its lines; in Arabic each line marked right to left. No HTML wrapper
   * (`<div dir="rtl">`): renderers in safe mode (markdown-it's default, most CMSs) print it as text.
   * The page it is pasted into sets the direction; Content-Language says which it is.
   */
  mdDocument: entry(
    (lines: string[]) => lines.join('\n'),
    (lines) => lines.map(rtlLine).join('\n'),
  ),
};

/** The claims groups of a day's digest. */
export type ClaimDigestGroup = 'denied' | 'confirmed' | 'reported' | 'retracted' | 'unconfirmed';

const CLAIM_GROUP_TITLES = entry<Record<ClaimDigestGroup, string>>(
  { denied: 'Denied today', confirmed: 'Confirmed today', reported: 'Reported today', retracted: 'Retracted today', unconfirmed: 'Still unconfirmed' },
  { denied: 'نُفيت اليوم', confirmed: 'تأكدت اليوم', reported: 'نُقلت اليوم', retracted: 'سُحبت اليوم', unconfirmed: 'لم تتأكد بعد' },
);

/** The digest's Markdown sections, in order; a new section adds its key, title and empty text here. */
export type DigestSection = 'breaches' | 'atRisk' | 'changes' | 'reports' | 'corrections' | 'provinces';

const SECTION_TITLES = entry<Record<DigestSection, string>>(
  { breaches: 'Breaches', atRisk: 'At risk', changes: 'Changes', reports: 'Reports', corrections: 'Corrections', provinces: 'Provinces' },
  { breaches: 'تجاوز المهلة', atRisk: 'مهدّدة بتجاوز المهلة', changes: 'التغييرات', reports: 'التقارير', corrections: 'التصحيحات', provinces: 'المحافظات' },
);
const SECTION_EMPTY = entry<Record<DigestSection, string>>(
  {
    breaches: 'No province is in breach of the deadline.',
    atRisk: 'No province is at risk.',
    changes: 'No changes on this day.',
    reports: 'No reports on this day.',
    corrections: 'No corrections on this day.',
    provinces: 'No provinces.',
  },
  {
    breaches: 'لا محافظة تجاوزت المهلة.',
    atRisk: 'لا محافظة مهدّدة بتجاوز المهلة.',
    changes: 'لا تغييرات في هذا اليوم.',
    reports: 'لا تقارير في هذا اليوم.',
    corrections: 'لا تصحيحات في هذا اليوم.',
    provinces: 'لا محافظات.',
  },
);

export type DigestMessages = { readonly [K in keyof typeof CATALOGUE]: (typeof CATALOGUE)[K]['en'] } & { readonly lang: DigestLang };

const MESSAGES = Object.fromEntries(
  DIGEST_LANGS.map((lang) => [lang, { lang, ...Object.fromEntries(Object.entries(CATALOGUE).map(([key, e]) => [key, e[lang]])) }]),
) as Record<DigestLang, DigestMessages>;

/** The digest's words in one language. */
export function digestMessages(lang: DigestLang): DigestMessages {
  return MESSAGES[lang];
}
