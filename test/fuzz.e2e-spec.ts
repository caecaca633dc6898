import fc from 'fast-check';
import type { Response } from 'supertest';
import { setupSuite } from './support/test-app.js';

/**
 * Bad input at volume: fast-check throws arbitrary JSON, wrong types, huge and odd Unicode strings,
 * SQL and path fragments, invalid dates and zones at every write route and query parameter.
 * Invariant: never a 5xx; every refusal a problem document with no internals; a refused request
 * stores nothing (the target province's version moves only on 201).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
let cases = 0;

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    "'; DROP TABLE province; --",
    '\u0000',
    '\ud800',
    '\udfff\ud800',
    '../../etc/passwd',
    '%00',
    '%ED%A0%80',
    '$(reboot)',
    '{"$gt":""}',
    'SELECT * FROM api_key',
    '2024-02-30',
    '2024-02-09T25:00:00Z',
    '2024-02-09T23:30:00',
    '2024-02-09T23:30:00+99:00',
    '9999-12-31T23:59:59Z',
    '-000001-01-01T00:00:00Z',
    'Asia/Baghdad',
    'Mars/Olympus',
    'نينوى',
    '\u202Eevil',
    'a'.repeat(10_000),
  ),
);
const scalar = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const deep = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 10 }), tie('value'), { maxKeys: 4 })),
})).value;
const EVENT_TYPES = ['SET_CRITERIA', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'WITHDRAW', 'APPOINT', 'DECREE', 'REVOKE', 'SET_DEADLINE', 'REPORT'];
/** Any JSON value as a request body (supertest's send() takes objects and strings only). */
const json = (value: unknown) => JSON.stringify(value);

/** Nearly valid events: the right shape with one or more fields replaced by something hostile. */
const eventish = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), nasty),
    source: fc.oneof(fc.record({ name: fc.oneof(fc.constant('Shafaq News'), nasty), url: fc.oneof(fc.constant('https://shafaq.com'), nasty) }, { requiredKeys: ['name'] }), deep),
    occurredAt: fc.oneof(fc.constant('2024-01-20T10:00:00+03:00'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), nasty),
    confidence: fc.oneof(fc.constantFrom('confirmed', 'reported'), nasty),
    tier: fc.oneof(fc.constantFrom('A', 'B', 'C'), scalar),
    criteria: scalar,
    kind: fc.oneof(fc.constantFrom('rumor', 'denial', 'note', 'session_failed'), scalar),
    text: scalar,
    candidate: fc.oneof(fc.record({ name: nasty, nameAr: nasty }), nasty, deep),
    governor: scalar,
    votes: scalar,
    present: scalar,
    deadline: scalar,
    basis: scalar,
    reason: scalar,
    extra: deep,
  },
  { requiredKeys: [] },
);

function checkResponse(res: Response): void {
  cases++;
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) }));
  }
  // Internals that no input contains: driver errors, stack frames, our table names, constraint messages, key secrets.
  expect(res.text).not.toMatch(/QueryFailedError|\n\s+at \S+ \(|node_modules|province_event|idempotency_key|violates|duplicate key|gt_[A-Za-z0-9_-]{40}/);
}

describe('fuzzing every write route and query parameter', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('fuzz');
  });
  afterAll(async () => {
    process.stdout.write(`fuzz: ${cases} requests, none answered 5xx\n`);
    await s?.teardown();
  });

  const version = async (slug: string) => (await s.app.http().get(`/api/v1/provinces/${slug}`).set(s.auth(s.keys.viewer))).body.version as number;

  test('POST /provinces/:slug/events: arbitrary and nearly valid bodies; a refusal stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(eventish, deep), fc.constantFrom('basra', 'nineveh'), async (body, slug) => {
        const before = await version(slug);
        const res = await s.app.http().post(`/api/v1/provinces/${slug}/events`).set(s.auth(s.keys.editor)).type('json').send(json(body));
        checkResponse(res);
        expect(await version(slug)).toBe(res.status === 201 ? before + 1 : before);
      }),
      { numRuns: RUNS },
    );
  });

  test('raw bodies that are not JSON, or JSON that is not an object', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), async (raw) => {
        const res = await s.app.http().post('/api/v1/provinces/basra/events').set(s.auth(s.keys.editor)).set('content-type', 'application/json').send(raw);
        checkResponse(res);
      }),
      { numRuns: RUNS },
    );
  });

  test('path fragments in slugs and seqs, hostile headers', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, nasty, async (slug, seq, header) => {
        const safeHeader = header.replace(/[^\x20-\x7e]/g, '');
        const a = await s.app.http().get(`/api/v1/provinces/${encodeURIComponent(slug.toWellFormed())}`).set(s.auth(s.keys.viewer));
        checkResponse(a);
        const b = await s.app
          .http()
          .post(`/api/v1/provinces/kirkuk/events/${encodeURIComponent(seq.toWellFormed())}/retract`)
          .set(s.auth(s.keys.editor))
          .set('if-match', safeHeader)
          .send({ reason: header });
        checkResponse(b);
        const c = await s.app
          .http()
          .post('/api/v1/provinces/kirkuk/events')
          .set(s.auth(s.keys.editor))
          .set('idempotency-key', safeHeader || 'x')
          .send({ type: 'REPORT', kind: 'note', text: header, source: { name: slug } });
        checkResponse(c);
      }),
      { numRuns: RUNS },
    );
  });

  test('query parameters: asOf, knownAt, filters, formats, cursors, dates', async () => {
    const routes = ['/api/v1/provinces', '/api/v1/provinces/basra', '/api/v1/alerts', '/api/v1/machine', '/api/v1/provinces/basra/events', '/api/v1/search', '/api/v1/digest'];
    const params = ['asOf', 'knownAt', 'stage', 'tier', 'status', 'format', 'kind', 'date', 'after', 'limit', 'province', 'q', 'lang'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.dictionary(fc.constantFrom(...params), nasty, { maxKeys: 3 }), async (route, query) => {
        const res = await s.app.http().get(route).query(query).set(s.auth(s.keys.viewer));
        checkResponse(res);
      }),
      { numRuns: RUNS },
    );
  });

  test('admin writes: API keys and the cycle; a refused PATCH changes nothing', async () => {
    const cycleVersion = async () => (await s.app.http().get('/api/v1/cycle').set(s.auth(s.keys.viewer))).body.version as number;
    await fc.assert(
      fc.asyncProperty(deep, fc.record({ deadline: nasty, deadlineBasis: nasty, tierByDays: scalar, candidateByDays: scalar }, { requiredKeys: [] }), async (keyBody, cycleBody) => {
        checkResponse(await s.app.http().post('/api/v1/admin/api-keys').set(s.auth(s.keys.admin)).type('json').send(json(keyBody)));
        const before = await cycleVersion();
        const res = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send(cycleBody);
        checkResponse(res);
        expect(await cycleVersion()).toBe(res.status === 200 ? before + 1 : before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('deep nesting at every write route', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('fuzz-deep');
  });
  afterAll(async () => {
    process.stdout.write(`fuzz: ${cases} requests, none answered 5xx (deep nesting included)\n`);
    await s?.teardown();
  });

  /** Every route that takes a JSON body, with the role it needs; ids that may not exist are fine (any 4xx is). */
  const WRITES: [string, string, 'editor' | 'viewer' | 'admin'][] = [
    ['post', '/api/v1/provinces/basra/events', 'editor'],
    ['post', '/api/v1/provinces/basra/events/1/retract', 'editor'],
    ['post', '/api/v1/provinces/basra/contacts', 'viewer'],
    ['post', '/api/v1/provinces/basra/claims', 'editor'],
    ['post', '/api/v1/provinces/basra/claims/00000000-0000-4000-8000-000000000000/deny', 'editor'],
    ['post', '/api/v1/proposals/00000000-0000-4000-8000-000000000000/reject', 'editor'],
    ['post', '/api/v1/alerts/00000000-0000-4000-8000-000000000000/ack', 'viewer'],
    ['post', '/api/v1/admin/api-keys', 'admin'],
    ['post', '/api/v1/admin/webhooks', 'admin'],
    ['patch', '/api/v1/cycle', 'admin'],
  ];
  /** Arrays, objects or both, `depth` levels down, optionally inside a valid-looking event. */
  const nested = fc.record({
    depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 100_000 }), fc.constant(100_000)),
    shape: fc.constantFrom('[', '{"a":', '[{"b":'),
    wrapped: fc.boolean(),
  });
  const bodyOf = ({ depth, shape, wrapped }: { depth: number; shape: string; wrapped: boolean }): string => {
    const opens = shape === '[' ? depth : shape === '{"a":' ? depth : Math.ceil(depth / 2);
    const close = shape === '[' ? ']' : shape === '{"a":' ? '}' : '}]';
    const inner = shape.repeat(opens) + '1' + close.repeat(opens);
    return wrapped ? `{"type":"REPORT","kind":"note","text":"x","source":{"name":"Shafaq News"},"extra":${inner}}` : inner;
  };
  const levels = ({ depth, shape, wrapped }: { depth: number; shape: string; wrapped: boolean }) =>
    (shape === '[{"b":' ? 2 * Math.ceil(depth / 2) : depth) + (wrapped ? 1 : 0);

  test('a body nested past 32 levels is a 400 problem wherever it is sent, with or without an Idempotency-Key; shallower ones are never a 5xx', async () => {
    const before = (await s.app.http().get('/api/v1/provinces/basra').set(s.auth(s.keys.viewer))).body.version as number;
    let n = 0;
    let changes = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WRITES), nested, fc.boolean(), async ([method, path, role], shape, keyed) => {
        let req = (s.app.http() as unknown as Record<string, (p: string) => ReturnType<ReturnType<typeof s.app.http>['post']>>)[method](path)
          .set(s.auth(s.keys[role]))
          .set('content-type', 'application/json');
        if (keyed) req = req.set('idempotency-key', `deep-${n++}`);
        const res = await req.send(bodyOf(shape));
        checkResponse(res);
        if (path.includes('/events') && res.status < 300 && res.headers['idempotent-replayed'] === undefined) changes++;
        if (levels(shape) > 32) {
          expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 400, errors: [{ field: 'body', message: expect.stringContaining('32 levels') }] });
        }
      }),
      { numRuns: RUNS },
    );
    // The province moved only by the events and retractions answered 2xx: a refused body stored nothing.
    const after = (await s.app.http().get('/api/v1/provinces/basra').set(s.auth(s.keys.viewer))).body.version as number;
    expect(after - before).toBe(changes);
  });
});

describe('requests Node itself refuses', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('fuzz-431');
  });
  afterAll(async () => s?.teardown());

  test('a request line over 16 KiB answers a 431 problem document, not a framework body', async () => {
    const long = 'a'.repeat(10_000);
    const res = await s.app.http().get('/api/v1/provinces').query({ asOf: long, format: long }).set(s.auth(s.keys.viewer));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 431, type: expect.stringMatching(/headers-too-large$/) });
  });
});
