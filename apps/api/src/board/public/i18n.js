// Every word the page says, in English and Arabic, and dates and numbers as each language writes them.
// Arabic follows the digest (apps/api/src/digest/digest.i18n.ts): Iraqi month names, Arabic-Indic
// digits, the same names for stages, statuses, alert kinds and event types (board-client.spec.ts
// compares the two catalogues, so they cannot drift apart).

import { countdownText as englishCountdown, formatClock as englishClock, formatDate as englishDate, formatInstant as englishInstant, localDate } from './time.js';

export const LANGS = ['en', 'ar'];
const LANG_STORE = 'governor-tracker.lang';

let lang = 'en';
const listeners = new Set();

export const currentLang = () => lang;

/** The language a new page starts in: the last one chosen in this browser, else the browser's own preference. */
export function initialLang() {
  const saved = globalThis.localStorage?.getItem(LANG_STORE);
  if (LANGS.includes(saved)) return saved;
  const preferred = (globalThis.navigator?.languages ?? []).map((l) => l.slice(0, 2).toLowerCase());
  return preferred.find((l) => LANGS.includes(l)) ?? 'en';
}

/** Switch the whole page: <html lang dir>, every [data-t] element, and whoever listens (views re-render). */
export function setLang(next, { remember = true } = {}) {
  if (!LANGS.includes(next)) return;
  lang = next;
  if (remember) globalThis.localStorage?.setItem(LANG_STORE, next);
  if (globalThis.document) {
    document.documentElement.lang = next;
    document.documentElement.dir = next === 'ar' ? 'rtl' : 'ltr';
    translateAll(document);
  }
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

// ---- numbers and dates ----

/** 0–9 → ٠–٩ (Arabic-Indic digits); everything else is kept. */
export function arabicDigits(text) {
  return String(text).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** A number (or a string of digits) as the current language writes it. */
export const num = (n, l = lang) => (l === 'ar' ? arabicDigits(n) : String(n));

export const IRAQI_MONTHS = ['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول'];
export const ARABIC_WEEKDAYS = ['الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'];

/** "2024-02-09" → «٩ شباط ٢٠٢٤» (the digest's arabicDate). */
export function arabicDate(date) {
  const d = new Date(`${date}T00:00:00Z`);
  return `${arabicDigits(d.getUTCDate())} ${IRAQI_MONTHS[d.getUTCMonth()]} ${arabicDigits(d.getUTCFullYear())}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2024-02-09" → "Friday 9 February 2024" (the digest's English, spelled from tables: Intl's punctuation varies with ICU). */
export function englishLongDate(date) {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "2024-02-09" → «الجمعة ٩ شباط ٢٠٢٤». */
export function arabicLongDate(date) {
  return `${ARABIC_WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]} ${arabicDate(date)}`;
}

const clockFormats = new Map();
/** "HH:MM" (or "HH:MM:SS") of `instant` in `timeZone`, 24-hour. */
function wallClock(instant, timeZone, seconds = false) {
  const id = `${timeZone}|${seconds}`;
  let format = clockFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' });
    clockFormats.set(id, format);
  }
  return format.format(new Date(instant));
}

/** An instant in `timeZone` as the digest's Arabic labels write it: «٩ شباط ٢٠٢٤، ٢٣:٥٩». */
export function arabicInstant(instant, timeZone) {
  return `${arabicDate(localDate(new Date(instant), timeZone))}، ${arabicDigits(wallClock(instant, timeZone))}`;
}

/** A calendar day (YYYY-MM-DD): "9 Feb 2024" / «٩ شباط ٢٠٢٤». */
export const formatDate = (date, l = lang) => (l === 'ar' ? arabicDate(date) : englishDate(date));
/** An instant in the cycle's zone: "9 Feb 2024, 23:59" / «٩ شباط ٢٠٢٤، ٢٣:٥٩». */
export const formatInstant = (instant, timeZone, l = lang) => (l === 'ar' ? arabicInstant(instant, timeZone) : englishInstant(instant, timeZone));
/** A time of day: "14:03:05" / «١٤:٠٣:٠٥». */
export const formatClock = (instant, timeZone, l = lang) => (l === 'ar' ? arabicDigits(wallClock(instant, timeZone, true)) : englishClock(instant, timeZone));

const arabicPlural = new Intl.PluralRules('ar');
/** Arabic number agreement, as the digest counts: one and two have their own words, 3–10 the plural, 11–99 the accusative singular. */
export function arabicCount(n, forms) {
  const category = arabicPlural.select(n);
  const form = category === 'zero' ? forms.other : forms[category];
  return form.replace('#', arabicDigits(n));
}
const ARABIC_DAYS = { one: 'يوم واحد', two: 'يومان', few: '# أيام', many: '# يومًا', other: '# يوم' };
export const arabicDays = (n) => arabicCount(n, ARABIC_DAYS);

/** "12 days left", "Due today", "1 day overdue" — in Arabic the digest's own phrases. */
export function countdownText(days, l = lang) {
  if (l !== 'ar') return englishCountdown(days);
  return days === 0 ? 'تنتهي المهلة اليوم' : days > 0 ? `بقي على المهلة ${arabicDays(days)}` : `مضى على انقضاء المهلة ${arabicDays(-days)}`;
}

// ---- the words ----

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * key → [English, Arabic]; either may be a function of the arguments. Codes the API defines
 * (stages, statuses, event types, enum values) are keyed `<kind>:<code>`; form fields `field:<path>`.
 */
const MESSAGES = {
  // the page
  'page.title': ['Governor tracker · Newsroom board', 'متتبّع المحافظين · لوحة غرفة الأخبار'],
  'masthead.kicker': ['Iraq · provincial councils elected 18 Dec 2023', 'العراق · مجالس المحافظات المنتخبة في ١٨ كانون الأول ٢٠٢٣'],
  'masthead.title': ['Governor tracker', 'متتبّع المحافظين'],
  'masthead.sub': ['Newsroom board', 'لوحة غرفة الأخبار'],
  'nav.label': ['Sections', 'الأقسام'],
  'nav.board': ['Board', 'اللوحة'],
  'nav.digest': ['Digest', 'الموجز'],
  'lang.switch': ['العربية', 'English'],
  'skip.label': ['Skip links', 'روابط التخطي'],
  'skip.alerts': ['Skip to alerts', 'انتقل إلى التنبيهات'],
  'skip.provinces': ['Skip to provinces', 'انتقل إلى المحافظات'],
  'skip.main': ['Skip to content', 'انتقل إلى المحتوى'],
  'signOut': ['Sign out', 'تسجيل الخروج'],
  'whoami': [(name, role) => `${name} · ${role}`, (name, role) => `${name} · ${MESSAGES[`role:${role}`]?.[1] ?? role}`],
  'role:public': ['public', 'عام'],
  'role:viewer': ['viewer', 'قارئ'],
  'role:editor': ['editor', 'محرّر'],
  'role:admin': ['admin', 'مدير'],
  'footer': [
    "Dates and countdowns are calendar days in the cycle's time zone (Baghdad), whatever this computer's clock zone. Live updates stream from the governor-tracker API.",
    'التواريخ والعدّ التنازلي بأيام التقويم في المنطقة الزمنية للدورة (بغداد) أيًّا كانت منطقة ساعة هذا الحاسوب. التحديثات الحيّة من واجهة متتبّع المحافظين.',
  ],
  'noscript': ['The board needs JavaScript to read the API.', 'تحتاج اللوحة إلى جافاسكربت لقراءة الواجهة.'],

  // signing in
  'signIn.title': ['Sign in to the board', 'الدخول إلى اللوحة'],
  'signIn.help': [
    'Paste an API key (a viewer key is enough). It is kept in this browser tab only and forgotten when the tab closes.',
    'الصق مفتاح الواجهة (يكفي مفتاح قارئ). يُحفظ في هذا التبويب وحده ويُنسى حين يُغلق.',
  ],
  'signIn.key': ['API key', 'مفتاح الواجهة'],
  'signIn.open': ['Open the board', 'افتح اللوحة'],
  'signIn.empty': ['Enter an API key.', 'أدخل مفتاح الواجهة.'],
  'signIn.refused': ['This key was refused. Check it and try again.', 'رُفض هذا المفتاح. تحقّق منه وحاول مجددًا.'],
  'signIn.unreachable': [(m) => `Could not reach the API: ${m}`, (m) => `تعذّر الوصول إلى الواجهة: ${m}`],
  'signIn.savedRefused': ['The saved key was refused. Sign in again.', 'رُفض المفتاح المحفوظ. سجّل الدخول مجددًا.'],
  'signIn.revoked': ['The API refused this key (it may have been revoked). Sign in again.', 'رفضت الواجهة هذا المفتاح (ربما أُبطل). سجّل الدخول مجددًا.'],
  'signIn.streamRefused': ['The API refused this key on the live stream. Sign in again.', 'رفضت الواجهة هذا المفتاح في البثّ الحيّ. سجّل الدخول مجددًا.'],

  // the connection indicator
  'conn.idle': ['Not connected', 'غير متصل'],
  'conn.connecting': ['Connecting to live updates…', 'جارٍ الاتصال بالتحديثات الحيّة…'],
  'conn.lostReconnecting': [(at) => `Live updates lost at ${at}; reconnecting…`, (at) => `انقطعت التحديثات الحيّة عند ${at}؛ جارٍ إعادة الاتصال…`],
  'conn.live': ['Live', 'مباشر'],
  'conn.liveAgain': [(since, dropped) => `Live again since ${since} (dropped at ${dropped})`, (since, dropped) => `مباشر مجددًا منذ ${since} (انقطع عند ${dropped})`],
  'conn.lost': [(at) => `Live updates lost at ${at}; reconnecting`, (at) => `انقطعت التحديثات الحيّة عند ${at}؛ إعادة الاتصال`],
  'conn.in': [(s) => `in ${s} s`, (s) => `بعد ${arabicDigits(s)} ث`],
  'conn.retry': ['Retry now', 'أعد المحاولة الآن'],
  'conn.publicKey': ['Live updates need a newsroom key', 'التحديثات الحيّة لمفاتيح غرفة الأخبار'],

  // the board
  'board.error': [(m) => `Could not update the board: ${m}`, (m) => `تعذّر تحديث اللوحة: ${m}`],
  'deadline.title': ['Legal deadline to choose governors', 'المهلة القانونية لاختيار المحافظين'],
  'deadline.endOfDay': [(d) => `${d}, end of day`, (d) => `${d}، نهاية اليوم`],
  'deadline.basis': [(b) => `Basis: ${b}`, (b) => `السند: ${b}`],
  'deadline.ends': [(at, zone, tz) => `Ends ${at} ${zone} time (${tz})`, (at, zone, tz) => `تنتهي ${at} بتوقيت ${zone === 'Baghdad' ? 'بغداد' : zone} (${tz})`],
  'updated': [(at, zone) => `Data as of ${at} ${zone} time`, (at, zone) => `البيانات حتى ${at} بتوقيت ${zone === 'Baghdad' ? 'بغداد' : zone}`],
  'summary.title': ['Provinces by deadline status', 'المحافظات بحسب موقفها من المهلة'],
  'tile.hintActive': [(n) => ` ${n === 1 ? 'province' : 'provinces'}; shown alone, press to show all`, () => ' محافظات؛ معروضة وحدها، اضغط لعرض الكل'],
  'tile.hint': [(n) => ` ${n === 1 ? 'province' : 'provinces'}; press to show only these`, () => ' محافظات؛ اضغط لعرضها وحدها'],
  'timeline.title': ['Formation timeline', 'الجدول الزمني للتشكيل'],
  'timeline.note': [
    "Each province's stages from the election to now; the red line is the deadline, a red outline a stage reached after it. The same picture is served at /api/v1/charts/timeline.svg for stories.",
    'مراحل كل محافظة من الانتخابات حتى الآن؛ الخط الأحمر هو المهلة، والإطار الأحمر مرحلة بلغتها المحافظة بعدها. الصورة نفسها متاحة على ‎/api/v1/charts/timeline.svg‎ للقصص الصحفية.',
  ],
  'timeline.alt': [
    'Formation timeline of every province: stages along the days from the election, with the deadline',
    'الجدول الزمني لتشكيل كل محافظة: المراحل على أيام ما بعد الانتخابات، مع المهلة',
  ],
  'timeline.loading': ['Loading the timeline…', 'جارٍ تحميل الجدول الزمني…'],
  'timeline.failed': [(m) => `Could not draw the timeline: ${m}`, (m) => `تعذّر رسم الجدول الزمني: ${m}`],
  'history.pick': ["One province's history", 'تاريخ محافظة واحدة'],
  'history.choose': ['Choose a province', 'اختر محافظة'],
  'history.alt': [
    (name) => `Formation history of ${name}: its stages along the days from the election, with the deadline`,
    (name) => `تاريخ تشكيل ${name}: مراحلها على أيام ما بعد الانتخابات، مع المهلة`,
  ],
  'workflow.summary': ['Workflow: which events each stage accepts, and their guards', 'سير العمل: الأحداث التي تقبلها كل مرحلة وشروطها'],
  'workflow.alt': [
    'The workflow: for each stage, the events it accepts, where they lead and the guard each must pass',
    'سير العمل: لكل مرحلة الأحداث التي تقبلها وإلى أين تقود والشرط الذي يجب أن يتحقق',
  ],
  'alerts.title': ['Active alerts', 'التنبيهات النشطة'],
  'alerts.note': ['Open and acknowledged, until they clear. Oldest first; times are Baghdad time.', 'المفتوحة والمؤكَّد استلامها، حتى تُحل. الأقدم أولًا؛ الأوقات بتوقيت بغداد.'],
  'alerts.empty': ['No active alerts. Resolved alerts are not shown.', 'لا تنبيهات نشطة. لا تُعرض التنبيهات المحلولة.'],
  'alerts.ackedBy': [(by, at) => [`Acknowledged by ${by}, `, at], (by, at) => [`أكّد استلامه ${by}، `, at]],
  'alerts.since': ['Since ', 'منذ '],
  'alerts.ack': ['Acknowledge', 'تأكيد الاستلام'],
  'alerts.acking': ['Acknowledging…', 'جارٍ التأكيد…'],
  'alerts.ackHidden': [(kind, name) => ` ${kind.toLowerCase()} alert for ${name}`, (kind, name) => ` لتنبيه ${kind} في ${name}`],
  'alerts.acked': [(kind, name) => `Acknowledged: ${kind}, ${name}.`, (kind, name) => `تأكّد الاستلام: ${kind}، ${name}.`],
  'alerts.ackFailed': [(m) => `Could not acknowledge the alert: ${m}`, (m) => `تعذّر تأكيد استلام التنبيه: ${m}`],
  'alerts.new': [(kind, name) => `New alert: ${kind}, ${name}.`, (kind, name) => `تنبيه جديد: ${kind}، ${name}.`],
  'claims.title': ['Unconfirmed claims', 'ادعاءات غير مؤكدة'],
  'claims.note': ['Reported, not confirmed — not facts. Newest first; times are Baghdad time.', 'منقولة وغير مؤكدة — ليست حقائق. الأحدث أولًا؛ الأوقات بتوقيت بغداد.'],
  'claims.empty': ['No unconfirmed claims.', 'لا ادعاءات غير مؤكدة.'],
  'claims.unconfirmed': ['Unconfirmed', 'غير مؤكد'],
  'claims.unconfirmedDenied': ['Unconfirmed · denied', 'غير مؤكد · نُفي'],
  'claims.reported': [(at, by) => ['Reported ', at, ` by ${by}`], (at, by) => ['نُقل ', at, ` عن ${by}`]],
  'claims.internal': [' · internal', ' · داخلي'],
  'claims.changed': [(status, name) => `Claim ${status}, ${name}.`, (status, name) => `ادعاء (${MESSAGES[`claimStatus:${status}`]?.[1] ?? status})، ${name}.`],
  'provinces.title': ['Provinces', 'المحافظات'],
  'filters.label': ['Filter provinces', 'تصفية المحافظات'],
  'filters.tier': ['Tier', 'الفئة'],
  'filters.allTiers': ['All tiers', 'كل الفئات'],
  'filters.tierX': [(t) => `Tier ${t}`, (t) => MESSAGES[`tier:${t}`]?.[1] ?? `الفئة ${t}`],
  'filters.noTier': ['No tier yet', 'بلا فئة بعد'],
  'filters.status': ['Deadline status', 'الموقف من المهلة'],
  'filters.allStatuses': ['All statuses', 'كل الحالات'],
  'filters.clear': ['Clear filters', 'مسح التصفية'],
  'filters.none': ['No province matches these filters.', 'لا محافظة تطابق هذه التصفية.'],
  'table.province': ['Province', 'المحافظة'],
  'table.stage': ['Stage', 'المرحلة'],
  'table.tier': ['Tier', 'الفئة'],
  'table.people': ['Nominees or governor', 'المرشحون أو المحافظ'],
  'table.deadline': ['Deadline', 'المهلة'],
  'table.status': ['Status', 'الحالة'],
  'caption.all': [(total, without) => `All ${total} provinces that voted; ${without} without a governor`, (total, without) => `المحافظات التي صوّتت: ${arabicDigits(total)}؛ بلا محافظ: ${arabicDigits(without)}`],
  'caption.some': [(shown, total) => `${shown} of ${total} provinces match the filters`, (shown, total) => `${arabicDigits(shown)} من ${arabicDigits(total)} محافظة تطابق التصفية`],
  'province.meta': [(seats, majority) => `${seats} seats · majority ${majority}`, (seats, majority) => `${arabicDigits(seats)} مقعدًا · الأغلبية ${arabicDigits(majority)}`],
  'province.ownDeadline': ['province deadline', 'مهلة المحافظة'],
  'province.step': [(step) => ` (step ${step} of 4)`, (step) => ` (المرحلة ${arabicDigits(step)} من ٤)`],
  'tier.none': ['None', 'لا فئة'],
  'people.none': ['No nominee yet', 'لا مرشح بعد'],
  'people.governor': ['Governor', 'المحافظ'],
  'people.votes': [(votes, seats, majority) => `${votes} of ${seats} votes (majority ${majority})`, (votes, seats, majority) => `${arabicDigits(votes)} صوتًا من ${arabicDigits(seats)} (الأغلبية ${arabicDigits(majority)})`],
  'appointed': [(date, late) => `Appointed ${date}, ${late}`, (date, late) => `عُيّن في ${date}، ${late}`],
  'appointed.onTime': ['on time', 'في الموعد'],
  'appointed.since': [(date) => `Appointed ${date}`, (date) => `عُيّن في ${date}`],
  'appointed.reinstated': [(date) => `Reinstated ${date}`, (date) => `أُعيد إلى منصبه في ${date}`],
  'deadline.none': ['No deadline set', 'لا مهلة محددة'],
  'deadline.passed': [(days) => `Passed ${plural(days, 'day')} ago`, (days) => `مضى على انقضاء المهلة ${arabicDays(days)}`],
  'people.contested': [(by) => `Contested by ${by}`, (by) => `طعن من ${by}`],
  'appointed.late': [(days) => `${plural(days, 'day')} late`, (days) => `متأخرًا ${arabicDays(days)}`],
  'changed': [(name, stage) => `${name} changed: ${stage}.`, (name, stage) => `تغيّرت ${name}: ${stage}.`],
  'cycleChanged': ['The cycle changed; the board was refreshed.', 'تغيّرت الدورة؛ حُدّثت اللوحة.'],

  // codes of the API
  'stage:criteria': ['Setting criteria', 'تحديد المعايير'],
  'stage:tier': ['Tier assigned', 'تحديد الفئة'],
  'stage:candidate': ['Candidates named', 'الترشيح'],
  'stage:appointed': ['Governor appointed', 'تم التعيين'],
  'stage:vacant': ['Vacant', 'شاغر'],
  'status:breached': ['Breached', 'تجاوزت المهلة'],
  'status:at_risk': ['At risk', 'مهدّدة بتجاوز المهلة'],
  'status:on_track': ['On track', 'ضمن المهلة'],
  'status:met_late': ['Met late', 'أُنجز متأخرًا'],
  'status:met': ['Met', 'أُنجز في الموعد'],
  'status:no_deadline': ['No deadline', 'بلا مهلة محددة'],
  'alertKind:breach': ['Deadline breach', 'تجاوز المهلة'],
  'alertKind:at_risk': ['At risk', 'خطر تجاوز المهلة'],
  'tier:A': ['Tier A', 'الفئة أ'],
  'tier:B': ['Tier B', 'الفئة ب'],
  'tier:C': ['Tier C', 'الفئة ج'],
  'event:SET_CRITERIA': ['Set the criteria', 'تحديد المعايير'],
  'event:ASSIGN_TIER': ['Assign a tier', 'تحديد الفئة'],
  'event:CONVENE': ['The council convenes', 'انعقاد المجلس'],
  'event:NOMINATE': ['Nominate a candidate', 'ترشيح'],
  'event:WITHDRAW': ['A nominee withdraws', 'انسحاب'],
  'event:APPOINT': ['Elect the governor', 'انتخاب المحافظ'],
  'event:DECREE': ['Presidential decree', 'المرسوم الجمهوري'],
  'event:REVOKE': ['Revoke the appointment', 'إلغاء التعيين'],
  'event:SET_DEADLINE': ['Set a deadline', 'تحديد المهلة'],
  'event:REPORT': ['Report', 'تقرير'],
  'event:VACATE': ['The governor leaves office', 'شغور المنصب'],
  'event:ACTING': ['An acting governor is named', 'تكليف محافظ'],
  'event:CONTEST': ['A vote or an order is contested', 'طعن'],
  'event:RULING': ['A ruling', 'قرار'],
  'event:RETRACT': ['Retraction', 'سحب حدث'],
  'claimStatus:reported': ['reported', 'منقول'],
  'claimStatus:denied': ['denied', 'منفي'],
  'claimStatus:confirmed': ['confirmed', 'مؤكَّد'],
  'claimStatus:retracted': ['retracted', 'مسحوب'],
  'proposalStatus:pending': ['pending', 'بانتظار الموافقة'],
  'proposalStatus:applied': ['applied', 'طُبّق'],
  'proposalStatus:rejected': ['rejected', 'رُفض'],
  'proposalStatus:stale': ['stale', 'متقادم'],
  'proposalStatus:withdrawn': ['withdrawn', 'سُحب'],
  'enum:tier:A': ['A', 'أ'],
  'enum:tier:B': ['B', 'ب'],
  'enum:tier:C': ['C', 'ج'],
  'enum:confidence:confirmed': ['Confirmed', 'مؤكَّد'],
  'enum:confidence:reported': ['Reported (not confirmed)', 'منقول (غير مؤكَّد)'],
  'enum:occurredAtPrecision:minute': ['The time is known', 'الوقت معروف'],
  'enum:occurredAtPrecision:day': ['Only the day is known', 'اليوم وحده معروف'],
  'enum:kind:rumor': ['Rumour', 'شائعة'],
  'enum:kind:denial': ['Denial', 'نفي'],
  'enum:kind:note': ['Note', 'ملاحظة'],
  'enum:kind:session_failed': ['Session failed', 'تعذّر انعقاد الجلسة'],
  'enum:channel:call': ['Call', 'اتصال هاتفي'],
  'enum:channel:message': ['Message', 'رسالة'],
  'enum:channel:meeting': ['Meeting', 'لقاء'],
  'enum:channel:other': ['Other', 'أخرى'],
  'enum:outcome:declined_to_comment': ['Declined to comment', 'رفض التعليق'],
  'enum:outcome:denied': ['Denied', 'نفى'],
  'enum:outcome:confirmed': ['Confirmed', 'أكّد'],
  'enum:outcome:no_answer': ['No answer', 'لم يُجب'],
  'enum:outcome:commented': ['Commented', 'علّق'],
  'enum:outcome:upheld': ['Upheld', 'مصادقة'],
  'enum:outcome:overturned': ['Overturned', 'إلغاء'],
  'enum:reason:dismissed': ['Dismissed', 'الإقالة'],
  'enum:reason:resigned': ['Resigned', 'الاستقالة'],
  'enum:reason:died': ['Died', 'الوفاة'],
  'enum:reason:elected_elsewhere': ['Elected to another office', 'الفوز بمنصب آخر'],
  'enum:reason:decree_refused': ['Decree refused', 'رفض المرسوم'],
  'enum:reason:court_ruling': ['Court ruling', 'حكم قضائي'],
  'enum:reason:other': ['Other', 'أخرى'],
  'enum:kind:acting': ['Acting governor', 'محافظ بالوكالة'],
  'enum:kind:caretaker': ['Caretaker governor', 'محافظ لتصريف الأعمال'],

  // form fields, by their path in the request body
  'field:type': ['Event', 'الحدث'],
  'field:occurredAt': ['When it happened (Baghdad time)', 'متى حدث (بتوقيت بغداد)'],
  'field:occurredAtPrecision': ['Precision of that time', 'دقة ذلك الوقت'],
  'field:reportedAt': ['When it was claimed (Baghdad time)', 'متى نُقل الادعاء (بتوقيت بغداد)'],
  'field:contactedAt': ['When (Baghdad time)', 'متى (بتوقيت بغداد)'],
  'field:source': ['Source', 'المصدر'],
  'field:source.name': ['Source name', 'اسم المصدر'],
  'field:source.url': ['Source URL', 'رابط المصدر'],
  'field:confidence': ['Confidence', 'درجة التأكد'],
  'field:note': ['Newsroom note', 'ملاحظة لغرفة الأخبار'],
  'field:internal': ['Internal: never published', 'داخلي: لا يُنشر أبدًا'],
  'field:criteria': ['Criteria', 'المعايير'],
  'field:tier': ['Tier', 'الفئة'],
  'field:chair': ['Chair of the session', 'رئيس الجلسة'],
  'field:candidate': ['Candidate', 'المرشح'],
  'field:candidate.name': ['Name (Latin script)', 'الاسم (بالحروف اللاتينية)'],
  'field:candidate.nameAr': ['Name in Arabic', 'الاسم بالعربية'],
  'field:candidate.bloc': ['Bloc', 'الكتلة'],
  'field:reason': ['Reason', 'السبب'],
  'field:governor': ['Governor elected (a nominee)', 'المحافظ المنتخب (من المرشحين)'],
  'field:votes': ['Votes for', 'الأصوات المؤيدة'],
  'field:present': ['Members present', 'الأعضاء الحاضرون'],
  'field:name': ['Name (Latin script)', 'الاسم (بالحروف اللاتينية)'],
  'field:nameAr': ['Name in Arabic', 'الاسم بالعربية'],
  'field:by': ['Contested by', 'الجهة الطاعنة'],
  'field:grounds': ['Grounds', 'الأسباب'],
  'field:authority': ['Court or authority', 'المحكمة أو الجهة'],
  'field:outcome': ['Outcome', 'النتيجة'],
  'field:decreeDate': ['Date of the decree', 'تاريخ المرسوم'],
  'field:deadline': ['New deadline (a Baghdad day)', 'المهلة الجديدة (يوم بتوقيت بغداد)'],
  'field:basis': ['Legal basis', 'السند القانوني'],
  'field:kind': ['Kind', 'النوع'],
  'field:text': ['Text', 'النص'],
  'field:subject': ['About whom', 'عمّن'],
  'field:event': ['The event it claims', 'الحدث المدّعى'],
  'field:apply': ['Also record its event', 'سجّل حدثه أيضًا'],
  'field:official': ['Official', 'المسؤول'],
  'field:official.name': ['Name', 'الاسم'],
  'field:official.title': ['Title', 'المنصب'],
  'field:channel': ['Channel', 'الوسيلة'],
  'field:outcome': ['Outcome', 'النتيجة'],
  'field:summary': ['Summary', 'الخلاصة'],
  'form.required': ['required', 'مطلوب'],
  'form.optional': ['optional', 'اختياري'],
  'form.choose': ['Choose…', 'اختر…'],
  'form.now': ['Leave empty for now', 'اتركه فارغًا للآن'],
  'form.echo': [(at) => `That is ${at} in Baghdad.`, (at) => `أي ${at} بتوقيت بغداد.`],
  'form.zone': [(zone) => `Baghdad time (${zone})`, (zone) => `بتوقيت بغداد (${zone})`],
  'form.missing': [(label) => `${label}: this field is required.`, (label) => `${label}: هذا الحقل مطلوب.`],
  'form.invalidUrl': [(label) => `${label}: an address starting with http:// or https://.`, (label) => `${label}: عنوان يبدأ بـ http://‎ أو https://‎.`],
  'form.invalid': [(label, message) => `${label}: ${message}`, (label, message) => `${label}: قيمة غير مقبولة (${message})`],
  'form.fix': [(n) => `${plural(n, 'field needs', 'fields need')} attention.`, (n) => `${arabicCount(n, { one: 'حقل واحد يحتاج', two: 'حقلان يحتاجان', few: '# حقول تحتاج', many: '# حقلًا يحتاج', other: '# حقل يحتاج' })} إلى مراجعة.`],
  'form.nominees': [(names) => `Nominees now: ${names}`, (names) => `المرشحون الآن: ${names}`],
  'form.majorityHint': [(seats, majority) => `An absolute majority of ${seats} seats is ${majority} votes.`, (seats, majority) => `الأغلبية المطلقة لـ${arabicDigits(seats)} مقعدًا هي ${arabicDigits(majority)} صوتًا.`],

  // the province page
  'pp.back': ['← All provinces', '→ كل المحافظات'],
  'pp.facts': ['Where it stands', 'أين تقف'],
  'pp.versionLabel': ['Version', 'الإصدار'],
  'pp.criteria': ['Criteria', 'المعايير'],
  'pp.convened': ['Council convened', 'انعقد المجلس'],
  'pp.notConvened': ['Not yet', 'ليس بعد'],
  'pp.chair': [(c) => `chair: ${c}`, (c) => `الرئيس: ${c}`],
  'pp.decree': ['Presidential decree', 'المرسوم الجمهوري'],
  'pp.seats': ['Council', 'المجلس'],
  'pp.asOf': ['As of (Baghdad time)', 'حتى (بتوقيت بغداد)'],
  'pp.asOfShow': ['Show', 'اعرض'],
  'pp.asOfNow': ['Now', 'الآن'],
  'pp.asOfBanner': [(at) => `As it stood at ${at} Baghdad time. Forms are closed while you look at the past.`, (at) => `كما كانت عند ${at} بتوقيت بغداد. النماذج مغلقة أثناء الاطلاع على الماضي.`],
  'pp.permalink': ['Link to this view', 'رابط هذا العرض'],
  'pp.loadFailed': [(m) => `Could not load the province: ${m}`, (m) => `تعذّر تحميل المحافظة: ${m}`],
  'pp.notFound': ['No such province.', 'لا توجد محافظة بهذا الاسم.'],
  'pp.history': ['History', 'السجل'],
  'pp.historyNote': ['Events, claim steps and calls, in the order they happened; times are Baghdad time. A struck-through event was retracted.', 'الأحداث وخطوات الادعاءات والاتصالات بترتيب وقوعها؛ الأوقات بتوقيت بغداد. الحدث المشطوب سُحب.'],
  'pp.historyEmpty': ['Nothing recorded yet.', 'لم يُسجَّل شيء بعد.'],
  'pp.historyLater': [(n) => `${plural(n, 'later item')} after this moment not shown.`, (n) => `لا تُعرض ${arabicCount(n, { one: 'مادة واحدة لاحقة', two: 'مادتان لاحقتان', few: '# مواد لاحقة', many: '# مادة لاحقة', other: '# مادة لاحقة' })} لهذه اللحظة.`],
  'pp.eventLink': [(seq) => `Event ${seq}`, (seq) => `الحدث ${arabicDigits(seq)}`],
  'pp.eventLinkLabel': [(seq) => `Permalink to event ${seq}`, (seq) => `رابط دائم للحدث ${arabicDigits(seq)}`],
  'pp.late': ['after the deadline', 'بعد المهلة'],
  'pp.reported': ['reported, not confirmed', 'منقول، غير مؤكَّد'],
  'pp.timeNotReported': ['time not reported', 'لم يُذكر الوقت'],
  'pp.internal': ['internal', 'داخلي'],
  'pp.by': [(actor) => `recorded by ${actor}`, (actor) => `سجّله ${actor}`],
  'pp.approvedBy': [(who) => `approved by ${who}`, (who) => `وافق عليه ${who}`],
  'pp.recordedAt': [(at) => `recorded ${at}`, (at) => `سُجّل ${at}`],
  'pp.stageMove': [(from, to) => `${from} → ${to}`, (from, to) => `${from} ← ${to}`],
  'pp.retracted': [(by, at) => `Retracted by ${by} on ${at}: `, (by, at) => `سحبه ${by} في ${at}: `],
  'pp.source': ['Source', 'المصدر'],
  'pp.claimStep': [(status) => `Claim ${status}`, (status) => `ادعاء: ${status}`],
  'pp.contact': [(channel, name) => `${channel} with ${name}`, (channel, name) => `${channel} مع ${name}`],
  'pp.note': ['Note', 'ملاحظة'],
  'pp.chart': ['Timeline', 'الجدول الزمني'],
  'pp.chartAlt': [(name) => `Formation history of ${name}: its stages along the days from the election, with the deadline`, (name) => `تاريخ تشكيل ${name}: مراحلها على أيام ما بعد الانتخابات، مع المهلة`],
  'pp.proposals': ['Waiting for a second editor', 'بانتظار محرّر ثانٍ'],
  'pp.proposalsEmpty': ['No pending proposal.', 'لا اقتراح معلّق.'],
  'pp.proposedBy': [(who, at) => `proposed by ${who} at ${at}`, (who, at) => `اقترحه ${who} في ${at}`],
  'pp.waiting': ['Waiting for a second editor to approve.', 'بانتظار موافقة محرّر ثانٍ.'],
  'pp.approve': ['Approve', 'موافقة'],
  'pp.reject': ['Reject', 'رفض'],
  'pp.withdraw': ['Withdraw', 'سحب الاقتراح'],
  'pp.rejectReason': ['Why (the proposer will see it)', 'لماذا (سيراه صاحب الاقتراح)'],
  'pp.confirmReject': ['Reject the proposal', 'ارفض الاقتراح'],
  'pp.confirmWithdraw': ['Withdraw my proposal', 'اسحب اقتراحي'],
  'pp.cancel': ['Cancel', 'إلغاء'],
  'pp.approved': [(type) => `Approved and applied: ${type}.`, (type) => `تمت الموافقة والتطبيق: ${type}.`],
  'pp.rejected': ['Proposal rejected.', 'رُفض الاقتراح.'],
  'pp.withdrawn': ['Proposal withdrawn.', 'سُحب الاقتراح.'],
  'pp.retractOf': [(seq) => `Retract event ${seq}`, (seq) => `سحب الحدث ${arabicDigits(seq)}`],
  'pp.claims': ['Claims', 'الادعاءات'],
  'pp.claimsEmpty': ['No open claim.', 'لا ادعاء مفتوح.'],
  'pp.claimBy': [(source, at) => `${source}, ${at}`, (source, at) => `${source}، ${at}`],
  'pp.claimEvent': [(type) => `Would record: ${type}`, (type) => `سيسجّل: ${type}`],
  'pp.deny': ['Deny', 'نفي'],
  'pp.confirm': ['Confirm', 'تأكيد'],
  'pp.confirmApply': ['Confirm and apply', 'تأكيد وتطبيق'],
  'pp.stepDeny': [(text) => `Deny the claim “${text}”`, (text) => `نفي الادعاء «${text}»`],
  'pp.stepConfirm': [(text) => `Confirm the claim “${text}”`, (text) => `تأكيد الادعاء «${text}»`],
  'pp.stepConfirmApply': [(text) => `Confirm the claim “${text}” and record its event`, (text) => `تأكيد الادعاء «${text}» وتسجيل حدثه`],
  'pp.stepDone:deny': ['Claim denied.', 'نُفي الادعاء.'],
  'pp.stepDone:confirm': ['Claim confirmed.', 'تأكّد الادعاء.'],
  'pp.stepDoneApplied': [(seq) => `Claim confirmed; its event was recorded (event ${seq}).`, (seq) => `تأكّد الادعاء وسُجّل حدثه (الحدث ${arabicDigits(seq)}).`],
  'pp.newClaim': ['Record a claim', 'سجّل ادعاءً'],
  'pp.claimRecorded': ['Claim recorded.', 'سُجّل الادعاء.'],
  'pp.claimEventNone': ['No event', 'بلا حدث'],
  'pp.contactTitle': ['Log a call or contact', 'سجّل اتصالًا'],
  'pp.contactNote': ['Contacts stay in the newsroom: never published.', 'الاتصالات تبقى داخل غرفة الأخبار ولا تُنشر.'],
  'pp.contactLogged': ['Contact logged.', 'سُجّل الاتصال.'],
  'pp.logContact': ['Log the contact', 'سجّل الاتصال'],
  'pp.record': ['Record an event', 'سجّل حدثًا'],
  'pp.recordNote': ['Only the events this province accepts now are offered.', 'تُعرض فقط الأحداث التي تقبلها المحافظة الآن.'],
  'pp.eventChoice': ['Event', 'الحدث'],
  'pp.submitEvent': ['Record the event', 'سجّل الحدث'],
  'pp.submitting': ['Recording…', 'جارٍ التسجيل…'],
  'pp.recorded': [(type, seq, at) => `Recorded: ${type} (event ${seq}), ${at} Baghdad time.`, (type, seq, at) => `سُجّل: ${type} (الحدث ${arabicDigits(seq)})، ${at} بتوقيت بغداد.`],
  'pp.proposed': [(type) => `Proposed: ${type}. Waiting for a second editor.`, (type) => `اقتُرح: ${type}. بانتظار محرّر ثانٍ.`],
  'pp.noEvents': ['This province accepts no event now.', 'لا تقبل هذه المحافظة أي حدث الآن.'],
  'pp.notAllowedNow': [(type, stage) => `${type} is no longer accepted: the province is now at “${stage}”.`, (type, stage) => `لم يعد ${type} مقبولًا: المحافظة الآن في مرحلة «${stage}».`],
  'pp.changedWhileWriting': [(v) => `This province changed while you were writing (now version ${v}). Check its history; submitting will ask you to reload.`, (v) => `تغيّرت هذه المحافظة أثناء كتابتك (الإصدار ${arabicDigits(v)} الآن). راجع سجلها؛ سيطلب منك الإرسال إعادة التحميل.`],
  'pp.backdated': [(n, list) => `This goes before ${plural(n, 'later event')} (${list}); the history will be replayed from there.`, (n, list) => `يقع هذا قبل ${arabicCount(n, { one: 'حدث واحد لاحق', two: 'حدثين لاحقين', few: '# أحداث لاحقة', many: '# حدثًا لاحقًا', other: '# حدث لاحق' })} (${list})؛ سيُعاد تشغيل السجل من هناك.`],
  'pp.backdatedConfirm': ['Record it before them', 'سجّله قبلها'],
  'pp.backdatedCancel': ['Change the date', 'غيّر التاريخ'],
  'pp.reload': ['Reload the province (keeps what you typed)', 'أعد تحميل المحافظة (يبقى ما كتبته)'],
  'pp.reloaded': [(v) => `Reloaded: the form now answers version ${v}. Check the history, then submit again.`, (v) => `أُعيد التحميل: النموذج الآن على الإصدار ${arabicDigits(v)}. راجع السجل ثم أرسل مجددًا.`],
  'pp.retract': ['Retract', 'سحب'],
  'pp.retractWhich': [(seq) => ` event ${seq}`, (seq) => ` الحدث ${arabicDigits(seq)}`],
  'pp.retractSubmit': [(seq) => `Retract event ${seq}`, (seq) => `اسحب الحدث ${arabicDigits(seq)}`],
  'pp.retracted.ok': [(seq) => `Event ${seq} retracted.`, (seq) => `سُحب الحدث ${arabicDigits(seq)}.`],
  'pp.retractProposed': [(seq) => `Retraction of event ${seq} proposed. Waiting for a second editor.`, (seq) => `اقتُرح سحب الحدث ${arabicDigits(seq)}. بانتظار محرّر ثانٍ.`],
  'pp.liveChanged': [(name) => `${name} was updated.`, (name) => `حُدّثت ${name}.`],

  // refusals, in plain words
  'err.network': ['Could not reach the API. What you typed is kept; try again.', 'تعذّر الوصول إلى الواجهة. ما كتبته محفوظ؛ حاول مجددًا.'],
  'err.stale': ['Someone changed this province since you opened this form — reload it to see what changed. What you typed is kept.', 'غيّر أحدهم هذه المحافظة منذ فتحت هذا النموذج — أعد تحميلها لترى ما تغيّر. ما كتبته محفوظ.'],
  'err.forbidden': [(role) => `Your key (${role}) may not do this.`, (role) => `مفتاحك (${MESSAGES[`role:${role}`]?.[1] ?? role}) لا يسمح بهذا.`],
  'err.invalidTransition': [(type, stage, allowed) => `${type} is not accepted at stage “${stage}”. Accepted now: ${allowed}.`, (type, stage, allowed) => `${type} غير مقبول في مرحلة «${stage}». المقبول الآن: ${allowed}.`],
  'err.historyConflict': [(what, broken) => `This would break ${broken} later in the history, so nothing was changed. ${what}`, (what, broken) => `سيكسر هذا ${broken} لاحقًا في السجل، فلم يُغيَّر شيء. ${what}`],
  'err.brokenEvent': [(seq, type, at) => `event ${seq} (${type}, ${at})`, (seq, type, at) => `الحدث ${arabicDigits(seq)} (${type}، ${at})`],
  'err.alreadyRetracted': ['This event is already retracted.', 'سُحب هذا الحدث من قبل.'],
  'err.inFlight': ['This is already being recorded.', 'يجري تسجيل هذا بالفعل.'],
  'err.selfApproval': ['You proposed this: a second editor must approve it.', 'أنت صاحب هذا الاقتراح: يجب أن يوافق عليه محرّر ثانٍ.'],
  'err.proposalStale': ['The province changed since this was proposed, so it can no longer be applied. Propose it again.', 'تغيّرت المحافظة منذ الاقتراح، فلم يعد تطبيقه ممكنًا. اقترحه مجددًا.'],
  'err.notPending': [(status) => `This proposal is already ${status}.`, (status) => `هذا الاقتراح ${status} بالفعل.`],
  'err.approvalRequired': ['The two-person rule is on: confirm the claim without applying it, then propose its event for a second editor.', 'قاعدة الشخصين مفعّلة: أكّد الادعاء دون تطبيقه، ثم اقترح حدثه على محرّر ثانٍ.'],
  'err.claimMove': [(status, allowed) => `A ${status} claim cannot move this way; allowed: ${allowed}.`, (status, allowed) => `لا يمكن نقل ادعاء ${status} بهذه الطريقة؛ المسموح: ${allowed}.`],
  'err.notFound': ['Not found: it may have been removed. Reload the page.', 'غير موجود: ربما أُزيل. أعد تحميل الصفحة.'],
  'err.rateLimited': ['Too many requests: wait a moment and try again.', 'طلبات كثيرة: انتظر قليلًا وحاول مجددًا.'],
  'err.unavailable': ['The database is not reachable right now. What you typed is kept; try again.', 'قاعدة البيانات غير متاحة الآن. ما كتبته محفوظ؛ حاول مجددًا.'],
  'err.other': [(detail) => `The API refused: ${detail}`, (detail) => `رفضت الواجهة: ${detail}`],
  'guard:majority-not-reached': [
    (v) => `${v.votes} votes of ${v.seats} is not an absolute majority (${v.majority}).`,
    (v) => `${arabicDigits(v.votes)} صوتًا من ${arabicDigits(v.seats)} ليست أغلبية مطلقة (${arabicDigits(v.majority)}).`,
  ],
  'guard:not-a-nominee': [
    (v) => `${v.name} is not a nominee${v.nominees ? `; the nominees are ${v.nominees}` : ' (there is none yet)'}.`,
    (v) => `${v.name} ليس من المرشحين${v.nominees ? `؛ المرشحون: ${v.nominees}` : ' (لا مرشح بعد)'}.`,
  ],
  'guard:already-nominated': [(v) => `${v.name} is already a nominee.`, (v) => `${v.name} مرشح بالفعل.`],
  'guard:already-convened': [(v) => `The council has already convened${v.at ? ` (${v.at})` : ''}.`, (v) => `انعقد المجلس من قبل${v.at ? ` (${v.at})` : ''}.`],
  'guard:present-exceeds-seats': [(v) => `${v.present} present is more than the council's ${v.seats} seats.`, (v) => `عدد الحاضرين ${arabicDigits(v.present)} أكبر من مقاعد المجلس (${arabicDigits(v.seats)}).`],
  'guard:votes-exceed-present': [(v) => `${v.votes} votes is more than the ${v.present} members present.`, (v) => `${arabicDigits(v.votes)} صوتًا أكثر من الأعضاء الحاضرين (${arabicDigits(v.present)}).`],
  'guard:decree-already-recorded': ['The decree is already recorded.', 'سُجّل المرسوم من قبل.'],
  'guard:already-contested': ['The province is already contested: a ruling settles it first.', 'المحافظة موضع طعن قائم: يُحسم بقرار أولًا.'],

  // the digest page
  'dg.title': ['Daily digest', 'الموجز اليومي'],
  'dg.date': ['Day (Baghdad)', 'اليوم (بغداد)'],
  'dg.lang': ['Language of the digest', 'لغة الموجز'],
  'dg.show': ['Show', 'اعرض'],
  'dg.copy': ['Copy as Markdown', 'انسخ بصيغة Markdown'],
  'dg.copied': ['Copied the Markdown to the clipboard.', 'نُسخ نص Markdown إلى الحافظة.'],
  'dg.copyFailed': ['Could not copy: select the Markdown below and copy it.', 'تعذّر النسخ: حدّد نص Markdown أدناه وانسخه.'],
  'dg.markdown': ['The Markdown', 'نص Markdown'],
  'dg.loading': ['Loading the digest…', 'جارٍ تحميل الموجز…'],
  'dg.failed': [(m) => `Could not load the digest: ${m}`, (m) => `تعذّر تحميل الموجز: ${m}`],
  'dg.alerts': ['Alerts open at the end of the day', 'التنبيهات المفتوحة في نهاية اليوم'],
  'dg.changes': ["The day's changes", 'تغييرات اليوم'],
  'dg.corrections': ['Corrections', 'التصحيحات'],
  'dg.reports': ['Reports', 'التقارير'],
  'dg.claims': ['Claims', 'الادعاءات'],
  'dg.provinces': ['Every province', 'كل المحافظات'],
  'dg.none': ['None.', 'لا شيء.'],
  'dg.new': ['new', 'جديد'],
  'dg.late': ['late', 'متأخر'],
  'dg.timeNotReported': ['time not reported', 'لم يُذكر الوقت'],
  'dg.retractedBecause': [(type, seq, reason) => `${type} (event ${seq}) retracted: ${reason}`, (type, seq, reason) => `سُحب ${type} (الحدث ${arabicDigits(seq)}): ${reason}`],
  'dg.claimGroup:reported': ['Reported today', 'نُقلت اليوم'],
  'dg.claimGroup:denied': ['Denied today', 'نُفيت اليوم'],
  'dg.claimGroup:confirmed': ['Confirmed today', 'تأكّدت اليوم'],
  'dg.claimGroup:retracted': ['Retracted today', 'سُحبت اليوم'],
  'dg.claimGroup:unconfirmed': ['Still unconfirmed at the end of the day', 'ما زالت غير مؤكدة في نهاية اليوم'],
};

/** The text of `key` in the current language (or `l`); unknown keys come back as themselves, so a gap shows. */
export function t(key, ...args) {
  return tIn(lang, key, ...args);
}

export function tIn(l, key, ...args) {
  const entry = MESSAGES[key];
  if (!entry) return key;
  const value = entry[l === 'ar' ? 1 : 0];
  return typeof value === 'function' ? value(...args) : value;
}

export const hasMessage = (key) => key in MESSAGES;
/** For the unit spec: every key with its two texts (functions stay functions). */
export const MESSAGE_KEYS = Object.keys(MESSAGES);

/** Re-translate every element under `root` that carries data-t (and data-t-attr for an attribute instead of the text). */
export function translateAll(root) {
  for (const el of root.querySelectorAll('[data-t]')) {
    const args = el.dataset.tArgs ? JSON.parse(el.dataset.tArgs) : [];
    const text = t(el.dataset.t, ...args);
    if (el.dataset.tAttr) el.setAttribute(el.dataset.tAttr, text);
    else el.textContent = text;
  }
  if (root === globalThis.document) document.title = t('page.title');
}
