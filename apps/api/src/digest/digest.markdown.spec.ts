import { buildDigest } from './digest.builder.js';
import { mdText, renderDigestMarkdown } from './digest.markdown.js';

const rules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };

function sample() {
  return buildDigest({
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
        payload: { kind: 'session_failed', text: 'No quorum <b>again</b>\nadjourned' },
        occurredAt: new Date('2024-02-09T08:30:00Z'),
        occurredAtPrecision: 'minute',
        source: { name: 'Rudaw', url: 'https://rudaw.net/a_(b)' },
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
    corrections: [{ province: 'basra', seq: 2, type: 'NOMINATE', reason: 'A rumour | not a fact', retractedAt: new Date('2024-02-09T10:00:00Z') }],
  });
}

describe('renderDigestMarkdown', () => {
  const md = renderDigestMarkdown(sample());

  test('headline first, then breaches, changes, reports, corrections, provinces', () => {
    const order = ['**2 of 2 provinces without a governor, deadline today**', '## Breaches (2)', '## Changes (1)', '## Reports (1)', '## Corrections (1)', '## Provinces'];
    const at = order.map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md.startsWith('# Governor selection digest — Friday 9 February 2024\n')).toBe(true);
  });

  test("embeds the day's timeline as an image after the headline", () => {
    expect(md).toContain('![Formation timeline to the end of 2024-02-09](/api/v1/charts/timeline.svg?until=2024-02-09)');
    expect(md.indexOf('![Formation timeline')).toBeLessThan(md.indexOf('## Breaches'));
  });

  test('under PUBLIC_BASE_URL the picture is absolute, naming the cycle the request named', () => {
    const digest = buildDigest({ date: '2024-02-09', rules, provinces: [], events: [], corrections: [], cycle: 'iraq-2025', publicBaseUrl: 'https://tracker.example.org' });
    expect(digest.timeline).toBe('https://tracker.example.org/api/v1/charts/timeline.svg?until=2024-02-09&cycle=iraq-2025');
    expect(renderDigestMarkdown(digest)).toContain('](https://tracker.example.org/api/v1/charts/timeline.svg?until=2024-02-09&cycle=iraq-2025)');
  });

  test('names in English and Arabic, times in Baghdad, flags on unconfirmed changes', () => {
    expect(md).toContain('- Basra (البصرة) — no governor by the deadline (since 2024-02-09 23:59) — **new**');
    expect(md).toContain('- 00:00 — Dhi Qar (ذي قار): Assigned to tier B — Shafaq News (reported, unconfirmed)');
    expect(md).toContain('| Dhi Qar (ذي قار) | criteria | — | — | breached |');
  });

  test('editor text cannot inject markup; links cannot break out', () => {
    expect(md).toContain('- 11:30 — Basra (البصرة): session failed: “No quorum \\<b\\>again\\</b\\> adjourned” — [Rudaw](https://rudaw.net/a_%28b%29)');
    expect(md).toContain('retracted: A rumour \\| not a fact');
    expect(md).not.toContain('<b>');
  });

  test('an empty day says so in each section', () => {
    const quiet = renderDigestMarkdown(buildDigest({ date: '2024-01-05', rules, provinces: [], events: [], corrections: [] }));
    expect(quiet).toContain('_No province is in breach of the deadline._');
    expect(quiet).toContain('_No changes on this day._');
    expect(quiet).toContain('_No reports on this day._');
    expect(quiet).toContain('_No corrections on this day._');
  });
});

test('mdText escapes Markdown and HTML starters and folds newlines', () => {
  expect(mdText('a*b_c [x](y) <i> `z` | ~s~\r\n next')).toBe('a\\*b\\_c \\[x\\](y) \\<i\\> \\`z\\` \\| \\~s\\~ next');
});

test('claims: the day’s steps by kind, then every claim still unconfirmed; internal ones marked', () => {
  const md = renderDigestMarkdown(
    buildDigest({
      date: '2024-02-09',
      rules,
      provinces: [{ slug: 'basra', name: 'Basra', nameAr: 'البصرة', seats: 23, state: null }],
      events: [],
      corrections: [],
      includeInternal: true,
      claims: {
        steps: [{ id: 'a', province: 'basra', text: 'Hikma gets *Basra*', subject: 'Hikma', internal: true, status: 'denied', source: { name: 'Rudaw' }, at: new Date('2024-02-09T08:30:00Z') }],
        unconfirmed: [{ id: 'b', province: 'basra', text: 'Al-Eidani stays', subject: null, internal: false, status: 'reported', source: { name: 'Shafaq News' }, at: new Date('2024-01-20T15:00:00Z') }],
      },
    }),
  );
  expect(md).toContain('## Claims (1 today, 1 still unconfirmed)');
  expect(md).toContain('### Denied today (1)\n\n- 11:30 — Basra (البصرة): “Hikma gets \\*Basra\\*” (Hikma) — Rudaw — _internal_');
  expect(md).not.toContain('### Confirmed today');
  expect(md).toContain('### Still unconfirmed (1)\n\n- reported 2024-01-20 18:00 — Basra (البصرة): “Al-Eidani stays” — Shafaq News');
});

describe('an event whose sources report only its day (occurredAtPrecision: day)', () => {
  // At 12:00 Baghdad (09:00Z), where the shipped history puts an event whose time was not reported.
  const dayOnly = buildDigest({
    date: '2024-02-05',
    rules,
    provinces: [{ slug: 'salahuddin', name: 'Salahuddin', nameAr: 'صلاح الدين', seats: 29, state: null }],
    events: [
      {
        province: 'salahuddin',
        seq: 2,
        type: 'CONVENE',
        payload: {},
        occurredAt: new Date('2024-02-05T09:00:00Z'),
        occurredAtPrecision: 'day',
        source: { name: 'Shafaq News' },
        confidence: 'confirmed',
        fromStage: 'tier',
        toStage: 'candidate',
        late: false,
      },
      {
        province: 'salahuddin',
        seq: 3,
        type: 'REPORT',
        payload: { kind: 'rumor', text: 'A deal is near' },
        occurredAt: new Date('2024-02-05T09:00:00Z'),
        occurredAtPrecision: 'day',
        source: { name: 'Rudaw' },
        confidence: 'reported',
        fromStage: 'candidate',
        toStage: 'candidate',
        late: false,
      },
    ],
    corrections: [],
  });

  test('its change and report lines print no time of day: the 12:00 it is stored at was never reported', () => {
    const md = renderDigestMarkdown(dayOnly);
    expect(md).toContain('- time not reported — Salahuddin (صلاح الدين): Council convened — Shafaq News');
    expect(md).toContain('- time not reported — Salahuddin (صلاح الدين): rumor: “A deal is near” — Rudaw');
    expect(md).not.toContain('12:00');
  });

  test('the JSON keeps the precision beside the instant', () => {
    expect(dayOnly.changes.map((c) => [c.occurredAt, c.occurredAtPrecision])).toEqual([['2024-02-05T09:00:00.000Z', 'day']]);
    expect(dayOnly.reports.map((r) => [r.occurredAt, r.occurredAtPrecision])).toEqual([['2024-02-05T09:00:00.000Z', 'day']]);
  });
});
