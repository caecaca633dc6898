// Issue 21: the shipped history is the first screen. A new database started as `npm start` starts it
// (GT_SEED unset: the seeds in full) loads seeds/iraq-2023.json through the write path, and the board
// then says what the sources say, province by province; `cli verify` finds every stored state consistent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IRAQ_2023 } from '@app/seeds';
import pg from 'pg';
import { SERVER_URL, type TestDatabase } from './support/test-database.js';
import { ADMIN_KEY, startApp, testConfig, type TestApp } from './support/test-app.js';

const CLI = 'dist/apps/cli/src/main.js';
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
/** The end of the year of the first selections: who was chosen by then, and whether by 9 Feb 2024. */
const END_OF_2024 = '2024-12-31T20:59:59Z';

/** The day an instant falls on in Baghdad (UTC+3 all year). */
const baghdadDay = (instant: string) => new Date(new Date(instant).getTime() + 3 * 3600_000).toISOString().slice(0, 10);

interface Outcome {
  /** The governor the first selection ended with (by the end of 2024), the day the council elected them, and the deadline's verdict. */
  first: { governor: string; day: string; status: 'met' | 'met_late' } | { governor: null; status: 'breached' };
  /** As the record stands now (the last report found is of 25 Feb 2026). */
  now: { stage: 'appointed'; governor: string; since: string; contested: boolean } | { stage: 'vacant'; acting: string; contested: boolean } | { stage: 'criteria' };
}

// Each line is what the sources cited in seeds/iraq-2023.json report (docs/sources.md lists them).
// Maysan and Anbar: the day of their last elections was not found, so the record cannot hold them (the gaps
// are in docs/sources.md); what the board shows for them is what the dated reports allow.
const OUTCOMES: Record<string, Outcome> = {
  baghdad: { first: { governor: 'Abdul-Mutalib al-Alawi', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Atwan al-Atwani', since: '2025-07-27', contested: false } },
  nineveh: { first: { governor: 'Abdulqadir al-Dakhil', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Abdulqadir al-Dakhil', since: '2024-02-05', contested: false } },
  basra: { first: { governor: 'Asaad al-Eidani', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Asaad al-Eidani', since: '2024-02-05', contested: false } },
  'dhi-qar': {
    first: { governor: 'Murtada al-Ibrahimi', day: '2024-02-05', status: 'met' },
    now: { stage: 'appointed', governor: 'Haitham Aziz Adel Kassar al-Hamadani', since: '2025-12-24', contested: false },
  },
  babil: { first: { governor: 'Adnan Fayhan', day: '2024-02-06', status: 'met' }, now: { stage: 'appointed', governor: 'Ali Turki al-Jamali', since: '2026-01-27', contested: false } },
  anbar: { first: { governor: 'Mohammed Nouri al-Karbouli', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Mohammed Nouri al-Karbouli', since: '2024-02-05', contested: false } },
  kirkuk: { first: { governor: 'Rebwar Taha', day: '2024-08-10', status: 'met_late' }, now: { stage: 'appointed', governor: 'Rebwar Taha', since: '2024-08-10', contested: false } },
  diyala: { first: { governor: 'Adnan al-Jayer al-Shammari', day: '2024-08-01', status: 'met_late' }, now: { stage: 'appointed', governor: 'Adnan al-Jayer al-Shammari', since: '2024-08-01', contested: true } },
  salahuddin: { first: { governor: 'Badr Mahmoud al-Fahl', day: '2024-03-17', status: 'met_late' }, now: { stage: 'vacant', acting: 'Hashim Azzawi Ahmed', contested: false } },
  najaf: { first: { governor: 'Youssef Kanawi', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Youssef Kanawi', since: '2024-02-05', contested: false } },
  wasit: { first: { governor: 'Mohammed Jamil al-Miyahi', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Hadi Majid Kazzar', since: '2025-07-23', contested: false } },
  qadisiyah: { first: { governor: 'Abbas al-Zamili', day: '2024-02-07', status: 'met' }, now: { stage: 'appointed', governor: 'Abbas al-Zamili', since: '2024-02-07', contested: false } },
  karbala: { first: { governor: 'Nasif Jasim al-Khattabi', day: '2024-02-05', status: 'met' }, now: { stage: 'appointed', governor: 'Nasif Jasim al-Khattabi', since: '2024-02-05', contested: false } },
  maysan: { first: { governor: null, status: 'breached' }, now: { stage: 'criteria' } },
  muthanna: { first: { governor: 'Muhannad al-Atabi', day: '2024-02-06', status: 'met' }, now: { stage: 'appointed', governor: 'Ahmed Munfi Jawda', since: '2026-02-24', contested: true } },
};

/** A new database as `npm start` meets it: an empty server database or embedded data dir (not a copy of the tests' bare-seeded template). */
async function newDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-story-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!SERVER_URL) return { databaseUrl: null, dataDir, drop: async () => removeDir() };
  const name = `gt_story_${process.pid}_${Date.now().toString(36)}`;
  const onServer = async (sql: string) => {
    const admin = new pg.Client({ connectionString: SERVER_URL! });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}

let db: TestDatabase;
let app: TestApp;
const get = (path: string) => app.http().get(`/api/v1${path}`).set(admin);

beforeAll(async () => {
  db = await newDatabase();
  app = await startApp(testConfig(db, { GT_SEED: 'full' }));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('the shipped history (seeds/iraq-2023.json), loaded at the first start', () => {
  test('every event of the file is stored, each with its source URL and its confidence', async () => {
    const shipped = IRAQ_2023.councils.flatMap((c) => (c.events ?? []).map((e) => ({ council: c.slug, ...e })));
    expect(shipped.length).toBeGreaterThanOrEqual(100);
    for (const e of shipped) {
      expect(e.source.url).toMatch(/^https?:\/\//);
      expect(['confirmed', 'reported']).toContain(e.confidence);
      // An event whose time the sources do not give claims only its day (issue 21), and its note says so.
      expect([e.council, e.type, e.occurredAtPrecision === 'day']).toEqual([e.council, e.type, e.note?.includes('Time of day not reported') === true]);
    }
    expect(shipped.filter((e) => e.occurredAtPrecision === 'day').length).toBeGreaterThan(100);
    for (const council of IRAQ_2023.councils) {
      const res = await get(`/provinces/${council.slug}/events?limit=200`);
      expect(res.status).toBe(200);
      const stored = res.body.items as { type: string; source: { url: string }; confidence: string; occurredAt: string; occurredAtPrecision: string }[];
      expect(stored.map((e) => [e.type, e.source.url, e.confidence, e.occurredAt, e.occurredAtPrecision])).toEqual(
        (council.events ?? []).map((e) => [e.type, e.source.url, e.confidence, new Date(e.occurredAt).toISOString(), e.occurredAtPrecision ?? 'minute']),
      );
    }
  });

  test.each(Object.entries(OUTCOMES))('%s: the first selection and the office now are what the sources report', async (slug, outcome) => {
    const then = await get(`/provinces/${slug}?asOf=${END_OF_2024}`);
    expect(then.status).toBe(200);
    if (outcome.first.governor === null) {
      expect([then.body.governor, then.body.deadlineStatus]).toEqual([null, outcome.first.status]);
    } else {
      expect({ governor: then.body.governor?.name, day: baghdadDay(then.body.governor.appointedAt), status: then.body.deadlineStatus }).toEqual(outcome.first);
    }

    const now = (await get(`/provinces/${slug}`)).body;
    const seen =
      now.stage === 'appointed'
        ? { stage: now.stage, governor: now.governor.name, since: baghdadDay(now.governor.reinstatedAt ?? now.governor.appointedAt), contested: now.contested !== null }
        : now.stage === 'vacant'
          ? { stage: now.stage, acting: now.acting?.name, contested: now.contested !== null }
          : { stage: now.stage };
    expect(seen).toEqual(outcome.now);
  });

  test('Salahuddin holds what happened on 9 Feb 2026: reinstated by an administrative order, removed by the council the same day', async () => {
    const terms = (await get('/provinces/salahuddin/terms')).body.items as { holder: string; kind: string; from: string; to: string | null; endedBy: string | null }[];
    expect(terms.map((t) => [t.holder, t.kind, baghdadDay(t.from), t.to && baghdadDay(t.to), t.endedBy])).toEqual([
      ['Ahmed Abdullah al-Jubouri (Abu Mazen)', 'elected', '2024-02-04', '2024-02-17', 'REVOKE'],
      ['Badr Mahmoud al-Fahl', 'elected', '2024-03-17', '2026-01-26', 'VACATE:elected_elsewhere'],
      ['Hashim Azzawi al-Samarrai', 'acting', '2026-01-26', '2026-02-09', 'RULING:overturned'],
      ['Badr Mahmoud al-Fahl', 'elected', '2026-02-09', '2026-02-09', 'VACATE:dismissed'],
      ['Hashim Azzawi Ahmed', 'acting', '2026-02-09', null, null],
    ]);
  });

  test('Dhi Qar holds a dismissal undone by a court: vacant from 14 Jan 2025, the governor reinstated on 2 Mar 2025', async () => {
    const during = (await get('/provinces/dhi-qar?asOf=2025-02-01T12:00:00Z')).body;
    expect([during.stage, during.acting?.name, during.contested?.target]).toEqual(['vacant', 'Murtada al-Ibrahimi', 'vacancy']);
    const after = (await get('/provinces/dhi-qar?asOf=2025-03-03T12:00:00Z')).body;
    expect([after.stage, after.governor?.name, baghdadDay(after.governor?.reinstatedAt), after.contested]).toEqual(['appointed', 'Murtada al-Ibrahimi', '2025-03-02', null]);
  });

  test('9 Feb 2024, end of day in Baghdad: 12 councils had elected a governor, Kirkuk, Diyala and Maysan had not', async () => {
    const res = await get('/provinces?asOf=2024-02-09T20:59:59Z');
    const withGovernor = (res.body.items as { slug: string; stage: string }[]).filter((p) => p.stage === 'appointed').map((p) => p.slug);
    expect(withGovernor.sort()).toEqual(['anbar', 'babil', 'baghdad', 'basra', 'dhi-qar', 'karbala', 'muthanna', 'najaf', 'nineveh', 'qadisiyah', 'salahuddin', 'wasit']);
  });

  test('`npm run cli -- verify` finds every stored state consistent with a replay of its events', async () => {
    await app.close();
    const verify = spawnSync(process.execPath, [CLI, 'verify'], {
      env: { ...process.env, DATABASE_URL: db.databaseUrl ?? '', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(verify.stdout).toMatch(/all consistent/);
    expect(verify.status).toBe(0);
    app = await startApp(testConfig(db, { GT_SEED: 'full' }));
    expect((await get('/provinces/basra')).status).toBe(200);
  }, 240_000);
});
