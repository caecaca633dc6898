import { ARABIC_WEEKDAYS, IRAQI_MONTHS, arabicDate, arabicDigits, arabicLongDate, hijriDate } from './arabic-calendar.js';

describe('Arabic dates', () => {
  test('Iraqi month names, Arabic weekday, Arabic-Indic digits', () => {
    expect(arabicLongDate('2024-02-09')).toBe('الجمعة ٩ شباط ٢٠٢٤');
    expect(arabicLongDate('2023-12-18')).toBe('الاثنين ١٨ كانون الأول ٢٠٢٣');
    expect(arabicDate('2024-01-01')).toBe('١ كانون الثاني ٢٠٢٤');
    expect(arabicDigits('2024-02-09 23:59')).toBe('٢٠٢٤-٠٢-٠٩ ٢٣:٥٩');
  });

  test('the Umm al-Qura Hijri date', () => {
    expect(hijriDate('2024-02-09')).toBe('٢٨ رجب ١٤٤٥ هـ');
    expect(hijriDate('2024-03-11')).toBe('١ رمضان ١٤٤٥ هـ');
  });

  describe("what Intl.DateTimeFormat('ar-IQ') prints on this Node (pinned: a new ICU that changes it fails here)", () => {
    const long = new Intl.DateTimeFormat('ar-IQ', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Baghdad' });

    test('the long date, with an Arabic comma after the weekday (which our form leaves out)', () => {
      expect(long.format(new Date('2024-02-09T12:00:00Z'))).toBe('الجمعة، ٩ شباط ٢٠٢٤');
      expect(long.format(new Date('2024-02-09T21:00:00Z'))).toBe('السبت، ١٠ شباط ٢٠٢٤'); // midnight in Baghdad
      expect(new Intl.DateTimeFormat('ar-IQ', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Baghdad' }).format(new Date('2024-02-09T12:00:00Z'))).toBe(
        '١٥:٠٠',
      );
    });

    test('our month and weekday tables are its words, and our dates its parts', () => {
      const month = new Intl.DateTimeFormat('ar-IQ', { month: 'long', timeZone: 'UTC' });
      expect(IRAQI_MONTHS.map((_, i) => month.format(new Date(Date.UTC(2024, i, 15))))).toEqual([...IRAQI_MONTHS]);
      const weekday = new Intl.DateTimeFormat('ar-IQ', { weekday: 'long', timeZone: 'UTC' });
      expect(ARABIC_WEEKDAYS.map((_, i) => weekday.format(new Date(Date.UTC(2024, 1, 4 + i))))).toEqual([...ARABIC_WEEKDAYS]); // 4 Feb 2024 was a Sunday
      for (let day = 0; day < 400; day += 7) {
        const date = new Date(Date.UTC(2023, 11, 18 + day)).toISOString().slice(0, 10);
        const parts = long.formatToParts(new Date(`${date}T12:00:00Z`)).filter((p) => p.type !== 'literal');
        expect([date, arabicLongDate(date)]).toEqual([date, parts.map((p) => p.value).join(' ')]);
      }
    });
  });
});
