import type { Test } from 'supertest';
import { matchSchema, validateOpenApiDocument } from '../apps/api/src/docs/openapi.validator.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * SPEC §4 / issue 4: every route the application serves is in the OpenAPI document at /docs-json,
 * the document is valid OpenAPI 3, and what it promises is what the API does — who needs a key,
 * which role, the problem documents each route answers and the shape of real responses.
 */

type Doc = {
  openapi: string;
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, Record<string, string>> };
};
type MediaType = { schema?: object; example?: unknown; examples?: Record<string, { value: unknown }> };
type Operation = { operationId: string; security?: Record<string, string[]>[]; responses: Record<string, { description: string; content?: Record<string, MediaType> }> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

// Rate limiting on (so that 429 is documented) but never reached by this file.
const s = await setupSuite('openapi', { RATE_LIMIT_PER_MINUTE: '100000' });
afterAll(() => s.teardown());
const http = () => s.app.http();

const docRes = await http().get('/docs-json');
const doc = docRes.body as Doc;

/** Fastify `/provinces/:slug` → OpenAPI `/provinces/{slug}`. */
const toTemplate = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const operationsOf = (d: Doc) =>
  Object.entries(d.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] })));

/** Swagger UI's own files under /docs/ (its page, init script and static assets): part of /docs, not API routes. */
const isDocsAsset = (url: string) => url.startsWith('/docs/');

describe('the document', () => {
  test('is served at /docs-json without a key, as JSON', () => {
    expect(docRes.status).toBe(200);
    expect(docRes.headers['content-type']).toMatch(/^application\/json/);
  });

  test('is valid OpenAPI 3: version, non-empty paths, every $ref resolving inside components, …', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    expect(validateOpenApiDocument(doc)).toEqual([]);
  });

  test('declares bearer authentication and requires it globally', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  test('every route the app serves (from Fastify’s route table) is documented with its method, and nothing else is', () => {
    const served = s.app.running.routes.filter((r) => !(r.method === 'HEAD' || r.method === 'OPTIONS') && !isDocsAsset(r.url));
    // The route table is really the app's: each entry is a route Fastify holds, and the known ones are in it.
    for (const r of served) expect([r, s.app.running.app.getHttpAdapter().getInstance().hasRoute({ method: r.method as 'GET', url: r.url })]).toEqual([r, true]);
    const servedKeys = served.map((r) => `${r.method} ${toTemplate(r.url)}`);
    expect(servedKeys).toEqual(
      expect.arrayContaining(['GET /api/v1/provinces', 'POST /api/v1/provinces/{slug}/events', 'GET /health/ready', 'GET /metrics', 'GET /docs', 'GET /docs-json']),
    );
    const documented = operationsOf(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(servedKeys.filter((k) => !documented.includes(k))).toEqual([]);
    expect(documented.filter((k) => !servedKeys.includes(k))).toEqual([]);
  });

  test('Swagger UI is served locally at /docs: its page and scripts come from this server, no CDN', async () => {
    const page = await http().get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(sources).toEqual(expect.arrayContaining([expect.stringContaining('swagger-ui-bundle.js')]));
    expect(sources.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']) {
      const res = await http().get(asset);
      expect([asset, res.status]).toEqual([asset, 200]);
    }
    const init = await http().get('/docs/swagger-ui-init.js');
    expect(init.text).toContain('validatorUrl: null');
    expect(init.text).toContain('"/docs-json"');
  });
});

describe('what the document promises is what the API does', () => {
  const PARAMS: Record<string, string> = { slug: 'basra', seq: '999', id: '00000000-0000-4000-8000-000000000000', version: 'x', file: 'x' };
  const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x');

  /** Reads a body unless it is an event stream, which never ends: its headers are enough. */
  const bounded = (res: NodeJS.ReadableStream & { headers: Record<string, string> }, done: (err: Error | null, body: unknown) => void) => {
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      (res as unknown as { destroy(): void }).destroy();
      return done(null, '');
    }
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => done(null, text));
  };
  const call = (method: string, path: string, key?: string) => {
    let req = (http() as unknown as Record<string, (u: string) => Test>)[method](concrete(path));
    if (key) req = req.set(s.auth(key));
    if (['post', 'patch', 'put'].includes(method)) req = req.send({});
    return req.buffer(true).parse(bounded as never);
  };

  test('without a key, exactly the operations with no security requirement answer, and the others document their 401', async () => {
    const seen: string[] = [];
    for (const { path, method, op } of operationsOf(doc)) {
      const res = await call(method, path);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      seen.push(`${method} ${path}`);
      expect({ route: `${method} ${path}`, status: res.status === 401 ? 401 : 'answered' }).toEqual({ route: `${method} ${path}`, status: isPublic ? 'answered' : 401 });
      if (!isPublic) {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(op.responses['401']).toBeDefined();
      }
    }
    expect(seen.length).toBe(operationsOf(doc).length);
  });

  test('with a public key (the lowest role), exactly the operations documenting 403 answer 403', async () => {
    const created = await http().post('/api/v1/admin/api-keys').set(s.auth(s.keys.admin)).send({ name: 'openapi-public', role: 'public' });
    expect(created.status).toBe(201);
    let forbidden = 0;
    for (const { path, method, op } of operationsOf(doc)) {
      if (op.security?.length === 0) continue;
      const res = await call(method, path, created.body.key as string);
      if (res.status === 403) forbidden++;
      expect({ route: `${method} ${path}`, forbidden: res.status === 403 }).toEqual({ route: `${method} ${path}`, forbidden: op.responses['403'] !== undefined });
    }
    expect(forbidden).toBeGreaterThan(5);
  });

  test('with a viewer key, exactly the operations documented as needing editor or admin answer 403', async () => {
    for (const { path, method, op } of operationsOf(doc)) {
      if (op.security?.length === 0) continue;
      const res = await call(method, path, s.keys.viewer);
      const above = /Requires the \*\*(editor|admin)\*\* role/.test((op as { description?: string }).description ?? '');
      expect({ route: `${method} ${path}`, forbidden: res.status === 403 }).toEqual({ route: `${method} ${path}`, forbidden: above });
    }
  });

  test('every error response is a problem document; every example fits its schema', () => {
    let examples = 0;
    for (const { path, method, op } of operationsOf(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) {
          expect([`${method} ${path} ${status}`, Object.keys(response.content ?? {})]).toEqual([`${method} ${path} ${status}`, ['application/problem+json']]);
          expect(response.content!['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDocument' });
        }
        for (const [type, media] of Object.entries(response.content ?? {})) {
          const values = [...(media.example !== undefined ? [media.example] : []), ...Object.values(media.examples ?? {}).map((e) => e.value)];
          for (const value of values) {
            examples++;
            expect([`${method} ${path} ${status} ${type}`, matchSchema(value, media.schema, doc, { strict: true })]).toEqual([`${method} ${path} ${status} ${type}`, []]);
          }
        }
      }
    }
    expect(examples).toBeGreaterThan(50);
  });

  test('every operation documents 503 (database down, or shutting down), and every rate-limited one 429', () => {
    for (const { path, method, op } of operationsOf(doc)) {
      expect([method, path, op.responses['503'] !== undefined]).toEqual([method, path, true]);
      const exempt = ['/health/live', '/health/ready', '/metrics'].includes(path);
      expect([method, path, op.responses['429'] !== undefined]).toEqual([method, path, !exempt]);
    }
  });
});

describe('real responses match the documented status, content type and schema', () => {
  /** Checks one real response against the operation it came from; strict: no undocumented fields. */
  function expectDocumented(method: string, template: string, res: { status: number; headers: Record<string, string>; body: unknown; text?: string }) {
    const op = doc.paths[template]?.[method];
    expect([method, template, op !== undefined]).toEqual([method, template, true]);
    const response = op.responses[String(res.status)];
    expect([method, template, res.status, response !== undefined]).toEqual([method, template, res.status, true]);
    const type = String(res.headers['content-type']).split(';')[0];
    const media = response.content?.[type];
    expect([method, template, res.status, type, media !== undefined]).toEqual([method, template, res.status, type, true]);
    // supertest leaves `text` unset for image types (an SVG diagram): its body is then a Buffer.
    const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
    const value = type.includes('json') ? JSON.parse(text) : text;
    expect([method, template, res.status, matchSchema(value, media!.schema, doc, { strict: true })]).toEqual([method, template, res.status, []]);
  }
  const admin = () => s.auth(s.keys.admin);
  const editor = () => s.auth(s.keys.editor);
  const viewer = () => s.auth(s.keys.viewer);

  test('provinces: list, one, history, an accepted event, a retraction, and the refusals of each', async () => {
    expectDocumented('get', '/api/v1/provinces', await http().get('/api/v1/provinces').set(viewer()));
    expectDocumented('get', '/api/v1/provinces', await http().get('/api/v1/provinces?stage=nowhere').set(viewer()));
    expectDocumented('get', '/api/v1/provinces/{slug}', await http().get('/api/v1/provinces/kirkuk').set(viewer()));
    expectDocumented('get', '/api/v1/provinces/{slug}', await http().get('/api/v1/provinces/basrah').set(viewer()));

    const tier = await postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    expect(tier.status).toBe(201);
    expectDocumented('post', '/api/v1/provinces/{slug}/events', tier);
    const nominee = await postEvent(s.app, s.keys.editor, 'basra', {
      type: 'NOMINATE',
      candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' },
      occurredAt: '2024-01-20T10:00:00+03:00',
    });
    expectDocumented('post', '/api/v1/provinces/{slug}/events', nominee);
    const refusals = [
      await postEvent(s.app, s.keys.editor, 'basra', { type: 'APPOINT', governor: 'Someone Else', occurredAt: '2024-01-21T10:00:00+03:00' }),
      await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'APPOINT', governor: 'Rebwar Taha' }),
      await postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'Z' }),
      await postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'B' }, { 'if-match': '"1"' }),
      await postEvent(s.app, s.keys.editor, 'nowhere', { type: 'ASSIGN_TIER', tier: 'B' }),
      await postEvent(s.app, s.keys.viewer, 'basra', { type: 'ASSIGN_TIER', tier: 'B' }),
      await http().post('/api/v1/provinces/basra/events').set(editor()).set('content-type', 'application/json').send('{"type":'),
      await http().post('/api/v1/provinces/basra/events').set(editor()).set('content-type', 'application/xml').send('<event type="ASSIGN_TIER"/>'),
      await http().post('/api/v1/provinces/basra/events').set(editor()).set('content-type', 'application/json').send(JSON.stringify({ note: 'x'.repeat(1_100_000) })),
    ];
    expect(refusals.map((r) => r.status)).toEqual([409, 409, 400, 412, 404, 403, 400, 415, 413]);
    for (const res of refusals) expectDocumented('post', '/api/v1/provinces/{slug}/events', res);

    const idem = { 'idempotency-key': 'openapi-kirkuk-1' };
    const first = await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'B' }, idem);
    const mismatch = await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'C' }, idem);
    expect([first.status, mismatch.status]).toEqual([201, 422]);
    expectDocumented('post', '/api/v1/provinces/{slug}/events', mismatch);

    expectDocumented('get', '/api/v1/provinces/{slug}/events', await http().get('/api/v1/provinces/basra/events').set(viewer()));
    const retract = await http().post('/api/v1/provinces/basra/events/2/retract').set(editor()).send({ reason: 'The nomination was denied the same day.' });
    expect(retract.status).toBe(200);
    expectDocumented('post', '/api/v1/provinces/{slug}/events/{seq}/retract', retract);
    const again = await http().post('/api/v1/provinces/basra/events/2/retract').set(editor()).send({ reason: 'again' });
    expect(again.status).toBe(409);
    expectDocumented('post', '/api/v1/provinces/{slug}/events/{seq}/retract', again);
  });

  test('claims, contacts and the province history, with their refusals', async () => {
    const base = '/api/v1/provinces/najaf';
    const source = { name: 'Shafaq News' };
    const created = await http()
      .post(`${base}/claims`)
      .set(editor())
      .send({ text: 'Youssef Kanawi for Najaf', subject: 'Youssef Kanawi', event: { type: 'ASSIGN_TIER', tier: 'A' }, source, reportedAt: '2024-01-09T10:00:00+03:00' });
    expect(created.status).toBe(201);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims', created);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims', await http().post(`${base}/claims`).set(editor()).send({ text: 'x', source, event: { type: 'APPOINT' } }));
    expectDocumented('post', '/api/v1/provinces/{slug}/claims', await http().post(`${base}/claims`).set(viewer()).send({ text: 'x', source }));
    const id = created.body.id as string;
    expectDocumented('get', '/api/v1/provinces/{slug}/claims', await http().get(`${base}/claims?status=open`).set(viewer()));
    expectDocumented('get', '/api/v1/provinces/{slug}/claims/{id}', await http().get(`${base}/claims/${id}`).set(viewer()));
    expectDocumented('get', '/api/v1/provinces/{slug}/claims/{id}', await http().get(`${base}/claims/nope`).set(viewer()));
    expectDocumented('get', '/api/v1/claims', await http().get('/api/v1/claims').set(viewer()));
    expectDocumented('get', '/api/v1/claims', await http().get('/api/v1/claims?status=maybe').set(viewer()));
    const denied = await http().post(`${base}/claims/${id}/deny`).set(editor()).send({ source, occurredAt: '2024-01-09T12:00:00+03:00', note: 'Denied on TV' });
    expect(denied.status).toBe(200);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/deny', denied);
    const twice = await http().post(`${base}/claims/${id}/deny`).set(editor()).send({ source });
    expect(twice.status).toBe(409);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/deny', twice);
    const confirmed = await http().post(`${base}/claims/${id}/confirm`).set(editor()).send({ source, apply: true, occurredAt: '2024-01-10T09:00:00+03:00' });
    expect(confirmed.status).toBe(200);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/confirm', confirmed);
    const other = (await http().post(`${base}/claims`).set(editor()).send({ text: 'Najaf appoints', source, event: { type: 'APPOINT', governor: 'Nobody' } })).body.id;
    const refused = await http().post(`${base}/claims/${other}/confirm`).set(editor()).send({ source, apply: true });
    expect(refused.status).toBe(409);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/confirm', refused);
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/retract', await http().post(`${base}/claims/${id}/retract`).set(editor()).send({ source }));
    expectDocumented('post', '/api/v1/provinces/{slug}/claims/{id}/retract', await http().post(`${base}/claims/${id}/retract`).set(editor()).send({}));

    const contact = await http()
      .post(`${base}/contacts`)
      .set(viewer())
      .send({ official: { name: 'Council spokesman' }, channel: 'call', outcome: 'declined_to_comment', contactedAt: '2024-01-09T13:00:00+03:00' });
    expect(contact.status).toBe(201);
    expectDocumented('post', '/api/v1/provinces/{slug}/contacts', contact);
    expectDocumented('post', '/api/v1/provinces/{slug}/contacts', await http().post(`${base}/contacts`).set(viewer()).send({ channel: 'fax' }));
    expectDocumented('get', '/api/v1/provinces/{slug}/contacts', await http().get(`${base}/contacts`).set(viewer()));
    const history = await http().get(`${base}/history`).set(viewer());
    expect((history.body.items as { kind: string }[]).map((i) => i.kind).sort()).toEqual(['claim', 'claim', 'claim', 'claim', 'claim', 'contact', 'event']);
    expectDocumented('get', '/api/v1/provinces/{slug}/history', history);
    expectDocumented('get', '/api/v1/provinces/{slug}/history', await http().get('/api/v1/provinces/atlantis/history').set(viewer()));
    expectDocumented('get', '/api/v1/digest', await http().get('/api/v1/digest?date=2024-01-09').set(viewer()));
  });

  test('alerts, cycle, machine, keys, health and metrics', async () => {
    const alerts = await http().get('/api/v1/alerts?status=all').set(viewer());
    expectDocumented('get', '/api/v1/alerts', alerts);
    expectDocumented('get', '/api/v1/alerts', await http().get('/api/v1/alerts?kind=late').set(viewer()));
    const open = (alerts.body.items as { id: string; status: string }[]).find((a) => a.status === 'open');
    expect(open).toBeDefined();
    expectDocumented('post', '/api/v1/alerts/{id}/ack', await http().post(`/api/v1/alerts/${open!.id}/ack`).set(viewer()));
    expectDocumented('post', '/api/v1/alerts/{id}/ack', await http().post('/api/v1/alerts/not-an-id/ack').set(viewer()));

    expectDocumented('get', '/api/v1/cycle', await http().get('/api/v1/cycle').set(viewer()));
    expectDocumented('patch', '/api/v1/cycle', await http().patch('/api/v1/cycle').set(admin()).send({ candidateByDays: 7 }));
    expectDocumented('patch', '/api/v1/cycle', await http().patch('/api/v1/cycle').set(admin()).send({ deadline: '2024-02-31' }));
    expectDocumented('patch', '/api/v1/cycle', await http().patch('/api/v1/cycle').set(editor()).send({ candidateByDays: 7 }));

    expectDocumented('get', '/api/v1/machine', await http().get('/api/v1/machine').set(viewer()));
    expectDocumented('get', '/api/v1/machine', await http().get('/api/v1/machine?format=mermaid').set(viewer()));
    expectDocumented('get', '/api/v1/machine', await http().get('/api/v1/machine?format=svg').set(viewer()));
    expectDocumented('get', '/api/v1/machine', await http().get('/api/v1/machine?format=png').set(viewer()));

    const created = await http().post('/api/v1/admin/api-keys').set(admin()).send({ name: 'kirkuk-desk', role: 'viewer' });
    expectDocumented('post', '/api/v1/admin/api-keys', created);
    expectDocumented('post', '/api/v1/admin/api-keys', await http().post('/api/v1/admin/api-keys').set(admin()).send({ name: 'x', role: 'owner' }));
    expectDocumented('get', '/api/v1/admin/api-keys', await http().get('/api/v1/admin/api-keys').set(admin()));
    expectDocumented('delete', '/api/v1/admin/api-keys/{id}', await http().delete(`/api/v1/admin/api-keys/${created.body.id}`).set(admin()));
    expectDocumented('delete', '/api/v1/admin/api-keys/{id}', await http().delete('/api/v1/admin/api-keys/nope').set(admin()));
    expectDocumented('get', '/api/v1/admin/api-keys', await http().get('/api/v1/admin/api-keys'));

    expectDocumented('get', '/health/live', await http().get('/health/live'));
    expectDocumented('get', '/health/ready', await http().get('/health/ready'));
    const metrics = await http().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain']);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
  });
});
