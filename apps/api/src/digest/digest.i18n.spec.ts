import { DIGEST_LANGS, digestMessages } from './digest.i18n.js';

const en = digestMessages('en');
const ar = digestMessages('ar');

describe('the digest catalogue', () => {
  test('every label exists in every language, with the same shape', () => {
    const shape = (v: unknown): unknown =>
      typeof v === 'function' ? `fn/${v.length}` : Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).sort() : typeof v;
    for (const lang of DIGEST_LANGS) {
      const m = digestMessages(lang);
      expect(Object.keys(m).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        if (key === 'lang') continue;
        expect([lang, key, shape(m[key])]).toEqual([lang, key, shape(en[key])]);
      }
    }
  });

  test('Arabic labels are Arabic: no Latin letters in any label table', () => {
    for (const key of ['stage', 'tier', 'deadlineStatus', 'alertKind', 'reportKind', 'eventType', 'mdTableHeader'] as const) {
      for (const value of Object.values(ar[key])) expect([key, value, /[A-Za-z]/.test(value)]).toEqual([key, value, false]);
    }
  });

  test('days, with Arabic number agreement', () => {
    expect([3, 1, 0, -1, -5].map(en.daysPhrase)).toEqual(['3 days left', '1 day left', 'deadline today', '1 day overdue', '5 days overdue']);
    expect([1, 2, 3, 11, 100, 0, -1, -2, -12].map(ar.daysPhrase)).toEqual([
      'بقي على المهلة يوم واحد',
      'بقي على المهلة يومان',
      'بقي على المهلة ٣ أيام',
      'بقي على المهلة ١١ يومًا',
      'بقي على المهلة ١٠٠ يوم',
      'تنتهي المهلة اليوم',
      'مضى على انقضاء المهلة يوم واحد',
      'مضى على انقضاء المهلة يومان',
      'مضى على انقضاء المهلة ١٢ يومًا',
    ]);
  });

  test('event summaries in Arabic: Arabic names first, counts in Arabic-Indic digits, dates in words', () => {
    expect(ar.eventSummary('NOMINATE', { candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' } })).toBe('رُشّح أسعد العيداني (Asaad Al-Eidani، Tasmim)');
    expect(ar.eventSummary('APPOINT', { governor: 'Asaad Al-Eidani', votes: 13, present: 20 }, 23)).toBe('انتُخب Asaad Al-Eidani محافظًا (الأصوات: ١٣ من ٢٣، الحضور: ٢٠)');
    expect(ar.eventSummary('ASSIGN_TIER', { tier: 'B' })).toBe('صُنّفت في الفئة ب');
    expect(ar.eventSummary('SET_DEADLINE', { deadline: '2024-02-20', basis: 'Law 21' })).toBe('حُدّدت المهلة بيوم ٢٠ شباط ٢٠٢٤ (Law 21)');
    expect(ar.eventSummary('REPORT', { kind: 'rumor', text: 'x' })).toBe('شائعة: x');
    expect(en.eventSummary('ASSIGN_TIER', { tier: 'B' })).toBe('Assigned to tier B');
  });

  test('times in Baghdad, in words', () => {
    expect(ar.localTime('23:59')).toBe('٢٣:٥٩');
    expect(ar.localTime('2024-02-06 02:00')).toBe('٦ شباط ٢٠٢٤، ٠٢:٠٠');
    expect(en.localTime('2024-02-06 02:00')).toBe('2024-02-06 02:00');
  });
});
