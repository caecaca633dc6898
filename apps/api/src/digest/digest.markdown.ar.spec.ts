import { buildDigest, labelDigest, type DigestInput } from './digest.builder.js';
import { digestMessages } from './digest.i18n.js';
import { renderDigestMarkdown } from './digest.markdown.js';

const rules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };
const ar = digestMessages('ar');
const RLM = '\u200F';

const input: DigestInput = {
  date: '2024-02-09',
  rules,
  provinces: [
    { slug: 'basra', name: 'Basra', nameAr: 'البصرة', seats: 23, state: null },
    { slug: 'dhi-qar', name: 'Dhi Qar', nameAr: 'ذي قار', seats: 18, state: null },
  ],
  events: [
    {
      province: 'basra',
      seq: 4,
      type: 'REPORT',
      payload: { kind: 'session_failed', text: 'No quorum <b>again</b>' },
      occurredAt: new Date('2024-02-09T08:30:00Z'),
      occurredAtPrecision: 'minute',
      source: { name: 'Rudaw', url: 'https://rudaw.net/a' },
      confidence: 'reported',
      fromStage: 'criteria',
      toStage: 'criteria',
      late: false,
    },
    {
      province: 'dhi-qar',
      seq: 1,
      type: 'ASSIGN_TIER',
      payload: { tier: 'B' },
      occurredAt: new Date('2024-02-08T21:00:00Z'),
      occurredAtPrecision: 'minute',
      source: { name: 'Shafaq News' },
      confidence: 'reported',
      fromStage: 'criteria',
      toStage: 'tier',
      late: false,
    },
  ],
  corrections: [{ province: 'basra', seq: 2, type: 'NOMINATE', reason: 'A rumour', retractedAt: new Date('2024-02-09T10:00:00Z') }],
};

describe('the Arabic digest', () => {
  const d = buildDigest(input, ar);
  const md = renderDigestMarkdown(d, ar);
  const lines = md.split('\n');

  test('Markdown: no HTML wrapper, an Arabic title with the Arabic and ISO dates, RLM at the start of each line of text (inside its opening emphasis)', () => {
    expect(lines[0]).toBe(`# ${RLM}موجز اختيار المحافظين — الجمعة ٩ شباط ٢٠٢٤ (2024-02-09)`);
    expect(md).not.toContain('<div');
    expect(md).toContain(`${RLM}المهلة: نهاية يوم الجمعة ٩ شباط ٢٠٢٤ (2024-02-09) بتوقيت بغداد — تنتهي المهلة اليوم.`);
    expect(md).toContain('(٢٨ رجب ١٤٤٥ هـ)');
    expect(md).toContain(`- **${RLM}المحافظات بلا محافظ`);
    expect(md).toContain(`_${RLM}لا ادعاء بانتظار التأكيد._`);
    for (const line of lines) {
      if (line === '' || /^\|[-|]+\|$/.test(line)) continue;
      expect([line, line.replace(/^(#+ |- |\| )?(_|\*\*)?/, '').startsWith(RLM)]).toEqual([line, true]);
    }
  });

  test('Markdown: sections, items and the table in Arabic, Arabic province names, Baghdad times in Arabic-Indic digits', () => {
    expect(md).toContain(`## ${RLM}تجاوز المهلة (٢)`);
    expect(md).toContain(`- ${RLM}البصرة — لا محافظ حتى انقضاء المهلة (منذ ٩ شباط ٢٠٢٤، ٢٣:٥٩) — **جديد**`);
    expect(md).toContain(`- ${RLM}٠٠:٠٠ — ذي قار: صُنّفت في الفئة ب — Shafaq News (منقول، غير مؤكد)`);
    expect(md).toContain(`- ${RLM}١١:٣٠ — البصرة: تعذّر انعقاد الجلسة: «No quorum \\<b\\>again\\</b\\>» — [Rudaw](https://rudaw.net/a)`);
    expect(md).toContain(`- ${RLM}١٣:٠٠ — البصرة: سُحب الحدث ٢ (ترشيح): A rumour`);
    expect(md).toContain(`| ${RLM}المحافظة | ${RLM}المرحلة | ${RLM}الفئة | ${RLM}المحافظ | ${RLM}المهلة |`);
    expect(md).toContain(`| ${RLM}ذي قار | ${RLM}تحديد المعايير | ${RLM}— | ${RLM}— | ${RLM}تجاوزت المهلة |`);
    expect(md).not.toMatch(/Breaches|Changes|Reports|Corrections|Provinces|deadline/);
  });

  test('JSON: the same keys and codes as English, Arabic headline and summaries, and labels', () => {
    const english = buildDigest(input);
    const labelled = labelDigest(d, ar);
    expect(Object.keys(labelled)).toEqual(expect.arrayContaining(Object.keys(english)));
    expect({ ...labelled.totals }).toEqual(english.totals);
    expect(labelled.provinces.map((p) => p.stage)).toEqual(english.provinces.map((p) => p.stage));
    expect(labelled).toMatchObject({
      lang: 'ar',
      dateLabel: 'الجمعة ٩ شباط ٢٠٢٤',
      dateHijri: '٢٨ رجب ١٤٤٥ هـ',
      daysLabel: 'تنتهي المهلة اليوم',
      headline: ['المحافظات بلا محافظ: ٢ من ٢، تنتهي المهلة اليوم', 'محافظات تجاوزت المهلة: ٢ (منها ٢ جديدة)', 'يوم ٩ شباط ٢٠٢٤: التغييرات ١، التقارير ١، التصحيحات ١'],
      changes: [{ type: 'ASSIGN_TIER', summary: 'صُنّفت في الفئة ب', typeLabel: 'تحديد الفئة', provinceLabel: 'ذي قار', occurredAtLabel: '٩ شباط ٢٠٢٤، ٠٠:٠٠' }],
      reports: [{ kind: 'session_failed', kindLabel: 'تعذّر انعقاد الجلسة' }],
      alerts: [{ kind: 'breach', kindLabel: 'تجاوز المهلة' }, { kind: 'breach' }],
      provinces: [{ slug: 'basra', nameAr: 'البصرة', stageLabel: 'تحديد المعايير', tierLabel: '—', deadlineStatusLabel: 'تجاوزت المهلة' }, { slug: 'dhi-qar', tierLabel: '—' }],
    });
  });

  test('English is untouched by the catalogue: no RTL mark, no labels', () => {
    const english = renderDigestMarkdown(buildDigest(input));
    expect(english.startsWith('# Governor selection digest — Friday 9 February 2024\n')).toBe(true);
    expect(english).not.toContain(RLM);
    expect(english).not.toContain('<div');
  });
});

test('Arabic: a day-precision event says the time was not reported (Markdown) and its label names the day alone (JSON)', () => {
  const dayOnly: DigestInput = {
    ...input,
    events: input.events.map((e) => ({ ...e, occurredAt: new Date('2024-02-09T09:00:00Z'), occurredAtPrecision: 'day' as const })),
  };
  const d = buildDigest(dayOnly, ar);
  const md = renderDigestMarkdown(d, ar);
  expect(md).toContain(`- ${RLM}لم يُذكر الوقت — ذي قار: صُنّفت في الفئة ب — Shafaq News (منقول، غير مؤكد)`);
  expect(md).toContain(`- ${RLM}لم يُذكر الوقت — البصرة: تعذّر انعقاد الجلسة: «No quorum \\<b\\>again\\</b\\>» — [Rudaw](https://rudaw.net/a)`);
  expect(md).not.toContain('١٢:٠٠');
  const labelled = labelDigest(d, ar);
  expect(labelled.changes.map((c) => c.occurredAtLabel)).toEqual(['الجمعة ٩ شباط ٢٠٢٤']);
  expect(labelled.reports.map((r) => r.occurredAtLabel)).toEqual(['الجمعة ٩ شباط ٢٠٢٤']);
});
