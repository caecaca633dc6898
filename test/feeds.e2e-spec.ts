import { XMLParser } from 'fast-xml-parser';
import pg from 'pg';
import type { Response } from 'supertest';
import { postEvent, setupSuite } from './support/test-app.js';
import { describeWithServer } from './support/test-database.js';

/**
 * SPEC §4 /changes and /feeds, and the CSV history, through HTTP into a real database.
 * /changes hands out events in recording order (transaction id, then event id) and only below the
 * oldest running transaction, so a client pulling with its cursor never misses an event, even when
 * transactions commit out of id order. A PostgreSQL server is shared by concurrently running test
 * files, whose transactions hold that horizon back for a moment: pulls here retry within a deadline
 * (which is what a real client does) instead of expecting every event on the first pull.
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('feeds');
});
afterAll(async () => s?.teardown());

const API = '/api/v1';
const START = Buffer.from('0:0').toString('base64url');
const viewer = () => s.auth(s.keys.viewer);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface EventItem {
  province: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  recordedAt: string;
  retracted: boolean;
  retractionReason: string | null;
}
interface Page {
  items: EventItem[];
  cursor: string;
  hasMore: boolean;
}
const key = (e: { province: string; seq: number }) => `${e.province}:${e.seq}`;
/** Every event this file has recorded, in recording order where the file knows it (it only posts through here). */
const recorded: EventItem[] = [];

async function accept(slug: string, body: Record<string, unknown>): Promise<EventItem> {
  const res = await postEvent(s.app, s.keys.editor, slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.event;
}

/**
 * One pull. `retryUnavailable`: a 503 (no database connection free in time, behind a burst of writes on a
 * loaded machine) is retried, as a client would; the test is about skipped events, not about capacity.
 */
async function pull(after?: string, limit?: number, retryUnavailable = false): Promise<Page> {
  const query = new URLSearchParams();
  if (after !== undefined) query.set('after', after);
  if (limit !== undefined) query.set('limit', String(limit));
  let res = await s.app.http().get(`${API}/changes?${query}`).set(viewer());
  for (let retries = 0; retryUnavailable && res.status === 503 && retries < 20; retries++) {
    await pause(50);
    res = await s.app.http().get(`${API}/changes?${query}`).set(viewer());
  }
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body;
}

/**
 * Pull from `from` until at least `want` events have come and the API says there is nothing more now
 * (or the deadline passes: the caller's assertions then fail on what arrived).
 */
async function drain(from: string, want: number, limit = 100, pages: Page[] = []): Promise<{ items: EventItem[]; cursor: string }> {
  const items: EventItem[] = [];
  let cursor = from;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = await pull(cursor, limit);
    pages.push(page);
    items.push(...page.items);
    cursor = page.cursor;
    if ((items.length >= want && !page.hasMore) || Date.now() > deadline) return { items, cursor };
    if (!page.hasMore) await pause(25);
  }
}

/** The raw bytes of a response, whatever its media type (supertest would parse or drop some). */
async function raw(path: string, headers: Record<string, string> = {}): Promise<Response & { body: Buffer }> {
  return s.app
    .http()
    .get(path)
    .set(viewer())
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }) as Promise<Response & { body: Buffer }>;
}

// --- A small XML well-formedness check: one root, balanced tags, only declared or numeric entities. ---

const BAD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
const TOKEN =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;

function wellFormedProblems(xml: string): string[] {
  const problems: string[] = [];
  if (!/^<\?xml version="1\.0" encoding="utf-8"\?>\s*</.test(xml)) problems.push('no XML declaration');
  const body = xml.replace(/^<\?xml[^?]*\?>/, '');
  const open: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(TOKEN)) {
    const [token, close, name, attributes, selfClosing, text, stray] = m;
    if (stray) problems.push(`stray "<" at ${m.index}`);
    else if (text !== undefined) {
      if (BAD_ENTITY.test(text)) problems.push(`bad entity in ${JSON.stringify(text.slice(0, 40))}`);
      if (open.length === 0 && text.trim()) problems.push('text outside the root');
    } else if (token.startsWith('<![CDATA[')) {
      if (open.length === 0) problems.push('CDATA outside the root');
    } else if (name) {
      if (BAD_ENTITY.test(attributes ?? '')) problems.push(`bad entity in attributes of <${name}>`);
      if (close) {
        if (open.pop() !== name) problems.push(`</${name}> closes the wrong element`);
      } else {
        if (open.length === 0) roots += 1;
        if (!selfClosing) open.push(name);
      }
    }
  }
  if (open.length) problems.push(`unclosed: ${open.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  published: string;
  content: string;
  xml: string;
}

interface Atom {
  text: string;
  id: string;
  updated: string;
  entries: AtomEntry[];
}

const child = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? '';
const cdata = (xml: string, tag: string) => new RegExp(`<${tag} type="html"><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></${tag}>`).exec(xml)?.[1] ?? '';

/** Feeds are fetched with one Host: their links are absolute, built from it (supertest's own port changes per request). */
const HOST = 'news.example.org';

async function atom(path: string): Promise<Atom> {
  const res = await raw(path, { host: HOST });
  expect({ status: res.status }).toEqual({ status: 200 });
  expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
  const text = res.body.toString('utf8');
  expect(wellFormedProblems(text)).toEqual([]);
  expect(text).toMatch(/^<\?xml[^>]*\?>\s*<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  const head = text.split('<entry>')[0];
  expect(head).toContain(`<link rel="self" href="http://${HOST}${path}"/>`);
  // Titles as an XML parser reads them: plain text (type="text"), entities decoded by the parser alone.
  const parsed = (new XMLParser({ ignoreAttributes: false, isArray: (tag) => tag === 'entry', parseTagValue: false, htmlEntities: false }).parse(text).feed.entry ?? []) as {
    title: { '#text'?: string; '@_type': string };
  }[];
  expect(parsed.map((e) => e.title['@_type']).filter((type) => type !== 'text')).toEqual([]);
  const entries = [...text.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]).map((xml, i) => ({
    id: child(xml, 'id'),
    title: parsed[i].title['#text'] ?? '',
    updated: child(xml, 'updated'),
    published: child(xml, 'published'),
    content: cdata(xml, 'content'),
    xml,
  }));
  return { text, id: child(head, 'id'), updated: child(head, 'updated'), entries };
}

const newestOf = (dates: string[]) => dates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

interface AlertItem {
  id: string;
  province: string;
  kind: string;
  status: string;
  updatedAt: string;
  detectedAt: string;
}

async function allAlerts(): Promise<AlertItem[]> {
  const res = await s.app.http().get(`${API}/alerts?status=all`).set(viewer());
  expect({ status: res.status }).toEqual({ status: 200 });
  return res.body.items;
}

function expectValidationProblem(res: Response, field: string) {
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { status: 400, errors: [expect.objectContaining({ field })] } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toBe('urn:governor-tracker:problem:validation');
}

// Runs first: the app's boot sweep has opened the alerts, and no event has been posted yet.
describe('GET /feeds/alerts.atom', () => {
  test('lists the breach alerts that exist at startup: one entry per province without a governor, stable ids', async () => {
    const alerts = await allAlerts();
    expect(alerts).toHaveLength(15);
    expect(alerts.every((a) => a.kind === 'breach' && a.status === 'open')).toBe(true);

    const feed = await atom(`${API}/feeds/alerts.atom`);
    expect(feed.id).toBe('urn:governor-tracker:feed:alerts');
    expect(feed.entries.map((e) => e.id).sort()).toEqual(alerts.map((a) => `urn:governor-tracker:alert:${a.id}`).sort());
    expect(feed.updated).toBe(newestOf(alerts.map((a) => a.updatedAt)));
    const basra = alerts.find((a) => a.province === 'basra')!;
    const entry = feed.entries.find((e) => e.id === `urn:governor-tracker:alert:${basra.id}`)!;
    expect(entry.title).toBe('Basra (البصرة): deadline breached — open');
    expect(entry.updated).toBe(basra.updatedAt);
    expect(entry.content).toContain('Basra: no governor appointed by the deadline 2024-02-09');

    const again = await atom(`${API}/feeds/alerts.atom`);
    expect(again.text).toBe(feed.text);
  });

  test('an acknowledgement updates the alert’s entry (same id, newest first, new status) and the feed’s updated', async () => {
    const before = await atom(`${API}/feeds/alerts.atom`);
    const kirkuk = (await allAlerts()).find((a) => a.province === 'kirkuk')!;
    const ack = await s.app.http().post(`${API}/alerts/${kirkuk.id}/ack`).set(viewer()).send({});
    expect({ status: ack.status, body: ack.body }).toMatchObject({ status: 200, body: { status: 'acknowledged' } });

    const after = await atom(`${API}/feeds/alerts.atom`);
    expect(after.entries.map((e) => e.id).sort()).toEqual(before.entries.map((e) => e.id).sort());
    expect(after.entries[0]).toMatchObject({
      id: `urn:governor-tracker:alert:${kirkuk.id}`,
      title: 'Kirkuk (كركوك): deadline breached — acknowledged',
      updated: ack.body.updatedAt,
    });
    expect(after.entries[0].content).toContain('Acknowledged: ');
    expect(after.updated).toBe(ack.body.updatedAt);
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated));
  });
});

describe('GET /changes', () => {
  let lastCursor = START;

  test('before any event: an empty page, nothing more, and a cursor that pulls nothing', async () => {
    const first = await pull();
    expect(first).toEqual({ items: [], cursor: expect.any(String), hasMore: false });
    expect(await pull(first.cursor)).toEqual({ items: [], cursor: first.cursor, hasMore: false });
    lastCursor = first.cursor;
  });

  test('pages through a known history with limit=2: every event once, in recording order, as it was posted', async () => {
    recorded.push(
      await accept('basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }),
      await accept('karbala', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T10:00:00+03:00' }),
      await accept('basra', {
        type: 'NOMINATE',
        candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' },
        occurredAt: '2024-01-15T10:00:00+03:00',
      }),
      await accept('najaf', { type: 'REPORT', kind: 'rumor', text: 'A list of governors is circulating', occurredAt: '2024-01-16T10:00:00+03:00' }),
      await accept('basra', { type: 'CONVENE', chair: 'Eldest member', occurredAt: '2024-01-14T10:00:00+03:00' }),
      await accept('karbala', { type: 'NOMINATE', candidate: { name: 'Nassif Al-Khattabi' }, occurredAt: '2024-01-20T10:00:00+03:00' }),
      await accept('basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 16, present: 22, occurredAt: '2024-01-25T10:00:00+03:00' }),
    );

    const pages: Page[] = [];
    const { items, cursor } = await drain(lastCursor, recorded.length, 2, pages);
    expect(pages.every((p) => p.items.length <= 2)).toBe(true);
    expect(pages.filter((p) => p.hasMore).every((p) => p.items.length === 2)).toBe(true);
    // Exactly what was recorded, in the order it was recorded (the backdated CONVENE where it was recorded).
    expect(items.map(key)).toEqual(['basra:1', 'karbala:1', 'basra:2', 'najaf:1', 'basra:3', 'karbala:2', 'basra:4']);
    expect(items).toEqual(recorded);

    const end = await pull(cursor, 2);
    expect(end).toEqual({ items: [], cursor, hasMore: false });
    lastCursor = cursor;
  });

  test('the next pull with the last cursor returns exactly the events recorded since', async () => {
    const added = [
      await accept('najaf', { type: 'REPORT', kind: 'denial', text: 'The alliance denies the list' }),
      await accept('muthanna', { type: 'SET_CRITERIA', criteria: 'Competence, integrity, no dual nationality' }),
    ];
    const { items, cursor } = await drain(lastCursor, 2);
    expect(items).toEqual(added);
    expect(cursor).not.toBe(lastCursor);
    recorded.push(...added);
    lastCursor = cursor;
  });

  test('a retraction shows on the event (retracted fields) and in the history, and is not a new change', async () => {
    const res = await s.app
      .http()
      .post(`${API}/provinces/najaf/events/1/retract`)
      .set(s.auth(s.keys.editor))
      .send({ reason: 'The list was a fabrication' });
    expect({ status: res.status }).toEqual({ status: 200 });

    expect(await pull(lastCursor)).toEqual({ items: [], cursor: lastCursor, hasMore: false });
    const { items } = await drain(START, recorded.length);
    expect(items.map(key)).toEqual(recorded.map(key));
    expect(items.find((e) => key(e) === 'najaf:1')).toMatchObject({ retracted: true, retractionReason: 'The list was a fabrication' });
    expect(items.filter((e) => e.retracted).map(key)).toEqual(['najaf:1']);
    const history = await s.app.http().get(`${API}/provinces/najaf/events`).set(viewer());
    expect(history.body.items[0]).toMatchObject({ seq: 1, retracted: true, retractionReason: 'The list was a fabrication' });
  });

  test('30 concurrent writes across provinces while a client pulls: the union of its pulls is every event, once', async () => {
    const slugs = ['baghdad', 'nineveh', 'anbar', 'diyala', 'wasit', 'maysan'];
    const seen: EventItem[] = [];
    let cursor = lastCursor;
    let writing = true;
    let pulls = 0;
    const puller = (async () => {
      while (writing) {
        const page = await pull(cursor, 3, true);
        pulls += 1;
        seen.push(...page.items);
        cursor = page.cursor;
        if (!page.hasMore) await pause(2);
      }
    })();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postEvent(s.app, s.keys.editor, slugs[i % slugs.length], { type: 'REPORT', kind: 'note', text: `Concurrent note ${i + 1}` }),
      ),
    );
    writing = false;
    await puller;
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    expect(pulls).toBeGreaterThan(0);

    const rest = await drain(cursor, 30 - seen.length);
    seen.push(...rest.items);
    const written = responses.map((r) => key(r.body.event)).sort();
    expect(seen.map(key).sort()).toEqual(written);
    expect(new Set(seen.map(key)).size).toBe(seen.length);
    // Each province's events arrive in its seq order (its writes are serialized, and so is their recording).
    for (const slug of slugs) {
      const seqs = seen.filter((e) => e.province === slug).map((e) => e.seq);
      expect({ slug, seqs }).toEqual({ slug, seqs: [...seqs].sort((a, b) => a - b) });
    }
    expect(await pull(rest.cursor)).toEqual({ items: [], cursor: rest.cursor, hasMore: false });
    recorded.push(...seen);
    lastCursor = rest.cursor;
  });

  // One embedded session runs one transaction at a time, so commits cannot come out of order there.
  describeWithServer('a transaction that commits after a later one (two sessions on a PostgreSQL server)', () => {
    async function waitFor(condition: () => Promise<boolean>, what: string) {
      const deadline = Date.now() + 5_000;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await pause(10);
      }
    }

    test('its event is still handed out, before the later one, to a client that pulled in between', async () => {
      const holder = new pg.Client({ connectionString: s.db.databaseUrl! });
      let hookId: string | undefined;
      const watcher = new pg.Client({ connectionString: s.db.databaseUrl! });
      await holder.connect();
      await watcher.connect();
      try {
        // Hold a webhook that only Wasit's write has a notice for (its SET_DEADLINE resolves Wasit's breach:
        // alert.resolved): the write locks the province, inserts its event and outbox row in one statement,
        // whose foreign-key check on the webhook row then waits here, with its transaction open.
        const hook = await s.app
          .http()
          .post('/api/v1/admin/webhooks')
          .set(s.auth(s.keys.admin))
          .send({ url: 'http://127.0.0.1:9/unreachable', events: ['alert.resolved'] });
        expect(hook.status).toBe(201);
        hookId = hook.body.id;
        await holder.query('BEGIN');
        const held = await holder.query(`SELECT id FROM webhook WHERE id = $1 FOR UPDATE`, [hookId]);
        expect(held.rowCount).toBe(1);
        const breach = await holder.query(
          `SELECT a.id FROM alert a JOIN province p ON p.id = a.province_id WHERE p.slug = 'wasit' AND a.kind = 'breach' AND a.status <> 'resolved'`,
        );
        expect(breach.rowCount).toBe(1);
        let slowDone = false;
        const slow = postEvent(s.app, s.keys.editor, 'wasit', {
          type: 'SET_DEADLINE',
          deadline: '2099-12-31',
          basis: 'Recorded first, committed last',
        }).then((r) => {
          slowDone = true;
          return r;
        });
        const waiting = async () =>
          (await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))
            .rows[0].n >= 1;
        await waitFor(waiting, 'the Wasit write to wait on the held alert');

        const fast = await postEvent(s.app, s.keys.editor, 'muthanna', { type: 'REPORT', kind: 'note', text: 'Recorded second, committed first' });
        expect({ status: fast.status, slowDone }).toEqual({ status: 201, slowDone: false });
        const during = await pull(lastCursor);

        await holder.query('COMMIT');
        const slowRes = await slow;
        expect(slowRes.status).toBe(201);
        const after = await drain(during.cursor, 2 - during.items.length);
        const seen = [...during.items, ...after.items];
        expect(seen.map(key)).toEqual([key(slowRes.body.event), key(fast.body.event)]);

        // The scenario really happened: the event that committed last has the lower id and transaction id.
        const rows = await watcher.query(
          `SELECT p.slug, e.id::text AS id, e.tx_id::text AS tx FROM province_event e JOIN province p ON p.id = e.province_id
            WHERE (p.slug, e.seq) IN (($1, $2), ($3, $4))`,
          [slowRes.body.event.province, slowRes.body.event.seq, fast.body.event.province, fast.body.event.seq],
        );
        const bySlug = Object.fromEntries(rows.rows.map((r: { slug: string; id: string; tx: string }) => [r.slug, r]));
        expect(BigInt(bySlug.wasit.id) < BigInt(bySlug.muthanna.id)).toBe(true);
        expect(BigInt(bySlug.wasit.tx) < BigInt(bySlug.muthanna.tx)).toBe(true);
        recorded.push(...seen);
        lastCursor = after.cursor;
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
        await watcher.end();
        if (hookId) await s.app.http().delete(`/api/v1/admin/webhooks/${hookId}`).set(s.auth(s.keys.admin));
      }
    });
  });

  test('a full pull from the start with the largest page returns the whole log in the same order', async () => {
    const { items } = await drain(START, recorded.length, 1000);
    expect(items.map(key)).toEqual(recorded.map(key));
  });

  test.each([
    ['garbage', { after: 'not a cursor!' }, 'after'],
    ['a cursor that is not two numbers', { after: Buffer.from('abc:def').toString('base64url') }, 'after'],
    ['a cursor out of range', { after: Buffer.from(`${2n ** 64n}:1`).toString('base64url') }, 'after'],
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit above 1000', { limit: '1001' }, 'limit'],
    ['a limit that is no number', { limit: 'ten' }, 'limit'],
    ['an unknown parameter', { since: '2024-01-01' }, 'since'],
  ])('refuses %s with a 400 problem', async (_label, query, field) => {
    const res = await s.app.http().get(`${API}/changes?${new URLSearchParams(query)}`).set(viewer());
    expectValidationProblem(res, field);
  });

  test('accepts limit 1000 and the start cursor', async () => {
    const page = await pull(START, 1000);
    expect(page.items.length).toBeGreaterThan(0);
  });
});

describe('GET /feeds/changes.atom', () => {
  /** The whole log through /changes, once it has caught up with everything this file recorded. */
  async function everything(): Promise<EventItem[]> {
    const { items } = await drain(START, recorded.length, 1000);
    expect(items.map(key).sort()).toEqual(recorded.map(key).sort());
    return items;
  }

  test('one entry per event, newest first, with stable URN ids, titles in both languages, and updated = recordedAt', async () => {
    const events = await everything();
    expect(events.length).toBeLessThan(100);
    const feed = await atom(`${API}/feeds/changes.atom`);
    expect(feed.id).toBe('urn:governor-tracker:feed:changes');
    expect(feed.entries.map((e) => e.id)).toEqual(events.map((e) => `urn:governor-tracker:event:${e.province}:${e.seq}`).reverse());

    const appoint = feed.entries.find((e) => e.id === 'urn:governor-tracker:event:basra:4')!;
    expect(appoint.title).toBe('Basra (البصرة): Appointed Asaad Al-Eidani (16 votes, 22 present)');
    const basra4 = events.find((e) => key(e) === 'basra:4')!;
    expect(appoint).toMatchObject({ updated: basra4.recordedAt, published: basra4.recordedAt });
    expect(appoint.content).toContain('Stage: candidate → appointed');
    expect(appoint.xml).toContain(`<link href="http://${HOST}/api/v1/provinces/basra/events"/>`);
    expect(appoint.content).toContain('<a href="https://shafaq.com/en">Shafaq News</a> (confirmed)');
    const nominate = feed.entries.find((e) => e.id === 'urn:governor-tracker:event:basra:2')!;
    expect(nominate.title).toBe('Basra (البصرة): Nominated Asaad Al-Eidani (أسعد العيداني, Tasmim)');

    // A retracted event's entry says so, and is updated at the retraction.
    const retracted = feed.entries.find((e) => e.id === 'urn:governor-tracker:event:najaf:1')!;
    expect(retracted.title).toBe('[retracted] Najaf (النجف): rumor: A list of governors is circulating');
    expect(retracted.content).toContain('The list was a fabrication');
    expect(Date.parse(retracted.updated)).toBeGreaterThan(Date.parse(retracted.published));

    expect(feed.updated).toBe(newestOf(feed.entries.map((e) => e.updated)));
    expect((await atom(`${API}/feeds/changes.atom`)).text).toBe(feed.text);
  });

  test('markup in an editor’s text is escaped and the feed stays well-formed', async () => {
    const name = '<script>alert(1)</script> & "Omar" ]]> Ali';
    recorded.push(
      await accept('babil', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-10T10:00:00+03:00' }),
      await accept('babil', { type: 'NOMINATE', candidate: { name }, note: 'Bold <b>claim</b> & more', occurredAt: '2024-01-12T10:00:00+03:00' }),
    );
    const feed = await atom(`${API}/feeds/changes.atom`);
    const entry = feed.entries.find((e) => e.id === 'urn:governor-tracker:event:babil:2')!;
    expect(entry.title).toBe(`Babil (بابل): Nominated ${name}`);
    expect(entry.xml).not.toContain('<script>');
    expect(entry.xml).not.toContain('<b>claim');
    expect(entry.content).toContain('Note: Bold &lt;b&gt;claim&lt;/b&gt; &amp; more');
  });

  test('new events add entries on top; the ids and titles of the others do not change; at most 100, the oldest dropped', async () => {
    const before = await atom(`${API}/feeds/changes.atom`);
    const total = (await everything()).length;
    const extra = 105 - total;
    for (let batch = 0; batch < extra; batch += 10) {
      const added = await Promise.all(
        Array.from({ length: Math.min(10, extra - batch) }, (_, i) =>
          accept(['kirkuk', 'salahuddin', 'qadisiyah', 'dhi-qar', 'maysan'][i % 5], { type: 'REPORT', kind: 'note', text: `Note ${batch + i}` }),
        ),
      );
      recorded.push(...added);
    }
    const events = await everything();
    expect(events).toHaveLength(105);

    const after = await atom(`${API}/feeds/changes.atom`);
    expect(after.id).toBe(before.id);
    expect(after.entries).toHaveLength(100);
    expect(after.entries.map((e) => e.id)).toEqual(
      events
        .slice(-100)
        .map((e) => `urn:governor-tracker:event:${e.province}:${e.seq}`)
        .reverse(),
    );
    const kept = new Map(after.entries.map((e) => [e.id, e.title]));
    const survivors = before.entries.filter((e) => kept.has(e.id));
    expect(survivors.length).toBe(before.entries.length - 5);
    for (const e of survivors) expect({ id: e.id, title: kept.get(e.id) }).toEqual({ id: e.id, title: e.title });
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated));
  });

  test('the alerts feed shows the appointment that resolved Basra’s breach', async () => {
    const basra = (await allAlerts()).find((a) => a.province === 'basra')!;
    expect(basra).toMatchObject({ kind: 'breach', status: 'resolved' });
    const feed = await atom(`${API}/feeds/alerts.atom`);
    expect(feed.entries.find((e) => e.id === `urn:governor-tracker:alert:${basra.id}`)).toMatchObject({
      title: 'Basra (البصرة): deadline breached — resolved (appointed)',
      updated: basra.updatedAt,
    });
  });
});

describe('GET /provinces/:slug/events as CSV', () => {
  /** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; rows end with CRLF. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted && c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (quoted || (c !== ',' && c !== '\r')) {
        cell += c;
      } else if (c === ',') {
        row.push(cell);
        cell = '';
      } else if (text[i + 1] === '\n') {
        rows.push([...row, cell]);
        row = [];
        cell = '';
        i++;
      } else {
        cell += c;
      }
    }
    if (cell || row.length) rows.push([...row, cell]);
    return rows;
  }

  const HEADER = [
    'seq', 'occurredAt', 'recordedAt', 'type', 'fromStage', 'toStage', 'late', 'daysToDeadline', 'actor', 'sourceName', 'sourceUrl',
    'confidence', 'retracted', 'retractedAt', 'retractionReason', 'summary', 'note', 'occurredAtPrecision',
  ];

  async function csv(path: string, headers: Record<string, string> = {}) {
    const res = await raw(path, headers);
    expect({ status: res.status }).toEqual({ status: 200 });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return { res, rows: parseCsv(res.body.toString('utf8').slice(1)) };
  }

  test('?format=csv: BOM, a header, one row per event in history order, Arabic intact', async () => {
    const json = await s.app.http().get(`${API}/provinces/basra/events`).set(viewer());
    expect({ status: json.status }).toEqual({ status: 200 });
    const items: (EventItem & { occurredAt: string })[] = json.body.items;
    expect(items).toHaveLength(4);

    const { res, rows } = await csv(`${API}/provinces/basra/events?format=csv`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="basra-events.csv"');
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(1 + items.length);
    expect(rows.every((r) => r.length === HEADER.length)).toBe(true);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual(items.map((e) => [String(e.seq), e.occurredAt, e.type]));
    const nominate = Object.fromEntries(HEADER.map((h, i) => [h, rows.find((r) => r[0] === '2')![i]]));
    expect(nominate).toMatchObject({
      type: 'NOMINATE',
      fromStage: 'tier',
      toStage: 'candidate',
      late: 'false',
      actor: 'editor-desk',
      sourceName: 'Shafaq News',
      sourceUrl: 'https://shafaq.com/en',
      confidence: 'confirmed',
      retracted: 'false',
      summary: 'Nominated Asaad Al-Eidani (أسعد العيداني, Tasmim)',
      occurredAtPrecision: 'minute',
    });
  });

  test('Accept: text/csv gives the same CSV; a retracted event is marked with its reason', async () => {
    const { rows } = await csv(`${API}/provinces/najaf/events`, { accept: 'text/csv' });
    expect(rows[0]).toEqual(HEADER);
    const first = Object.fromEntries(HEADER.map((h, i) => [h, rows[1][i]]));
    expect(first).toMatchObject({ seq: '1', retracted: 'true', retractionReason: 'The list was a fabrication', summary: 'rumor: A list of governors is circulating' });
    expect(first.retractedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  test('without format or Accept the history is still JSON; an unknown format is refused', async () => {
    const json = await s.app.http().get(`${API}/provinces/basra/events`).set(viewer());
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.items.map((e: EventItem) => e.seq)).toEqual([1, 3, 2, 4]);
    const explicit = await s.app.http().get(`${API}/provinces/basra/events?format=json`).set(viewer()).set('accept', 'text/csv');
    expect(explicit.body.items).toEqual(json.body.items);
    expectValidationProblem(await s.app.http().get(`${API}/provinces/basra/events?format=xml`).set(viewer()), 'format');
  });
});
