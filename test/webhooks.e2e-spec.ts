import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { ADMIN_KEY, postEvent, setupSuite, startApp, startSecondInstance, testConfig, type TestApp } from './support/test-app.js';
import { createTestDatabase, describeWithServer, usingServer, type TestDatabase } from './support/test-database.js';

/**
 * SPEC §4 (admin/webhooks) and §5 (pushed to webhooks): subscriptions through HTTP, and deliveries
 * to a real HTTP receiver on 127.0.0.1 — signed, retried with backoff, and never lost when the app
 * stops before delivering. The signature is checked here with node:crypto, not with the app's code.
 */

const ALL_EVENTS = ['province.changed', 'alert.opened', 'alert.resolved', 'alert.acknowledged'];
const FAST_RETRIES = { WEBHOOK_MAX_BACKOFF_SECONDS: '1', WEBHOOK_MAX_ATTEMPTS: '5' };

interface Notice {
  type: string;
  id: string;
  at: string;
  data: Record<string, any>;
}

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  notice: Notice;
  /** What the receiver answered; null when it never did. */
  answered: number | null;
}

/**
 * A webhook receiver: records every request and answers 200, 500 or never (`decide`). Receivers
 * de-duplicate by the notice's id, as SPEC §5's at-least-once delivery asks of them.
 */
class Receiver {
  readonly requests: ReceivedRequest[] = [];
  decide: (notice: Notice, seenBefore: number) => 200 | 500 | 'hang' = () => 200;
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const notice = JSON.parse(body) as Notice;
        const seenBefore = this.requests.filter((r) => r.notice.id === notice.id).length;
        const answer = this.decide(notice, seenBefore);
        const record: ReceivedRequest = { method: req.method!, path: req.url!, headers: req.headers, body, notice, answered: null };
        this.requests.push(record);
        if (answer === 'hang') {
          this.hanging.add(res);
          return;
        }
        record.answered = answer;
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'receiver is down');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/governors`;
  }

  /** Requests it answered with a 2xx. */
  acknowledged(): ReceivedRequest[] {
    return this.requests.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300);
  }

  /** What the receiver processed after de-duplication: one entry per notice id it acknowledged. */
  processed(): Map<string, Notice> {
    return new Map(this.acknowledged().map((r) => [r.notice.id, r.notice]));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const r = await new Receiver().start();
  const port = r.port;
  await r.stop();
  return port;
}

/** Poll `check` until it holds; fail with `what` when it does not within the time. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectValidSignature(r: ReceivedRequest, secret: string): void {
  const header = r.headers['x-signature-256'];
  expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
  const expected = createHmac('sha256', secret).update(Buffer.from(r.body, 'utf8')).digest();
  expect(timingSafeEqual(Buffer.from((header as string).slice('sha256='.length), 'hex'), expected)).toBe(true);
}

function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status, type: `urn:governor-tracker:problem:${code}` } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/** ASSIGN_TIER, NOMINATE, APPOINT: three province.changed notices, and the open breach alert resolves. */
async function appointGovernor(app: TestApp, key: string, slug: string, governor: string): Promise<void> {
  const steps = [
    { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' },
    { type: 'NOMINATE', candidate: { name: governor }, occurredAt: '2024-01-20T10:00:00+03:00' },
    { type: 'APPOINT', governor, occurredAt: '2024-02-01T12:00:00+03:00' },
  ];
  for (const step of steps) {
    const res = await postEvent(app, key, slug, step);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  }
}

/** The notices that `appointGovernor` must produce, as a receiver would summarize them. */
function appointmentNotices(slug: string): string[] {
  return [`province.changed ${slug} v1`, `province.changed ${slug} v2`, `province.changed ${slug} v3`, `alert.resolved ${slug} breach appointed`].sort();
}

function summarize(n: Notice): string {
  if (n.type === 'province.changed') return `${n.type} ${n.data.province.slug} v${n.data.province.version}`;
  const a = n.data.alert;
  return n.type === 'alert.resolved' ? `${n.type} ${a.province} ${a.kind} ${a.resolution}` : `${n.type} ${a.province} ${a.kind}`;
}

describe(`webhooks (${usingServer ? 'PostgreSQL server' : 'embedded database'})`, () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    s = await setupSuite('webhooks', FAST_RETRIES);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await s?.teardown();
  });

  const admin = () => s.auth(s.keys.admin);
  const receiver = async () => {
    const r = await new Receiver().start();
    receivers.push(r);
    return r;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await s.app.http().post('/api/v1/admin/webhooks').set(admin()).send(body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body as { id: string; secret: string; url: string; events: string[] };
  };
  const deliveries = async (id: string) => {
    const res = await s.app.http().get(`/api/v1/admin/webhooks/${id}/deliveries`).set(admin());
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body.items as Array<Record<string, any>>;
  };
  const unsubscribe = async (id: string) => {
    const res = await s.app.http().delete(`/api/v1/admin/webhooks/${id}`).set(admin());
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { id } });
    return res;
  };
  const openAlert = async (slug: string) => {
    const res = await s.app.http().get(`/api/v1/alerts?province=${slug}&kind=breach`).set(s.auth(s.keys.viewer));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0] as { id: string };
  };
  const acknowledge = async (slug: string) => {
    const alert = await openAlert(slug);
    const res = await s.app.http().post(`/api/v1/alerts/${alert.id}/ack`).set(s.auth(s.keys.viewer));
    expect(res.status).toBe(200);
    return alert;
  };

  describe('subscriptions (admin)', () => {
    test('create shows the secret once; list hides it; delete is soft and idempotent', async () => {
      const created = await s.app
        .http()
        .post('/api/v1/admin/webhooks')
        .set(admin())
        .send({ url: 'https://newsroom.example/hooks/a', events: ['alert.opened', 'alert.resolved'], description: 'night desk' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: 'https://newsroom.example/hooks/a',
        events: ['alert.opened', 'alert.resolved'],
        description: 'night desk',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        deletedAt: null,
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect(Buffer.from(created.body.secret, 'base64url')).toHaveLength(32);
      const other = await subscribe({ url: 'http://127.0.0.1:9/b', events: ['province.changed'] });
      expect(other.secret).not.toBe(created.body.secret);

      const list = await s.app.http().get('/api/v1/admin/webhooks').set(admin());
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(
        expect.arrayContaining([
          { id: created.body.id, url: created.body.url, events: created.body.events, description: 'night desk', createdAt: created.body.createdAt, deletedAt: null },
          expect.objectContaining({ id: other.id, description: null }),
        ]),
      );
      expect(list.text).not.toContain(created.body.secret);
      expect(list.text).not.toContain(other.secret);
      expect(list.text).not.toContain('"secret"');

      const removed = await unsubscribe(created.body.id);
      expect(removed.body.deletedAt).toMatch(/Z$/);
      expect(removed.text).not.toContain(created.body.secret);
      const again = await unsubscribe(created.body.id);
      expect(again.body.deletedAt).toBe(removed.body.deletedAt);
      const after = await s.app.http().get('/api/v1/admin/webhooks').set(admin());
      expect(after.body.items.map((w: { id: string }) => w.id)).not.toContain(created.body.id);
      expect(after.body.items.map((w: { id: string }) => w.id)).toContain(other.id);
      // The delivery log of a deleted subscription stays readable.
      expect(await deliveries(created.body.id)).toEqual([]);
      await unsubscribe(other.id);
    });

    test('only admins: editors and viewers get 403, no key 401', async () => {
      const hook = await subscribe({ url: 'https://newsroom.example/hooks/c', events: ['alert.opened'] });
      for (const key of [s.keys.editor, s.keys.viewer]) {
        const as = s.auth(key);
        expectProblem(await s.app.http().post('/api/v1/admin/webhooks').set(as).send({ url: 'https://x.example/', events: ['alert.opened'] }), 403, 'forbidden');
        expectProblem(await s.app.http().get('/api/v1/admin/webhooks').set(as), 403, 'forbidden');
        expectProblem(await s.app.http().get(`/api/v1/admin/webhooks/${hook.id}/deliveries`).set(as), 403, 'forbidden');
        expectProblem(await s.app.http().delete(`/api/v1/admin/webhooks/${hook.id}`).set(as), 403, 'forbidden');
      }
      expectProblem(await s.app.http().get('/api/v1/admin/webhooks'), 401, 'unauthorized');
      // Still subscribed after the refused delete.
      const list = await s.app.http().get('/api/v1/admin/webhooks').set(admin());
      expect(list.body.items.map((w: { id: string }) => w.id)).toContain(hook.id);
      await unsubscribe(hook.id);
    });

    test('unknown or malformed ids are 404 problems', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectProblem(await s.app.http().delete(`/api/v1/admin/webhooks/${unknown}`).set(admin()), 404, 'not-found');
      expectProblem(await s.app.http().get(`/api/v1/admin/webhooks/${unknown}/deliveries`).set(admin()), 404, 'not-found');
      expectProblem(await s.app.http().delete('/api/v1/admin/webhooks/not-a-uuid').set(admin()), 404, 'not-found');
      expectProblem(await s.app.http().get('/api/v1/admin/webhooks/42/deliveries').set(admin()), 404, 'not-found');
    });

    test.each([
      ['an ftp URL', 'url', { url: 'ftp://newsroom.example/x', events: ['alert.opened'] }],
      ['a relative URL', 'url', { url: '/hooks', events: ['alert.opened'] }],
      ['a URL with credentials', 'url', { url: 'https://user:pw@newsroom.example/x', events: ['alert.opened'] }],
      ['no URL', 'url', { events: ['alert.opened'] }],
      ['no events', 'events', { url: 'https://newsroom.example/x', events: [] }],
      ['an unknown event', 'events', { url: 'https://newsroom.example/x', events: ['province.deleted'] }],
      ['a repeated event', 'events', { url: 'https://newsroom.example/x', events: ['alert.opened', 'alert.opened'] }],
      ['events not a list', 'events', { url: 'https://newsroom.example/x', events: 'alert.opened' }],
      ['a blank description', 'description', { url: 'https://newsroom.example/x', events: ['alert.opened'], description: '  ' }],
      ['an unknown field', 'secret', { url: 'https://newsroom.example/x', events: ['alert.opened'], secret: 'mine' }],
    ])('refuses %s (400, field %s)', async (_what, field, body) => {
      const res = await s.app.http().post('/api/v1/admin/webhooks').set(admin()).send(body);
      expectProblem(res, 400, 'validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      const list = await s.app.http().get('/api/v1/admin/webhooks').set(admin());
      expect(list.body.items.filter((w: { url: string }) => w.url.startsWith('https://newsroom.example/x'))).toEqual([]);
    });
  });

  describe('deliveries', () => {
    test('an accepted event reaches the subscribers of its notices, signed with their secret', async () => {
      const everything = await receiver();
      const acksOnly = await receiver();
      const hookAll = await subscribe({ url: everything.url, events: ALL_EVENTS });
      const hookAcks = await subscribe({ url: acksOnly.url, events: ['alert.acknowledged'] });

      await appointGovernor(s.app, s.keys.editor, 'basra', 'Asaad Al-Eidani');
      const kirkuk = await acknowledge('kirkuk');

      await eventually('5 notices at the first receiver', () => everything.processed().size >= 5);
      await eventually('1 notice at the second receiver', () => acksOnly.processed().size >= 1);
      await sleep(1500); // anything extra would arrive within the poll interval and a retry

      expect([...everything.processed().values()].map(summarize).sort()).toEqual(
        [...appointmentNotices('basra'), 'alert.acknowledged kirkuk breach'].sort(),
      );
      expect([...acksOnly.processed().values()].map(summarize)).toEqual(['alert.acknowledged kirkuk breach']);
      const ack = [...acksOnly.processed().values()][0];
      expect(ack.data.alert).toMatchObject({ id: kirkuk.id, status: 'acknowledged', acknowledgedBy: 'viewer-desk' });
      const appointed = [...everything.processed().values()].find((n) => n.type === 'province.changed' && n.data.province.version === 3)!;
      expect(appointed.data.province).toMatchObject({ stage: 'appointed', governor: 'Asaad Al-Eidani', deadlineStatus: 'met' });

      for (const [r, hook] of [
        [everything, hookAll],
        [acksOnly, hookAcks],
      ] as const) {
        expect(r.requests).toHaveLength(r.processed().size); // a receiver that answers 200 is sent each notice once
        for (const req of r.requests) {
          expect(req.method).toBe('POST');
          expect(req.path).toBe('/hooks/governors');
          expect(req.headers['content-type']).toBe('application/json');
          expect(req.headers['user-agent']).toBe('governor-tracker');
          expect(req.headers['x-webhook-id']).toBe(hook.id);
          expect(req.headers['x-delivery-id']).toMatch(/^\d+$/);
          expectValidSignature(req, hook.secret);
        }
      }
      // A signature made with another subscription's secret does not verify.
      expect(() => expectValidSignature(acksOnly.requests[0], hookAll.secret)).toThrow();

      const log = await deliveries(hookAll.id);
      expect(log).toHaveLength(5);
      for (const item of log) {
        expect(item).toMatchObject({ attempt: 1, statusCode: 200, error: null, abandonedAt: null });
        expect(item.deliveredAt).toMatch(/Z$/);
        expect(item.attemptedAt).toMatch(/Z$/);
        expect(item.durationMs).toBeGreaterThanOrEqual(0);
        const req = everything.requests.find((r) => r.headers['x-delivery-id'] === item.outboxId);
        expect(req).toBeDefined();
        expect(item.eventType).toBe(req!.notice.type);
        expect(item.noticeId).toBe(req!.notice.id);
      }

      await unsubscribe(hookAll.id);
      await unsubscribe(hookAcks.id);
    });

    test('a receiver that fails for a while gets every notice once it answers; the log shows the failures, then the success', async () => {
      const flaky = await receiver();
      // Down for each notice's first two attempts (500), up from the third.
      flaky.decide = (_notice, seenBefore) => (seenBefore < 2 ? 500 : 200);
      const hook = await subscribe({ url: flaky.url, events: ALL_EVENTS });

      await appointGovernor(s.app, s.keys.editor, 'najaf', 'Youssef Kanawi');

      await eventually('4 notices delivered after retries', () => flaky.processed().size >= 4);
      await sleep(1500);
      expect([...flaky.processed().values()].map(summarize).sort()).toEqual(appointmentNotices('najaf'));
      for (const id of flaky.processed().keys()) {
        const answers = flaky.requests.filter((r) => r.notice.id === id).map((r) => r.answered);
        expect(answers).toEqual([500, 500, 200]); // retried after failures, never after the success
      }
      for (const r of flaky.requests) expectValidSignature(r, hook.secret);

      const log = await deliveries(hook.id);
      expect(log).toHaveLength(12);
      const byDelivery = new Map<string, Array<Record<string, any>>>();
      for (const item of log) byDelivery.set(item.outboxId, [...(byDelivery.get(item.outboxId) ?? []), item]);
      expect(byDelivery.size).toBe(4);
      for (const [outboxId, items] of byDelivery) {
        const attempts = [...items].sort((a, b) => a.attempt - b.attempt);
        expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
          [1, 500],
          [2, 500],
          [3, 200],
        ]);
        expect(attempts[0].error).toMatch(/^HTTP 500/);
        expect(attempts[2].error).toBeNull();
        expect(Date.parse(attempts[0].attemptedAt)).toBeLessThan(Date.parse(attempts[1].attemptedAt));
        expect(Date.parse(attempts[1].attemptedAt)).toBeLessThan(Date.parse(attempts[2].attemptedAt));
        // The backoff: at least 0.75 s (1 s less jitter) between attempts, even with a 1 s cap.
        expect(Date.parse(attempts[1].attemptedAt) - Date.parse(attempts[0].attemptedAt)).toBeGreaterThanOrEqual(700);
        for (const a of attempts) expect(a.deliveredAt).toBe(attempts[2].deliveredAt);
        const sent = flaky.requests.filter((r) => r.headers['x-delivery-id'] === outboxId);
        expect(sent.map((r) => r.answered)).toEqual([500, 500, 200]);
        // Every attempt of one delivery sends the same bytes (same notice id, same signature).
        expect(new Set(sent.map((r) => r.body)).size).toBe(1);
      }
      expect(log.map((i) => Number(i.id))).toEqual([...log.map((i) => Number(i.id))].sort((a, b) => b - a)); // newest first
      const latest = await s.app.http().get(`/api/v1/admin/webhooks/${hook.id}/deliveries?limit=2`).set(admin());
      expect(latest.status).toBe(200);
      expect(latest.body.items).toEqual(log.slice(0, 2));
      for (const limit of ['0', '1001', 'ten']) {
        const bad = await s.app.http().get(`/api/v1/admin/webhooks/${hook.id}/deliveries?limit=${limit}`).set(admin());
        expectProblem(bad, 400, 'validation');
      }

      await unsubscribe(hook.id);
    });

    test('a receiver that is not listening: each refused attempt is logged (generically), and the delivery is abandoned after WEBHOOK_MAX_ATTEMPTS', async () => {
      const port = await closedPort();
      const hook = await subscribe({ url: `http://127.0.0.1:${port}/hooks`, events: ['alert.acknowledged'] });
      await acknowledge('wasit');

      await eventually('the delivery abandoned', async () => (await deliveries(hook.id)).some((i) => i.abandonedAt !== null));
      const log = await deliveries(hook.id);
      expect(log.map((i) => i.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
      for (const item of log) {
        expect(item).toMatchObject({ eventType: 'alert.acknowledged', statusCode: null, deliveredAt: null });
        expect(item.error).toBe('could not connect'); // no network detail that would map ports (issue 23, item 4)
        expect(item.abandonedAt).toMatch(/Z$/);
      }
      await sleep(1500);
      expect(await deliveries(hook.id)).toHaveLength(5);
      await unsubscribe(hook.id);
    });

    test('deleting a subscription abandons its pending deliveries: no more attempts', async () => {
      const down = await receiver();
      down.decide = () => 500;
      const hook = await subscribe({ url: down.url, events: ['alert.acknowledged'] });
      await acknowledge('maysan');
      await eventually('a failed attempt in the log', async () => (await deliveries(hook.id)).length >= 1);

      await unsubscribe(hook.id);
      // Abandoned by the delete itself, not at the next attempt.
      for (const item of await deliveries(hook.id)) expect(item.abandonedAt).toMatch(/Z$/);
      await sleep(300); // an attempt already in flight may still land
      const seen = down.requests.length;
      await sleep(2000); // two backoff periods at the 1 s cap
      expect(down.requests.length).toBe(seen);
      const log = await deliveries(hook.id);
      expect(log.length).toBe(seen);
      for (const item of log) {
        expect(item).toMatchObject({ statusCode: 500, deliveredAt: null });
        expect(item.abandonedAt).toMatch(/Z$/);
      }
    });
  });
});

describe(`webhooks across a restart (${usingServer ? 'PostgreSQL server' : 'embedded database'})`, () => {
  let db: TestDatabase;
  let app: TestApp | null = null;
  const receiver = new Receiver();
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    db = await createTestDatabase('webhooks-restart');
    await receiver.start();
  });
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
    await db?.drop();
  });

  test('notices accepted just before the app closes are delivered by the next start, none lost', async () => {
    app = await startApp(testConfig(db, FAST_RETRIES));
    // Until the restart the receiver takes each request and never answers: nothing is acknowledged.
    receiver.decide = () => 'hang';
    const created = await app.http().post('/api/v1/admin/webhooks').set(admin).send({ url: receiver.url, events: ALL_EVENTS });
    expect(created.status).toBe(201);

    await appointGovernor(app, ADMIN_KEY, 'dhi-qar', 'Murtada Al-Ibrahimi');
    await app.close();
    app = null;
    expect(receiver.acknowledged()).toEqual([]);

    receiver.decide = () => 200;
    app = await startApp(testConfig(db, FAST_RETRIES));
    await eventually('4 notices after the restart', () => receiver.processed().size >= 4);
    await sleep(1500);

    expect([...receiver.processed().values()].map(summarize).sort()).toEqual(appointmentNotices('dhi-qar'));
    for (const id of receiver.processed().keys()) {
      expect(receiver.acknowledged().filter((r) => r.notice.id === id)).toHaveLength(1);
    }
    for (const r of receiver.requests) expectValidSignature(r, created.body.secret);

    const log = await app.http().get(`/api/v1/admin/webhooks/${created.body.id}/deliveries`).set(admin);
    expect(log.status).toBe(200);
    const delivered = log.body.items.filter((i: { statusCode: number | null }) => i.statusCode === 200);
    expect(delivered).toHaveLength(4);
    // Attempts cut short by the shutdown (if the POST had started) are logged as such, not as the receiver's failure.
    for (const i of log.body.items.filter((x: { statusCode: number | null }) => x.statusCode !== 200)) {
      expect(i.error).toBe('interrupted: this instance shut down');
    }
    for (const i of log.body.items) expect(i.deliveredAt).toMatch(/Z$/);
  });
});

// An instance that has seen no webhook claims nothing (no statement per write); it must still find a
// webhook created on another instance, and deliver what its own writes put in the outbox.
describeWithServer('a webhook created on another instance (two instances on a PostgreSQL server)', () => {
  let db: TestDatabase;
  let first: TestApp | null = null;
  let second: TestApp | null = null;
  const receiver = new Receiver();
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    db = await createTestDatabase('webhooks-instances');
    await receiver.start();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await receiver.stop();
    await db?.drop();
  });

  test('is found by an instance that had none, and that instance delivers its own writes', async () => {
    first = await startApp(testConfig(db, FAST_RETRIES));
    second = await startSecondInstance(first);
    // The second instance writes (and its dispatcher looks) while no webhook exists.
    const before = await postEvent(second, ADMIN_KEY, 'kirkuk', { type: 'REPORT', kind: 'note', text: 'no webhook yet' });
    expect(before.status).toBe(201);
    await sleep(200);

    const created = await first.http().post('/api/v1/admin/webhooks').set(admin).send({ url: receiver.url, events: ['province.changed'] });
    expect(created.status).toBe(201);
    await first.close(); // only the second instance is left to deliver
    first = null;

    const posted = await postEvent(second, ADMIN_KEY, 'kirkuk', { type: 'REPORT', kind: 'note', text: 'after the webhook' });
    expect(posted.status).toBe(201);
    await eventually('the notice of the write after the webhook', () => receiver.processed().size >= 1);
    const notices = [...receiver.processed().values()];
    expect(notices.map((n) => n.data.change)).toEqual([{ kind: 'event', seq: posted.body.event.seq, type: 'REPORT' }]);
    for (const r of receiver.requests) expectValidSignature(r, created.body.secret);
  });
});
