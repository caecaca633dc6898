import { XMLParser } from 'fast-xml-parser';
import type { FeedAlert, FeedEvent } from './atom.view.js';
import { alertTitle, alertsAtom, changesAtom, eventTitle } from './atom.view.js';

const basra = { name: 'Basra', nameAr: 'البصرة' };
/** The default cycle, not named by the request: the feeds as they were before cycles. */
const DEFAULT = { slug: 'iraq-2023', named: false };

function event(type: string, payload: Record<string, unknown>, extra: Partial<FeedEvent> = {}): FeedEvent {
  return {
    province: 'basra',
    seq: 4,
    type,
    payload,
    occurredAt: '2024-01-25T07:00:00.000Z',
    occurredAtPrecision: 'minute',
    recordedAt: '2026-01-01T10:00:00.000Z',
    actor: 'desk',
    source: { name: 'Shafaq News', url: 'https://shafaq.com/en' },
    confidence: 'confirmed',
    note: null,
    machine: 'province-formation@1',
    fromStage: 'candidate',
    toStage: 'appointed',
    late: false,
    daysToDeadline: 15,
    retracted: false,
    retractedAt: null,
    retractedBy: null,
    retractionReason: null,
    provinceLabel: basra,
    timezone: 'Asia/Baghdad',
    ...extra,
  } as FeedEvent;
}

const alert = (extra: Partial<FeedAlert> = {}): FeedAlert => ({
  id: '7d1f0c1e-9a5b-4c1e-8f5e-2b1c3d4e5f60',
  cycle: 'iraq-2023',
  province: 'basra',
  kind: 'breach',
  status: 'open',
  openedAt: '2024-02-09T20:59:59.999Z',
  detectedAt: '2026-01-01T09:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolution: null,
  detail: 'Basra: no governor appointed by the deadline 2024-02-09 (end of day, Asia/Baghdad).',
  updatedAt: '2026-01-01T09:00:00.000Z',
  provinceLabel: basra,
  ...extra,
});

describe('entry titles', () => {
  test.each([
    ['ASSIGN_TIER', { tier: 'A' }, 'Assigned to tier A'],
    ['APPOINT', { governor: 'Asaad Al-Eidani', votes: 16, present: 22 }, 'Appointed Asaad Al-Eidani (16 votes, 22 present)'],
    ['REPORT', { kind: 'denial', text: 'No deal on Basra' }, 'denial: No deal on Basra'],
  ])('%s %j', (type, payload, summary) => {
    expect(eventTitle(event(type, payload))).toBe(`Basra (البصرة): ${summary}`);
  });

  test('a retracted event says so; a long text is clipped', () => {
    expect(eventTitle(event('ASSIGN_TIER', { tier: 'B' }, { retracted: true }))).toBe('[retracted] Basra (البصرة): Assigned to tier B');
    const title = eventTitle(event('REPORT', { kind: 'note', text: 'x'.repeat(500) }));
    expect([...title]).toHaveLength(160);
    expect(title.endsWith('…')).toBe(true);
  });

  test('alerts: province in both languages, kind and status (with the resolution)', () => {
    expect(alertTitle(alert())).toBe('Basra (البصرة): deadline breached — open');
    expect(alertTitle(alert({ kind: 'at_risk', status: 'acknowledged' }))).toBe('Basra (البصرة): at risk — acknowledged');
    expect(alertTitle(alert({ status: 'resolved', resolution: 'appointed_late' }))).toBe('Basra (البصرة): deadline breached — resolved (appointed late)');
  });
});

describe('Atom documents', () => {
  test('user text is escaped as HTML and characters XML cannot carry are replaced', () => {
    const xml = changesAtom([event('NOMINATE', { candidate: { name: '<script>x</script> & ]]> \uFFFF' } }, { note: '<b>n</b>' })], 'http://h.example', DEFAULT);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<b>n');
    expect(xml).not.toContain('\uFFFF');
    expect(xml).toContain('&lt;script&gt;x&lt;/script&gt; &amp; ]]&gt; \uFFFD');
    // The only CDATA terminator is the library's own, the content's (the title is text).
    expect(xml.split(']]>')).toHaveLength(2);
  });

  test('a day-precision event names its day in the cycle’s zone, not the time it is stored at; updated stays an instant', () => {
    const xml = changesAtom([event('CONVENE', {}, { occurredAt: '2024-02-05T09:00:00.000Z', occurredAtPrecision: 'day' })], 'http://h.example', DEFAULT);
    expect(xml).toContain('Occurred: 2024-02-05 (Asia/Baghdad; only the day is reported); recorded: 2026-01-01T10:00:00.000Z');
    expect(xml).not.toContain('2024-02-05T09:00');
    expect(xml).toContain('<updated>2026-01-01T10:00:00.000Z</updated>');
    expect(changesAtom([event('CONVENE', {})], 'http://h.example', DEFAULT)).toContain('Occurred: 2024-01-25T07:00:00.000Z; recorded');
  });

  test('entry titles are type="text": an XML parser reads the title as written, markup characters included', () => {
    const name = '<i>Ali</i> & "Sara" ]]> x';
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (tag) => tag === 'entry', processEntities: true, htmlEntities: false });
    for (const xml of [changesAtom([event('NOMINATE', { candidate: { name } })], 'http://h.example', DEFAULT), alertsAtom([alert({ provinceLabel: { name, nameAr: 'البصرة' } })], 'http://h.example', DEFAULT)]) {
      const [entry] = parser.parse(xml).feed.entry as { title: { '#text': string; '@_type': string } }[];
      expect(entry.title['@_type']).toBe('text');
      expect(entry.title['#text']).toContain(name);
    }
  });

  test('feed ids are URNs; updated is the newest entry’s (a retraction counts); the same input gives the same bytes', () => {
    const older = event('ASSIGN_TIER', { tier: 'A' }, { seq: 1, recordedAt: '2026-01-01T08:00:00.000Z', retracted: true, retractedAt: '2026-01-02T08:00:00.000Z' });
    const newer = event('CONVENE', {}, { seq: 2 });
    const xml = changesAtom([newer, older], 'http://h.example', DEFAULT);
    expect(xml).toContain('<id>urn:governor-tracker:feed:changes</id>');
    expect(xml).toContain('<id>urn:governor-tracker:event:basra:1</id>');
    expect(xml.split('<entry>')[0]).toContain('<updated>2026-01-02T08:00:00.000Z</updated>');
    expect(changesAtom([newer, older], 'http://h.example', DEFAULT)).toBe(xml);
  });

  test('a feed asked for by cycle names it in its id, title and links; entry ids name every cycle but iraq-2023', () => {
    const e = event('ASSIGN_TIER', { tier: 'A' }, { seq: 3 });
    const named = changesAtom([e], 'http://h.example', { slug: 'iraq-2025', named: true });
    expect(named).toContain('<id>urn:governor-tracker:feed:changes:iraq-2025</id>');
    expect(named).toContain('<id>urn:governor-tracker:event:iraq-2025:basra:3</id>');
    expect(named).toContain('<link rel="self" href="http://h.example/api/v1/feeds/changes.atom?cycle=iraq-2025"/>');
    expect(named).toContain('<link href="http://h.example/api/v1/cycles/iraq-2025/provinces/basra/events"/>');
    // The cycle that existed before cycles keeps its entries' ids whether or not the request names it.
    const first = changesAtom([e], 'http://h.example', { slug: 'iraq-2023', named: true });
    expect(first).toContain('<id>urn:governor-tracker:feed:changes:iraq-2023</id>');
    expect(first).toContain('<id>urn:governor-tracker:event:basra:3</id>');
    const alerts = alertsAtom([alert()], 'http://h.example', { slug: 'iraq-2025', named: true });
    expect(alerts).toContain('<id>urn:governor-tracker:feed:alerts:iraq-2025</id>');
    expect(alerts).toContain('<link rel="self" href="http://h.example/api/v1/feeds/alerts.atom?cycle=iraq-2025"/>');
    expect(alerts).toContain('province=basra&amp;cycle=iraq-2025');
  });

  test('an empty feed has a fixed updated, not the time of the request', () => {
    expect(alertsAtom([], 'http://h.example', DEFAULT)).toContain('<updated>1970-01-01T00:00:00.000Z</updated>');
    expect(alertsAtom([alert()], 'http://h.example', DEFAULT)).toContain('<id>urn:governor-tracker:alert:7d1f0c1e-9a5b-4c1e-8f5e-2b1c3d4e5f60</id>');
  });
});
