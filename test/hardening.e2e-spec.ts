import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Response } from 'supertest';
import { expectProblem } from './support/expectations.js';
import { ADMIN_KEY, postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 23, item 7 (the smaller ones; the cap on live streams is in key-security.e2e-spec.ts):
 * If-Match compares strongly; a replayed idempotent answer carries the original ETag and Location;
 * CSV neutralises formulas after leading spaces; a path that names nothing is refused before the
 * Idempotency-Key is claimed; answers to a public key name the newsroom (PUBLIC_ACTOR_NAME), never a key.
 */

const PUBLIC_ACTOR = 'Desk of Record';
const s = await setupSuite('hardening', { PUBLIC_ACTOR_NAME: PUBLIC_ACTOR });
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const version = async (slug: string) => (await http().get(`${API}/provinces/${slug}`).set(as(s.keys.viewer))).body.version as number;

describe('If-Match compares strongly', () => {
  test('W/"<current version>" is a 412 on an event and on a retraction, and stores nothing; the strong tag works', async () => {
    const v = await version('basra');
    const weak = await postEvent(s.app, s.keys.editor, 'basra', { type: 'REPORT', kind: 'note', text: 'weak' }, { 'if-match': `W/"${v}"` });
    expectProblem(weak, 412, 'precondition-failed');
    expect(weak.body.currentVersion).toBe(v);
    expect(await version('basra')).toBe(v);

    const strong = await postEvent(s.app, s.keys.editor, 'basra', { type: 'REPORT', kind: 'note', text: 'strong' }, { 'if-match': `"${v}"` });
    expect(strong.status).toBe(201);
    const retract = await http()
      .post(`${API}/provinces/basra/events/${strong.body.event.seq}/retract`)
      .set(as(s.keys.editor))
      .set('if-match', `W/"${v + 1}"`)
      .send({ reason: 'weak tag' });
    expectProblem(retract, 412, 'precondition-failed');
    expect(await version('basra')).toBe(v + 1);
  });
});

describe('a replayed idempotent answer carries the original ETag and Location', () => {
  test('an event (201), after the province has moved on', async () => {
    const body = { type: 'REPORT', kind: 'note', text: 'replay me' };
    const first = await postEvent(s.app, s.keys.editor, 'kirkuk', body, { 'idempotency-key': 'replay-event' });
    expect(first.status).toBe(201);
    expect(first.headers.etag).toBe(`"${first.body.province.version}"`);
    expect(first.headers.location).toBe(`/api/v1/provinces/kirkuk/events/${first.body.event.seq}`);
    expect((await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'REPORT', kind: 'note', text: 'later' })).status).toBe(201);
    const replay = await postEvent(s.app, s.keys.editor, 'kirkuk', body, { 'idempotency-key': 'replay-event' });
    expect({ status: replay.status, replayed: replay.headers['idempotent-replayed'], etag: replay.headers.etag, location: replay.headers.location }).toEqual({
      status: 201,
      replayed: 'true',
      etag: first.headers.etag,
      location: first.headers.location,
    });
  });

  test('a retraction (200) and a claim (201)', async () => {
    const event = await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'REPORT', kind: 'rumor', text: 'to retract' });
    const retract = () =>
      http().post(`${API}/provinces/kirkuk/events/${event.body.event.seq}/retract`).set(as(s.keys.editor)).set('idempotency-key', 'replay-retract').send({ reason: 'wrong' });
    const first = await retract();
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe(`"${first.body.version}"`);
    const replay = await retract();
    expect({ status: replay.status, replayed: replay.headers['idempotent-replayed'], etag: replay.headers.etag }).toEqual({
      status: 200,
      replayed: 'true',
      etag: first.headers.etag,
    });

    const claim = () =>
      http()
        .post(`${API}/provinces/kirkuk/claims`)
        .set(as(s.keys.editor))
        .set('idempotency-key', 'replay-claim')
        .send({ text: 'A deal is near', source: { name: 'Shafaq News' } });
    const created = await claim();
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/provinces/kirkuk/claims/${created.body.id}`);
    const again = await claim();
    expect({ status: again.status, replayed: again.headers['idempotent-replayed'], location: again.headers.location }).toEqual({
      status: 201,
      replayed: 'true',
      location: created.headers.location,
    });
  });
});

describe('a path that names nothing is refused before the Idempotency-Key is claimed', () => {
  const stored = async (key: string) =>
    ((await s.app.running.database.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = $1`, [key])) as { n: number }[])[0].n;

  test('retract, event and ack routes with an impossible slug, seq or id: 404, no key stored, and the key then serves a real request', async () => {
    const key = 'named-nothing';
    for (const path of [
      `${API}/provinces/NOT%20A%20SLUG/events/1/retract`,
      `${API}/provinces/basra--/events/1/retract`,
      `${API}/provinces/basra/events/0/retract`,
      `${API}/provinces/basra/events/abc/retract`,
    ]) {
      expectProblem(await http().post(path).set(as(s.keys.editor)).set('idempotency-key', key).send({ reason: 'x' }), 404, 'not-found');
    }
    expectProblem(
      await http().post(`${API}/provinces/Basra!/events`).set(as(s.keys.editor)).set('idempotency-key', key).send({ type: 'REPORT', kind: 'note', text: 'x', source: { name: 'x' } }),
      404,
      'not-found',
    );
    expectProblem(await http().post(`${API}/alerts/not-an-id/ack`).set(as(s.keys.viewer)).set('idempotency-key', key).send({}), 404, 'not-found');
    expect(await stored(key)).toBe(0);

    const real = await postEvent(s.app, s.keys.editor, 'anbar', { type: 'REPORT', kind: 'note', text: 'the key is free' }, { 'idempotency-key': key });
    expect({ status: real.status, replayed: real.headers['idempotent-replayed'] }).toEqual({ status: 201, replayed: undefined });
  });
});

describe('CSV neutralises formulas after leading spaces', () => {
  const FORMULAS = ['  =HYPERLINK("http://evil.example","click")', '\u00a0+1+1', ' -2+3', '\u3000@SUM(A1)', '\t=1', '＝1+1', ' \r\n=cmd'];

  test('every source name and note that a spreadsheet would run starts with an apostrophe, as a CSV parser reads it', async () => {
    for (const text of FORMULAS) {
      const res = await postEvent(s.app, s.keys.editor, 'najaf', { type: 'REPORT', kind: 'note', text: 'csv', source: { name: text }, note: text });
      expect({ text, status: res.status }).toEqual({ text, status: 201 });
    }
    const res = await http().get(`${API}/provinces/najaf/events?format=csv`).set(as(s.keys.viewer)).buffer(true);
    const rows = parseCsv(res.text, { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
    const cells = rows.slice(-FORMULAS.length).flatMap((r) => [r.sourceName, r.note]);
    // A source's name is stored trimmed; a note as written.
    expect(cells).toEqual(FORMULAS.flatMap((f) => [`'${f.trim()}`, `'${f}`]));
  });

  test('the provinces CSV too (a governor whose name opens with spaces and a formula sign)', async () => {
    const name = '   =WEBSERVICE("http://evil.example")';
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name }, occurredAt: '2024-01-20T10:00:00+03:00' },
      { type: 'APPOINT', governor: name, votes: 9, occurredAt: '2024-02-08T10:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, s.keys.editor, 'wasit', body)).status).toBe(201);
    }
    const res = await http().get(`${API}/provinces?format=csv`).set(as(s.keys.viewer)).buffer(true);
    const rows = parseCsv(res.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.slug === 'wasit')?.governor).toBe(`'${name}`);
  });
});

describe('answers to a public key name the newsroom, never a key', () => {
  const KEY_NAMES = ['editor-desk', 'night-desk', 'viewer-desk', 'public-site', 'admin (ADMIN_API_KEY)'];
  let publicKey = '';
  const textOf = (res: Response) => (typeof res.text === 'string' ? res.text : '');

  beforeAll(async () => {
    const make = async (name: string, role: string) => {
      const res = await http().post(`${API}/admin/api-keys`).set(as(ADMIN_KEY)).send({ name, role });
      expect(res.status).toBe(201);
      return res.body.key as string;
    };
    publicKey = await make('public-site', 'public');
    const night = await make('night-desk', 'editor');
    // An approved SET_DEADLINE (approvedBy), a retracted public report (retractedBy), a public claim, an acknowledged alert.
    expect((await http().patch(`${API}/cycle`).set(as(ADMIN_KEY)).send({ requireApproval: true })).status).toBe(200);
    const proposal = await postEvent(s.app, s.keys.editor, 'dhi-qar', { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling' }, { 'idempotency-key': 'replay-proposal' });
    expect(proposal.status).toBe(202);
    const replayed = await postEvent(s.app, s.keys.editor, 'dhi-qar', { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'court ruling' }, { 'idempotency-key': 'replay-proposal' });
    expect({ status: replayed.status, location: replayed.headers.location }).toEqual({ status: 202, location: proposal.headers.location });
    expect((await http().post(`${API}/proposals/${proposal.body.proposal.id}/approve`).set(as(night))).status).toBe(201);
    expect((await http().patch(`${API}/cycle`).set(as(ADMIN_KEY)).send({ requireApproval: false })).status).toBe(200);
    const report = await postEvent(s.app, s.keys.editor, 'dhi-qar', { type: 'REPORT', kind: 'denial', text: 'public denial' });
    expect((await http().post(`${API}/provinces/dhi-qar/events/${report.body.event.seq}/retract`).set(as(s.keys.editor)).send({ reason: 'duplicate' })).status).toBe(200);
    expect((await http().post(`${API}/provinces/dhi-qar/claims`).set(as(s.keys.editor)).send({ text: 'A name is circulating', source: { name: 'Al-Sumaria' } })).status).toBe(201);
    const open = (await http().get(`${API}/alerts`).set(as(s.keys.viewer))).body.items as { id: string }[];
    expect((await http().post(`${API}/alerts/${open[0].id}/ack`).set(as(s.keys.viewer)).send({})).status).toBe(200);
  });

  test.each([
    ['/provinces/dhi-qar/events', true],
    ['/provinces/dhi-qar/events?format=csv', true],
    ['/provinces/dhi-qar/history', true],
    ['/provinces/dhi-qar/claims', true],
    ['/claims', true],
    ['/changes?limit=1000', true],
    ['/feeds/changes.atom', true],
    ['/feeds/alerts.atom', true],
  ])('%s: no key name for a public key (the newsroom’s name instead); the newsroom’s keys see the names', async (path, named) => {
    const pub = textOf(await http().get(`${API}${path}`).set(as(publicKey)).buffer(true));
    expect(KEY_NAMES.filter((n) => pub.includes(n))).toEqual([]);
    if (named) expect(pub).toContain(PUBLIC_ACTOR);
    const inside = textOf(await http().get(`${API}${path}`).set(as(s.keys.viewer)).buffer(true));
    expect(KEY_NAMES.some((n) => inside.includes(n))).toBe(true);
  });

  test('the events say who acted, approved and retracted as the newsroom; the Atom feeds parse, with the newsroom as every entry’s author', async () => {
    const events = (await http().get(`${API}/provinces/dhi-qar/events`).set(as(publicKey))).body.items as { type: string; actor: string; approvedBy: string | null; retractedBy: string | null }[];
    expect(events.find((e) => e.type === 'SET_DEADLINE')).toMatchObject({ actor: PUBLIC_ACTOR, approvedBy: PUBLIC_ACTOR });
    expect(events.find((e) => e.type === 'REPORT')).toMatchObject({ actor: PUBLIC_ACTOR, retractedBy: PUBLIC_ACTOR });
    const viewer = (await http().get(`${API}/provinces/dhi-qar/events`).set(as(s.keys.viewer))).body.items as { type: string; actor: string; approvedBy: string | null }[];
    expect(viewer.find((e) => e.type === 'SET_DEADLINE')).toMatchObject({ actor: 'editor-desk', approvedBy: 'night-desk' });

    const atom = (await http().get(`${API}/feeds/changes.atom`).set(as(publicKey)).buffer(true)).text;
    expect(XMLValidator.validate(atom)).toBe(true);
    const feed = new XMLParser({ isArray: (name) => name === 'entry' || name === 'author' }).parse(atom).feed as { entry: { author: { name: string }[] }[] };
    expect(feed.entry.length).toBeGreaterThan(0);
    expect(new Set(feed.entry.flatMap((e) => e.author.map((a) => a.name)))).toEqual(new Set([PUBLIC_ACTOR]));
    expect(XMLValidator.validate((await http().get(`${API}/feeds/alerts.atom`).set(as(publicKey)).buffer(true)).text)).toBe(true);
  });
});
