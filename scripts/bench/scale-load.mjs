// Bulk load for the scale benchmark: 10,000 provinces and 1,000,000 events spread over a year, written
// with set-based INSERT … SELECT from generate_series (never through the API), into a database that the
// app's own migrations and seeds created. Every event carries a valid FormationState as state_after
// (the state the machine reaches by replaying the events before it), seq is gap-free per province, and
// each province's row (state, stage, tier, version, last_seq, last_occurred_at) agrees with its last
// event, so `npm run cli -- verify` passes on the result (run `npm run bench -- --verify` to check).

/** Shape of the generated history, exported so that the benchmark can aim its reads. */
export const SCALE = {
  provinces: 10_000,
  events: 1_000_000,
  /** The province with a long history (1,000 events): the seeded Baghdad. */
  heavySlug: 'baghdad',
  heavyEvents: 1_000,
  /** Events start on election day (08:00 Baghdad) and run for 365 days. */
  start: '2023-12-18T05:00:00Z',
  days: 365,
  /** The busy day: the legal deadline (Baghdad day 2024-02-09), which holds 1% of all events. */
  busyDay: '2024-02-09',
  busyDayStartUtc: '2024-02-08T21:00:00Z',
};

const ms = (iso) => Date.parse(iso);
const T_START = ms(SCALE.start);
const T_BUSY = ms(SCALE.busyDayStartUtc);
const T_BUSY_END = T_BUSY + 86_400_000;
const T_END = T_START + SCALE.days * 86_400_000;

// occ(u): the event timeline as a function of u ∈ [0, 1), monotonic: 30% of the events in the 53 days
// up to the deadline day, 1% on the deadline day itself, 69% over the remaining 311 days. Plain double
// arithmetic on epoch milliseconds (immutable, inlined, cheap), rounded to the millisecond like a JS Date.
const OCC_FN = `
CREATE FUNCTION pg_temp.bench_occ(u double precision) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT to_timestamp(round(CASE
    WHEN u < 0.30 THEN ${T_START} + (u / 0.30) * ${T_BUSY - T_START}
    WHEN u < 0.31 THEN ${T_BUSY} + ((u - 0.30) / 0.01) * 86400000
    ELSE ${T_BUSY_END} + ((u - 0.31) / 0.69) * ${T_END - T_BUSY_END}
  END) / 1000.0)
$$`;

// A deterministic jitter in [0, 1) for event i of province p: the same data on every run.
const JITTER_FN = `
CREATE FUNCTION pg_temp.bench_jitter(p int, i int) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT ((p::bigint * 2654435761 + i::bigint * 40503 + 12345) % 1000003)::double precision / 1000003
$$`;

const ISO = (expr) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Load the data. `q(sql, params)` runs one statement on a dedicated connection (the caller's).
 * Returns timings of the steps (ms).
 */
export async function loadScale(q, log = () => {}) {
  const t = {};
  const step = async (name, fn) => {
    const t0 = performance.now();
    await fn();
    t[name] = Math.round(performance.now() - t0);
    log(`  ${name}: ${t[name]} ms`);
  };
  // A scratch database: durability of the load itself does not matter, and the FK and append-only triggers
  // can be skipped when the role may (the data is generated consistent).
  await q(`SET synchronous_commit = off`);
  await q(`SET maintenance_work_mem = '256MB'`);
  await q(`SET work_mem = '64MB'`);
  let replica = false;
  try {
    await q(`SET session_replication_role = replica`);
    replica = true;
  } catch {
    /* not a superuser: the FK checks run, which is only slower */
  }
  t.skippedTriggers = replica;
  await q(OCC_FN);
  await q(JITTER_FN);

  const extra = SCALE.provinces - 15;
  await step('provinces', () =>
    q(
      `INSERT INTO province (cycle_id, slug, code, name, name_ar, seats, stage, tier, state, version)
       SELECT c.id, 'district-' || lpad(g::text, 5, '0'),
              'BN-' || substr('${ALPHABET}', (g / 1296) % 36 + 1, 1) || substr('${ALPHABET}', (g / 36) % 36 + 1, 1)
                    || substr('${ALPHABET}', g % 36 + 1, 1),
              'District ' || g, 'مقاطعة ' || g, 9 + g % 31, 'criteria', NULL,
              jsonb_build_object('machine', 'province-formation@1', 'stage', 'criteria', 'context', jsonb_build_object(
                'seats', 9 + g % 31, 'criteria', NULL, 'tier', NULL, 'nominees', '[]'::jsonb, 'governor', NULL,
                'convenedAt', NULL, 'chair', NULL, 'decree', NULL, 'deadline', NULL, 'deadlineBasis', NULL)),
              0
         FROM cycle c, generate_series(16, 15 + $1::int) g
        WHERE c.name = 'iraq-2023'`,
      [extra],
    ),
  );

  // Per province: its number p (Baghdad first), how many events it gets, whether it appoints a governor,
  // and the seq of each milestone. 1,000 events for p = 1; 100 or 99 for the others, 1,000,000 in all.
  await step('plan', async () => {
    const rest = SCALE.events - SCALE.heavyEvents;
    const others = SCALE.provinces - 1;
    const base = Math.floor(rest / others);
    const plus = rest - base * others; // provinces that get one more
    await q(`
      CREATE TEMP TABLE bp AS
      SELECT s.*,
             greatest(2, n * 8 / 100) AS t2, n * 15 / 100 AS t3, n * 20 / 100 AS t4, n * 25 / 100 AS t5,
             n * 30 / 100 + p % 3 AS t6, n * 40 / 100 AS t7
        FROM (SELECT id, seats, slug, p,
                     CASE WHEN p = 1 THEN ${SCALE.heavyEvents} ELSE ${base} + (CASE WHEN p - 2 < ${plus} THEN 1 ELSE 0 END) END AS n,
                     p % 4 <> 0 AS appoints,
                     (ARRAY['A', 'B', 'C'])[p % 3 + 1] AS tier,
                     (ARRAY['Taqaddum', 'Tasmim', 'State of Law', 'Azm', 'Sadiqoun'])[p % 5 + 1] AS bloc
                FROM (SELECT id, seats, slug, row_number() OVER (ORDER BY slug <> '${SCALE.heavySlug}', slug)::int AS p FROM province) x) s`);
    await q(`ALTER TABLE bp ADD PRIMARY KEY (p)`);
    const [{ total }] = await q(`SELECT sum(n)::int AS total FROM bp`);
    if (total !== SCALE.events) throw new Error(`plan has ${total} events, not ${SCALE.events}`);
  });

  // The state after each phase (number of milestones passed) of each province: 7 per province, built once.
  await step('states', async () => {
    const o = (col) => `pg_temp.bench_occ((bp.${col} - 1 + pg_temp.bench_jitter(bp.p, bp.${col})) / bp.n)`;
    await q(`
      CREATE TEMP TABLE bs AS
      SELECT bp.p, k.phase,
             CASE WHEN k.phase <= 1 THEN 'criteria' WHEN k.phase <= 3 THEN 'tier' WHEN k.phase <= 5 THEN 'candidate' ELSE 'appointed' END AS stage,
             CASE WHEN k.phase >= 2 THEN bp.tier END AS tier,
             jsonb_build_object(
               'machine', 'province-formation@1',
               'stage', CASE WHEN k.phase <= 1 THEN 'criteria' WHEN k.phase <= 3 THEN 'tier' WHEN k.phase <= 5 THEN 'candidate' ELSE 'appointed' END,
               'context', jsonb_build_object(
                 'seats', bp.seats,
                 'criteria', CASE WHEN k.phase >= 1 THEN 'Tier by the size of the winning alliance; candidates from the largest bloc first (district ' || bp.p || ')' END,
                 'tier', CASE WHEN k.phase >= 2 THEN bp.tier END,
                 'nominees', CASE
                   WHEN k.phase < 4 THEN '[]'::jsonb
                   WHEN k.phase = 4 THEN jsonb_build_array(m.a)
                   ELSE jsonb_build_array(m.a, m.b) END,
                 'governor', CASE WHEN k.phase >= 6 THEN jsonb_build_object(
                     'name', 'Candidate A ' || bp.p, 'nameAr', 'المرشح أ ' || bp.p, 'bloc', bp.bloc,
                     'votes', ceil(bp.seats / 2.0 + 1)::int, 'present', bp.seats, 'appointedAt', ${ISO(o('t6'))}) END,
                 'convenedAt', CASE WHEN k.phase >= 3 THEN ${ISO(o('t3'))} END,
                 'chair', CASE WHEN k.phase >= 3 THEN 'the eldest member' END,
                 'decree', CASE WHEN k.phase >= 7 THEN jsonb_build_object('recordedAt', ${ISO(o('t7'))}, 'decreeDate', to_char((${o('t7')}) AT TIME ZONE 'Asia/Baghdad', 'YYYY-MM-DD')) END,
                 'deadline', NULL,
                 'deadlineBasis', NULL)) AS state
        FROM bp
       CROSS JOIN LATERAL (SELECT
               jsonb_build_object('name', 'Candidate A ' || bp.p, 'nameAr', 'المرشح أ ' || bp.p, 'bloc', bp.bloc, 'nominatedAt', ${ISO(o('t4'))}) AS a,
               jsonb_build_object('name', 'Candidate B ' || bp.p, 'nameAr', 'المرشح ب ' || bp.p, 'bloc', NULL, 'nominatedAt', ${ISO(o('t5'))}) AS b) m
       CROSS JOIN generate_series(1, 7) k(phase)
       WHERE bp.appoints OR k.phase <= 5`);
    await q(`ALTER TABLE bs ADD PRIMARY KEY (p, phase)`);
    await q(`ANALYZE bs`);
  });

  // Bulk-load practice: the secondary indexes of province_event are dropped for the load and rebuilt
  // afterwards from their own catalog definitions (a sorted build costs far less than a million
  // single-row insertions); the rebuilt set is checked to be identical to the migrated one.
  const indexes = await q(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, con.conname, pg_get_constraintdef(con.oid) AS condef
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      WHERE i.indrelid = 'province_event'::regclass AND NOT i.indisprimary
      ORDER BY c.relname`,
  );
  // Foreign keys that reference the log's (province_id, seq) key (claims and proposals name an event)
  // depend on its unique index: they are dropped with it and added back after the rebuild.
  const references = await q(
    `SELECT conname, conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND confrelid = 'province_event'::regclass ORDER BY conname`,
  );
  await step('drop-indexes', async () => {
    for (const fk of references) await q(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.conname}`);
    for (const ix of indexes) {
      await q(ix.conname ? `ALTER TABLE province_event DROP CONSTRAINT ${ix.conname}` : `DROP INDEX ${ix.name}`);
    }
  });

  // The events, in batches of provinces (one transaction each). Milestones at t1..t7, REPORTs between them.
  const batches = 10;
  const per = Math.ceil(SCALE.provinces / batches);
  await step('events', async () => {
    for (let b = 0; b < batches; b++) {
      await q(
        // The generated rows are materialized first (narrow), then joined to their state by (p, phase):
        // the planner cannot estimate that join, and a state read from a small inline row costs little.
        `WITH e AS MATERIALIZED (
           SELECT bp.p, bp.id, bp.n, bp.seats, bp.tier, g.i, x.phase, x.phase - x.milestone AS phase_before, x.type, x.j,
                  pg_temp.bench_occ((g.i - 1 + x.j) / bp.n) AS occ
             FROM bp
            CROSS JOIN generate_series(1, bp.n) g(i)
            CROSS JOIN LATERAL (SELECT
                  pg_temp.bench_jitter(bp.p, g.i) AS j,
                  (g.i >= 1)::int + (g.i >= bp.t2)::int + (g.i >= bp.t3)::int + (g.i >= bp.t4)::int + (g.i >= bp.t5)::int
                    + (bp.appoints AND g.i >= bp.t6)::int + (bp.appoints AND g.i >= bp.t7)::int AS phase,
                  (g.i = 1 OR g.i IN (bp.t2, bp.t3, bp.t4, bp.t5) OR (bp.appoints AND g.i IN (bp.t6, bp.t7)))::int AS milestone,
                  CASE WHEN g.i = 1 THEN 'SET_CRITERIA' WHEN g.i = bp.t2 THEN 'ASSIGN_TIER' WHEN g.i = bp.t3 THEN 'CONVENE'
                       WHEN g.i IN (bp.t4, bp.t5) THEN 'NOMINATE'
                       WHEN bp.appoints AND g.i = bp.t6 THEN 'APPOINT' WHEN bp.appoints AND g.i = bp.t7 THEN 'DECREE'
                       ELSE 'REPORT' END AS type) x
            WHERE bp.p > $1 AND bp.p <= $2
         )
         INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence, note,
                                     machine, from_stage, to_stage, late, days_to_deadline, state_after)
         SELECT e.id, e.i, e.type,
                CASE e.type
                  WHEN 'SET_CRITERIA' THEN jsonb_build_object('criteria', s.state->'context'->>'criteria')
                  WHEN 'ASSIGN_TIER' THEN jsonb_build_object('tier', e.tier)
                  WHEN 'CONVENE' THEN jsonb_build_object('chair', 'the eldest member')
                  WHEN 'NOMINATE' THEN jsonb_build_object('candidate', (s.state->'context'->'nominees'->(e.phase - 4)) - 'nominatedAt')
                  WHEN 'APPOINT' THEN jsonb_build_object('governor', 'Candidate A ' || e.p, 'votes', ceil(e.seats / 2.0 + 1)::int, 'present', e.seats)
                  WHEN 'DECREE' THEN jsonb_build_object('decreeDate', s.state->'context'->'decree'->>'decreeDate')
                  ELSE jsonb_build_object('kind', (ARRAY['rumor', 'denial', 'note', 'session_failed'])[e.i % 4 + 1],
                                          'text', 'Report ' || e.i || ' from district ' || e.p || ': talks between the blocs continue')
                END,
                e.occ, e.occ + e.j * interval '3 hours', 'desk',
                (ARRAY['{"name":"Shafaq News","url":"https://shafaq.com/en/Iraq"}', '{"name":"Rudaw","url":null}',
                       '{"name":"Iraqi News Agency","url":"https://ina.iq/eng/"}'])[e.i % 3 + 1]::jsonb,
                CASE WHEN e.type = 'REPORT' AND e.i % 5 = 0 THEN 'reported' ELSE 'confirmed' END, NULL,
                'province-formation@1', CASE WHEN e.phase_before <= 1 THEN 'criteria' WHEN e.phase_before <= 3 THEN 'tier' WHEN e.phase_before <= 5 THEN 'candidate' ELSE 'appointed' END, s.stage,
                e.occ > timestamptz '2024-02-09T20:59:59.999Z',
                date '2024-02-09' - (e.occ AT TIME ZONE 'Asia/Baghdad')::date,
                s.state
           FROM e JOIN bs s ON s.p = e.p AND s.phase = e.phase AND s.p > $1 AND s.p <= $2`,
        [b * per, (b + 1) * per],
      );
      log(`    batch ${b + 1}/${batches}`);
    }
  });
  await step('rebuild-indexes', async () => {
    await q(`SET max_parallel_maintenance_workers = 2`);
    for (const ix of indexes) {
      await q(ix.conname ? `ALTER TABLE province_event ADD CONSTRAINT ${ix.conname} ${ix.condef}` : ix.def);
    }
    const after = await q(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'province_event'::regclass AND NOT i.indisprimary ORDER BY c.relname`,
    );
    const same = JSON.stringify(after) === JSON.stringify(indexes.map(({ name, def }) => ({ name, def })));
    if (!same) throw new Error(`province_event indexes differ after the rebuild:\n${JSON.stringify(after, null, 2)}`);
    for (const fk of references) await q(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.conname} ${fk.def}`);
  });

  await step('province-snapshots', () =>
    q(`UPDATE province pv SET state = s.state, stage = s.stage, tier = s.tier, version = bp.n, last_seq = bp.n,
              last_occurred_at = pg_temp.bench_occ((bp.n - 1 + pg_temp.bench_jitter(bp.p, bp.n)) / bp.n), updated_at = now()
         FROM bp JOIN bs s ON s.p = bp.p AND s.phase = CASE WHEN bp.appoints THEN 7 ELSE 5 END
        WHERE pv.id = bp.id`),
  );
  // With the triggers skipped, the read cache's copy of the versions (migration HotProvinceUpdates) is
  // written here, as the trigger would have: one row per province, at its version.
  await step('data-versions', () =>
    q(`INSERT INTO province_data_version (province_id, version) SELECT id, version FROM province
       ON CONFLICT (province_id) DO UPDATE SET version = EXCLUDED.version`),
  );
  if (replica) await q(`SET session_replication_role = origin`);
  await step('analyze', () => q(`VACUUM (ANALYZE) province_event, province, province_data_version`));
  return t;
}
