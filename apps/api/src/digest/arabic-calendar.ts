/**
 * Arabic dates as Iraqi newsrooms write them: Syriac month names (كانون الثاني … كانون الأول), not
 * the Egyptian transliterations (يناير …), and Arabic-Indic digits. Spelled out from tables rather
 * than by Intl, whose punctuation varies with the ICU build (on Node 20 / ICU 78 `ar-IQ` prints
 * «الجمعة، ٩ شباط ٢٠٢٤», with a comma); arabic-calendar.spec.ts pins what Intl prints and checks
 * that the tables agree with it word for word.
 */

export const IRAQI_MONTHS = [
  'كانون الثاني',
  'شباط',
  'آذار',
  'نيسان',
  'أيار',
  'حزيران',
  'تموز',
  'آب',
  'أيلول',
  'تشرين الأول',
  'تشرين الثاني',
  'كانون الأول',
] as const;

/** Sunday first, as Date#getUTCDay counts. */
export const ARABIC_WEEKDAYS = ['الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'] as const;

/** 0–9 → ٠–٩ (Arabic-Indic digits); everything else is kept. */
export function arabicDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);

/** "2024-02-09" → «٩ شباط ٢٠٢٤». */
export function arabicDate(date: string): string {
  const d = utcDay(date);
  return `${arabicDigits(d.getUTCDate())} ${IRAQI_MONTHS[d.getUTCMonth()]} ${arabicDigits(d.getUTCFullYear())}`;
}

/** "2024-02-09" → «الجمعة ٩ شباط ٢٠٢٤». */
export function arabicLongDate(date: string): string {
  return `${ARABIC_WEEKDAYS[utcDay(date).getUTCDay()]} ${arabicDate(date)}`;
}

const hijri = new Intl.DateTimeFormat('ar-IQ-u-ca-islamic-umalqura-nu-arab', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The Umm al-Qura Hijri date of a civil day: "2024-02-09" → «٢٨ رجب ١٤٤٥ هـ». From Intl (ICU holds
 * the Umm al-Qura tables), assembled from its parts so the punctuation is ours.
 */
export function hijriDate(date: string): string {
  const parts = Object.fromEntries(hijri.formatToParts(new Date(`${date}T12:00:00Z`)).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} هـ`;
}
