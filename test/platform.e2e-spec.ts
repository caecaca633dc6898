import { existsSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createApp, type RunningApp } from '../apps/api/src/app.factory.js';
import { ADMIN_KEY, createKeys, setupSuite, startApp, testConfig, type TestKeys } from './support/test-app.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { createTestDatabase, usingServer, type TestDatabase } from './support/test-database.js';

/**
 * Issue 4 §4 and issue 5 §6: rate limit per key, security headers, CORS closed by default,
 * Prometheus metrics, structured logs without secrets, and a graceful shutdown on SIGTERM.
 */

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const problemType = (code: string) => `urn:governor-tracker:problem:${code}`;

describe('rate limit: RATE_LIMIT_PER_MINUTE=5, per key', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('ratelimit', { RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => s?.teardown());

  test('the OpenAPI document promises the 429', async () => {
    // With a key: the address's bucket stays whole for the anonymous test below.
    const doc = await s.app.http().get('/docs-json').set(s.auth(s.keys.editor));
    expect(doc.body.paths['/api/v1/provinces/{slug}'].get.responses['429']).toBeDefined();
  });

  test('CORS is closed by default: no Access-Control-Allow-Origin for a foreign origin, not even on a preflight', async () => {
    const get = await s.app.http().get('/api/v1/cycle').set(s.auth(s.keys.editor)).set('origin', 'https://evil.example');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await s.app
      .http()
      .options('/api/v1/provinces/basra/events')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization,content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  test('the sixth request in a minute with one key answers 429 with Retry-After; another key is not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await s.app.http().get('/api/v1/provinces/kirkuk').set(s.auth(s.keys.viewer))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await s.app.http().get('/api/v1/provinces/kirkuk').set(s.auth(s.keys.viewer));
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ type: problemType('rate-limited'), status: 429 });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.retryAfter).toBe(retryAfter);
    // Refused before it reached the route: no key name or secret in the answer.
    expect(JSON.stringify(limited.body)).not.toContain(s.keys.viewer);

    expect((await s.app.http().get('/api/v1/provinces/kirkuk').set(s.auth(s.keys.editor))).status).toBe(200);
  });

  test('without a verified key the address is the bucket, so made-up tokens cannot escape it', async () => {
    const anonymous: number[] = [];
    for (let i = 0; i < 5; i++) anonymous.push((await s.app.http().get('/api/v1/cycle')).status);
    expect(anonymous).toEqual([401, 401, 401, 401, 401]);
    expect((await s.app.http().get('/api/v1/cycle')).status).toBe(429);
    const madeUp = await s.app.http().get('/api/v1/cycle').set(bearer(`gt_made-up-${Date.now()}`));
    expect(madeUp.status).toBe(429);
    // …while a real key still has its own bucket.
    expect((await s.app.http().get('/api/v1/cycle').set(s.auth(s.keys.editor))).status).toBe(200);
  });

  test('health and metrics are never limited (probes and scrapers call them on a schedule)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await s.app.http().get('/health/live')).status, (await s.app.http().get('/metrics')).status);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

});

describe('rate limit off (RATE_LIMIT_PER_MINUTE=0), CORS_ORIGINS set, headers and metrics', () => {
  const NEWSROOM = 'https://desk.newsroom.example';
  let db: TestDatabase;
  let running: RunningApp;
  let keys: TestKeys;
  const http = () => request(running.app.getHttpServer() as App);

  beforeAll(async () => {
    db = await createTestDatabase('platform');
    running = await createApp(testConfig(db, { RATE_LIMIT_PER_MINUTE: '0' }), { corsOrigins: [NEWSROOM] });
    keys = await createKeys({ running, http, config: testConfig(db), close: () => running.close() });
  });
  afterAll(async () => {
    await running?.close();
    await db?.drop();
  });

  test('0 turns the limit off: 30 requests with one key all answer, without rate-limit headers', async () => {
    const statuses = new Set<number>();
    let headers = 0;
    for (let i = 0; i < 30; i++) {
      const res = await http().get('/api/v1/cycle').set(bearer(keys.viewer));
      statuses.add(res.status);
      if (res.headers['x-ratelimit-limit'] !== undefined || res.headers['retry-after'] !== undefined) headers++;
    }
    expect([...statuses]).toEqual([200]);
    expect(headers).toBe(0);
    const doc = await http().get('/docs-json');
    expect(doc.body.paths['/api/v1/provinces/{slug}'].get.responses['429']).toBeUndefined();
  });

  test('security headers on API answers, refusals and the docs page', async () => {
    for (const res of [await http().get('/api/v1/cycle').set(bearer(keys.viewer)), await http().get('/api/v1/cycle'), await http().get('/docs')]) {
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('CORS_ORIGINS lets the listed origin in (and exposes the headers it needs); any other origin gets nothing', async () => {
    const allowed = await http().get('/api/v1/cycle').set(bearer(keys.viewer)).set('origin', NEWSROOM);
    expect(allowed.headers['access-control-allow-origin']).toBe(NEWSROOM);
    expect(allowed.headers['access-control-expose-headers']).toMatch(/etag/i);
    const preflight = await http()
      .options('/api/v1/provinces/basra/events')
      .set('origin', NEWSROOM)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization,content-type,idempotency-key,if-match');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(NEWSROOM);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/idempotency-key/i);
    const foreign = await http().get('/api/v1/cycle').set(bearer(keys.viewer)).set('origin', 'https://evil.example');
    expect(foreign.status).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('/metrics: requests by route and status with latency, events accepted by type, open alerts by kind', async () => {
    const scrape = async () => {
      const res = await http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      return res.text;
    };
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const before = await scrape();
    const tierBefore = value(before, 'governor_events_accepted_total{type="ASSIGN_TIER"}') ?? 0;
    const listed = value(before, 'http_requests_total{method="GET",route="/api/v1/provinces",status="200"}') ?? 0;

    expect((await http().get('/api/v1/provinces').set(bearer(keys.viewer))).status).toBe(200);
    const body = { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00', source: { name: 'Shafaq News' } };
    const idem = { 'idempotency-key': 'metrics-basra-tier' };
    expect((await http().post('/api/v1/provinces/basra/events').set(bearer(keys.editor)).set(idem).send(body)).status).toBe(201);
    const replay = await http().post('/api/v1/provinces/basra/events').set(bearer(keys.editor)).set(idem).send(body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const refused = await http().post('/api/v1/provinces/kirkuk/events').set(bearer(keys.editor)).send({ type: 'APPOINT', governor: 'x', source: body.source });
    expect(refused.status).toBe(409);

    const after = await scrape();
    expect(value(after, 'http_requests_total{method="GET",route="/api/v1/provinces",status="200"}')).toBe(listed + 1);
    expect(value(after, 'http_requests_total{method="POST",route="/api/v1/provinces/:slug/events",status="409"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'http_request_duration_seconds_count{method="GET",route="/api/v1/provinces",status="200"}')).toBe(listed + 1);
    expect(after).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/v1\/provinces",status="200"\} \d+$/m);
    // One accepted event: the replay stored nothing, the refusal stored nothing.
    expect(value(after, 'governor_events_accepted_total{type="ASSIGN_TIER"}')).toBe(tierBefore + 1);
    expect(value(after, 'governor_events_accepted_total{type="APPOINT"}')).toBeUndefined();
    // Open alerts by kind, from the database: the same numbers the API reports.
    for (const kind of ['breach', 'at_risk']) {
      const open = await http().get(`/api/v1/alerts?status=open&kind=${kind}`).set(bearer(keys.viewer));
      expect([kind, value(after, `governor_alerts_open{kind="${kind}"}`)]).toEqual([kind, open.body.items.length]);
    }
    // Raw URLs never become labels (cardinality): an unknown path is "unmatched".
    await http().get('/api/v1/provinces/basra/nothing-here');
    expect(await scrape()).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
  });
});

// ---------------------------------------------------------------------------------------------
// The built server as a child process: what it logs, and how it stops.

interface Outcome {
  status: number | null;
  headers: IncomingHttpHeaders;
  text: string;
  /** The whole body arrived (for an event stream: it was ended properly, not cut). */
  complete: boolean;
  /** Set when no response started at all (refused or reset before any byte). */
  error?: string;
}

function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent; hold?: Promise<void> } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = httpRequest(url, {
      method: opts.method ?? 'GET',
      // One connection per call unless an agent is given: nothing lingers in a pool after the test.
      agent: opts.agent ?? false,
      headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...opts.headers },
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: null, headers: {}, text: '', complete: false, error: err.code ?? err.message }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? null, headers: res.headers, text, complete: res.complete }));
    });
    if (body && opts.hold) {
      // Half the body now, the rest when `hold` settles: a request in flight for as long as the test wants.
      req.write(body.subarray(0, body.length >> 1));
      void opts.hold.then(() => req.end(body.subarray(body.length >> 1)));
    } else {
      req.end(body);
    }
  });
}

const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe(`the built server (${usingServer ? 'PostgreSQL server' : 'embedded database'}): JSON logs, then SIGTERM`, () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let editorKey: string;
  const IDEMPOTENCY_KEY = 'idem-platform-7f3a9c2d';

  beforeAll(async () => {
    db = await createTestDatabase('signals');
    server = await startServerProcess(db, { LOG_LEVEL: 'info' });
    const created = await send(`${server.url}/api/v1/admin/api-keys`, {
      method: 'POST',
      headers: bearer(ADMIN_KEY),
      body: JSON.stringify({ name: 'kirkuk-desk', role: 'editor' }),
    });
    expect(created.status).toBe(201);
    editorKey = JSON.parse(created.text).key;
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await db?.drop();
  });

  test('one JSON line per request with its request id, route, status, latency and key name; never a secret', async () => {
    const traced = await send(`${server.url}/api/v1/provinces/kirkuk`, { headers: { ...bearer(editorKey), 'x-request-id': 'platform-log-1' } });
    expect(traced.status).toBe(200);
    expect(traced.headers['x-request-id']).toBe('platform-log-1');
    const untraced = await send(`${server.url}/api/v1/provinces/basra/events`, {
      method: 'POST',
      headers: { ...bearer(editorKey), 'idempotency-key': IDEMPOTENCY_KEY },
      body: JSON.stringify({ type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00', source: { name: 'Shafaq News' } }),
    });
    expect(untraced.status).toBe(201);
    const generated = String(untraced.headers['x-request-id']);
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // A client id that could forge log content is replaced, not echoed.
    const forged = await send(`${server.url}/health/live`, { headers: { 'x-request-id': 'x"},{"level":60' } });
    expect(forged.headers['x-request-id']).not.toContain('"');
    const refused = await send(`${server.url}/api/v1/cycle`, { headers: bearer('gt_not-a-real-key-0123456789') });
    expect(refused.status).toBe(401);

    // The log line is written when the response closes: give the child a moment to flush.
    let lines: Record<string, unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      lines = jsonLines(server.output());
      if (lines.some((l) => l.requestId === refused.headers['x-request-id'])) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byId = (id: string) => lines.filter((l) => l.requestId === id);
    expect(byId('platform-log-1')).toEqual([
      expect.objectContaining({ method: 'GET', url: '/api/v1/provinces/kirkuk', route: '/api/v1/provinces/:slug', status: 200, keyName: 'kirkuk-desk', latencyMs: expect.any(Number) }),
    ]);
    expect(byId(generated)).toEqual([expect.objectContaining({ method: 'POST', route: '/api/v1/provinces/:slug/events', status: 201, keyName: 'kirkuk-desk' })]);
    expect(byId(String(forged.headers['x-request-id']))).toEqual([expect.objectContaining({ route: '/health/live', keyName: null })]);
    expect(byId(String(refused.headers['x-request-id']))).toEqual([expect.objectContaining({ status: 401, keyName: null })]);
    // Nest's own logs go through the same JSON logger.
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ context: 'NestApplication', msg: 'Nest application successfully started' })]));
    // Never a secret: not the keys, not the Idempotency-Key, not an Authorization header.
    const output = server.output();
    for (const secret of [editorKey, ADMIN_KEY, IDEMPOTENCY_KEY, 'gt_not-a-real-key-0123456789']) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/bearer /i);
  });

  test('SIGTERM during a stream of requests: in-flight requests finish, the event stream ends cleanly, new ones get a complete 503, exit 0, database released', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const auth = bearer(editorKey);

    // An open event stream, waiting for its headers.
    const stream = new Promise<Outcome>((resolve) => {
      const req = httpRequest(`${server.url}/api/v1/stream`, { agent: false, headers: { ...auth, accept: 'text/event-stream' } });
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: null, headers: {}, text: '', complete: false, error: err.code }));
      req.on('response', (res) => {
        streamOpen();
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? null, headers: res.headers, text, complete: res.complete }));
      });
      req.end();
    });
    let streamOpen!: () => void;
    await new Promise<void>((resolve) => (streamOpen = resolve));

    // A write whose body is only half sent when the signal arrives.
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const slowWrite = send(`${server.url}/api/v1/provinces/kirkuk/events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T10:00:00+03:00', source: { name: 'Shafaq News' } }),
      hold,
    });

    // Four clients reading in a loop over keep-alive connections until the process is gone.
    let gone = false;
    const outcomes: Outcome[] = [];
    const worker = async () => {
      while (!gone) {
        const o = await send(`${server.url}/api/v1/provinces`, { headers: auth, agent });
        outcomes.push(o);
        if (o.error) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    await new Promise((r) => setTimeout(r, 400));
    const answeredBefore = outcomes.filter((o) => o.status === 200).length;

    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    release();
    const write = await slowWrite;
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([server.exited, new Promise((r) => (timer = setTimeout(() => r('no exit within 20 s'), 20_000)))]);
    clearTimeout(timer);
    gone = true;
    await workers;
    agent.destroy();
    const sse = await stream;

    expect(exit).toEqual({ code: 0, signal: null });
    // The write in flight when the signal came was finished and answered in full.
    expect([write.status, write.complete]).toEqual([201, true]);
    expect(JSON.parse(write.text).event).toMatchObject({ province: 'kirkuk', type: 'ASSIGN_TIER' });
    // The event stream was ended properly (its last chunk arrived), not cut.
    expect([sse.status, sse.complete]).toEqual([200, true]);
    // Every request that got an answer got all of it: 200 with the 15 provinces, or a 503 problem.
    const answered = outcomes.filter((o) => o.status !== null);
    expect(answeredBefore).toBeGreaterThan(0);
    for (const o of answered) {
      expect([o.status, o.complete]).toEqual([o.status, true]);
      const body = JSON.parse(o.text);
      if (o.status === 200) expect(body.items).toHaveLength(15);
      else {
        expect([o.status, body.type, o.headers.connection]).toEqual([503, problemType('shutting-down'), 'close']);
        expect(o.headers['content-security-policy']).toMatch(/default-src 'self'/);
      }
    }
    // The others never got a response at all: refused once the listener closed.
    for (const o of outcomes.filter((x) => x.status === null)) expect(['ECONNREFUSED', 'ECONNRESET', 'socket hang up']).toContain(o.error);

    const lines = jsonLines(server.output());
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ context: 'Shutdown', msg: expect.stringMatching(/^closed in \d+ ms; database released$/) })]));

    // The database was released: the embedded data dir is unlocked; the server has no connection of ours left.
    if (usingServer) {
      const client = new pg.Client({ connectionString: db.databaseUrl! });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'governor-tracker-api'`);
      await client.end();
      expect(rows[0].n).toBe(0);
    } else {
      expect(existsSync(join(db.dataDir, 'lock'))).toBe(false);
    }
    // And the finished write is stored: the next process on this database sees it.
    const next = await startApp(testConfig(db));
    try {
      const history = await next.http().get('/api/v1/provinces/kirkuk/events').set(bearer(ADMIN_KEY));
      expect(history.body.items.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([['ASSIGN_TIER', 'kirkuk-desk']]);
    } finally {
      await next.close();
    }
  });
});
