/**
 * The HTTP contract of SPEC §4 through HTTP (supertest) into a real database: the authorization
 * matrix over the application's own route table, API keys, bad input, Idempotency-Key and If-Match.
 *
 * The app is started at module level (top-level await) so that one test per registered route can be
 * generated from the route table the running Fastify instance actually serves.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Response, Test } from 'supertest';
import { postEvent, setupSuite, source } from './support/test-app.js';

const s = await setupSuite('http_contract');
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();
const auth = (key: string) => s.auth(key);

// ---------------------------------------------------------------------------------------------
// Helpers every response goes through
// ---------------------------------------------------------------------------------------------

/**
 * Words that betray internals in an error body. `at ` is matched as a stack frame ("\n    at fn (file:1:2)"),
 * not as the English word: "The province is at version 1" is a proper detail, not a leak.
 */
const LEAK_WORDS = ['stack', 'SELECT', 'INSERT', 'QueryFailedError'];
const STACK_FRAME = /(?:^|\\n|\n)\s*at \S|\bat [^\s"]+ \([^)"]*:\d+:\d+\)|\bat [^\s"]*\.[cm]?[jt]s:\d+/;

/** The raw body (the matrix reads it with its own parser, which leaves it in `body`). */
const textOf = (res: Response): string => (typeof res.text === 'string' ? res.text : typeof res.body === 'string' ? res.body : '');

/** No response body ever carries a stack trace or SQL (error bodies: every word; any body: no SQL, no stack frame). */
function expectNoLeak(res: Response): void {
  const text = textOf(res);
  const found = [
    ...(res.status >= 400 ? LEAK_WORDS.filter((w) => text.includes(w)) : []),
    ...(STACK_FRAME.test(text) ? ['at (a stack frame)'] : []),
    ...(/QueryFailedError|\b(SELECT \S|INSERT INTO|UPDATE \w+ SET)/.test(text) ? ['SQL or a driver error'] : []),
  ];
  expect({ status: res.status, leaked: found }).toEqual({ status: res.status, leaked: [] });
}

/** An RFC 9457 problem document with this status. Returns the parsed body. */
function expectProblem(res: Response, status: number): Record<string, unknown> {
  expectNoLeak(res);
  expect({ status: res.status, body: res.text?.slice(0, 300) }).toEqual({ status, body: expect.anything() });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }),
  );
  expect((body.type as string).length).toBeGreaterThan(0);
  expect((body.title as string).length).toBeGreaterThan(0);
  return body;
}

/** A 400 problem whose `errors` names `field`. */
function expectFieldError(res: Response, field: string): void {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  const errors = body.errors as { field: unknown; message: unknown }[];
  for (const e of errors) expect(e).toEqual({ field: expect.any(String), message: expect.any(String) });
  expect(errors.map((e) => e.field)).toContain(field);
}

async function ok(res: Promise<Response> | Response, status = 200): Promise<Response> {
  const r = await res;
  expectNoLeak(r);
  expect({ status: r.status, body: r.text?.slice(0, 500) }).toEqual({ status, body: expect.anything() });
  return r;
}

async function provinceState(slug: string): Promise<{ version: number; history: unknown[] }> {
  const p = await ok(http().get(`${API}/provinces/${slug}`).set(auth(s.keys.viewer)));
  const h = await ok(http().get(`${API}/provinces/${slug}/events`).set(auth(s.keys.viewer)));
  return { version: p.body.version as number, history: h.body.items as unknown[] };
}

// ---------------------------------------------------------------------------------------------
// 1. The route table, from the running application
// ---------------------------------------------------------------------------------------------

interface Route {
  method: string;
  path: string;
}

const fastify = s.app.running.app.getHttpAdapter().getInstance();

/**
 * Parse Fastify's own route tree (`printRoutes({ commonPrefix: false })`): each line is one node,
 * indented four characters per level, with its path segment relative to its parent and the methods
 * registered on it. Any line that does not parse throws, so a format change cannot hide a route.
 */
function routesFromFastify(): Route[] {
  const tree: string = fastify.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z]+(?:, [A-Z]+)*)\))?$/.exec(line);
    if (!m) throw new Error(`cannot parse a line of printRoutes(): ${JSON.stringify(line)}`);
    const depth = m[1].length / 4;
    const full = (depth > 0 ? stack[depth - 1] : '') + m[2];
    stack[depth] = full;
    stack.length = depth + 1;
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, path: full });
  }
  return routes;
}

/** Every handler Nest registered, from its controllers' metadata: the cross-check of the parse above. */
function routesFromNest(): Route[] {
  const scanner = new MetadataScanner();
  const out: Route[] = [];
  const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;
  for (const mod of s.app.running.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: never[]) => object) | null;
      if (!ctrl) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, ctrl) ?? '/'].flat() as string[];
      for (const name of scanner.getAllMethodNames(ctrl.prototype)) {
        const handler = (ctrl.prototype as Record<string, unknown>)[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const base of bases) for (const p of [paths].flat()) out.push({ method, path: join(base, p) });
      }
    }
  }
  return out;
}

const ROUTES = routesFromFastify();

/** `open`: no key needed (health, docs, the board); otherwise the lowest role that may call the route. */
type Access = 'open' | 'public' | 'viewer' | 'editor' | 'admin';

/** SPEC §4: who may call what. A route this cannot classify fails the table test until it is added here. */
function requiredAccess(method: string, cyclePath: string): Access | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  // Issue 20: every province route also exists under a cycle, with the same access.
  const path = cyclePath.replace(`${API}/cycles/:cycle/provinces`, `${API}/provinces`);
  if (m === 'GET' && [`${API}/cycles`, `${API}/cycles/:cycle`].includes(path)) return 'public';
  if ((m === 'PATCH' && path === `${API}/cycles/:cycle`) || (m === 'POST' && path === `${API}/cycles`)) return 'admin';
  if (m === 'GET' && ['/health/live', '/health/ready', '/', '/docs', '/docs-json', '/metrics'].includes(path)) return 'open';
  if (m === 'GET' && path.startsWith('/docs/')) return 'open';
  // The board page's own scripts and styles: open like the page itself (GET /).
  if (m === 'GET' && path === `${API}/board/:version/:file`) return 'open';
  // Issue 24: the digest's picture loads where the digest is pasted, where no key goes.
  if (m === 'GET' && path === `${API}/charts/timeline.svg`) return 'open';
  if (path === `${API}/admin` || path.startsWith(`${API}/admin/`)) return 'admin';
  if (m === 'PATCH' && path === `${API}/cycle`) return 'admin';
  if (m === 'POST' && path === `${API}/provinces/:slug/events`) return 'editor';
  if (m === 'POST' && path === `${API}/provinces/:slug/events/:seq/retract`) return 'editor';
  if (m === 'POST' && path === `${API}/alerts/:id/ack`) return 'viewer';
  // Claims are recorded and moved by editors; reporters (viewer keys) log their contacts.
  if (m === 'POST' && path === `${API}/provinces/:slug/claims`) return 'editor';
  if (m === 'POST' && /^\/api\/v1\/provinces\/:slug\/claims\/:id\/(deny|confirm|retract)$/.test(path)) return 'editor';
  if (m === 'POST' && path === `${API}/provinces/:slug/contacts`) return 'viewer';
  if (m === 'POST' && [`${API}/proposals/:id/approve`, `${API}/proposals/:id/reject`].includes(path)) return 'editor';
  // Issue 7: what a public key may read — only publishable items (internal events and notes filtered out).
  if (m === 'GET' && PUBLIC_READS.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p))) return 'public';
  if (m === 'GET' && path.startsWith(`${API}/`)) return 'viewer';
  return undefined;
}

/** The public surfaces (README, "Public and internal"); `*` ends a prefix. */
const PUBLIC_READS = [
  `${API}/provinces`, `${API}/provinces/:slug`, `${API}/provinces/:slug/events`, `${API}/changes`, `${API}/digest`,
  `${API}/feeds/changes.atom`, `${API}/feeds/alerts.atom`, `${API}/cycle`, `${API}/machine`, `${API}/charts/*`,
  `${API}/provinces/:slug/claims`, `${API}/provinces/:slug/claims/:id`, `${API}/claims`, `${API}/provinces/:slug/history`, `${API}/provinces/:slug/terms`,
  // Issue 22: any key may ask who it is.
  `${API}/me`,
];

/** The routes SPEC §4 names that this build serves; each must be in the enumerated table. */
const KNOWN: [string, string, Access][] = [
  ['GET', '/health/live', 'open'],
  ['GET', '/health/ready', 'open'],
  ['GET', `${API}/provinces`, 'public'],
  ['GET', `${API}/provinces/:slug`, 'public'],
  ['GET', `${API}/provinces/:slug/events`, 'public'],
  ['POST', `${API}/provinces/:slug/events`, 'editor'],
  ['POST', `${API}/provinces/:slug/events/:seq/retract`, 'editor'],
  ['GET', `${API}/cycle`, 'public'],
  ['GET', `${API}/machine`, 'public'],
  ['GET', `${API}/changes`, 'public'],
  ['GET', `${API}/digest`, 'public'],
  ['GET', `${API}/feeds/changes.atom`, 'public'],
  ['GET', `${API}/feeds/alerts.atom`, 'public'],
  ['GET', `${API}/charts/timeline.svg`, 'open'],
  ['GET', `${API}/alerts`, 'viewer'],
  ['GET', `${API}/stream`, 'viewer'],
  ['GET', `${API}/proposals`, 'viewer'],
  ['GET', `${API}/proposals/:id`, 'viewer'],
  ['POST', `${API}/proposals/:id/approve`, 'editor'],
  ['POST', `${API}/proposals/:id/reject`, 'editor'],
  ['POST', `${API}/admin/api-keys`, 'admin'],
  ['GET', `${API}/admin/api-keys`, 'admin'],
  ['DELETE', `${API}/admin/api-keys/:id`, 'admin'],
  ['POST', `${API}/provinces/:slug/claims`, 'editor'],
  ['GET', `${API}/provinces/:slug/claims`, 'public'],
  ['GET', `${API}/provinces/:slug/claims/:id`, 'public'],
  ['POST', `${API}/provinces/:slug/claims/:id/deny`, 'editor'],
  ['POST', `${API}/provinces/:slug/claims/:id/confirm`, 'editor'],
  ['POST', `${API}/provinces/:slug/claims/:id/retract`, 'editor'],
  ['GET', `${API}/claims`, 'public'],
  ['POST', `${API}/provinces/:slug/contacts`, 'viewer'],
  ['GET', `${API}/provinces/:slug/contacts`, 'viewer'],
  ['GET', `${API}/provinces/:slug/history`, 'public'],
  ['GET', `${API}/me`, 'public'],
];

const PARAMS: Record<string, string> = { slug: 'basra', seq: '1', id: randomUUID(), cycle: 'iraq-2023' };
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? 'x').replace(/\*/g, 'x');

type Who = 'none' | 'unknown' | 'revoked' | 'public' | 'viewer' | 'editor' | 'admin';
const WHO: Who[] = ['none', 'unknown', 'revoked', 'public', 'viewer', 'editor', 'admin'];
const RANK: Record<Exclude<Access, 'open'>, number> = { public: 0, viewer: 1, editor: 2, admin: 3 };

function expectedFor(access: Access, who: Who, path: string): number | 'allowed' {
  // an open page with a fixed path answers 200 without a key; a wildcard (static assets) may be 404 for our stand-in
  if (access === 'open') return who === 'none' && !/[:*]/.test(path) ? 200 : 'allowed';
  if (who === 'none' || who === 'unknown' || who === 'revoked') return 401;
  return RANK[who] >= RANK[access] ? 'allowed' : 403;
}

/** Reads the whole body, except an event stream (never ends): headers are enough there. */
function boundedParser(res: NodeJS.ReadableStream & { headers: Record<string, string> }, done: (err: Error | null, body: unknown) => void) {
  if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    (res as unknown as { destroy(): void }).destroy();
    done(null, '');
    return;
  }
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  res.on('end', () => done(null, text));
}

describe('1. authorization matrix over the route table', () => {
  const keys: Record<Who, string | null> = { none: null, unknown: null, revoked: null, public: null, viewer: null, editor: null, admin: null };

  beforeAll(async () => {
    keys.unknown = `gt_${randomBytes(32).toString('base64url')}`;
    keys.public = (await ok(http().post(`${API}/admin/api-keys`).set(auth(s.keys.admin)).send({ name: 'public-site', role: 'public' }), 201)).body.key;
    keys.viewer = s.keys.viewer;
    keys.editor = s.keys.editor;
    keys.admin = s.keys.admin;
    // A revoked ADMIN key: the strongest key there is, once revoked, must open nothing.
    const created = await ok(http().post(`${API}/admin/api-keys`).set(auth(s.keys.admin)).send({ name: 'to-be-revoked', role: 'admin' }), 201);
    await ok(http().get(`${API}/admin/api-keys`).set(auth(created.body.key)));
    // DELETE's own answer is checked in section 2; here only its effect matters, and is checked next.
    await http().delete(`${API}/admin/api-keys/${created.body.id}`).set(auth(s.keys.admin));
    const list = await ok(http().get(`${API}/admin/api-keys`).set(auth(s.keys.admin)));
    const row = (list.body.items as { id: string; revokedAt: string | null }[]).find((k) => k.id === created.body.id);
    expect(row?.revokedAt).toEqual(expect.any(String));
    keys.revoked = created.body.key;
  });

  test('the route table is read from the running app, is not empty, and holds every known route', () => {
    expect(ROUTES.length).toBeGreaterThan(0);
    const listed = ROUTES.map((r) => `${r.method} ${r.path}`);
    for (const [method, path] of KNOWN) expect(listed).toContain(`${method} ${path}`);
    // the parse is faithful: each parsed route is one Fastify really has
    for (const r of ROUTES) expect({ route: r, registered: fastify.hasRoute({ method: r.method as 'GET', url: r.path }) }).toEqual({ route: r, registered: true });
  });

  test('every handler in the Nest controllers appears in the route table (the parse misses nothing)', () => {
    const nest = routesFromNest();
    expect(nest.length).toBeGreaterThanOrEqual(KNOWN.length);
    const listed = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    for (const h of nest) {
      const method = h.method === 'ALL' ? 'GET' : h.method;
      const served = [`${method} ${API}${h.path === '/' ? '' : h.path}`, `${method} ${h.path}`].some((k) => listed.has(k));
      expect({ handler: h, served }).toEqual({ handler: h, served: true });
    }
  });

  test('every route of the table has a required role under SPEC §4 (a new route must be classified)', () => {
    const unclassified = ROUTES.filter((r) => requiredAccess(r.method, r.path) === undefined);
    expect(unclassified).toEqual([]);
    for (const [method, path, access] of KNOWN) expect([method, path, requiredAccess(method, path)]).toEqual([method, path, access]);
  });

  test.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_label, route) => {
    const access = requiredAccess(route.method, route.path);
    expect(access).toBeDefined();
    const url = concrete(route.path);
    const expected: Record<string, number | 'allowed'> = {};
    const actual: Record<string, number | 'allowed'> = {};
    for (const who of WHO) {
      const want = expectedFor(access!, who, route.path);
      let req = (http() as unknown as Record<string, (u: string) => Test>)[route.method.toLowerCase()](url);
      const key = keys[who];
      if (key) req = req.set(auth(key));
      // Writes carry an empty JSON object: refused as 400 (or 404) after authorization, so nothing changes.
      if (!['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method)) req = req.send({});
      const res = await req.buffer(true).parse(boundedParser as never);
      expectNoLeak(res);
      expected[who] = want;
      actual[who] = want === 'allowed' && ![401, 403].includes(res.status) && res.status < 500 ? 'allowed' : res.status;
      if (res.status === 401 || res.status === 403) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json\b/);
        if (route.method !== 'HEAD') {
          const body = JSON.parse(textOf(res)) as Record<string, unknown>;
          expect(body).toEqual(
            expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) }),
          );
        }
      }
    }
    expect(actual).toEqual(expected);
  });

  test.each([
    ['a non-Bearer scheme', `Basic ${Buffer.from('admin:x').toString('base64')}`],
    ['the admin key without a scheme', 'ADMIN'],
    ['"Bearer" and nothing else', 'Bearer'],
    ['an overlong key', `Bearer ${'k'.repeat(5000)}`],
    ['two keys', 'Bearer ADMIN ADMIN'],
  ])('a malformed Authorization header (%s) is 401 with a problem document', async (_l, header) => {
    const res = await http().get(`${API}/provinces`).set('authorization', header.replace('ADMIN', s.keys.admin));
    expectProblem(res, 401);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. API keys
// ---------------------------------------------------------------------------------------------

describe('2. API keys', () => {
  const listKeys = async () =>
    (await ok(http().get(`${API}/admin/api-keys`).set(auth(s.keys.admin)))).body.items as Record<string, unknown>[];

  test('create answers 201 {id,name,person,role,key}; the list never shows a secret or a hash; the key works; DELETE revokes it', async () => {
    const created = await ok(http().post(`${API}/admin/api-keys`).set(auth(s.keys.admin)).send({ name: 'contract-desk', role: 'viewer' }), 201);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'key', 'name', 'person', 'role']);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'contract-desk',
      person: 'contract-desk',
      role: 'viewer',
      key: expect.any(String),
    });
    const secret = created.body.key as string;
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const list = await ok(http().get(`${API}/admin/api-keys`).set(auth(s.keys.admin)));
    const items = list.body.items as Record<string, unknown>[];
    expect(items.find((k) => k.id === created.body.id)).toEqual(expect.objectContaining({ id: created.body.id, name: 'contract-desk', role: 'viewer' }));
    expect(items.length).toBeGreaterThanOrEqual(4); // ADMIN_API_KEY, editor, viewer, this one
    for (const item of items) {
      const text = JSON.stringify(item);
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[0-9a-f]{64}/i);
      expect(Object.keys(item).some((k) => /key|hash|secret/i.test(k))).toBe(false);
    }
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain(s.keys.admin);
    expect(list.text).not.toContain(createHash('sha256').update(secret).digest('hex'));
    expect(list.text).not.toMatch(/[0-9a-f]{64}/i);

    // the key works, with its own role
    await ok(http().get(`${API}/provinces`).set(auth(secret)));
    expectProblem(await postEvent(s.app, secret, 'basra', { type: 'REPORT', kind: 'note', text: 'x' }), 403);

    const revoked = await http().delete(`${API}/admin/api-keys/${created.body.id}`).set(auth(s.keys.admin));
    expectNoLeak(revoked);
    expect({ status: revoked.status, body: revoked.text }).toEqual({ status: 200, body: expect.anything() });
    expectProblem(await http().get(`${API}/provinces`).set(auth(secret)), 401);
    const after = (await listKeys()).find((k) => k.id === created.body.id);
    expect(after?.revokedAt).toEqual(expect.any(String));
  });

  test('DELETE of an unknown key id (a well-formed UUID) → 404 problem', async () => {
    expectProblem(await http().delete(`${API}/admin/api-keys/${randomUUID()}`).set(auth(s.keys.admin)), 404);
  });

  test('DELETE of an id that is not a UUID → 404 problem', async () => {
    expectProblem(await http().delete(`${API}/admin/api-keys/not-a-key`).set(auth(s.keys.admin)), 404);
  });

  test.each([
    ['role outside admin|editor|viewer', { name: 'x', role: 'root' }, 'role'],
    ['missing name', { role: 'viewer' }, 'name'],
    ['missing role', { name: 'x' }, 'role'],
    ['an unknown field', { name: 'x', role: 'viewer', keyHash: 'abc' }, 'keyHash'],
    ['a name with a NUL character', { name: 'a\u0000b', role: 'viewer' }, 'name'],
    ['a name with a lone surrogate', { name: 'a\ud800b', role: 'viewer' }, 'name'],
    ['a name of the wrong type', { name: 7, role: 'viewer' }, 'name'],
  ])('creating a key with %s → 400 naming the field, and no key is created', async (_l, body, field) => {
    const before = (await listKeys()).length;
    expectFieldError(await http().post(`${API}/admin/api-keys`).set(auth(s.keys.admin)).send(body), field);
    expect((await listKeys()).length).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Bad input changes nothing
// ---------------------------------------------------------------------------------------------

describe('3. bad input is refused with a problem document and changes nothing', () => {
  const SLUG = 'najaf';
  const url = `${API}/provinces/${SLUG}/events`;
  let before: { version: number; history: unknown[] };

  beforeAll(async () => {
    before = await provinceState(SLUG);
    expect(before.history).toEqual([]);
  });

  test('malformed JSON → 400 problem', async () => {
    for (const raw of ['{"type": "ASSIGN_TIER", "tier": ', '{type: ASSIGN_TIER}', "{'type':'ASSIGN_TIER'}", '{"type":"ASSIGN_TIER",}']) {
      const res = await http().post(url).set(auth(s.keys.editor)).set('content-type', 'application/json').send(raw);
      expectProblem(res, 400);
    }
  });

  test('unknown fields → 400 with errors [{field,message}] naming each field', async () => {
    const res = await postEvent(s.app, s.keys.editor, SLUG, { type: 'ASSIGN_TIER', tier: 'A', bogus: 1 });
    expectFieldError(res, 'bogus');
    const nested = await postEvent(s.app, s.keys.editor, SLUG, { type: 'ASSIGN_TIER', tier: 'A', source: { ...source, extra: true } });
    expectFieldError(nested, 'source.extra');
    const inCandidate = await postEvent(s.app, s.keys.editor, SLUG, { type: 'NOMINATE', candidate: { name: 'X', age: 50 } });
    expectFieldError(inCandidate, 'candidate.age');
  });

  test.each([
    ['tier: 5', { type: 'ASSIGN_TIER', tier: 5 }, 'tier'],
    ['tier: "D"', { type: 'ASSIGN_TIER', tier: 'D' }, 'tier'],
    ['votes: "nine"', { type: 'APPOINT', governor: 'X', votes: 'nine' }, 'votes'],
    ['votes: 8.5', { type: 'APPOINT', governor: 'X', votes: 8.5 }, 'votes'],
    ['source: "x"', { type: 'ASSIGN_TIER', tier: 'A', source: 'x' }, 'source'],
    ['source without name', { type: 'ASSIGN_TIER', tier: 'A', source: { url: 'https://example.org' } }, 'source.name'],
    ['source.url not http(s)', { type: 'ASSIGN_TIER', tier: 'A', source: { name: 'x', url: 'javascript:alert(1)' } }, 'source.url'],
    ['candidate: 7', { type: 'NOMINATE', candidate: 7 }, 'candidate'],
    ['occurredAt date-only "2024-02-09"', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-02-09' }, 'occurredAt'],
    ['occurredAt "not a date"', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: 'not a date' }, 'occurredAt'],
    ['occurredAt without offset', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-02-09T10:00:00' }, 'occurredAt'],
    ['occurredAt 2024-02-30', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-02-30T10:00:00Z' }, 'occurredAt'],
    ['occurredAt as a number', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: 1707500000000 }, 'occurredAt'],
    ['occurredAt before the election', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2023-12-01T10:00:00+03:00' }, 'occurredAt'],
    ['occurredAt in the future', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: new Date(Date.now() + 3_600_000).toISOString() }, 'occurredAt'],
    ['confidence "maybe"', { type: 'ASSIGN_TIER', tier: 'A', confidence: 'maybe' }, 'confidence'],
    ['type unknown', { type: 'ELECT', tier: 'A' }, 'type'],
    ['type missing', { tier: 'A' }, 'type'],
    ['type of the wrong case', { type: 'assign_tier', tier: 'A' }, 'type'],
  ])('wrong type or value: %s → 400 naming the field', async (_l, body, field) => {
    expectFieldError(await postEvent(s.app, s.keys.editor, SLUG, body), field);
  });

  test('missing source → 400 naming source', async () => {
    const res = await http().post(url).set(auth(s.keys.editor)).send({ type: 'ASSIGN_TIER', tier: 'A' });
    expectFieldError(res, 'source');
  });

  test.each([
    ['an array', []],
    ['null', null],
    ['a string', 'ASSIGN_TIER'],
    ['a number', 42],
  ])('a JSON body that is %s → 400 problem', async (_l, body) => {
    const res = await http().post(url).set(auth(s.keys.editor)).set('content-type', 'application/json').send(JSON.stringify(body));
    expectProblem(res, 400);
  });

  test('a body over 1 MiB → 413 problem; exactly 1 MiB is read (and refused as 400 for the long text)', async () => {
    const shell = JSON.stringify({ type: 'REPORT', kind: 'note', source, text: '' });
    const sized = (bytes: number) => JSON.stringify({ type: 'REPORT', kind: 'note', source, text: 'x'.repeat(bytes - shell.length) });
    const exact = sized(1024 * 1024);
    expect(Buffer.byteLength(exact)).toBe(1024 * 1024);
    expectFieldError(await http().post(url).set(auth(s.keys.editor)).set('content-type', 'application/json').send(exact), 'text');
    const over = sized(1024 * 1024 + 1);
    expectProblem(await http().post(url).set(auth(s.keys.editor)).set('content-type', 'application/json').send(over), 413);
    const far = sized(3 * 1024 * 1024);
    expectProblem(await http().post(url).set(auth(s.keys.editor)).set('content-type', 'application/json').send(far), 413);
  });

  test.each([
    ['NUL in text', { type: 'REPORT', kind: 'note', text: 'a\u0000b' }, 'text'],
    ['lone high surrogate in text', { type: 'REPORT', kind: 'note', text: 'a\ud800b' }, 'text'],
    ['lone low surrogate in text', { type: 'REPORT', kind: 'note', text: '\udc00' }, 'text'],
    ['reversed surrogate pair in text', { type: 'REPORT', kind: 'note', text: '\udc00\ud800' }, 'text'],
    ['NUL in source.name', { type: 'REPORT', kind: 'note', text: 'ok', source: { name: 'Shafaq\u0000' } }, 'source.name'],
    ['lone surrogate in source.name', { type: 'REPORT', kind: 'note', text: 'ok', source: { name: 'Shafaq\ud83d' } }, 'source.name'],
    ['lone surrogate in note', { type: 'REPORT', kind: 'note', text: 'ok', note: '\ud800' }, 'note'],
    ['NUL in criteria', { type: 'SET_CRITERIA', criteria: 'x\u0000' }, 'criteria'],
    ['lone surrogate in candidate.name', { type: 'NOMINATE', candidate: { name: 'X\udfff' } }, 'candidate.name'],
    ['NUL in candidate.nameAr', { type: 'NOMINATE', candidate: { name: 'X', nameAr: 'س\u0000' } }, 'candidate.nameAr'],
    ['lone surrogate as a field name', { type: 'REPORT', kind: 'note', text: 'ok', ['\ud800']: 1 }, '\ud800'],
    ['NUL as a field name', { type: 'REPORT', kind: 'note', text: 'ok', ['a\u0000']: 1 }, 'a\u0000'],
  ])('%s → 400 naming the field (never 500)', async (_l, body, field) => {
    expectFieldError(await postEvent(s.app, s.keys.editor, SLUG, body), field);
  });

  test('NUL or a lone surrogate in a path segment or query → 400 or 404 problem (never 500)', async () => {
    for (const path of [`${API}/provinces/%00`, `${API}/provinces/na%00jaf/events`, `${API}/provinces?asOf=%00`, `${API}/provinces?stage=%ED%A0%80`]) {
      const res = await http().get(path).set(auth(s.keys.viewer));
      expect([400, 404]).toContain(res.status);
      expectProblem(res, res.status);
    }
  });

  test('a percent-encoded lone surrogate (or a broken escape) in the path → 400 or 404 problem', async () => {
    for (const path of [`${API}/provinces/%ED%A0%80`, `${API}/provinces/%E0%A4%A`]) {
      const res = await http().get(path).set(auth(s.keys.viewer));
      expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
      expectProblem(res, res.status);
      // Answered by Fastify's router before any hook runs: the security headers are still there.
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  test('If-Match that is not a version → 400; Content-Type other than JSON is refused', async () => {
    expectProblem(await postEvent(s.app, s.keys.editor, SLUG, { type: 'ASSIGN_TIER', tier: 'A' }, { 'if-match': 'yesterday' }), 400);
    const res = await http().post(url).set(auth(s.keys.editor)).set('content-type', 'text/plain').send('type=ASSIGN_TIER&tier=A');
    expect([400, 415]).toContain(res.status);
    expectProblem(res, res.status);
  });

  test('unknown province → 404 problem (read, history, write, retract)', async () => {
    expectProblem(await http().get(`${API}/provinces/atlantis`).set(auth(s.keys.viewer)), 404);
    expectProblem(await http().get(`${API}/provinces/atlantis/events`).set(auth(s.keys.viewer)), 404);
    expectProblem(await postEvent(s.app, s.keys.editor, 'atlantis', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }), 404);
    expectProblem(await http().post(`${API}/provinces/atlantis/events/1/retract`).set(auth(s.keys.editor)).send({ reason: 'wrong' }), 404);
  });

  test('unknown route → 404 problem, with or without a key; a known path with a method it does not serve → 405 with Allow', async () => {
    expectProblem(await http().get(`${API}/nope`).set(auth(s.keys.admin)), 404);
    expectProblem(await http().get(`${API}/nope`), 404);
    expectProblem(await http().post(`${API}/provinces/${SLUG}/nope`).set(auth(s.keys.editor)).send({}), 404);
    expectProblem(await http().get('/nope'), 404);
    const wrongMethod = await http().delete(`${API}/provinces/${SLUG}`).set(auth(s.keys.admin));
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
  });

  test.each(['999', '0', 'abc', '-1', '99999999999', '1.5'])('retract of unknown seq %s → 404 problem', async (seq) => {
    expectProblem(await http().post(`${url}/${seq}/retract`).set(auth(s.keys.editor)).send({ reason: 'wrong report' }), 404);
  });

  test('after all of the above the province is unchanged: same version, empty history', async () => {
    const after = await provinceState(SLUG);
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Idempotency-Key
// ---------------------------------------------------------------------------------------------

describe('4. Idempotency-Key', () => {
  const SLUG = 'karbala';
  const tierA = { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' };
  let first: Response;

  test('a retry with the same key and body replays the 201 and its body, with Idempotent-Replayed: true; one event only', async () => {
    first = await ok(postEvent(s.app, s.keys.editor, SLUG, tierA, { 'idempotency-key': 'tier-a-1' }), 201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await ok(postEvent(s.app, s.keys.editor, SLUG, tierA, { 'idempotency-key': 'tier-a-1' }), 201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const { version, history } = await provinceState(SLUG);
    expect(history).toHaveLength(1);
    expect(version).toBe(1);
  });

  test('the same key with a different body → 422 problem; nothing stored', async () => {
    const res = await postEvent(s.app, s.keys.editor, SLUG, { ...tierA, tier: 'B' }, { 'idempotency-key': 'tier-a-1' });
    expectProblem(res, 422);
    const { version, history } = await provinceState(SLUG);
    expect(history).toHaveLength(1);
    expect(version).toBe(1);
  });

  test('a refused request (409) is replayed as the same 409 problem', async () => {
    const appoint = { type: 'APPOINT', governor: 'Nobody', occurredAt: '2024-01-11T10:00:00+03:00' };
    const refused = await postEvent(s.app, s.keys.editor, SLUG, appoint, { 'idempotency-key': 'appoint-1' });
    const body = expectProblem(refused, 409);
    const again = await postEvent(s.app, s.keys.editor, SLUG, appoint, { 'idempotency-key': 'appoint-1' });
    expect(expectProblem(again, 409)).toEqual(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await provinceState(SLUG)).history).toHaveLength(1);
  });

  test('different keys with the same body → two events', async () => {
    const note = { type: 'REPORT', kind: 'note', text: 'Council session announced', occurredAt: '2024-01-12T10:00:00+03:00' };
    const a = await ok(postEvent(s.app, s.keys.editor, SLUG, note, { 'idempotency-key': 'note-1' }), 201);
    const b = await ok(postEvent(s.app, s.keys.editor, SLUG, note, { 'idempotency-key': 'note-2' }), 201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(a.body.event.seq).not.toBe(b.body.event.seq);
    const { version, history } = await provinceState(SLUG);
    expect(history).toHaveLength(3);
    expect(version).toBe(3);
  });

  test('a later retry still replays the first response (stored, not recomputed)', async () => {
    const retry = await ok(postEvent(s.app, s.keys.editor, SLUG, tierA, { 'idempotency-key': 'tier-a-1' }), 201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.body.province.version).toBe(1);
    expect((await provinceState(SLUG)).history).toHaveLength(3);
  });

  test.each([
    ['300 characters', 'k'.repeat(300)],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['empty', ''],
  ])('an invalid Idempotency-Key (%s) → 400 problem; nothing stored', async (_l, key) => {
    const res = await postEvent(s.app, s.keys.editor, SLUG, { ...tierA, tier: 'C' }, { 'idempotency-key': key });
    expectFieldError(res, 'Idempotency-Key');
    const { version, history } = await provinceState(SLUG);
    expect(history).toHaveLength(3);
    expect(version).toBe(3);
  });

  test('a key of exactly 255 visible characters is accepted', async () => {
    const key = 'k'.repeat(255);
    const note = { type: 'REPORT', kind: 'note', text: 'long key', occurredAt: '2024-01-13T10:00:00+03:00' };
    await ok(postEvent(s.app, s.keys.editor, SLUG, note, { 'idempotency-key': key }), 201);
    const retry = await ok(postEvent(s.app, s.keys.editor, SLUG, note, { 'idempotency-key': key }), 201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await provinceState(SLUG)).history).toHaveLength(4);
  });

  test('a request that fails on the server (500) is not stored under its key: the retry runs, and is the one replayed', async () => {
    const db = s.app.running.database.dataSource;
    const note = { type: 'REPORT', kind: 'note', text: 'a server fault, once', occurredAt: '2024-01-13T11:00:00+03:00' };
    // A fault only the database knows about, for this one text.
    await db.query(`
      CREATE FUNCTION test_idempotency_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload->>'text' = 'a server fault, once' THEN RAISE EXCEPTION 'fault'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_idempotency_fault BEFORE INSERT ON province_event FOR EACH ROW EXECUTE FUNCTION test_idempotency_fault()`);
    try {
      expectProblem(await postEvent(s.app, s.keys.editor, 'muthanna', note, { 'idempotency-key': 'fault-1' }), 500);
    } finally {
      await db.query(`DROP TRIGGER test_idempotency_fault ON province_event`);
      await db.query(`DROP FUNCTION test_idempotency_fault()`);
    }
    const retry = await ok(postEvent(s.app, s.keys.editor, 'muthanna', note, { 'idempotency-key': 'fault-1' }), 201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const again = await ok(postEvent(s.app, s.keys.editor, 'muthanna', note, { 'idempotency-key': 'fault-1' }), 201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
    expect((await provinceState('muthanna')).history.filter((e) => (e as { payload: { text?: string } }).payload.text === note.text)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// 5. If-Match and ETag
// ---------------------------------------------------------------------------------------------

describe('5. If-Match and ETag', () => {
  const SLUG = 'wasit';

  test('ETag on GET /provinces/:slug is "<version>"', async () => {
    const res = await ok(http().get(`${API}/provinces/${SLUG}`).set(auth(s.keys.viewer)));
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect(res.body.version).toBe(0);
  });

  test('If-Match with the current version → 201 (and the new ETag); with a stale one → 412 problem, nothing stored', async () => {
    const current = await ok(http().get(`${API}/provinces/${SLUG}`).set(auth(s.keys.viewer)));
    const etag = current.headers.etag as string;
    const accepted = await ok(
      postEvent(s.app, s.keys.editor, SLUG, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' }, { 'if-match': etag }),
      201,
    );
    expect(accepted.body.province.version).toBe(current.body.version + 1);
    expect(accepted.headers.etag).toBe(`"${current.body.version + 1}"`);
    const now = await ok(http().get(`${API}/provinces/${SLUG}`).set(auth(s.keys.viewer)));
    expect(now.headers.etag).toBe(`"${now.body.version}"`);
    expect(now.body.version).toBe(current.body.version + 1);

    const stale = await postEvent(
      s.app,
      s.keys.editor,
      SLUG,
      { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-11T10:00:00+03:00' },
      { 'if-match': etag },
    );
    expectProblem(stale, 412);
    const { version, history } = await provinceState(SLUG);
    expect(version).toBe(current.body.version + 1);
    expect(history).toHaveLength(1);
    expect((await ok(http().get(`${API}/provinces/${SLUG}`).set(auth(s.keys.viewer)))).body.tier).toBe('B');
  });

  test('a stale If-Match on a retraction → 412 problem; the event stays unretracted', async () => {
    const stale = await http()
      .post(`${API}/provinces/${SLUG}/events/1/retract`)
      .set(auth(s.keys.editor))
      .set('if-match', '"0"')
      .send({ reason: 'wrong report' });
    expectProblem(stale, 412);
    const { version, history } = await provinceState(SLUG);
    expect(version).toBe(1);
    expect(history).toEqual([expect.objectContaining({ seq: 1, retracted: false })]);
  });
});
