import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { setupSuite, source } from './support/test-app.js';

/**
 * Issue 24, item 5: HTTP as clients expect it, on every route at once — If-None-Match → 304 on every
 * cacheable read, an ETag on every read, Cache-Control stated, gzip/br for answers over 1 KiB, 415 for
 * bodies that are not JSON, 405 with Allow for a method a path does not serve.
 */

const API = '/api/v1';
let s: Awaited<ReturnType<typeof setupSuite>>;
let port: number;

/** The raw answer, bytes as sent (supertest and fetch would expand a coded body). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${s.keys.admin}`, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every read a client may keep a copy of: each route that answers GET with a document. */
const READS = [
  '/admin/api-keys',
  '/me',
  '/alerts',
  '/cycle',
  '/cycles',
  '/cycles/iraq-2023',
  '/machine',
  '/machine?format=mermaid',
  '/machine?format=svg',
  '/provinces',
  '/provinces?format=csv',
  '/provinces/basra',
  '/provinces/basra/events',
  '/provinces/basra/terms',
  '/cycles/iraq-2023/provinces/basra',
  '/proposals',
  '/changes',
  '/feeds/changes.atom',
  '/feeds/alerts.atom',
  '/digest?date=2024-02-09',
  '/digest?date=2024-02-09&format=md',
  '/admin/webhooks',
  // Up to a day: the default timeline runs to the present instant, so it differs from one request to the next.
  '/charts/timeline.svg?until=2024-02-09',
  '/provinces/basra/claims',
  '/claims',
  '/provinces/basra/contacts',
  '/provinces/basra/history',
  '/search?q=basra',
];

beforeAll(async () => {
  s = await setupSuite('http_conventions');
  await s.app.running.app.listen(0, '127.0.0.1');
  port = Number(new URL(await s.app.running.app.getUrl()).port);
  const post = (slug: string, body: Record<string, unknown>) =>
    s.app.http().post(`${API}/provinces/${slug}/events`).set(s.auth(s.keys.editor)).send({ source, ...body });
  // Enough history that the feed, the lists and the chart are well over 1 KiB.
  for (const slug of ['basra', 'kirkuk', 'najaf', 'anbar', 'babil', 'wasit']) {
    expect((await post(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' })).status).toBe(201);
    expect((await post(slug, { type: 'NOMINATE', candidate: { name: `A candidate for ${slug}` }, occurredAt: '2024-01-20T10:00:00+03:00' })).status).toBe(201);
  }
});
afterAll(() => s?.teardown());

describe('conditional reads', () => {
  test.each(READS)('GET %s: an ETag and Cache-Control; If-None-Match with it is a 304 without a body', async (path) => {
    const first = await raw('GET', `${API}${path}`);
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    const stated = path.startsWith('/charts') ? 'no-cache' : /provinces\/basra$/.test(path) ? 'private, no-store' : 'private, no-cache';
    expect(first.headers['cache-control']).toBe(stated);
    const again = await raw('GET', `${API}${path}`, { 'if-none-match': etag });
    expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, etag]);
    expect(again.headers['content-length']).toBeUndefined();
    // Another tag is not a match.
    expect((await raw('GET', `${API}${path}`, { 'if-none-match': '"not-this-one"' })).status).toBe(200);
  });

  test('GET /provinces/basra keeps its contract ETag "<version>" and honours it', async () => {
    const province = await raw('GET', `${API}/provinces/basra`);
    const version = JSON.parse(province.body.toString()).version;
    expect(province.headers.etag).toBe(`"${version}"`);
    expect((await raw('GET', `${API}/provinces/basra`, { 'if-none-match': `"${version}"` })).status).toBe(304);
    expect((await raw('GET', `${API}/provinces/basra`, { 'if-none-match': `"${version - 1}"` })).status).toBe(200);
  });

  test('writes and refusals are not kept: Cache-Control no-store', async () => {
    const refused = await raw('GET', `${API}/provinces/nowhere`);
    expect([refused.status, refused.headers['cache-control']]).toEqual([404, 'no-store']);
    const created = await raw('POST', `${API}/admin/api-keys`, { 'content-type': 'application/json' }, JSON.stringify({ name: 'cache test', role: 'viewer' }));
    expect([created.status, created.headers['cache-control']]).toEqual([201, 'no-store']);
  });
});

describe('compression', () => {
  test.each([
    ['/charts/timeline.svg?until=2024-02-09', 'image/svg+xml'],
    ['/machine?format=svg', 'image/svg+xml'],
    ['/feeds/changes.atom', 'application/atom+xml'],
    ['/provinces', 'application/json'],
    ['/alerts', 'application/json'],
    ['/provinces/basra/events', 'application/json'],
  ])('GET %s (over 1 KiB) is sent br or gzip as asked, the same content, the same ETag', async (path, type) => {
    const plain = await raw('GET', `${API}${path}`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-type']).toContain(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const br = await raw('GET', `${API}${path}`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length);
    const gzip = await raw('GET', `${API}${path}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(br.headers.etag?.toString().replace(/^W\//, '')).toBe(plain.headers.etag);
  });

  test('a small answer is sent as it is', async () => {
    const me = await raw('GET', `${API}/me`, { 'accept-encoding': 'br, gzip' });
    expect(me.headers['content-encoding']).toBeUndefined();
  });
});

describe('bodies are JSON: anything else is a 415 problem and changes nothing', () => {
  test.each([
    ['application/x-www-form-urlencoded', 'reason=wrong+province'],
    ['text/plain', '{"reason":"wrong province"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nwrong\r\n--x--'],
  ])('a %s retraction', async (type, body) => {
    const res = await raw('POST', `${API}/provinces/basra/events/1/retract`, { 'content-type': type }, body);
    expect([res.status, res.headers['content-type']]).toEqual([415, 'application/problem+json; charset=utf-8']);
    expect(JSON.parse(res.body.toString())).toMatchObject({ type: 'urn:governor-tracker:problem:unsupported-media-type', status: 415 });
    const events = await raw('GET', `${API}/provinces/basra/events`);
    expect(JSON.parse(events.body.toString()).items[0].retracted).toBe(false);
  });

  test('a body without a Content-Type', async () => {
    const res = await raw('POST', `${API}/provinces/basra/events/1/retract`, {}, '{"reason":"wrong province"}');
    expect(res.status).toBe(415);
  });

  test('JSON still works (with a charset too)', async () => {
    const res = await raw('POST', `${API}/provinces/wasit/events/2/retract`, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ reason: 'wrong tier' }));
    expect(res.status).toBe(200);
  });
});

describe('a method the path does not serve', () => {
  test.each([
    ['PUT', '/provinces/basra', 'GET, HEAD'],
    ['DELETE', '/changes', 'GET, HEAD'],
    ['GET', '/provinces/basra/events/1/retract', 'POST'],
    ['PATCH', '/provinces/basra/events', 'GET, HEAD, POST'],
  ])('%s %s is a 405 problem with Allow: %s', async (method, path, allow) => {
    const res = await raw(method, `${API}${path}`, { 'content-type': 'application/json' }, method === 'GET' ? undefined : '{}');
    expect([res.status, res.headers.allow, res.headers['content-type']]).toEqual([405, allow, 'application/problem+json; charset=utf-8']);
    expect(JSON.parse(res.body.toString())).toMatchObject({ type: 'urn:governor-tracker:problem:method-not-allowed', status: 405, allow: allow.split(', ') });
  });

  test('a path that does not exist with any method is still a 404', async () => {
    expect((await raw('GET', `${API}/no-such-thing`)).status).toBe(404);
    expect((await raw('PUT', `${API}/provinces/basra/nothing`)).status).toBe(404);
  });
});
