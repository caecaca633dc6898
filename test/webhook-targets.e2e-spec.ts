import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { isPublicAddress } from '../apps/api/src/webhooks/webhook-target.js';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 23, item 4: webhooks cannot be aimed inside. With WEBHOOK_ALLOW_PRIVATE off (the default;
 * the rest of the suite turns it on for its 127.0.0.1 receivers) an inside address is refused when
 * the webhook is created, and a name that resolves inside is refused at delivery; the delivery log
 * keeps a status code or a generic reason, never the receiver's answer or a network detail.
 */

const API = '/api/v1';
const FAST = { WEBHOOK_MAX_BACKOFF_SECONDS: '1', WEBHOOK_MAX_ATTEMPTS: '2' };
const SECRET_ANSWER = 'INTERNAL-ANSWER-Jq8 redis_version:7.2 aws_secret_access_key';

/** A receiver on 0.0.0.0 (so that any local address reaches it) that answers `status` with a secret body. */
async function receiver(status: number): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.headers.host ?? '');
      res.writeHead(status, { 'content-type': 'text/plain' }).end(SECRET_ANSWER);
    });
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const stop = (server: Server) => {
  server.closeAllConnections();
  server.close();
};

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Attempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
}

function suite(label: string, env: Record<string, string>) {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  const api = {
    get s() {
      return s;
    },
    subscribe: (url: string) => s.app.http().post(`${API}/admin/webhooks`).set(s.auth(s.keys.admin)).send({ url, events: ['province.changed'] }),
    deliveries: async (id: string) => {
      const res = await s.app.http().get(`${API}/admin/webhooks/${id}/deliveries`).set(s.auth(s.keys.admin));
      expect(res.status).toBe(200);
      return { items: res.body.items as Attempt[], text: res.text };
    },
    change: async (slug: string, text: string) => expect((await postEvent(s.app, s.keys.editor, slug, { type: 'REPORT', kind: 'note', text })).status).toBe(201),
  };
  beforeAll(async () => {
    s = await setupSuite(label, { ...FAST, ...env });
  });
  afterAll(async () => s?.teardown());
  return api;
}

describe('WEBHOOK_ALLOW_PRIVATE off (the default)', () => {
  const api = suite('webhook_targets', { WEBHOOK_ALLOW_PRIVATE: 'false' });

  test.each([
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[::1]:5432/',
    'http://0x7f000001:5432/',
    'http://017700000001/',
    'http://127.1:6379/',
    'http://10.0.0.5/hooks',
    'http://192.168.1.10/',
    'http://[fd12:3456::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost:3000/api/v1/admin/api-keys',
  ])('creating a webhook to %s is a 400 naming url, and none is created', async (url) => {
    const list = async () => (await api.s.app.http().get(`${API}/admin/webhooks`).set(api.s.auth(api.s.keys.admin))).body.items.length as number;
    const before = await list();
    const res = await api.subscribe(url);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('private') }]);
    expect(await list()).toBe(before);
  });

  test('a name that resolves inside (this machine’s host name) is refused at delivery: "address not allowed", nothing sent', async () => {
    const addresses = (await lookup(hostname(), { all: true })).map((a) => a.address);
    expect({ host: hostname(), inside: addresses.every((a) => !isPublicAddress(a)) }).toEqual({ host: hostname(), inside: true });
    const target = await receiver(200);
    try {
      const created = await api.subscribe(`http://${hostname()}:${target.port}/hooks`);
      expect(created.status).toBe(201);
      await api.change('basra', 'aimed inside');
      const log = await eventually('two refused attempts', async () => {
        const { items } = await api.deliveries(created.body.id);
        return items.length >= 2 ? items : null;
      });
      expect(log.map((a) => ({ statusCode: a.statusCode, error: a.error }))).toEqual([
        { statusCode: null, error: 'address not allowed' },
        { statusCode: null, error: 'address not allowed' },
      ]);
      expect(target.hits).toEqual([]);
    } finally {
      stop(target.server);
    }
  });
});

describe('WEBHOOK_ALLOW_PRIVATE=true: deliveries reach inside, and the log keeps no answer and no network detail', () => {
  const api = suite('webhook_log', { WEBHOOK_ALLOW_PRIVATE: 'true' });

  test('a name resolving to this machine is delivered to (through the checked, pinned address)', async () => {
    const target = await receiver(200);
    try {
      const created = await api.subscribe(`http://${hostname()}:${target.port}/hooks`);
      expect(created.status).toBe(201);
      await api.change('kirkuk', 'delivered inside');
      await eventually('the delivery', async () => target.hits.length > 0);
      expect(target.hits[0]).toBe(`${hostname()}:${target.port}`);
      const { items } = await api.deliveries(created.body.id);
      expect(items[0]).toMatchObject({ statusCode: 200, error: null });
    } finally {
      stop(target.server);
    }
  });

  test('an error answer is logged as its status only: nothing of its body', async () => {
    const target = await receiver(500);
    try {
      const created = await api.subscribe(`http://127.0.0.1:${target.port}/hooks`);
      await api.change('najaf', 'answered 500');
      const { items, text } = await eventually('a logged attempt', async () => {
        const log = await api.deliveries(created.body.id);
        return log.items.length > 0 ? log : null;
      });
      expect(items[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
      expect(text).not.toContain('INTERNAL-ANSWER');
    } finally {
      stop(target.server);
    }
  });

  test('a closed port is "could not connect": no ECONNREFUSED, no address, no port', async () => {
    const probe = await receiver(200);
    const port = probe.port;
    stop(probe.server);
    await new Promise((r) => setTimeout(r, 100));
    const created = await api.subscribe(`http://127.0.0.1:${port}/hooks`);
    await api.change('anbar', 'nobody listening');
    const { items, text } = await eventually('a logged attempt', async () => {
      const log = await api.deliveries(created.body.id);
      return log.items.length > 0 ? log : null;
    });
    expect(items[0]).toMatchObject({ statusCode: null, error: 'could not connect' });
    expect(text).not.toMatch(/ECONN|refused|127\.0\.0\.1:/i);
  });
});
