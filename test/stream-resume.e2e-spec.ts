import { EventSource } from 'eventsource';
import { ADMIN_KEY, setupSuite } from './support/test-app.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { createTestDatabase, describeWithServer, type TestDatabase } from './support/test-database.js';

/**
 * Issue 24, item 1: the live stream resumes without loss. Every notice's SSE id is its position in the
 * log; a client that reconnects with Last-Event-ID (the `eventsource` package does it by itself) is sent
 * what it missed, in order, then what follows; a position that cannot be resumed from gets `reset`.
 */

const API = '/api/v1';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  type: string;
  /** The SSE id: the position. */
  position: string;
  data: { id?: string; type?: string; data?: Record<string, any>; resumed?: boolean; reason?: string };
}

/** The `eventsource` package against /stream, the key in the Authorization header; everything it receives, in order. */
function follow(url: string, key: string, query = '') {
  const received: Received[] = [];
  const errors: number[] = [];
  const source = new EventSource(`${url}${API}/stream${query}`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` } }),
  });
  for (const type of ['ready', 'reset', 'province.changed', 'alert.opened', 'alert.resolved', 'alert.acknowledged', 'claim.changed', 'contact.logged', 'heartbeat']) {
    source.addEventListener(type, (e) => received.push({ type, position: e.lastEventId, data: JSON.parse(e.data) }));
  }
  source.onerror = () => errors.push(Date.now());
  const notices = () => received.filter((r) => r.type !== 'ready' && r.type !== 'reset');
  /** Waits until `count` messages of `type` have come (10 s at most). */
  const waitFor = async (type: string, count = 1) => {
    const deadline = Date.now() + 15_000;
    while (received.filter((r) => r.type === type).length < count) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} ${type}; got ${JSON.stringify(received.map((r) => r.type))}`);
      await pause(25);
    }
  };
  return { source, received, notices, errors, waitFor };
}

/** Each notice once (by its own id), positions strictly increasing and all decodable. */
function expectInOrderOnce(received: Received[]) {
  const ids = received.map((r) => r.data.id);
  expect(new Set(ids).size).toBe(ids.length);
  const positions = received.map((r) => Buffer.from(r.position, 'base64url').toString().split(':').map(BigInt));
  for (const p of positions) expect(p).toHaveLength(3);
  for (let i = 1; i < positions.length; i++) {
    const [a, b] = [positions[i - 1], positions[i]];
    const after = b[0] !== a[0] ? b[0] > a[0] : b[1] !== a[1] ? b[1] > a[1] : b[2] > a[2];
    expect(after).toBe(true);
  }
}

/** The first message of a stream opened with Last-Event-ID (raw fetch, as any SSE client sends it). */
async function firstMessage(url: string, key: string, lastEventId: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}${API}/stream`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': lastEventId }, signal: abort.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n\n', text.indexOf('event:'))) text += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  const block = text.slice(text.indexOf('event:'));
  return { status: res.status, type: /^event: (.*)$/m.exec(block)?.[1], id: /^id: (.*)$/m.exec(block)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) };
}

describe('/stream resumes where the client left it (one instance; embedded or server)', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  let url: string;
  const editor = () => s.auth(s.keys.editor);
  const post = (slug: string, body: Record<string, unknown>) =>
    s.app.http().post(`${API}/provinces/${slug}/events`).set(editor()).send({ source: { name: 'stream test' }, ...body });

  beforeAll(async () => {
    s = await setupSuite('stream_resume', { STREAM_REPLAY_MAX: '5', ALERT_SWEEP_SECONDS: '86400' });
    await s.app.running.app.listen(0, '127.0.0.1');
    url = (await s.app.running.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => s?.teardown());

  test('a dropped connection: the eventsource client reconnects with Last-Event-ID and gets what happened meanwhile, in order, then live', async () => {
    const stream = follow(url, s.keys.viewer);
    try {
      await stream.waitFor('ready');
      expect(stream.received[0].data).toEqual({ resumed: false });
      expect((await post('basra', { type: 'ASSIGN_TIER', tier: 'A' })).status).toBe(201);
      await stream.waitFor('province.changed');

      // Every connection dropped by the server; the client waits (3 s by default) before it reconnects.
      s.app.running.app.getHttpServer().closeAllConnections();
      await pause(100);
      expect((await post('basra', { type: 'CONVENE' })).status).toBe(201);
      expect((await post('kirkuk', { type: 'ASSIGN_TIER', tier: 'B' })).status).toBe(201);
      // Not an event: a retraction's notice is kept in the notice log.
      expect((await s.app.http().post(`${API}/provinces/basra/events/2/retract`).set(editor()).send({ reason: 'wrong session' })).status).toBe(200);
      expect((await s.app.http().post(`${API}/provinces/basra/contacts`).set(s.auth(s.keys.viewer)).send({ official: { name: 'A spokesman' }, channel: 'call', outcome: 'no_answer' })).status).toBe(201);

      await stream.waitFor('ready', 2);
      await stream.waitFor('contact.logged');
      expect(stream.errors.length).toBeGreaterThanOrEqual(1);
      expect(stream.received.filter((r) => r.type === 'ready')[1].data).toEqual({ resumed: true });
      expect((await post('najaf', { type: 'ASSIGN_TIER', tier: 'C' })).status).toBe(201);
      await stream.waitFor('province.changed', 5);

      const notices = stream.notices();
      expect(notices.map((n) => [n.type, n.data.data?.province?.slug ?? n.data.data?.contact?.province, n.data.data?.change?.kind ?? null])).toEqual([
        ['province.changed', 'basra', 'event'],
        ['province.changed', 'basra', 'event'],
        ['province.changed', 'kirkuk', 'event'],
        ['province.changed', 'basra', 'retraction'],
        ['contact.logged', 'basra', null],
        ['province.changed', 'najaf', 'event'],
      ]);
      expectInOrderOnce(notices);
    } finally {
      stream.source.close();
    }
  });

  test('a Last-Event-ID that names no position (the old stream’s counters) gets `reset` first, with a position to follow from', async () => {
    const first = await firstMessage(url, s.keys.viewer, '3');
    expect(first).toMatchObject({ status: 200, type: 'reset', data: { reason: 'unknown-position' } });
    expect(Buffer.from(first.id!, 'base64url').toString()).toMatch(/^\d+:\d+:\d+$/);
    const ahead = Buffer.from(`${2n ** 60n}:1:1`).toString('base64url');
    expect(await firstMessage(url, s.keys.viewer, ahead)).toMatchObject({ type: 'reset', data: { reason: 'unknown-position' } });
  });

  test('a position further behind than STREAM_REPLAY_MAX notices gets `reset`; within it, `ready` and the replay', async () => {
    const stream = follow(url, s.keys.viewer);
    await stream.waitFor('ready');
    stream.source.close();
    const from = stream.received[0].position;
    for (let i = 0; i < 6; i++) expect((await post('wasit', { type: 'REPORT', kind: 'note', text: `note ${i}` })).status).toBe(201);
    expect(await firstMessage(url, s.keys.viewer, from)).toMatchObject({ type: 'reset', data: { reason: 'too-far-behind' } });

    const recent = follow(url, s.keys.viewer);
    await recent.waitFor('ready');
    recent.source.close();
    expect((await post('wasit', { type: 'REPORT', kind: 'note', text: 'one more' })).status).toBe(201);
    expect(await firstMessage(url, s.keys.viewer, recent.received[0].position)).toMatchObject({ type: 'ready', data: { resumed: true } });
  });

  test('?cycle= keeps that cycle’s notices; an unknown cycle is a 404 problem', async () => {
    const unknown = await fetch(`${url}${API}/stream?cycle=no-such-cycle`, { headers: { authorization: `Bearer ${s.keys.viewer}` } });
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    const stream = follow(url, s.keys.viewer, '?cycle=iraq-2023');
    try {
      await stream.waitFor('ready');
      expect((await post('anbar', { type: 'ASSIGN_TIER', tier: 'A' })).status).toBe(201);
      await stream.waitFor('province.changed');
      expect(stream.notices()[0].data.data).toMatchObject({ cycle: { slug: 'iraq-2023' }, province: { slug: 'anbar' } });
    } finally {
      stream.source.close();
    }
  });
});

describeWithServer('/stream across a restart and across two instances (two server processes, one database)', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const post = async (server: ServerProcess, slug: string, body: Record<string, unknown>) => {
    const res = await fetch(`${server.url}${API}/provinces/${slug}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { name: 'stream test' }, ...body }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    db = await createTestDatabase('stream_restart');
    a = await startServerProcess(db);
    b = await startServerProcess(db);
  });
  afterAll(async () => {
    for (const server of [a, b]) {
      server?.child.kill('SIGTERM');
      await server?.exited;
    }
    await db?.drop();
  });

  test('A restarts; events posted through B meanwhile and through A right after its restart all reach A’s client, once, in order', async () => {
    const stream = follow(a.url, ADMIN_KEY);
    try {
      await stream.waitFor('ready');
      await post(b, 'basra', { type: 'ASSIGN_TIER', tier: 'A' });
      await stream.waitFor('province.changed');

      a.child.kill('SIGTERM');
      await a.exited;
      await post(b, 'basra', { type: 'CONVENE' });
      await post(b, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'B' });
      a = await startServerProcess(db, { PORT: new URL(a.url).port });
      await post(a, 'najaf', { type: 'ASSIGN_TIER', tier: 'C' });

      await stream.waitFor('province.changed', 4);
      await post(a, 'anbar', { type: 'ASSIGN_TIER', tier: 'A' });
      await stream.waitFor('province.changed', 5);
      const notices = stream.notices();
      expect(notices.map((n) => n.data.data?.province?.slug)).toEqual(['basra', 'basra', 'kirkuk', 'najaf', 'anbar']);
      expectInOrderOnce(notices);
    } finally {
      stream.source.close();
    }
  });

  test('a client of A resumes on B (another instance behind the balancer) from its last id', async () => {
    const onA = follow(a.url, ADMIN_KEY);
    await onA.waitFor('ready');
    await post(a, 'wasit', { type: 'ASSIGN_TIER', tier: 'A' });
    await onA.waitFor('province.changed');
    onA.source.close();
    const last = onA.received.at(-1)!.position;
    await post(a, 'wasit', { type: 'CONVENE' });
    await post(b, 'babil', { type: 'ASSIGN_TIER', tier: 'B' });

    // The id the client kept, as EventSource sends it on its own reconnect.
    const resumed = new EventSource(`${b.url}${API}/stream`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${ADMIN_KEY}`, 'last-event-id': last } }),
    });
    const got: { type: string; slug?: string; position: string; id: string }[] = [];
    for (const type of ['ready', 'province.changed']) {
      resumed.addEventListener(type, (e) => {
        const data = JSON.parse(e.data);
        got.push({ type, slug: data.data?.province?.slug, position: e.lastEventId, id: data.id });
      });
    }
    try {
      const deadline = Date.now() + 15_000;
      while (got.filter((g) => g.type === 'province.changed').length < 2 && Date.now() < deadline) await pause(25);
      expect(got.map((g) => [g.type, g.slug])).toEqual([
        ['ready', undefined],
        ['province.changed', 'wasit'],
        ['province.changed', 'babil'],
      ]);
      expect(got[0].position).toBe(last);
    } finally {
      resumed.close();
    }
  });
});
