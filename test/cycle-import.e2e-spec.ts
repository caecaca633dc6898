import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import fc from 'fast-check';
import type { Response } from 'supertest';
import type { AppConfig } from '@app/config';
import { IRAQ_2023 } from '@app/seeds';
import type { CycleDocument } from '../apps/api/src/cycle/cycle-document.js';
import { CycleImportService } from '../apps/api/src/cycle/cycle-import.service.js';
import { matchSchema } from '../apps/api/src/docs/openapi.validator.js';
import { expectProblem } from './support/expectations.js';
import { CLI } from './support/global-setup.js';
import { ADMIN_KEY, createKeys, startApp, testConfig, type TestApp, type TestKeys } from './support/test-app.js';
import { createTestDatabase, usingServer, type TestDatabase } from './support/test-database.js';

/**
 * Issue 20, item 2: a cycle from a data file. POST /cycles and `npm run cli -- cycles import` take one
 * JSON document (the cycle, its councils, their sourced events), check it against the JSON Schema and
 * the event bodies' own rules, and hand every event to the provinces' write path in one transaction;
 * `cycles export` writes the same document back. The fixture's events follow the sourced record
 * (seeds/research) for Basra and Kirkuk; the tiers and the hours of the day are the fixture's own.
 */

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;
const SCHEMA = JSON.parse(readFileSync('apps/api/src/cycle/cycle-document.schema.json', 'utf8')) as object;
const API = '/api/v1';
const at = (day: string, time = '10:00') => `${day}T${time}:00+03:00`;

const basraEvents = () => [
  { type: 'ASSIGN_TIER', tier: 'A', occurredAt: at('2024-01-10'), source: { name: 'Shafaq News', url: 'https://shafaq.com/en' } },
  {
    type: 'REPORT',
    kind: 'note',
    text: 'The Coordination Framework threatens to boycott the first session if Asaad al-Eidani stays the nominee.',
    // The source gives the day only: 12:00 orders it among that day's events, and only the day is claimed.
    occurredAt: at('2024-01-28', '12:00'),
    occurredAtPrecision: 'day',
    source: { name: '964media', url: 'https://en.964media.com/10597/' },
  },
  {
    type: 'REPORT',
    kind: 'rumor',
    text: 'A deal on the deputy posts is said to be close.',
    occurredAt: at('2024-02-01'),
    source: { name: 'A council member' },
    confidence: 'reported',
    note: 'By phone; not for publication.',
    internal: true,
  },
  {
    type: 'REPORT',
    kind: 'session_failed',
    text: 'Basra Provincial Council failed to hold its session for lack of agreement on the distribution of posts.',
    occurredAt: at('2024-02-04'),
    source: { name: 'Shafaq News (Hathalyoum mirror)', url: 'https://english.hathalyoum.net/amp/101961' },
    confidence: 'reported',
  },
  {
    type: 'NOMINATE',
    candidate: { name: 'Asaad al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim Alliance' },
    occurredAt: at('2024-02-05', '11:00'),
    source: { name: '964media', url: 'https://en.964media.com/11656/' },
    confidence: 'reported',
  },
  {
    type: 'APPOINT',
    governor: 'Asaad al-Eidani',
    occurredAt: at('2024-02-05', '12:00'),
    source: { name: 'Shafaq News', url: 'https://shafaq.com/amp/en/Iraq/After-a-decade-Iraqi-provincial-councils-elect-new-leaders' },
  },
];

const kirkukEvents = () => [
  { type: 'ASSIGN_TIER', tier: 'B', occurredAt: at('2024-01-10'), source: { name: 'Shafaq News' } },
  {
    type: 'REPORT',
    kind: 'session_failed',
    text: 'Arab and Turkmen members boycotted; no legal quorum; the session was put off indefinitely.',
    occurredAt: at('2024-02-05'),
    source: { name: '964media', url: 'https://en.964media.com/11705/' },
    confidence: 'reported',
  },
  { type: 'CONVENE', chair: 'Rakan Saeed al-Jubouri (eldest member)', occurredAt: at('2024-07-11', '13:00'), source: { name: 'KirkukNow', url: 'https://kirkuknow.com/en/news/70338' } },
  {
    type: 'NOMINATE',
    candidate: { name: 'Rebwar Taha', bloc: 'Patriotic Union of Kurdistan (PUK)' },
    occurredAt: at('2024-08-10', '11:00'),
    source: { name: 'Rudaw', url: 'https://manage.rudaw.net/english/middleeast/iraq/130820242' },
    confidence: 'reported',
  },
  { type: 'APPOINT', governor: 'Rebwar Taha', present: 9, occurredAt: at('2024-08-10', '12:00'), source: { name: '964media', url: 'https://en.964media.com/23557/' } },
  { type: 'DECREE', decreeDate: '2024-08-13', occurredAt: at('2024-08-13', '12:00'), occurredAtPrecision: 'day', source: { name: 'Rudaw', url: 'https://manage.rudaw.net/english/middleeast/iraq/130820242' } },
];

/** A second cycle with the same 15 councils as iraq-2023 (as the seed file lists them), only Basra's and Kirkuk's events below with them. */
function replayDocument(slug = 'iraq-2023-replay', name = 'Iraq 2023, replayed from the record'): CycleDocument {
  const { $schema: _schema, default: _default, ...seed } = structuredClone(IRAQ_2023) as CycleDocument;
  return {
    ...seed,
    slug,
    name,
    vacancyDeadline: { after: 'VACATE', days: 15, basis: 'A basis for the test: 15 days after the vacancy.' },
    councils: seed.councils.map((c) => ({ ...c, events: c.slug === 'basra' ? basraEvents() : c.slug === 'kirkuk' ? kirkukEvents() : [] })),
  };
}

/** The document as export writes it: defaults written out, councils by slug, instants in UTC, every council's events listed. */
function exported(doc: CycleDocument, retracted: { council: string; index: number }[] = []) {
  const utc = (s: string) => new Date(s).toISOString();
  return {
    slug: doc.slug,
    name: doc.name,
    nameAr: doc.nameAr,
    electionDate: doc.electionDate,
    timezone: doc.timezone,
    deadline: doc.deadline,
    vacancyDeadline: doc.vacancyDeadline,
    milestones: { tierByDays: 21, candidateByDays: 7 },
    requireApproval: false,
    status: 'active',
    councils: [...doc.councils]
      .sort((a, b) => (String(a.slug) < String(b.slug) ? -1 : 1))
      .map((c) => ({
        slug: c.slug,
        code: c.code,
        name: c.name,
        nameAr: c.nameAr,
        seats: c.seats,
        events: (c.events ?? [])
          .filter((_, i) => !retracted.some((r) => r.council === c.slug && r.index === i))
          .map((e) => ({ ...e, occurredAt: utc(e.occurredAt as string), confidence: e.confidence ?? 'confirmed' })),
      })),
  };
}

let db: TestDatabase;
let config: AppConfig;
let app: TestApp;
let keys: TestKeys;
let files: string;
const http = () => app.http();
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

beforeAll(async () => {
  db = await createTestDatabase('cycle-import');
  // No periodic alert sweep while the file runs: a sweep opens the alerts of the cycles imported here,
  // which the "nothing stored" comparisons would count (the file can take over the default 60 s).
  config = testConfig(db, { ALERT_SWEEP_SECONDS: '86400' });
  app = await startApp(config);
  keys = await createKeys(app);
  openapi = (await http().get('/docs-json')).body;
  files = mkdtempSync(join(tmpdir(), 'gt-cycle-files-'));
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (files) rmSync(files, { recursive: true, force: true });
});

/** What the database holds, counted where it is stored: "nothing stored" means none of these moves. */
async function stored(): Promise<Record<string, number>> {
  const [row] = await app.running.database.dataSource.query(
    `SELECT (SELECT count(*)::int FROM cycle) AS cycles, (SELECT count(*)::int FROM province) AS provinces,
            (SELECT count(*)::int FROM province_event) AS events, (SELECT count(*)::int FROM outbox) AS outbox,
            (SELECT count(*)::int FROM alert) AS alerts, (SELECT coalesce(sum(version), 0)::int FROM province) AS versions,
            (SELECT coalesce(sum(version), 0)::int FROM cycle) AS "cycleVersions"`,
  );
  return row as Record<string, number>;
}

type CliRun = (...args: string[]) => Promise<{ status: number | null; stdout: string; stderr: string }>;

function runCli(...args: string[]): ReturnType<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: db.databaseUrl ?? '', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The built CLI on the same database, for a few commands in a row. The embedded database admits one
 * process at a time, so there the app steps aside while they run, and comes back on the same data.
 */
async function withCli<T>(work: (cli: CliRun) => Promise<T>): Promise<T> {
  if (!usingServer) await app.close();
  try {
    return await work(runCli);
  } finally {
    if (!usingServer) app = await startApp(config);
  }
}

/** CLI runs take seconds each (and the embedded database's hand-overs more) on a busy machine. */
const CLI_TIMEOUT = 300_000;

function file(name: string, content: unknown): string {
  const path = join(files, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function thirdPartyValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}

let openapi: Record<string, unknown>;
/** A real answer of POST /cycles against what the OpenAPI document promises for its status. */
function expectDocumented(res: Response) {
  const op = (openapi.paths as Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>>)[`${API}/cycles`].post;
  const response = op.responses[String(res.status)];
  expect([res.status, response !== undefined]).toEqual([res.status, true]);
  const type = String(res.headers['content-type']).split(';')[0];
  expect([res.status, matchSchema(res.body, response.content[type]?.schema, openapi, { strict: true })]).toEqual([res.status, []]);
}

describe('POST /cycles', () => {
  test('creates a second cycle beside iraq-2023 with the same council slugs; the machine decided each event, the key is its actor', async () => {
    const before = await stored();
    const res = await http().post(`${API}/cycles`).set(admin).send(replayDocument());
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${API}/cycles/iraq-2023-replay`);
    expect(res.body).toMatchObject({ slug: 'iraq-2023-replay', name: 'Iraq 2023, replayed from the record', default: false, status: 'active', deadline: '2024-02-09' });
    expect(res.body.vacancyDeadline).toEqual({ after: 'VACATE', days: 15, basis: 'A basis for the test: 15 days after the vacancy.' });
    expectDocumented(res);
    expect(await stored()).toMatchObject({ cycles: before.cycles + 1, provinces: before.provinces + 15, events: before.events + 12 });

    const cycles = (await http().get(`${API}/cycles`).set(admin)).body.items as { slug: string; default: boolean }[];
    expect(cycles.map((c) => [c.slug, c.default])).toEqual([['iraq-2023', true], ['iraq-2023-replay', false]]);

    const replayed = await http().get(`${API}/cycles/iraq-2023-replay/provinces/basra`).set(admin);
    expect(replayed.body).toMatchObject({ cycle: 'iraq-2023-replay', stage: 'appointed', tier: 'A', governor: { name: 'Asaad al-Eidani' }, deadlineStatus: 'met' });
    // The default cycle's Basra is another province: untouched.
    expect((await http().get(`${API}/provinces/basra`).set(admin)).body).toMatchObject({ cycle: 'iraq-2023', stage: 'criteria', version: 0 });

    const kirkuk = (await http().get(`${API}/cycles/iraq-2023-replay/provinces/kirkuk/events`).set(admin)).body.items as Record<string, unknown>[];
    expect(kirkuk.map((e) => [e.seq, e.type, e.late, e.actor])).toEqual([
      [1, 'ASSIGN_TIER', false, 'admin (ADMIN_API_KEY)'],
      [2, 'REPORT', false, 'admin (ADMIN_API_KEY)'],
      [3, 'CONVENE', true, 'admin (ADMIN_API_KEY)'],
      [4, 'NOMINATE', true, 'admin (ADMIN_API_KEY)'],
      [5, 'APPOINT', true, 'admin (ADMIN_API_KEY)'],
      [6, 'DECREE', true, 'admin (ADMIN_API_KEY)'],
    ]);
    expect((await http().get(`${API}/cycles/iraq-2023-replay/provinces/kirkuk`).set(admin)).body).toMatchObject({ stage: 'appointed', deadlineStatus: 'met_late' });
    // The internal REPORT stays internal, its note with it.
    const basra = (await http().get(`${API}/cycles/iraq-2023-replay/provinces/basra/events`).set(admin)).body.items as Record<string, unknown>[];
    expect(basra[2]).toMatchObject({ type: 'REPORT', internal: true, note: 'By phone; not for publication.', confidence: 'reported' });
    // Where the document says only the day is known, the stored event says so; elsewhere, to the minute.
    expect(basra.map((e) => [e.seq, e.occurredAt, e.occurredAtPrecision])).toEqual([
      [1, '2024-01-10T07:00:00.000Z', 'minute'],
      [2, '2024-01-28T09:00:00.000Z', 'day'],
      [3, '2024-02-01T07:00:00.000Z', 'minute'],
      [4, '2024-02-04T07:00:00.000Z', 'minute'],
      [5, '2024-02-05T08:00:00.000Z', 'minute'],
      [6, '2024-02-05T09:00:00.000Z', 'minute'],
    ]);
    expect(kirkuk.map((e) => e.occurredAtPrecision)).toEqual(['minute', 'minute', 'minute', 'minute', 'minute', 'day']);
  });

  test('the same document again changes nothing: 200 with the cycle', async () => {
    const before = await stored();
    const first = (await http().get(`${API}/cycles/iraq-2023-replay`).set(admin)).body;
    const res = await http().post(`${API}/cycles`).set(admin).send(replayDocument());
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toMatchObject({ slug: 'iraq-2023-replay', version: first.version, updatedAt: first.updatedAt });
    expectDocumented(res);
    expect(await stored()).toEqual(before);
  });

  test('the same new document twice at once: one creates it (201), the other finds it done (200)', async () => {
    const doc = replayDocument('iraq-2023-twice', 'Twice at once');
    const statuses = (await Promise.all([0, 1].map(() => http().post(`${API}/cycles`).set(admin).send(doc)))).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 201]);
    const [row] = await app.running.database.dataSource.query(
      `SELECT count(*)::int AS events FROM province_event e JOIN province p ON p.id = e.province_id JOIN cycle c ON c.id = p.cycle_id WHERE c.slug = 'iraq-2023-twice'`,
    );
    expect(row.events).toBe(12);
  });

  test('a different document for an existing slug, or an existing name: 409 cycle-exists naming the differences; nothing changed', async () => {
    const before = await stored();
    const doc = replayDocument();
    doc.deadline = { ...doc.deadline, basis: 'Another basis' };
    doc.councils.find((c) => c.slug === 'basra')!.events!.push({ type: 'DECREE', occurredAt: at('2024-02-20'), source: { name: 'Shafaq News' } } as never);
    doc.councils.find((c) => c.slug === 'kirkuk')!.seats = 17;
    const res = await http().post(`${API}/cycles`).set(admin).send(doc);
    expectProblem(res, 409, 'cycle-exists');
    expect(res.body.cycle).toBe('iraq-2023-replay');
    expect(res.body.differences).toEqual(['deadline', 'councils[basra].events[6]', 'councils[kirkuk].seats']);
    expectDocumented(res);

    const sameName = await http().post(`${API}/cycles`).set(admin).send(replayDocument('another-slug'));
    expectProblem(sameName, 409, 'cycle-exists');
    expect(sameName.body).toMatchObject({ cycle: 'iraq-2023-replay', differences: ['name'] });
    expect(await stored()).toEqual(before);
  });

  test('a malformed document: 400 with one problem per field; nothing stored', async () => {
    const before = await stored();
    const doc = replayDocument('Replay 2');
    Object.assign(doc, { timezone: 'Asia/Basra', deadline: { date: '2023-11-30' }, surplus: 1 });
    const basra = doc.councils.find((c) => c.slug === 'basra')!;
    basra.code = 'BA';
    (basra.events as Record<string, unknown>[])[0].tier = 'D';
    (basra.events as Record<string, unknown>[])[4].occurredAt = at('2024-01-01');
    (basra.events as Record<string, unknown>[])[5].occurredAtPrecision = 'hour';
    doc.councils[1].slug = 'baghdad';
    const res = await http().post(`${API}/cycles`).set(admin).send(doc);
    expectProblem(res, 400, 'validation');
    expectDocumented(res);
    const iBasra = doc.councils.indexOf(basra);
    expect(Object.fromEntries((res.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]))).toEqual({
      slug: expect.stringContaining('lower-case'),
      surplus: 'unknown field',
      'deadline.basis': 'is required',
      'deadline.date': 'must be after the election date 2023-12-18',
      timezone: 'must be an IANA time zone (Asia/Baghdad)',
      [`councils[${iBasra}].code`]: 'must be an ISO 3166-2 code (IQ-BA)',
      [`councils[${iBasra}].events[0].tier`]: expect.stringContaining('A, B, C'),
      [`councils[${iBasra}].events[4].occurredAt`]: expect.stringContaining('is before events[3]'),
      [`councils[${iBasra}].events[5].occurredAtPrecision`]: 'must be one of day, minute',
      'councils[1].slug': 'repeats councils[0].slug ("baghdad")',
    });
    expect(res.body.detail).toBe('The cycle document has 10 problems; nothing was stored.');

    for (const body of ['[]', '"iraq-2023"', 'null']) {
      const wrong = await http().post(`${API}/cycles`).set(admin).set('content-type', 'application/json').send(body);
      expectProblem(wrong, 400, 'validation');
    }
    expectProblem(await http().post(`${API}/cycles`).set(admin).set('content-type', 'application/json').send('{"slug":'), 400, 'malformed-json');
    expect(await stored()).toEqual(before);
  });

  test('an event the machine refuses stops the import, naming the council, the event and the reason; nothing stored', async () => {
    const before = await stored();
    const refused = async (change: (doc: CycleDocument) => void) => {
      const doc = replayDocument('iraq-2023-refused', 'Refused');
      change(doc);
      const res = await http().post(`${API}/cycles`).set(admin).send(doc);
      expect((await http().get(`${API}/cycles/iraq-2023-refused`).set(admin)).status).toBe(404);
      expect(await stored()).toEqual(before);
      expectDocumented(res);
      return res;
    };
    const events = (doc: CycleDocument, slug: string) => doc.councils.find((c) => c.slug === slug)!.events as Record<string, unknown>[];

    const guard = await refused((doc) => (events(doc, 'kirkuk')[4].governor = 'Someone Else'));
    expectProblem(guard, 409, 'guard-failed');
    expect(guard.body).toMatchObject({ reason: 'not-a-nominee', event: { council: 'kirkuk', index: 4, type: 'APPOINT' } });
    expect(guard.body.detail).toMatch(/^The import stopped at kirkuk's event 4 \(APPOINT\): APPOINT was refused: not-a-nominee\./);

    const stage = await refused((doc) => events(doc, 'basra').splice(4, 1));
    expectProblem(stage, 409, 'invalid-transition');
    expect(stage.body).toMatchObject({ stage: 'tier', event: { council: 'basra', index: 4, type: 'APPOINT' } });

    const majority = await refused((doc) => (events(doc, 'basra')[5].votes = 11));
    expectProblem(majority, 409, 'guard-failed');
    expect(majority.body).toMatchObject({ reason: 'majority-not-reached', event: { council: 'basra', index: 5, type: 'APPOINT' } });

    const early = await refused((doc) => {
      for (const e of events(doc, 'kirkuk')) e.occurredAt = at('2023-12-01');
    });
    expectProblem(early, 400, 'validation');
    const iKirkuk = replayDocument().councils.findIndex((c) => c.slug === 'kirkuk');
    expect(early.body.errors).toEqual([{ field: `councils[${iKirkuk}].events[0].occurredAt`, message: 'must not be before the election day (2023-12-18, Asia/Baghdad)' }]);
    expect(early.body.event).toEqual({ council: 'kirkuk', index: 0, type: 'ASSIGN_TIER' });
  });

  test('status and default come from the document: archived after its events, read-only; the default moves to it', async () => {
    const doc = { ...replayDocument('iraq-2023-archive', 'Archived copy'), status: 'archived', default: true };
    const res = await http().post(`${API}/cycles`).set(admin).send(doc);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'archived', default: true });
    expect((await http().get(`${API}/cycle`).set(admin)).body.slug).toBe('iraq-2023-archive');
    expect((await http().get(`${API}/provinces/kirkuk`).set(admin)).body).toMatchObject({ cycle: 'iraq-2023-archive', stage: 'appointed' });
    const write = await http().post(`${API}/cycles/iraq-2023-archive/provinces/basra/events`).set(admin).send({ type: 'DECREE', source: { name: 'x' } });
    expectProblem(write, 409, 'cycle-archived');
    expect((await http().patch(`${API}/cycles/iraq-2023`).set(admin).send({ default: true })).status).toBe(200);
    expect((await http().post(`${API}/cycles`).set(admin).send(doc)).status).toBe(409);
  });

  test('only an admin imports', async () => {
    for (const key of [keys.editor, keys.viewer]) {
      expectProblem(await http().post(`${API}/cycles`).set({ authorization: `Bearer ${key}` }).send(replayDocument('by-editor', 'By editor')), 403, 'forbidden');
    }
    expect((await http().get(`${API}/cycles/by-editor`).set(admin)).status).toBe(404);
  });

  test('fuzz: nearly valid documents never give a 5xx, and a refusal stores nothing', async () => {
    const nasty = fc.oneof(
      fc.string(),
      fc.constantFrom('\u0000', '\ud800', '', ' ', 'x'.repeat(3000), 'Mars/Olympus', '2024-02-30', '0000-01-01', '9999-12-31', -1, 0, 1e308, null, true, [], {}),
    );
    const paths = fc.constantFrom(
      ['slug'], ['name'], ['nameAr'], ['electionDate'], ['timezone'], ['deadline', 'date'], ['deadline', 'basis'], ['vacancyDeadline', 'days'],
      ['milestones', 'tierByDays'], ['status'], ['councils', 0, 'code'], ['councils', 0, 'seats'], ['councils', 2, 'events', 0, 'tier'],
      ['councils', 2, 'events', 4, 'candidate'], ['councils', 2, 'events', 5, 'occurredAt'], ['councils', 2, 'events', 1, 'source'], ['councils', 2, 'slug'],
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(paths, nasty), { minLength: 1, maxLength: 3 }), async (changes) => {
        const doc = replayDocument(`fuzz-${n}`, `Fuzz ${n++}`) as unknown as Record<string, unknown>;
        for (const [path, value] of changes) {
          let node = doc as Record<string | number, unknown>;
          for (const key of path.slice(0, -1)) node = (node[key] ?? {}) as Record<string | number, unknown>;
          node[path[path.length - 1]] = value;
        }
        const before = await stored();
        const res = await http().post(`${API}/cycles`).set(admin).send(doc);
        expect([JSON.stringify(changes), res.status < 500]).toEqual([JSON.stringify(changes), true]);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await stored()).toEqual(before);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});

describe('export, and the CLI', () => {
  test(
    'import → export → import is a fixed point, through HTTP and the CLI',
    async () => {
      const out = await withCli((cli) => cli('cycles', 'export', 'iraq-2023-replay'));
      expect([out.status, out.stderr]).toEqual([0, '']);
      const d1 = JSON.parse(out.stdout);
      expect(d1).toEqual(exported(replayDocument()));
      // The export is valid against the schema, by a validator other than the import's.
      const validate = thirdPartyValidator();
      expect([validate(d1), validate.errors ?? null]).toEqual([true, null]);
      // …and against the OpenAPI document's request body (each event against its type's body).
      const body = (openapi.paths as Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>)[`${API}/cycles`].post.requestBody;
      expect(matchSchema(d1, body.content['application/json'].schema, openapi, { strict: true })).toEqual([]);

      // Import what was exported, through HTTP and through the CLI: the cycle already holds it. Under
      // another slug, the CLI creates it, and its export is the same document.
      const before = await stored();
      expect((await http().post(`${API}/cycles`).set(admin).send(d1)).status).toBe(200);
      const copy = { ...d1, slug: 'iraq-2023-copy', name: 'A copy' };
      const [again, created, d2] = await withCli(async (cli) => [
        await cli('cycles', 'import', file('d1.json', d1)),
        await cli('cycles', 'import', file('copy.json', copy)),
        await cli('cycles', 'export', 'iraq-2023-copy'),
      ]);
      expect([again.status, again.stdout.trim()]).toEqual([0, 'cycle iraq-2023-replay already holds this document (15 council(s), 12 event(s)): nothing changed']);
      expect([created.status, created.stdout.trim(), created.stderr]).toEqual([0, 'created cycle iraq-2023-copy: 15 council(s), 12 event(s)', '']);
      expect(JSON.parse(d2.stdout)).toEqual(copy);
      expect(await stored()).toMatchObject({ cycles: before.cycles + 1, events: before.events + 12 });
      expect((await http().post(`${API}/cycles`).set(admin).send(copy)).status).toBe(200);
      // The CLI's events are the CLI's.
      const events = (await http().get(`${API}/cycles/iraq-2023-copy/provinces/basra/events`).set(admin)).body.items as { actor: string }[];
      expect(new Set(events.map((e) => e.actor))).toEqual(new Set(['import']));
    },
    CLI_TIMEOUT,
  );

  test('a retracted event leaves the export; the original document now differs', async () => {
    const retract = await http().post(`${API}/cycles/iraq-2023-replay/provinces/basra/events/3/retract`).set(admin).send({ reason: 'Never happened.' });
    expect(retract.status).toBe(200);
    const d = JSON.parse((await withCli((cli) => cli('cycles', 'export', 'iraq-2023-replay'))).stdout);
    expect(d).toEqual(exported(replayDocument(), [{ council: 'basra', index: 2 }]));
    const res = await http().post(`${API}/cycles`).set(admin).send(replayDocument());
    expectProblem(res, 409, 'cycle-exists');
    expect(res.body.differences).toEqual(['councils[basra].events[2]']);
  }, CLI_TIMEOUT);

  test('a malformed file: one line per problem, exit 1, nothing stored; a refused event names itself; not JSON; usage', async () => {
    const before = await stored();
    const doc = replayDocument('cli-bad', 'CLI bad');
    const iBasra = doc.councils.findIndex((c) => c.slug === 'basra');
    doc.councils[iBasra].seats = 0;
    doc.councils[iBasra].nameAr = '';
    (doc as unknown as Record<string, unknown>).electionDate = '2023-02-30';
    const refusedDoc = replayDocument('cli-refused', 'CLI refused');
    (refusedDoc.councils.find((c) => c.slug === 'kirkuk')!.events as Record<string, unknown>[])[4].governor = 'Someone Else';
    const [bad, refused, exists, notJson, missing, unknown, usage] = await withCli(async (cli) => [
      await cli('cycles', 'import', file('bad.json', doc)),
      await cli('cycles', 'import', file('refused.json', refusedDoc)),
      await cli('cycles', 'import', file('exists.json', { ...replayDocument(), nameAr: 'آخر' })),
      await cli('cycles', 'import', file('not.json', '{"slug": ')),
      await cli('cycles', 'import', join(files, 'nowhere.json')),
      await cli('cycles', 'export', 'nowhere'),
      await cli('cycles', 'import'),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual([
      'validation: The cycle document has 3 problems; nothing was stored.',
      'electionDate: must be a calendar date written YYYY-MM-DD',
      `councils[${iBasra}].nameAr: must NOT have fewer than 1 characters`,
      `councils[${iBasra}].seats: must be >= 1`,
    ]);

    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      "guard-failed: The import stopped at kirkuk's event 4 (APPOINT): APPOINT was refused: not-a-nominee. Nothing was stored.",
    ]);

    expect(exists.status).toBe(1);
    expect(exists.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cycle-exists: The cycle "iraq-2023-replay" exists and differs/), 'differs: nameAr', 'differs: councils[basra].events[2]']);

    expect([notJson.status, notJson.stderr]).toEqual([1, expect.stringContaining('not.json: not JSON: ')]);
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringContaining('ENOENT')]);
    expect([unknown.status, unknown.stdout, unknown.stderr.trim()]).toEqual([1, '', 'not-found: No cycle "nowhere".']);
    expect([usage.status, usage.stderr]).toEqual([2, expect.stringContaining('cycles import <file>')]);
    expect(await stored()).toEqual(before);
  }, CLI_TIMEOUT);
});

describe('the seeds, through the same import', () => {
  test('a new database got iraq-2023 from seeds/iraq-2023.json: 15 councils, 285 seats, the default; the seed command leaves it as it is', async () => {
    const before = await stored();
    const [exportedRun, seeded] = await withCli(async (cli) => [await cli('cycles', 'export', 'iraq-2023'), await cli('seed')]);
    const exportedSeed = JSON.parse(exportedRun.stdout);
    const { $schema: _s, ...seed } = IRAQ_2023 as Record<string, unknown> & { councils: { slug: string }[] };
    expect(exportedSeed).toEqual({
      ...seed,
      councils: [...seed.councils].sort((a, b) => (a.slug < b.slug ? -1 : 1)).map((c) => ({ ...c, events: [] })),
    });
    expect(exportedSeed.councils.reduce((n: number, c: { seats: number }) => n + c.seats, 0)).toBe(285);
    expect([seeded.status, seeded.stdout.trim()]).toEqual([0, 'seed: cycle iraq-2023 exists: left as it is']);
    expect(await stored()).toEqual(before);
  }, CLI_TIMEOUT);

  test('GT_SEED=bare: the councils without their events; seeding again leaves a seeded cycle as it is', async () => {
    const imports = app.running.app.get(CycleImportService);
    const [bare] = await imports.seed([replayDocument('seed-bare', 'Seeded bare')], 'bare', false);
    expect(bare).toMatchObject({ outcome: 'created', councils: 15, events: 0 });
    expect((await http().get(`${API}/cycles/seed-bare/provinces/basra`).set(admin)).body).toMatchObject({ stage: 'criteria', version: 0 });
    const [kept] = await imports.seed([replayDocument('seed-bare', 'Seeded bare')], 'full', false);
    expect(kept).toMatchObject({ outcome: 'kept', events: 0 });
    const [full] = await imports.seed([replayDocument('seed-full', 'Seeded in full')], 'full', false);
    expect(full).toMatchObject({ outcome: 'created', events: 12 });
    expect(await imports.seed([replayDocument('seed-none', 'Not seeded')], 'full', true)).toEqual([]);
    expect((await http().get(`${API}/cycles/seed-none`).set(admin)).status).toBe(404);
    expect(() => testConfig(db, { GT_SEED: 'some' })).toThrow(/GT_SEED must be one of full, bare/);
  });
});
