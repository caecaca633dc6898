import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { matchSchema } from '../apps/api/src/docs/openapi.validator.js';
import { EVENT_BODY_EXAMPLES } from '../apps/api/src/docs/schemas.js';
import { OPERATIONS, operation } from '../apps/api/src/board/public/api.js';
import { componentSchema, eventSchemas, fieldPaths, requestSchema, resolve } from '../apps/api/src/board/public/forms.js';
import { hasMessage, tIn } from '../apps/api/src/board/public/i18n.js';
import { createSseParser, type SseMessage } from '../apps/api/src/board/public/stream.js';
import { NOTICE_TYPES } from '../apps/api/src/stream/change-notice.js';
import { EVENT_TYPES } from '@app/workflow';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * What the desk page (issue 22) asks of the API: who a key is (GET /me), what each role may call
 * (x-required-role in the document), event bodies a form can be built from (a oneOf with exactly one
 * match per body, checked with a third-party JSON Schema validator), and the newsroom-only notices that
 * keep open pages current (proposal.changed, contact.logged) without ever reaching a webhook.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Operation = { security?: unknown[]; description?: string; 'x-required-role'?: string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

const s = await setupSuite('desk-api');
afterAll(() => s.teardown());
const http = () => s.app.http();
const doc = (await http().get('/docs-json')).body as Doc;
const publicKey = (await http().post('/api/v1/admin/api-keys').set(s.auth(s.keys.admin)).send({ name: 'website', role: 'public' })).body.key as string;
const editorTwo = (await http().post('/api/v1/admin/api-keys').set(s.auth(s.keys.admin)).send({ name: 'editor-two', role: 'editor' })).body.key as string;

describe('GET /me', () => {
  test.each([
    ['admin', 'admin', 'admin'],
    ['editor', 'editor', 'editor-desk'],
    ['viewer', 'viewer', 'viewer-desk'],
  ] as const)('a %s key gets its name and role, never its id or secret', async (which, role, name) => {
    const key = s.keys[which];
    const res = await http().get('/api/v1/me').set(s.auth(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: which === 'admin' ? expect.stringMatching(/\S/) : name, role });
    expect(res.text).not.toContain(key);
    expect(matchSchema(doc, { $ref: '#/components/schemas/Me' }, res.body)).toEqual([]);
  });

  test('a public key too; without a key, 401', async () => {
    expect((await http().get('/api/v1/me').set(s.auth(publicKey))).body).toEqual({ name: 'website', role: 'public' });
    expectProblem(await http().get('/api/v1/me'), 401, 'unauthorized');
  });
});

describe("the document's x-required-role", () => {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

  test('every operation that needs a key names its lowest role, the same as its description; open ones name none', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const { path, method, op } of operations) {
      const secured = Array.isArray(op.security) && op.security.length > 0;
      const described = /Requires the \*\*(\w+)\*\* role/.exec(op.description ?? '')?.[1] ?? (/Any key/.test(op.description ?? '') ? 'public' : undefined);
      expect({ path, method, role: op['x-required-role'] }).toEqual({ path, method, role: secured ? described : undefined });
    }
  });

  test('what it says is what the API does: one role below is refused, the role itself is not (writes probed with an empty body)', async () => {
    const below: Record<string, string | null> = { public: null, viewer: publicKey, editor: s.keys.viewer, admin: s.keys.editor };
    const at: Record<string, string> = { public: publicKey, viewer: s.keys.viewer, editor: s.keys.editor, admin: s.keys.admin };
    const probes: [string, string][] = [
      ['get', '/api/v1/me'],
      ['get', '/api/v1/alerts'],
      ['get', '/api/v1/provinces/basra/history'],
      ['post', '/api/v1/provinces/basra/contacts'],
      ['post', '/api/v1/provinces/basra/events'],
      ['post', '/api/v1/provinces/basra/claims'],
      ['get', '/api/v1/admin/api-keys'],
    ];
    for (const [method, url] of probes) {
      const template = url.replace('/basra/', '/{slug}/');
      const role = doc.paths[template][method]['x-required-role']!;
      const send = (key: string) => (method === 'get' ? http().get(url) : http().post(url).send({})).set(s.auth(key));
      if (below[role]) expect([url, (await send(below[role]!)).status]).toEqual([url, 403]);
      expect([url, (await send(at[role])).status]).not.toEqual([url, 403]);
    }
  });
});

describe('event bodies: a discriminated oneOf a form can be built from', () => {
  const body = doc.paths['/api/v1/provinces/{slug}/events'].post.requestBody!.content['application/json'].schema as {
    oneOf: { $ref: string }[];
    discriminator: { propertyName: string; mapping: Record<string, string> };
  };
  // OpenAPI 3.0 schemas as JSON Schema for ajv: components under $defs, `example` and friends allowed.
  const asJsonSchema = (schema: unknown) =>
    JSON.parse(JSON.stringify({ ...(schema as object), $defs: doc.components.schemas }).replaceAll('#/components/schemas/', '#/$defs/'));
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const whole = ajv.compile(asJsonSchema({ oneOf: body.oneOf }));
  const alternatives = new Map<string, ValidateFunction>(Object.entries(body.discriminator.mapping).map(([type, ref]) => [type, ajv.compile(asJsonSchema({ $ref: ref }))]));
  const common = { occurredAt: '2024-02-05T14:00:00+03:00', source: { name: 'Shafaq News', url: 'https://shafaq.com/en' } };
  const samples: Record<string, Record<string, unknown>> = {
    SET_CRITERIA: { criteria: 'Incumbents first' },
    ASSIGN_TIER: { tier: 'A' },
    CONVENE: {},
    NOMINATE: { candidate: { name: 'Asaad al-Eidani', nameAr: 'أسعد العيداني' } },
    WITHDRAW: { candidate: 'Asaad al-Eidani' },
    APPOINT: { governor: 'Asaad al-Eidani', votes: 16 },
    DECREE: { decreeDate: '2024-02-20' },
    REVOKE: { reason: 'Decree refused' },
    SET_DEADLINE: { deadline: '2024-03-01', basis: 'Law 21 of 2008, Art. 7' },
    REPORT: { kind: 'rumor', text: 'A source says …' },
    VACATE: { reason: 'dismissed' },
    ACTING: { name: 'An acting governor', kind: 'acting' },
    CONTEST: { by: 'A rival bloc', grounds: 'No quorum' },
    RULING: { authority: 'A court', outcome: 'upheld' },
  };

  test('the mapping names every event type, and each schema’s type is its own alone', () => {
    expect(Object.keys(body.discriminator.mapping)).toEqual([...EVENT_TYPES]);
    expect(body.discriminator.propertyName).toBe('type');
    for (const [type, ref] of Object.entries(body.discriminator.mapping)) {
      const schema = doc.components.schemas[ref.split('/').pop()!] as { properties: { type: { enum: string[] } } };
      expect([type, schema.properties.type.enum]).toEqual([type, [type]]);
    }
  });

  test('ajv: a body of each type matches exactly one alternative (a CONVENE no longer also matches DECREE), and the whole oneOf', () => {
    for (const type of EVENT_TYPES) {
      const sample = { type, ...common, ...samples[type] };
      const matching = [...alternatives].filter(([, validate]) => validate(sample)).map(([t]) => t);
      expect([type, matching]).toEqual([type, [type]]);
      expect([type, whole(sample), whole.errors ?? null]).toEqual([type, true, null]);
    }
    for (const [name, example] of Object.entries(EVENT_BODY_EXAMPLES)) expect([name, whole(example.value)]).toEqual([name, true]);
  });

  test('ajv: bodies the API refuses fail too — an unknown type, a missing required field, a malformed instant or URL', () => {
    expect(whole({ type: 'ELECT', ...common })).toBe(false);
    expect(whole({ type: 'ASSIGN_TIER', ...common, tier: 'D' })).toBe(false);
    expect(whole({ type: 'REPORT', ...common, kind: 'rumor' })).toBe(false);
    expect(whole({ type: 'CONVENE', ...common, occurredAt: 'yesterday' })).toBe(false);
    expect(whole({ type: 'CONVENE', ...common, source: { name: 'x', url: 'not a url' } })).toBe(false);
  });

  test('ajv with its discriminator keyword accepts the structure (one single-valued type per alternative)', () => {
    const strict = addFormats(new Ajv({ strict: false, discriminator: true }));
    // ajv reads the discriminator from the alternatives themselves; it does not take OpenAPI's mapping.
    const validate = strict.compile(asJsonSchema({ type: 'object', oneOf: body.oneOf, discriminator: { propertyName: 'type' } }));
    expect(validate({ type: 'CONVENE', ...common })).toBe(true);
    expect(validate({ type: 'APPOINT', ...common, votes: 9 })).toBe(false);
  });
});

describe("the page's forms against the served document", () => {
  test('every operation the page offers is in the document', () => {
    for (const name of Object.keys(OPERATIONS)) expect([name, operation(doc, name) !== null]).toEqual([name, true]);
  });

  test('every field of every form the page builds, and every value of its enums, has words in English and Arabic', () => {
    const forms = [
      ...eventSchemas(doc).values(),
      requestSchema(doc, 'retract'),
      requestSchema(doc, 'reject'),
      requestSchema(doc, 'createClaim'),
      requestSchema(doc, 'logContact'),
      componentSchema(doc, 'ClaimStepBodyDto'),
      componentSchema(doc, 'ClaimConfirmBodyDto'),
    ];
    expect(forms.every(Boolean)).toBe(true);
    const missing = new Set<string>();
    for (const schema of forms) {
      for (const path of fieldPaths(doc, schema)) {
        if (!hasMessage(`field:${path}`)) missing.add(`field:${path}`);
        const field = resolve(doc, path.split('.').reduce((s: { properties: Record<string, unknown> }, k) => resolve(doc, s.properties[k]), schema));
        if (path === 'type' || !Array.isArray(field?.enum)) continue;
        for (const value of field.enum) if (!hasMessage(`enum:${path.split('.').pop()}:${value}`)) missing.add(`enum:${path}:${value}`);
      }
    }
    for (const type of eventSchemas(doc).keys()) {
      if (!hasMessage(`event:${type}`)) missing.add(`event:${type}`);
      expect(tIn('ar', `event:${type}`)).not.toBe(tIn('en', `event:${type}`));
    }
    expect([...missing]).toEqual([]);
  });
});

describe('notices for open desks: on /stream only, never to a webhook', () => {
  test('a webhook cannot subscribe to them', async () => {
    for (const type of ['proposal.changed', 'contact.logged']) {
      expectProblem(await http().post('/api/v1/admin/webhooks').set(s.auth(s.keys.admin)).send({ url: 'https://newsroom.example/hook', events: [type] }), 400, 'validation');
    }
  });

  test('proposal.changed (proposed, then rejected) and contact.logged reach /stream with ids, province and status, no text; the outbox gets none', async () => {
    expect((await http().post('/api/v1/admin/webhooks').set(s.auth(s.keys.admin)).send({ url: 'https://newsroom.example/hook', events: [...NOTICE_TYPES] })).status).toBe(201);
    await s.app.running.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await s.app.running.app.getUrl();
    const abort = new AbortController();
    const response = await fetch(`${url}/api/v1/stream`, { headers: s.auth(s.keys.viewer), signal: abort.signal });
    expect(response.status).toBe(200);
    const seen: SseMessage[] = [];
    const parser = createSseParser((m) => seen.push(m));
    const reading = (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.push(value);
      }
    })().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));

    expect((await http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ requireApproval: true })).status).toBe(200);
    for (const event of [
      { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-25T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Asaad al-Eidani' }, occurredAt: '2024-01-28T10:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, s.keys.editor, 'basra', event)).status).toBe(201);
    }
    const proposed = await postEvent(s.app, s.keys.editor, 'basra', { type: 'APPOINT', governor: 'Asaad al-Eidani', votes: 16, occurredAt: '2024-02-05T13:00:00+03:00' });
    expect(proposed.status).toBe(202);
    const id = proposed.body.proposal.id as string;
    expect((await http().post(`/api/v1/proposals/${id}/reject`).set(s.auth(editorTwo)).send({ reason: 'One outlet only' })).status).toBe(200);
    const contact = await http()
      .post('/api/v1/provinces/basra/contacts')
      .set(s.auth(s.keys.viewer))
      .send({ official: { name: 'Khalaf al-Badran' }, channel: 'call', outcome: 'declined_to_comment', summary: 'Secret summary' });
    expect(contact.status).toBe(201);
    expect((await http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ requireApproval: false })).status).toBe(200);

    const until = Date.now() + 10_000;
    while (Date.now() < until && !seen.some((m) => m.type === 'contact.logged')) await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await reading;

    const data = (type: string) => seen.filter((m) => m.type === type).map((m) => JSON.parse(m.data).data);
    expect(data('proposal.changed')).toEqual([
      { cycle: { slug: 'iraq-2023' }, proposal: { id, province: 'basra', type: 'APPOINT', status: 'pending', proposedBy: 'editor-desk', decidedBy: null } },
      { cycle: { slug: 'iraq-2023' }, proposal: { id, province: 'basra', type: 'APPOINT', status: 'rejected', proposedBy: 'editor-desk', decidedBy: 'editor-two' } },
    ]);
    expect(data('contact.logged')).toEqual([{ cycle: { slug: 'iraq-2023' }, contact: { id: contact.body.id, province: 'basra' } }]);
    expect(JSON.stringify(seen)).not.toContain('Khalaf');
    expect(JSON.stringify(seen)).not.toContain('One outlet only');

    const outbox: { event_type: string }[] = await s.app.running.database.dataSource.query(`SELECT event_type FROM outbox`);
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.filter((o) => ['proposal.changed', 'contact.logged'].includes(o.event_type))).toEqual([]);
  });
});
