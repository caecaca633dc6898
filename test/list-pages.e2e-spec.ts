import { AlertSweeper } from '../apps/api/src/alerts/alert-sweeper.js';
import { postEvent, setupSuite, startApp } from './support/test-app.js';

/**
 * Province lists are read, rebuilt and encoded 500 provinces at a time (ProvincesService.listPages, issue 6:
 * a list of 10,000 never exists whole in memory), and the alert sweep evaluates 500 at a time. With 1,215 provinces every list crosses two page
 * boundaries: nothing may be lost, doubled or reordered there, filters must hold across pages, and each
 * item must be the province as its own GET shows it — now, as of an instant, and as known at one.
 */

const COPIES = 1200;
type Item = { slug: string; tier: string | null; stage: string; version: number } & Record<string, unknown>;

let s: Awaited<ReturnType<typeof setupSuite>>;
let slugsInOrder: string[];
const get = (path: string) => s.app.http().get(`/api/v1${path}`).set(s.auth(s.keys.viewer));
const withoutAllowed = ({ allowedEvents: _a, ...view }: Record<string, unknown>) => view;

beforeAll(async () => {
  s = await setupSuite('list-pages');
  // Copies of Basra named p-0001…p-1200 (they sort among the real provinces, between nineveh and
  // qadisiyah); every second in tier B, in its state as in its column, so that the present list's
  // filter (in SQL) keeps 600 of them: more than a page. (Without events, a past view of a copy is its
  // initial state: the filter after a rebuild is tested below with provinces that have events.)
  await s.app.running.database.dataSource.query(
    `INSERT INTO province
     SELECT (jsonb_populate_record(p, jsonb_build_object(
               'id', gen_random_uuid(), 'slug', 'p-' || lpad(i::text, 4, '0'), 'code', 'TS-' || upper(to_hex(i)), 'name', 'Copy ' || i,
               'tier', CASE WHEN i % 2 = 0 THEN 'B' END,
               'state', CASE WHEN i % 2 = 0 THEN jsonb_set(p.state, '{context,tier}', '"B"') ELSE p.state END))).*
       FROM province p, generate_series(1, ${COPIES}) i
      WHERE p.slug = 'basra'`,
  );
  const rows: { slug: string }[] = await s.app.running.database.dataSource.query(`SELECT slug FROM province ORDER BY slug`);
  slugsInOrder = rows.map((r) => r.slug);
}, 60_000);
afterAll(async () => s?.teardown());

/** Indices around the page boundaries (500, 1000), the ends, and every 97th. */
function sampled(n: number): number[] {
  const picks = new Set([0, 1, n - 2, n - 1]);
  for (const b of [500, 1000]) for (let i = b - 2; i <= b + 2; i++) picks.add(i);
  for (let i = 0; i < n; i += 97) picks.add(i);
  return [...picks].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
}

async function listOf(path: string): Promise<Item[]> {
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return (res.body as { items: Item[] }).items;
}

describe('a list longer than a page', () => {
  it('has every province once, in slug order, each as its own GET shows it', async () => {
    const items = await listOf('/provinces');
    expect(slugsInOrder).toHaveLength(COPIES + 15);
    expect(items.map((p) => p.slug)).toEqual(slugsInOrder);
    for (const i of sampled(items.length)) {
      const one = await get(`/provinces/${items[i].slug}`);
      expect(one.status).toBe(200);
      expect(items[i]).toEqual(withoutAllowed(one.body));
    }
  });

  it('filters across pages: the same provinces as the whole list filtered', async () => {
    const all = await listOf('/provinces');
    const tierB = await listOf('/provinces?tier=B');
    expect(tierB.map((p) => p.slug)).toEqual(all.filter((p) => p.tier === 'B').map((p) => p.slug));
    expect(tierB).toHaveLength(COPIES / 2);
    const none = await listOf('/provinces?tier=none');
    expect(none.map((p) => p.slug)).toEqual(all.filter((p) => p.tier === null).map((p) => p.slug));
    expect(none.length + tierB.length).toBe(all.length);
  });

  it('as of an instant and as known at one, across pages, with events on provinces of different pages', async () => {
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // One province on each page: p-0101 (page 1), p-0701 (page 2), wasit (page 3).
    for (const slug of ['p-0101', 'p-0701', 'wasit']) {
      const res = await postEvent(s.app, s.keys.editor, slug, { type: 'ASSIGN_TIER', tier: 'A' });
      expect(res.status).toBe(201);
    }
    const [then, known, now] = await Promise.all([
      listOf(`/provinces?asOf=${before}`),
      listOf(`/provinces?knownAt=${before}`),
      listOf('/provinces'),
    ]);
    for (const list of [then, known, now]) expect(list.map((p) => p.slug)).toEqual(slugsInOrder);
    const tierOf = (list: Item[], slug: string) => list.find((p) => p.slug === slug)!.tier;
    for (const slug of ['p-0101', 'p-0701', 'wasit']) {
      expect(tierOf(now, slug)).toBe('A');
      expect(tierOf(then, slug)).toBeNull();
      expect(tierOf(known, slug)).toBeNull();
    }
    for (const i of sampled(then.length)) {
      const slug = then[i].slug;
      const [asOf, knownAt] = await Promise.all([get(`/provinces/${slug}?asOf=${before}`), get(`/provinces/${slug}?knownAt=${before}`)]);
      expect(then[i]).toEqual(withoutAllowed(asOf.body));
      expect(known[i]).toEqual(withoutAllowed(knownAt.body));
    }
    // Filtered after the rebuild: in tier A before the three events none, after them the three, one per page.
    expect(await listOf(`/provinces?asOf=${before}&tier=A`)).toEqual([]);
    const after = new Date().toISOString();
    expect((await listOf(`/provinces?asOf=${after}&tier=A`)).map((p) => p.slug)).toEqual(['p-0101', 'p-0701', 'wasit']);
    expect((await listOf(`/provinces?knownAt=${after}&tier=A`)).map((p) => p.slug)).toEqual(['p-0101', 'p-0701', 'wasit']);
    expect((await listOf('/provinces?tier=A')).map((p) => p.slug)).toEqual(['p-0101', 'p-0701', 'wasit']);
  });

  it('as CSV: one line per province, in the same order', async () => {
    const res = await get('/provinces?format=csv');
    expect(res.status).toBe(200);
    const lines = res.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(slugsInOrder.length + 1);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(slugsInOrder);
  });
});

describe('an alert sweep longer than a page', () => {
  it('evaluates every province once: the copies, added after the boot sweep, each get their breach', async () => {
    const openBreaches = async () => {
      const res = await get('/alerts?kind=breach&status=open');
      expect(res.status).toBe(200);
      return (res.body as { items: { province: string }[] }).items.map((a) => a.province);
    };
    expect(await openBreaches()).not.toContain('p-0001');
    const result = await s.app.running.app.get(AlertSweeper).sweep();
    expect(result?.provinces).toBe(COPIES + 15);
    const breached = await openBreaches();
    // The deadline (9 February 2024) has passed: every province without a governor is in breach, once.
    const withoutGovernor = (await listOf('/provinces')).filter((p) => p.stage !== 'appointed').map((p) => p.slug);
    expect([...breached].sort()).toEqual([...withoutGovernor].sort());
    expect(new Set(breached).size).toBe(breached.length);
    // A second sweep finds nothing new.
    expect((await s.app.running.app.get(AlertSweeper).sweep())?.notices).toBe(0);
  });
});

// Last: the second instance below runs its own boot sweep, which the sweep test above must not see.
describe('a list too large to keep uncompressed (StreamedAnswer: gzip as it is encoded)', () => {
  const ASOF = '/provinces?asOf=2024-02-09T20:59:59.999Z';
  const fetchAs = (app: typeof s.app, path: string, encoding: string) =>
    app.http().get(`/api/v1${path}`).set(s.auth(s.keys.viewer)).set('accept-encoding', encoding);

  it('is gzip on its first answer too for a client that accepts it, and the same JSON expanded for one that does not', async () => {
    const gz = await fetchAs(s.app, ASOF, 'gzip');
    expect(gz.status).toBe(200);
    expect(gz.headers['x-read-cache']).toBe('miss');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBeLessThan(Buffer.byteLength(gz.text) / 4);
    const plain = await fetchAs(s.app, ASOF, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['x-read-cache']).toBe('hit');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(plain.text));
    expect(plain.text).toBe(gz.text);
    expect(plain.text).toBe(JSON.stringify({ items: JSON.parse(plain.text).items }));
    expect(JSON.parse(plain.text).items).toHaveLength(COPIES + 15);
    expect(plain.headers.etag).not.toBe(gz.headers.etag);
    // The first answer to a client without gzip is expanded too (the list's own bytes were never held whole).
    const other = await fetchAs(s.app, '/provinces?asOf=2024-02-09T21:00:00.000Z', 'identity');
    expect([other.headers['x-read-cache'], other.headers['content-encoding']]).toEqual(['miss', undefined]);
    expect(JSON.parse(other.text).items.map((p: Item) => p.slug)).toEqual(slugsInOrder);
  });

  it('with the read cache off: gzip to a client that accepts it, expanded for one that does not, the same JSON', async () => {
    const url = s.app.config.databaseUrl ?? s.app.running.database.embedded!.url;
    const off = await startApp({ ...s.app.config, databaseUrl: url, readCacheBytes: 0 });
    try {
      const gz = await fetchAs(off, ASOF, 'gzip');
      const plain = await fetchAs(off, ASOF, 'identity');
      expect([gz.status, plain.status]).toEqual([200, 200]);
      expect(gz.headers['x-read-cache']).toBeUndefined();
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const res of [gz, plain]) expect(res.headers.vary).toBe('Accept, Accept-Language, Accept-Encoding');
      expect(plain.text).toBe(gz.text);
      expect(plain.text).toBe((await fetchAs(s.app, ASOF, 'identity')).text);
    } finally {
      await off.close();
    }
  });
});
