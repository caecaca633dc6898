import { ReadCache } from '../apps/api/src/read-cache/read-cache.service.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * The read cache (issue 6): an as-of list and a day's digest are served from memory while nothing they
 * depend on has changed, and never after: every accepted event, retraction and cycle change makes
 * the next answer a fresh one, which shows the change. The present list is cached per day in the
 * cycle's zone (a province's view changes with the clock only at local midnights).
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('read-cache');
});
afterAll(async () => s?.teardown());

const AS_OF = '2024-01-20T12:00:00Z';
const get = (path: string, headers: Record<string, string> = {}) => s.app.http().get(`/api/v1${path}`).set(s.auth(s.keys.viewer)).set(headers);
const basraAt = (body: { items: { slug: string; tier: string | null; stage: string }[] }) => body.items.find((p) => p.slug === 'basra')!;

async function accepted(slug: string, body: Record<string, unknown>) {
  const res = await postEvent(s.app, s.keys.editor, slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body;
}

describe('an as-of list', () => {
  it('is served again from the cache, then recomputed after an event that changes it', async () => {
    const first = await get(`/provinces?asOf=${AS_OF}`);
    expect(first.status).toBe(200);
    expect(first.headers['x-read-cache']).toBe('miss');
    expect(basraAt(first.body).tier).toBeNull();

    const second = await get(`/provinces?asOf=${AS_OF}`);
    expect(second.headers['x-read-cache']).toBe('hit');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);

    // A backdated event before the as-of instant changes that past view: the next answer must show it.
    await accepted('basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    const third = await get(`/provinces?asOf=${AS_OF}`);
    expect(third.headers['x-read-cache']).toBe('miss');
    expect(basraAt(third.body).tier).toBe('A');
    expect(third.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 304 to a matching If-None-Match, and keeps CSV headers on a hit', async () => {
    const first = await get(`/provinces?asOf=${AS_OF}`);
    const notModified = await get(`/provinces?asOf=${AS_OF}`, { 'if-none-match': first.headers.etag });
    expect(notModified.status).toBe(304);
    expect(notModified.text ?? '').toBe('');

    const csv1 = await get(`/provinces?asOf=${AS_OF}&format=csv`);
    const csv2 = await get(`/provinces?asOf=${AS_OF}&format=csv`);
    expect(csv2.headers['x-read-cache']).toBe('hit');
    expect(csv2.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv2.headers['content-disposition']).toBe(csv1.headers['content-disposition']);
    expect(csv2.text).toBe(csv1.text);
    expect(csv2.text).not.toBe(first.text);
  });

  it('is recomputed after a retraction and after a change of the cycle', async () => {
    const before = await get(`/provinces?asOf=${AS_OF}`);
    const { event } = await accepted('najaf', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T10:00:00+03:00' });
    const withTier = await get(`/provinces?asOf=${AS_OF}`);
    expect(withTier.body.items.find((p: { slug: string }) => p.slug === 'najaf').tier).toBe('B');
    expect(withTier.text).not.toBe(before.text);

    const retracted = await s.app.http().post(`/api/v1/provinces/najaf/events/${event.seq}/retract`).set(s.auth(s.keys.editor)).send({ reason: 'misreported' });
    expect(retracted.status).toBe(200);
    const after = await get(`/provinces?asOf=${AS_OF}`);
    expect(after.headers['x-read-cache']).toBe('miss');
    expect(after.body.items.find((p: { slug: string }) => p.slug === 'najaf').tier).toBeNull();

    const cached = await get(`/provinces?asOf=${AS_OF}`);
    expect(cached.headers['x-read-cache']).toBe('hit');
    const patched = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ deadline: '2024-01-15', deadlineBasis: 'test: an earlier deadline' });
    expect(patched.status).toBe(200);
    const moved = await get(`/provinces?asOf=${AS_OF}`);
    expect(moved.headers['x-read-cache']).toBe('miss');
    expect(basraAt(moved.body)).toMatchObject({ deadline: '2024-01-15' });
    const restored = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ deadline: '2024-02-09', deadlineBasis: 'Federal Supreme Court ruling' });
    expect(restored.status).toBe(200);
  });
});

describe('the present list', () => {
  it('is cached too, and recomputed after an event that changes it', async () => {
    const first = await get('/provinces');
    expect(first.status).toBe(200);
    const second = await get('/provinces');
    expect(second.headers['x-read-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    await accepted('karbala', { type: 'ASSIGN_TIER', tier: 'C' });
    const third = await get('/provinces');
    expect(third.headers['x-read-cache']).toBe('miss');
    expect(third.body.items.find((p: { slug: string }) => p.slug === 'karbala').tier).toBe('C');
  });

  it("is keyed on today's date in the cycle's zone: another key from Baghdad's midnight on, the same key all day", async () => {
    const cache = s.app.running.app.get(ReadCache);
    // Baghdad is UTC+3 all year: its midnight is 21:00 UTC the day before.
    const lastOfDay = await cache.dataVersion(new Date('2024-02-09T20:59:59.999Z'));
    const firstOfDay = await cache.dataVersion(new Date('2024-02-08T21:00:00.000Z'));
    const nextDay = await cache.dataVersion(new Date('2024-02-09T21:00:00.000Z'));
    expect(firstOfDay).toBe(lastOfDay);
    expect(nextDay).not.toBe(lastOfDay);
  });
});

describe("a day's digest", () => {
  it('is cached per day and representation, and recomputed after an event of that day', async () => {
    const json1 = await get('/digest?date=2024-01-25');
    const json2 = await get('/digest?date=2024-01-25');
    expect(json1.headers['x-read-cache']).toBe('miss');
    expect(json2.headers['x-read-cache']).toBe('hit');
    expect(json2.text).toBe(json1.text);

    const md1 = await get('/digest?date=2024-01-25', { accept: 'text/markdown' });
    expect(md1.headers['x-read-cache']).toBe('miss');
    expect(md1.headers['content-type']).toMatch(/^text\/markdown/);
    const md2 = await get('/digest?date=2024-01-25', { accept: 'text/markdown' });
    expect(md2.headers['x-read-cache']).toBe('hit');
    expect(md2.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md2.text).toBe(md1.text);

    await accepted('wasit', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-25T09:00:00+03:00' });
    const json3 = await get('/digest?date=2024-01-25');
    expect(json3.headers['x-read-cache']).toBe('miss');
    expect(JSON.stringify(json3.body)).toContain('wasit');
    expect(json3.text).not.toBe(json1.text);
  });

  it('is recomputed after a claim is reported or moved that day', async () => {
    const before = await get('/digest?date=2024-01-26');
    expect((await get('/digest?date=2024-01-26')).headers['x-read-cache']).toBe('hit');
    const claim = await s.app
      .http()
      .post('/api/v1/provinces/kirkuk/claims')
      .set(s.auth(s.keys.editor))
      .send({ text: 'Rebwar Taha will be Kirkuk’s governor', reportedAt: '2024-01-26T18:00:00+03:00', source: { name: 'Rudaw' } });
    expect(claim.status).toBe(201);
    const after = await get('/digest?date=2024-01-26');
    expect(after.headers['x-read-cache']).toBe('miss');
    expect(after.text).toContain('Rebwar Taha');
    expect(before.text).not.toContain('Rebwar Taha');
  });

  it('never caches a refusal', async () => {
    const bad = await get('/digest?date=2999-01-01');
    expect(bad.status).toBe(400);
    const again = await get('/digest?date=2999-01-01');
    expect(again.status).toBe(400);
    expect(again.headers['x-read-cache']).toBeUndefined();
  });
});

describe('content coding of a cached answer', () => {
  const path = `/provinces?asOf=${AS_OF}`;
  it('is gzip for a client that accepts it, the same answer uncompressed for one that does not, each with its own ETag', async () => {
    const gz = await get(path, { 'accept-encoding': 'gzip, deflate' });
    const plain = await get(path, { 'accept-encoding': 'identity' });
    expect([gz.status, plain.status]).toEqual([200, 200]);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.text).toBe(plain.text);
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(plain.text));
    expect(Number(gz.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']));
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    for (const res of [gz, plain]) expect(res.headers.vary).toBe('Accept, Accept-Language, Accept-Encoding');

    // A validator matches its own coding only.
    const crossed = await get(path, { 'accept-encoding': 'identity', 'if-none-match': gz.headers.etag });
    expect(crossed.status).toBe(200);
    expect(crossed.text).toBe(plain.text);
    const notModified = await get(path, { 'accept-encoding': 'identity', 'if-none-match': plain.headers.etag });
    expect(notModified.status).toBe(304);
    // A 304 has no body and claims no length (RFC 9110 §8.6).
    expect(notModified.headers['content-length']).toBeUndefined();
    expect((await get(path, { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag })).status).toBe(304);
    // A list of tags, and a tag a proxy made weak, match by the weak comparison.
    expect((await get(path, { 'accept-encoding': 'gzip', 'if-none-match': `"other", W/${gz.headers.etag}` })).status).toBe(304);
  });

  it('keeps a small answer as it is, and the digest its own Vary once', async () => {
    const small = await get(`/provinces?asOf=${AS_OF}&tier=C`, { 'accept-encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.body.items).toEqual([]);
    expect(small.headers['content-encoding']).toBeUndefined();
    const md = await get('/digest?date=2024-02-10&format=md', { 'accept-encoding': 'gzip' });
    expect(md.status).toBe(200);
    expect(md.headers.vary).toBe('Accept, Accept-Language, Accept-Encoding');
  });
});

describe('with the read cache off (READ_CACHE_MB=0)', () => {
  let off: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    off = await setupSuite('read-cache-off', { READ_CACHE_MB: '0' });
  });
  afterAll(async () => off?.teardown());

  it('answers the lists the route encodes itself as JSON, every time computed', async () => {
    for (const path of ['/provinces', `/provinces?asOf=${AS_OF}`, '/provinces?tier=none']) {
      const res = await off.app.http().get(`/api/v1${path}`).set(off.auth(off.keys.viewer)).set('accept-encoding', 'gzip');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-read-cache']).toBeUndefined();
      // Compressed on its way out like every answer over 1 KiB (issue 24), not kept compressed.
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.body.items).toHaveLength(15);
    }
  });
});
