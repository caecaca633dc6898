import { writeFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { postEvent, setupSuite } from './support/test-app.js';
import { xmlProblem } from './support/xml-well-formed.js';

/**
 * Issue 8 through HTTP into a real database: the formation timeline (GET /charts/timeline.svg) and
 * the workflow diagram (GET /machine?format=svg). The SVG is checked from its own marks: every mark
 * carries an aria-label that names what it stands for, and positions are read from its geometry.
 *
 * The story (cycle deadline 9 Feb 2024 = 2024-02-09T20:59:59.999Z):
 *   basra     tier A, nominee, appointed 6 Feb (on time)
 *   muthanna  tier A, nominee, appointed 15 Aug (late: only its `appointed` segment)
 *   baghdad   tier B, nominee, never appointed
 *   najaf     tier C
 *   the other eleven: no event (criteria)
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
/** PUBLIC_BASE_URL of this suite (given with a trailing slash, which the links must not double). */
const BASE = 'https://tracker.example.org';
const STORY: [string, Record<string, unknown>][] = [
  ['basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }],
  ['basra', { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' }, occurredAt: '2024-01-20T10:00:00+03:00' }],
  ['basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 13, occurredAt: '2024-02-06T02:00:00+03:00' }],
  ['muthanna', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-11T10:00:00+03:00' }],
  ['muthanna', { type: 'NOMINATE', candidate: { name: 'Mahdi Al-Ramahi', nameAr: 'مهدي الرماحي' }, occurredAt: '2024-01-25T10:00:00+03:00' }],
  ['muthanna', { type: 'APPOINT', governor: 'Mahdi Al-Ramahi', occurredAt: '2024-08-15T12:00:00+03:00' }],
  ['baghdad', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-12T10:00:00+03:00' }],
  ['baghdad', { type: 'NOMINATE', candidate: { name: 'Abdul Muttalib Al-Alawi' }, occurredAt: '2024-01-26T10:00:00+03:00' }],
  ['najaf', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-13T10:00:00+03:00' }],
];

beforeAll(async () => {
  s = await setupSuite('charts', { PUBLIC_BASE_URL: `${BASE}/` });
  for (const [slug, body] of STORY) {
    const res = await postEvent(s.app, s.keys.editor, slug, body);
    expect({ slug, status: res.status, body: res.body }).toMatchObject({ slug, status: 201 });
  }
});
afterAll(async () => s?.teardown());

/** The SVG at `path`, asked with a viewer key, or with none (null). */
async function chart(path: string, key: string | null = s.keys.viewer): Promise<{ res: Response; svg: string }> {
  const req = s.app.http().get(path);
  const res = await (key === null ? req : req.set(s.auth(key))).buffer(true).parse((r, done) => {
    let body = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (body += c));
    r.on('end', () => done(null, body));
  });
  return { res, svg: res.body as string };
}

const decode = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The aria-labels of the marks, decoded: "segment province=… stage=… late=…", "row province=…", "deadline …". */
function labels(svg: string, kind: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => decode(m[1])).filter((l) => l.startsWith(`${kind} `));
}
function field(label: string, name: string): string {
  return new RegExp(`(?:^| )${name}=(.*?)(?= \\w+=|$)`).exec(label)![1];
}

/** The x axis's labels ("1 Feb 2024") and their x, in the plot's coordinates. */
function xTicks(svg: string): { t: number; x: number }[] {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return [...svg.matchAll(/<text[^>]*transform="translate\(([\d.]+),[\d.]+\)"[^>]*>(\d{1,2}) (\w{3}) (\d{4})<\/text>/g)].map((m) => ({
    // The axis group is shifted by half a pixel (crisp lines) from the marks' group.
    x: Number(m[1]) + 0.5,
    // The chart's time scale shows Baghdad wall-clock time as UTC (see timeline.spec-builder.ts).
    t: Date.UTC(Number(m[4]), months.indexOf(m[3]), Number(m[2])),
  }));
}

describe('GET /charts/timeline.svg', () => {
  test('an SVG that parses, one row per province labelled in English and Arabic, the governor at its end', async () => {
    const { res, svg } = await chart('/api/v1/charts/timeline.svg?until=2024-09-01');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(xmlProblem(svg)).toBeNull();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);

    const provinces = (await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer))).body.items as { slug: string; name: string; nameAr: string }[];
    expect(provinces).toHaveLength(15);
    const rows = labels(svg, 'row');
    expect(rows.map((r) => [field(r, 'province'), field(r, 'name'), field(r, 'nameAr')])).toEqual(provinces.map((p) => [p.slug, p.name, p.nameAr]));
    // The row labels on the axis, as a reader sees them.
    for (const p of provinces) expect(svg).toContain(`>${p.name} · ${p.nameAr}</text>`);
    expect(svg).toContain('>Asaad Al-Eidani · أسعد العيداني</text>');
    expect(field(rows.find((r) => r.includes('province=basra'))!, 'governor')).toBe('Asaad Al-Eidani');
    expect(field(rows.find((r) => r.includes('province=baghdad'))!, 'status')).toBe('breached');
  });

  test('late segments appear exactly for the province appointed after the deadline', async () => {
    const { svg } = await chart('/api/v1/charts/timeline.svg?until=2024-09-01');
    const segments = labels(svg, 'segment');
    const late = segments.filter((l) => field(l, 'late') === 'true');
    expect(late.map((l) => [field(l, 'province'), field(l, 'stage'), field(l, 'start')])).toEqual([['muthanna', 'appointed', '2024-08-15T09:00:00.000Z']]);
    expect(segments.filter((l) => l.includes('province=basra')).map((l) => field(l, 'stage'))).toEqual(['criteria', 'tier', 'candidate', 'appointed']);
    // Drawn differently: a late bar is outlined in red, no other bar is.
    expect(svg.match(/<path aria-label="segment [^"]*late=true[^"]*"[^>]*stroke="#b3261e"/g)).toHaveLength(1);
    expect(svg.match(/stroke="#b3261e" stroke-width="2"/g)).toHaveLength(1);
  });

  test("the deadline rule sits at the deadline's x on the axis's own scale", async () => {
    const { svg } = await chart('/api/v1/charts/timeline.svg?until=2024-03-31');
    const rule = /<line aria-label="deadline date=2024-02-09 instant=2024-02-09T20:59:59.999Z"[^>]*transform="translate\(([\d.]+),/.exec(svg);
    expect(rule).not.toBeNull();
    const ticks = xTicks(svg);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const [a, b] = [ticks[0], ticks.at(-1)!];
    const pxPerMs = (b.x - a.x) / (b.t - a.t);
    // The end of 9 Feb in Baghdad, on the wall-clock scale.
    const expected = a.x + (Date.UTC(2024, 1, 9, 23, 59, 59, 999) - a.t) * pxPerMs;
    expect(Math.abs(Number(rule![1]) - expected)).toBeLessThan(1);
    // And it is not anywhere near 8 or 10 February.
    expect(Math.abs(Number(rule![1]) - expected)).toBeLessThan(Math.abs(pxPerMs * 86_400_000) / 4);
  });

  test('tier= keeps the rows of that tier; province= draws one province; asOf= draws what had happened by then', async () => {
    const tierA = labels((await chart('/api/v1/charts/timeline.svg?tier=A')).svg, 'row');
    expect(tierA.map((r) => field(r, 'province'))).toEqual(['basra', 'muthanna']);
    const none = labels((await chart('/api/v1/charts/timeline.svg?tier=none')).svg, 'row');
    expect(none).toHaveLength(11);

    const one = (await chart('/api/v1/charts/timeline.svg?province=basra')).svg;
    expect(labels(one, 'row').map((r) => field(r, 'province'))).toEqual(['basra']);
    expect(xmlProblem(one)).toBeNull();

    const early = (await chart('/api/v1/charts/timeline.svg?asOf=2024-01-15T00:00:00%2B03:00&tier=A')).svg;
    expect(labels(early, 'segment').filter((l) => l.includes('province=basra')).map((l) => field(l, 'stage'))).toEqual(['criteria', 'tier']);
    expect(labels(early, 'row').map((r) => field(r, 'governor'))).toEqual(['', '']);
  });

  test('self-contained: fonts for Latin and Arabic embedded, no reference outside the document', async () => {
    const { svg } = await chart('/api/v1/charts/timeline.svg');
    expect(svg.match(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/g)).toHaveLength(2);
    expect(svg).toMatch(/unicode-range:U\+0600-06FF/);
    const urls = svg.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg' && u !== 'http://www.w3.org/1999/xlink')).toEqual([]);
    expect(svg.match(/(?:xlink:)?href="(?!data:)[^"]*"/g)).toBeNull();
    expect(svg.match(/url\((?!data:)[^)]*\)/g)).toBeNull();
    expect(svg.length).toBeLessThan(250_000);
    if (process.env.WRITE_DOCS_PICTURE) writeFileSync('docs/timeline.svg', (await chart('/api/v1/charts/timeline.svg?until=2024-09-01')).svg);
  });

  test('needs no key, and embeds in other sites: the same picture for every caller, Cross-Origin-Resource-Policy cross-origin', async () => {
    const keyless = await chart('/api/v1/charts/timeline.svg?until=2024-09-01', null);
    expect(keyless.res.status).toBe(200);
    expect(keyless.res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(keyless.res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(keyless.svg).toBe((await chart('/api/v1/charts/timeline.svg?until=2024-09-01')).svg);
    // A named cycle too (the digest's link names it when the request did); an unknown one is still a 404 problem.
    expect((await chart('/api/v1/charts/timeline.svg?until=2024-09-01&cycle=iraq-2023', null)).svg).toBe(keyless.svg);
    expect((await chart('/api/v1/charts/timeline.svg?cycle=atlantis', null)).res.status).toBe(404);
  });

  test('refusals: a day after today, both until and asOf, an unknown province', async () => {
    const get = (q: string) => s.app.http().get(`/api/v1/charts/timeline.svg?${q}`).set(s.auth(s.keys.viewer));
    const future = await get('until=2999-01-01');
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'until' })]);
    expect((await get('until=2023-12-01')).status).toBe(400);
    expect((await get('until=2024-02-10&asOf=2024-02-10T00:00:00Z')).status).toBe(400);
    expect((await get('tier=D')).status).toBe(400);
    expect((await get('province=atlantis')).status).toBe(404);
  });
});

describe('the digest links the day’s timeline', () => {
  test('JSON field timeline, an image in the Markdown, both absolute under PUBLIC_BASE_URL, and the link answers an SVG without a key', async () => {
    const digest = await s.app.http().get('/api/v1/digest?date=2024-02-10').set(s.auth(s.keys.viewer));
    expect(digest.body.timeline).toBe(`${BASE}/api/v1/charts/timeline.svg?until=2024-02-10`);
    for (const lang of ['en', 'ar']) {
      const md = await s.app.http().get(`/api/v1/digest?date=2024-02-10&format=md&lang=${lang}`).set(s.auth(s.keys.viewer));
      expect(md.text).toMatch(/!\[[^\]]+\]\(https:\/\/tracker\.example\.org\/api\/v1\/charts\/timeline\.svg\?until=2024-02-10\)/);
    }
    // What a CMS or a mail reader does with the link: a GET with no key (the test app stands in for the host).
    const { res, svg } = await chart(digest.body.timeline.slice(BASE.length), null);
    expect(res.status).toBe(200);
    // Drawn to the end of 10 Feb: muthanna's August appointment is not in it yet.
    expect(labels(svg, 'segment').filter((l) => l.includes('province=muthanna')).map((l) => field(l, 'stage'))).toEqual(['criteria', 'tier', 'candidate']);
  });
});

describe('GET /machine?format=svg', () => {
  test('the workflow diagram: every stage, every event, the guards', async () => {
    const machine = (await s.app.http().get('/api/v1/machine').set(s.auth(s.keys.viewer))).body as {
      stages: string[];
      events: string[];
      transitions: { from: string; event: string; to: string; guard: string | null }[];
    };
    const { res, svg } = await chart('/api/v1/machine?format=svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(xmlProblem(svg)).toBeNull();
    for (const stage of machine.stages) expect(svg).toContain(`>${stage}</text>`);
    for (const event of machine.events) expect(svg).toContain(`>${event}</text>`);
    const cells = labels(svg, 'transition');
    expect(cells).toHaveLength(machine.transitions.length);
    for (const t of machine.transitions.filter((t) => t.guard)) expect(svg).toContain(`[${t.guard}]`);
  });
});
