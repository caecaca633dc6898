import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFeed } from '@rowanmanning/feed-parser';
import type { Response } from 'supertest';
import { initialFormationState } from '@app/workflow';
import { expectProblem } from './support/expectations.js';
import { setupSuite, source, startSecondInstance } from './support/test-app.js';
import { describeWithServer } from './support/test-database.js';
import { xmlProblem } from './support/xml-well-formed.js';

/**
 * Issue 20, the reads: two cycles side by side with the same province slugs, and every read that spans
 * provinces (alerts, digest, changes, feeds, charts, search, proposals, claims) answers for the cycle
 * `?cycle=` names, and for the default cycle without it; stream notices name their cycle; the read
 * cache keeps each cycle's answers apart and follows a switch of the default.
 *
 * The second cycle is written with SQL here (POST /cycles is another change): a cycle row and the same
 * 15 provinces as the seeded one, untouched. The periodic sweep is kept out of the way (one a day), so
 * that only this file's events open alerts in it.
 */

const API = '/api/v1';
const DEFAULT = 'iraq-2023';
const OTHER = 'iraq-2025';

let s: Awaited<ReturnType<typeof setupSuite>>;
let url: string;
const notices: { event: string; data: { type: string; data: Record<string, unknown> } }[] = [];
const streamAbort = new AbortController();
/** What a webhook subscribed to every notice type received. */
const delivered: { type: string; data: Record<string, unknown> }[] = [];
let receiver: Server;
let streamReading: Promise<void> = Promise.resolve();

const viewer = () => s.auth(s.keys.viewer);
const get = (path: string) => s.app.http().get(`${API}${path}`).set(viewer());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An event posted to a province of a cycle (the default cycle's routes of today without `cycle`). */
async function post(cycle: string | null, slug: string, body: Record<string, unknown>): Promise<Response> {
  const base = cycle === null ? `${API}/provinces` : `${API}/cycles/${cycle}/provinces`;
  return s.app.http().post(`${base}/${slug}/events`).set(s.auth(s.keys.editor)).send({ source, ...body });
}

async function accept(cycle: string | null, slug: string, body: Record<string, unknown>): Promise<{ seq: number }> {
  const res = await post(cycle, slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.event;
}

/** Reads the event stream into `notices` for the whole file. */
async function openStream(): Promise<void> {
  const response = await fetch(`${url}${API}/stream`, { headers: viewer(), signal: streamAbort.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  streamReading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data && event !== 'ready' && event !== 'reset') notices.push({ event, data: JSON.parse(data) });
      }
    }
  })().catch(() => undefined);
  await pause(300);
}

async function waitForNotice(match: (n: (typeof notices)[number]) => boolean): Promise<(typeof notices)[number]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = notices.find(match);
    if (found || Date.now() > deadline) {
      expect(found).toBeDefined();
      return found!;
    }
    await pause(50);
  }
}

interface Change {
  province: string;
  seq: number;
  type: string;
}

/**
 * /changes pages from `after` until `expected` events arrived (other test files' transactions on a shared
 * server hold the horizon back for a moment: a client pulls again).
 */
async function pullChanges(query: string, expected: number, after?: string): Promise<{ items: Change[]; cursor: string }> {
  const deadline = Date.now() + 15_000;
  const items: Change[] = [];
  let cursor = after;
  for (;;) {
    const params = new URLSearchParams(query);
    if (cursor) params.set('after', cursor);
    const res = await get(`/changes?${params}`);
    expect({ status: res.status }).toEqual({ status: 200 });
    items.push(...res.body.items);
    cursor = res.body.cursor;
    if (items.length >= expected || Date.now() > deadline) return { items, cursor: cursor! };
    if (!res.body.hasMore) await pause(100);
  }
}

beforeAll(async () => {
  s = await setupSuite('cycles-reads', { ALERT_SWEEP_SECONDS: '86400' });
  await s.app.running.app.listen({ port: 0, host: '127.0.0.1' });
  url = await s.app.running.app.getUrl();

  // The second cycle: the same councils, its own dates; the two-person rule on, to have a proposal in it.
  const db = s.app.running.database.dataSource;
  const [{ id }] = await db.query(
    `INSERT INTO cycle (slug, name, name_ar, election_date, deadline, deadline_basis, timezone, require_approval)
     VALUES ($1, 'Iraq 2025 (second cycle)', 'العراق ٢٠٢٥', '2025-01-15', '2025-03-01', 'Test basis: 45 days after the election.', 'Asia/Baghdad', true)
     RETURNING id`,
    [OTHER],
  );
  const seeded: { slug: string; code: string; name: string; name_ar: string; seats: number }[] = await db.query(
    `SELECT p.slug, p.code, p.name, p.name_ar, p.seats FROM province p JOIN cycle c ON c.id = p.cycle_id WHERE c.slug = $1 ORDER BY p.slug`,
    [DEFAULT],
  );
  expect(seeded).toHaveLength(15);
  for (const p of seeded) {
    const state = initialFormationState(p.seats);
    await db.query(
      `INSERT INTO province (cycle_id, slug, code, name, name_ar, seats, stage, tier, state, version) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 0)`,
      [id, p.slug, p.code, p.name, p.name_ar, p.seats, state.stage, JSON.stringify(state)],
    );
  }
  await openStream();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      delivered.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = await s.app
    .http()
    .post(`${API}/admin/webhooks`)
    .set(s.auth(s.keys.admin))
    .send({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['province.changed', 'alert.opened', 'alert.resolved', 'alert.acknowledged', 'claim.changed'] });
  expect(hook.status).toBe(201);

  // The same slug, two stories: Basra gets tier B in the default cycle, tier A and a nominee in the other.
  await accept(null, 'basra', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
  await accept(OTHER, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2025-01-20T10:00:00+03:00' });
  await accept(OTHER, 'basra', {
    type: 'NOMINATE',
    candidate: { name: 'Zaid Al-Tajriba', nameAr: 'زيد التجربة' },
    occurredAt: '2025-01-25T10:00:00+03:00',
  });
  await accept(OTHER, 'najaf', { type: 'REPORT', kind: 'note', text: 'Council session called for next week', occurredAt: '2025-02-02T10:00:00+03:00' });
}, 120_000);

afterAll(async () => {
  streamAbort.abort();
  await streamReading;
  await s?.teardown();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('two cycles side by side', () => {
  test('GET /cycles lists both, the default first; the same slug answers for each cycle', async () => {
    const cycles = await get('/cycles');
    expect(cycles.body.items.map((c: { slug: string; default: boolean }) => [c.slug, c.default])).toEqual([
      [DEFAULT, true],
      [OTHER, false],
    ]);
    expect((await get('/provinces/basra')).body).toMatchObject({ cycle: DEFAULT, tier: 'B', stage: 'tier' });
    expect((await get(`/cycles/${OTHER}/provinces/basra`)).body).toMatchObject({ cycle: OTHER, tier: 'A', stage: 'candidate' });
  });

  test('an unknown cycle is a 404 problem on every read that takes ?cycle=; a repeated one is a 400', async () => {
    for (const path of [
      '/alerts',
      '/digest',
      '/changes',
      '/feeds/changes.atom',
      '/feeds/alerts.atom',
      '/charts/timeline.svg',
      '/search?q=basra',
      '/proposals',
      '/claims',
    ]) {
      const glue = path.includes('?') ? '&' : '?';
      expectProblem(await get(`${path}${glue}cycle=iraq-1999`), 404, 'not-found');
      expectProblem(await get(`${path}${glue}cycle=Not%20A%20Slug`), 404, 'not-found');
      const twice = await get(`${path}${glue}cycle=${DEFAULT}&cycle=${OTHER}`);
      expectProblem(twice, 400, 'validation');
      expect(new Set(twice.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['cycle']));
    }
  });
});

describe('alerts', () => {
  interface Alert {
    id: string;
    cycle: string;
    province: string;
    kind: string;
    status: string;
  }

  test('without ?cycle= the default cycle’s alerts, each naming its cycle; with it, that cycle’s only', async () => {
    const byDefault = (await get('/alerts')).body.items as Alert[];
    // The boot sweep opened a breach for each of the default cycle's 15 provinces (its deadline is long past).
    expect(byDefault).toHaveLength(15);
    expect(new Set(byDefault.map((a) => a.cycle))).toEqual(new Set([DEFAULT]));
    expect((await get(`/alerts?cycle=${DEFAULT}`)).body.items).toEqual(byDefault);

    // The other cycle's deadline passed too: its two provinces with events were judged when they were written.
    const other = (await get(`/alerts?cycle=${OTHER}`)).body.items as Alert[];
    expect(other.map((a) => [a.cycle, a.province, a.kind, a.status])).toEqual([
      [OTHER, 'basra', 'breach', 'open'],
      [OTHER, 'najaf', 'breach', 'open'],
    ]);
    expect(byDefault.map((a) => a.id)).not.toEqual(expect.arrayContaining([other[0].id]));
    // The province filter is within the cycle.
    expect(((await get(`/alerts?cycle=${OTHER}&province=basra`)).body.items as Alert[]).map((a) => a.id)).toEqual([other[0].id]);
  });

  test('acknowledging names the cycle in the answer and in the alert.acknowledged notice', async () => {
    const [basra] = (await get(`/alerts?cycle=${OTHER}&province=basra`)).body.items as Alert[];
    const ack = await s.app.http().post(`${API}/alerts/${basra.id}/ack`).set(viewer());
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: basra.id, cycle: OTHER, province: 'basra', status: 'acknowledged' });
    const n = await waitForNotice((x) => x.event === 'alert.acknowledged' && (x.data.data.alert as Alert).id === basra.id);
    expect(n.data.data).toMatchObject({ cycle: { slug: OTHER }, alert: { id: basra.id, cycle: OTHER, province: 'basra' } });
  });
});

describe('digest', () => {
  test('?cycle= gives that cycle’s day: its provinces, changes, deadline and timeline link; the default without it', async () => {
    const other = await get(`/digest?date=2025-01-20&cycle=${OTHER}`);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ date: '2025-01-20', deadline: '2025-03-01', timeline: `/api/v1/charts/timeline.svg?until=2025-01-20&cycle=${OTHER}` });
    expect(other.body.changes.map((c: Change) => [c.province, c.type])).toEqual([['basra', 'ASSIGN_TIER']]);
    expect(other.body.provinces.find((p: { slug: string }) => p.slug === 'basra')).toMatchObject({ tier: 'A', stage: 'tier' });
    expect(other.body.provinces).toHaveLength(15);

    const byDefault = await get('/digest?date=2025-01-20');
    expect(byDefault.status).toBe(200);
    expect(byDefault.body).toMatchObject({ deadline: '2024-02-09', timeline: '/api/v1/charts/timeline.svg?until=2025-01-20', changes: [] });
    expect(byDefault.body.provinces.find((p: { slug: string }) => p.slug === 'basra')).toMatchObject({ tier: 'B', stage: 'tier' });
    // Naming the default cycle gives its digest, with links that name it.
    const named = await get(`/digest?date=2025-01-20&cycle=${DEFAULT}`);
    expect({ ...named.body, timeline: null }).toEqual({ ...byDefault.body, timeline: null });
    expect(named.body.timeline).toBe(`/api/v1/charts/timeline.svg?until=2025-01-20&cycle=${DEFAULT}`);

    const md = await s.app.http().get(`${API}/digest?date=2025-01-25&cycle=${OTHER}&format=md`).set(viewer());
    expect(md.text).toContain(`(/api/v1/charts/timeline.svg?until=2025-01-25&cycle=${OTHER})`);
    expect(md.text).toContain('Zaid Al-Tajriba');
  });

  test('a day before the named cycle’s election is refused, though the default cycle has it', async () => {
    expect((await get('/digest?date=2024-06-01')).status).toBe(200);
    const res = await get(`/digest?date=2024-06-01&cycle=${OTHER}`);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors).toEqual([{ field: 'date', message: 'must not be before the election day (2025-01-15)' }]);
  });
});

describe('changes', () => {
  test('each cycle’s events, in recording order; the cursor is the log’s, so it stays valid and monotonic across cycles', async () => {
    const mine = await pullChanges(`cycle=${OTHER}`, 3);
    expect(mine.items.map((e) => [e.province, e.seq, e.type])).toEqual([
      ['basra', 1, 'ASSIGN_TIER'],
      ['basra', 2, 'NOMINATE'],
      ['najaf', 1, 'REPORT'],
    ]);
    const theirs = await pullChanges('', 1);
    expect(theirs.items.map((e) => [e.province, e.seq, e.type])).toEqual([['basra', 1, 'ASSIGN_TIER']]);
    expect((await pullChanges(`cycle=${DEFAULT}`, 1)).items).toEqual(theirs.items);

    // New events in both cycles: a pull with the other cycle's cursor sees only its own new one, and the
    // default cycle's pull from that same cursor only what was recorded after it.
    await accept(null, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-11T10:00:00+03:00' });
    await accept(OTHER, 'najaf', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2025-02-03T10:00:00+03:00' });
    const next = await pullChanges(`cycle=${OTHER}`, 1, mine.cursor);
    expect(next.items.map((e) => [e.province, e.seq, e.type])).toEqual([['najaf', 2, 'ASSIGN_TIER']]);
    const cursorOrder = (c: string) => Buffer.from(c, 'base64url').toString('latin1').split(':').map(BigInt);
    const [tx0, id0] = cursorOrder(mine.cursor);
    const [tx1, id1] = cursorOrder(next.cursor);
    expect(tx1 > tx0 || (tx1 === tx0 && id1 > id0)).toBe(true);
    const fromThere = await pullChanges('', 1, mine.cursor);
    expect(fromThere.items.map((e) => [e.province, e.seq])).toEqual([['kirkuk', 1]]);
  });
});

describe('feeds', () => {
  async function feed(path: string) {
    const res = await s.app.http().get(`${API}${path}`).set(viewer()).set('host', 'newsroom.example').buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => done(null, text));
    });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    // A third-party Atom reader: what a subscriber's client sees.
    const parsed = parseFeed(res.body as string);
    expect(parsed.meta).toEqual({ type: 'atom', version: '1.0' });
    return {
      id: parsed.element.findElementWithName('id')?.textContent,
      title: parsed.title,
      self: parsed.self,
      link: parsed.url,
      items: parsed.items.map((i) => ({ id: i.id, url: i.url, title: i.title })),
    };
  }

  test('changes.atom: the default cycle’s entries with the ids of today; a named cycle’s feed names it, with its own entry ids', async () => {
    const byDefault = await feed('/feeds/changes.atom');
    expect(byDefault).toMatchObject({
      id: 'urn:governor-tracker:feed:changes',
      title: 'Governor tracker: changes',
      self: 'http://newsroom.example/api/v1/feeds/changes.atom',
    });
    expect(byDefault.items.map((i) => i.id)).toEqual(['urn:governor-tracker:event:kirkuk:1', 'urn:governor-tracker:event:basra:1']);
    expect(byDefault.items[1].url).toBe('http://newsroom.example/api/v1/provinces/basra/events');

    const other = await feed(`/feeds/changes.atom?cycle=${OTHER}`);
    expect(other).toMatchObject({
      id: `urn:governor-tracker:feed:changes:${OTHER}`,
      title: `Governor tracker: changes (${OTHER})`,
      self: `http://newsroom.example/api/v1/feeds/changes.atom?cycle=${OTHER}`,
      link: `http://newsroom.example/api/v1/changes?cycle=${OTHER}`,
    });
    expect(other.items.map((i) => i.id)).toEqual([
      `urn:governor-tracker:event:${OTHER}:najaf:2`,
      `urn:governor-tracker:event:${OTHER}:najaf:1`,
      `urn:governor-tracker:event:${OTHER}:basra:2`,
      `urn:governor-tracker:event:${OTHER}:basra:1`,
    ]);
    expect(other.items.at(-1)).toMatchObject({ url: `http://newsroom.example/api/v1/cycles/${OTHER}/provinces/basra/events`, title: 'Basra (البصرة): Assigned to tier A' });

    // The default cycle named: the same entries with the same ids; the feed itself names the cycle.
    const named = await feed(`/feeds/changes.atom?cycle=${DEFAULT}`);
    expect(named.id).toBe(`urn:governor-tracker:feed:changes:${DEFAULT}`);
    expect(named.items.map((i) => i.id)).toEqual(byDefault.items.map((i) => i.id));
    expect(named.items[1].url).toBe(`http://newsroom.example/api/v1/cycles/${DEFAULT}/provinces/basra/events`);
  });

  test('alerts.atom: each cycle’s alerts only', async () => {
    const otherAlerts = (await get(`/alerts?cycle=${OTHER}&status=all`)).body.items as { id: string }[];
    expect(otherAlerts.length).toBeGreaterThan(0);
    const other = await feed(`/feeds/alerts.atom?cycle=${OTHER}`);
    expect(other.id).toBe(`urn:governor-tracker:feed:alerts:${OTHER}`);
    expect(other.items.map((i) => i.id).sort()).toEqual(otherAlerts.map((a) => `urn:governor-tracker:alert:${a.id}`).sort());
    const byDefault = await feed('/feeds/alerts.atom');
    expect(byDefault.id).toBe('urn:governor-tracker:feed:alerts');
    expect(byDefault.items).toHaveLength((await get('/alerts?status=all')).body.items.length);
    expect(byDefault.items.map((i) => i.id)).not.toEqual(expect.arrayContaining([other.items[0].id]));
  });
});

describe('charts', () => {
  async function svg(path: string): Promise<string> {
    const res = await s.app.http().get(`${API}${path}`).set(viewer()).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => done(null, text));
    });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(xmlProblem(res.body as string)).toBeNull();
    return res.body as string;
  }

  test('the timeline draws the named cycle: its deadline, its provinces as they stand in it', async () => {
    const other = await svg(`/charts/timeline.svg?cycle=${OTHER}`);
    expect(other).toContain('deadline date=2025-03-01');
    expect(other).toMatch(/row province=basra name=Basra nameAr=البصرة stage=candidate /);
    const byDefault = await svg('/charts/timeline.svg');
    expect(byDefault).toContain('deadline date=2024-02-09');
    expect(byDefault).toMatch(/row province=basra name=Basra nameAr=البصرة stage=tier /);
    // Drawn to the same cut-off, the default cycle named or not is the same picture (compared as a boolean: it is large).
    const sameDay = await svg('/charts/timeline.svg?until=2025-01-25');
    expect((await svg(`/charts/timeline.svg?until=2025-01-25&cycle=${DEFAULT}`)) === sameDay).toBe(true);
    expect((await svg(`/charts/timeline.svg?until=2025-01-25&cycle=${OTHER}`)) === sameDay).toBe(false);
    const one = await svg(`/charts/timeline.svg?cycle=${OTHER}&province=basra`);
    expect(one).toContain('segment province=basra stage=candidate start=2025-01-25T07:00:00.000Z');
  });

  test('the named cycle’s election day bounds `until`', async () => {
    const res = await get(`/charts/timeline.svg?cycle=${OTHER}&until=2024-06-01`);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors).toEqual([{ field: 'until', message: 'must not be before the election day (2025-01-15)' }]);
  });
});

describe('search', () => {
  test('finds one cycle’s provinces and people: Basra once, its nominee only in the cycle that named him', async () => {
    const provinces = (await get('/search?q=Basra')).body.items as { kind: string; province: string }[];
    expect(provinces.filter((h) => h.kind === 'province').map((h) => h.province)).toEqual(['basra']);
    expect((await get(`/search?q=Basra&cycle=${OTHER}`)).body.items.filter((h: { kind: string }) => h.kind === 'province')).toHaveLength(1);

    const person = await get(`/search?q=${encodeURIComponent('زيد التجربه')}&cycle=${OTHER}`);
    expect(person.body.items).toEqual([expect.objectContaining({ kind: 'person', province: 'basra', name: 'Zaid Al-Tajriba', roles: ['nominee'] })]);
    expect((await get('/search?q=Zaid%20Al-Tajriba')).body.items).toEqual([]);
    expect((await get(`/search?q=Zaid%20Al-Tajriba&cycle=${DEFAULT}`)).body.items).toEqual([]);
  });
});

describe('proposals and claims', () => {
  test('/proposals lists the named cycle’s proposals only', async () => {
    const proposed = await post(OTHER, 'basra', { type: 'APPOINT', governor: 'Zaid Al-Tajriba', occurredAt: '2025-02-05T10:00:00+03:00' });
    expect(proposed.status).toBe(202);
    const id = proposed.body.proposal.id as string;
    expect((await get(`/proposals?cycle=${OTHER}`)).body.items.map((p: { id: string; province: string }) => [p.id, p.province])).toEqual([[id, 'basra']]);
    expect((await get('/proposals')).body.items).toEqual([]);
    expect((await get(`/proposals?cycle=${DEFAULT}&status=all`)).body.items).toEqual([]);
  });

  test('/claims lists the named cycle’s claims only; claim.changed names the cycle', async () => {
    const claim = await s.app.http().post(`${API}/cycles/${OTHER}/provinces/najaf/claims`).set(s.auth(s.keys.editor)).send({ text: 'A governor by Thursday', source });
    expect(claim.status).toBe(201);
    expect((await get(`/claims?cycle=${OTHER}`)).body.items.map((c: { id: string }) => c.id)).toEqual([claim.body.id]);
    expect((await get('/claims')).body.items).toEqual([]);
    const n = await waitForNotice((x) => x.event === 'claim.changed' && (x.data.data.claim as { id: string }).id === claim.body.id);
    expect(n.data.data).toMatchObject({ cycle: { slug: OTHER }, claim: { province: 'najaf', status: 'reported' } });
  });
});

describe('stream notices', () => {
  test('every notice names its cycle: province.changed and alert.opened of each cycle', async () => {
    await waitForNotice((x) => x.event === 'province.changed' && (x.data.data.province as { slug: string }).slug === 'najaf' && (x.data.data.cycle as { slug: string }).slug === OTHER);
    for (const n of notices) expect([n.event, n.data.data.cycle]).toEqual([n.event, { slug: expect.stringMatching(/^iraq-202[35]$/) }]);
    const changed = notices.filter((n) => n.event === 'province.changed').map((n) => [(n.data.data.cycle as { slug: string }).slug, (n.data.data.province as { slug: string }).slug]);
    expect(changed).toEqual(
      expect.arrayContaining([
        [DEFAULT, 'basra'],
        [OTHER, 'basra'],
        [OTHER, 'najaf'],
        [DEFAULT, 'kirkuk'],
      ]),
    );
    const opened = notices.filter((n) => n.event === 'alert.opened').map((n) => [(n.data.data.cycle as { slug: string }).slug, (n.data.data.alert as { cycle: string; province: string }).cycle, (n.data.data.alert as { province: string }).province]);
    expect(opened).toEqual(expect.arrayContaining([[OTHER, OTHER, 'basra'], [OTHER, OTHER, 'najaf']]));
  });

  test('webhooks receive the same notices, each naming its cycle', async () => {
    const deadline = Date.now() + 15_000;
    const types = () => new Set(delivered.map((d) => d.type));
    while (Date.now() < deadline && !['province.changed', 'alert.opened', 'alert.acknowledged', 'claim.changed'].every((t) => types().has(t))) await pause(100);
    expect([...types()].sort()).toEqual(expect.arrayContaining(['alert.acknowledged', 'alert.opened', 'claim.changed', 'province.changed']));
    for (const d of delivered) expect([d.type, d.data.cycle]).toEqual([d.type, { slug: expect.stringMatching(/^iraq-202[35]$/) }]);
    expect(delivered.find((d) => d.type === 'claim.changed')?.data.cycle).toEqual({ slug: OTHER });
    expect(delivered.find((d) => d.type === 'alert.acknowledged')?.data.cycle).toEqual({ slug: OTHER });
  });
});

describe('the read cache', () => {
  test('keeps each cycle’s digest apart, and a change in a cycle is seen at once', async () => {
    const first = await get(`/digest?date=2025-01-25&cycle=${OTHER}`);
    const again = await get(`/digest?date=2025-01-25&cycle=${OTHER}`);
    expect([first.headers['x-read-cache'], again.headers['x-read-cache']]).toEqual(['miss', 'hit']);
    expect(again.body).toEqual(first.body);
    const byDefault = await get('/digest?date=2025-01-25');
    expect(byDefault.body.deadline).toBe('2024-02-09');

    await accept(OTHER, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2025-01-25T12:00:00+03:00' });
    const after = await get(`/digest?date=2025-01-25&cycle=${OTHER}`);
    expect(after.headers['x-read-cache']).toBe('miss');
    expect(after.body.changes.map((c: Change) => [c.province, c.type])).toEqual([
      ['basra', 'NOMINATE'],
      ['kirkuk', 'ASSIGN_TIER'],
    ]);
  });

  test('the routes without a cycle follow a switch of the default at once, cached or not', async () => {
    const tierOfBasra = (res: Response) => (res.body.items as { slug: string; tier: string | null }[]).find((p) => p.slug === 'basra')?.tier;
    await get('/provinces');
    const cached = await get('/provinces');
    expect([cached.headers['x-read-cache'], tierOfBasra(cached)]).toEqual(['hit', 'B']);
    await get('/digest?date=2025-01-25');
    const cachedDigest = await get('/digest?date=2025-01-25');
    expect([cachedDigest.headers['x-read-cache'], cachedDigest.body.deadline]).toEqual(['hit', '2024-02-09']);

    const admin = s.auth(s.keys.admin);
    try {
      expect((await s.app.http().patch(`${API}/cycles/${OTHER}`).set(admin).send({ default: true })).status).toBe(200);
      const switched = await get('/provinces');
      expect([switched.headers['x-read-cache'], tierOfBasra(switched)]).toEqual(['miss', 'A']);
      expect((await get(`/cycles/${DEFAULT}/provinces`)).body.items.find((p: { slug: string }) => p.slug === 'basra').tier).toBe('B');
      const digest = await get('/digest?date=2025-01-25');
      expect([digest.headers['x-read-cache'], digest.body.deadline]).toEqual(['miss', '2025-03-01']);
      expect(new Set((await get('/alerts?status=all')).body.items.map((a: { cycle: string }) => a.cycle))).toEqual(new Set([OTHER]));
    } finally {
      expect((await s.app.http().patch(`${API}/cycles/${DEFAULT}`).set(admin).send({ default: true })).status).toBe(200);
    }
    expect(tierOfBasra(await get('/provinces'))).toBe('B');
  });
});

describeWithServer('the read cache across instances', () => {
  test('another instance, whose default cycle is a second stale at most, never keeps the old default’s answer for the new one', async () => {
    const second = await startSecondInstance(s.app);
    const tierOfBasra = (res: Response) => (res.body.items as { slug: string; tier: string | null }[]).find((p) => p.slug === 'basra')?.tier;
    const read = () => second.http().get(`${API}/provinces`).set(viewer());
    const admin = s.auth(s.keys.admin);
    try {
      expect(tierOfBasra(await read())).toBe('B');
      expect((await s.app.http().patch(`${API}/cycles/${OTHER}`).set(admin).send({ default: true })).status).toBe(200);
      // Within a second the second instance may still take the old default for the default (CycleResolver keeps it
      // that long); what it answers then is cached under that cycle, not under "the default".
      expect(['A', 'B']).toContain(tierOfBasra(await read()));
      await pause(1100);
      const after = await read();
      expect(tierOfBasra(after)).toBe('A');
    } finally {
      expect((await s.app.http().patch(`${API}/cycles/${DEFAULT}`).set(admin).send({ default: true })).status).toBe(200);
      await second.close();
    }
  });
});
