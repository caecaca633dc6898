// EXPLAIN (ANALYZE, BUFFERS) of the hot queries on the 10k/1M database, each after one unmeasured run
// (warm cache), with the alternatives the report proposes measured the same way. The SQL of the app's
// queries is copied from the repositories named beside each one.
import { SCALE } from './scale-load.mjs';

const PROVINCE_COLUMNS = `
  p.id, p.slug, p.code, p.name, p.name_ar AS "nameAr", p.seats, p.state, p.version, p.updated_at AS "updatedAt",
  json_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'deadlineBasis', c.deadline_basis,
    'timezone', c.timezone, 'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days) AS rules`;

const STATES_AS_OF = `SELECT DISTINCT ON (province_id) province_id, state_after FROM province_event
        WHERE occurred_at <= $1 AND retracted_at IS NULL AND ($2::uuid IS NULL OR province_id = $2)
        ORDER BY province_id, occurred_at DESC, seq DESC`;

/** Proposed: one backward probe of the timeline index per province instead of reading every event. */
const STATES_AS_OF_LATERAL = `SELECT p.id AS province_id, e.state_after FROM province p
        CROSS JOIN LATERAL (
          SELECT state_after FROM province_event e
           WHERE e.province_id = p.id AND e.occurred_at <= $1 AND e.retracted_at IS NULL
           ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) e
        WHERE ($2::uuid IS NULL OR p.id = $2)`;

export async function explainAll(q, { asOfMid, asOfEnd, statesAsOfSql, log }) {
  const [{ id: heavyId }] = await q(`SELECT id FROM province WHERE slug = $1`, [SCALE.heavySlug]);
  const [{ id: cycleId }] = await q(`SELECT id FROM cycle ORDER BY election_date DESC, name LIMIT 1`);
  const firstPage = (await q(`SELECT id FROM province ORDER BY slug LIMIT 500`)).map((r) => r.id);
  const dayStart = new Date(SCALE.busyDayStartUtc);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const settings = await q(
    `SELECT name, setting FROM pg_settings WHERE name IN ('jit', 'jit_above_cost', 'work_mem', 'shared_buffers', 'random_page_cost', 'effective_cache_size', 'max_parallel_workers_per_gather') ORDER BY name`,
  );
  const sizes = await q(
    `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c
      WHERE c.relname IN ('province_event', 'province', 'province_event_pkey', 'province_event_seq_unique', 'province_event_timeline', 'province_event_recording', 'alert')
      ORDER BY pg_relation_size(c.oid) DESC`,
  );

  const cases = [
    {
      id: 'data-version',
      title: "read-cache.service.ts DATA_VERSION_SQL's province part: count and sum of 10,000 versions from province_data_version (migration HotProvinceUpdates)",
      sql: `SELECT count(*) || ':' || coalesce(sum(version), 0) FROM province_data_version`,
      params: [],
    },
    {
      id: 'data-version-province',
      title: 'the same sum read from province itself (what the narrow copy saves; there is no index on province(version): it made every event update non-HOT)',
      sql: `SELECT count(*) || ':' || coalesce(sum(version), 0) FROM province`,
      params: [],
    },
    {
      id: 'asof-all-mid',
      title: `provinces.repository.ts statesAsOf, all 10,000 provinces, asOf=${asOfMid.toISOString()} (the deadline: ~30% of the events are before it)`,
      sql: STATES_AS_OF,
      params: [asOfMid, null],
    },
    {
      id: 'asof-all-end',
      title: `provinces.repository.ts statesAsOf, all 10,000 provinces, asOf=${asOfEnd.toISOString()} (after every event)`,
      sql: STATES_AS_OF,
      params: [asOfEnd, null],
    },
    {
      id: 'asof-all-end-nojit',
      title: 'the same with SET jit = off (what the JIT compilation costs)',
      sql: STATES_AS_OF,
      params: [asOfEnd, null],
      settings: ['SET LOCAL jit = off'],
    },
    {
      id: 'asof-all-end-lateral',
      title: 'PROPOSED statesAsOf: LATERAL … ORDER BY occurred_at DESC, seq DESC LIMIT 1 per province (a backward probe of province_event_timeline)',
      sql: STATES_AS_OF_LATERAL,
      params: [asOfEnd, null],
    },
    {
      id: 'asof-all-mid-lateral',
      title: 'PROPOSED statesAsOf (LATERAL), asOf = the deadline',
      sql: STATES_AS_OF_LATERAL,
      params: [asOfMid, null],
    },
    {
      id: 'asof-all-end-snapshot',
      title: 'PROPOSED statesAsOf with the snapshot shortcut: a province whose last event is not after asOf answers with province.state',
      sql: `SELECT p.id AS province_id,
              CASE WHEN p.last_occurred_at IS NULL OR p.last_occurred_at <= $1 THEN p.state
                   ELSE (SELECT e.state_after FROM province_event e
                          WHERE e.province_id = p.id AND e.occurred_at <= $1 AND e.retracted_at IS NULL
                          ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) END AS state_after
         FROM province p WHERE ($2::uuid IS NULL OR p.id = $2)`,
      params: [asOfEnd, null],
    },
    {
      id: 'asof-page',
      title: 'provinces.repository.ts statesAsOf as a list reads it now (STATES_AS_OF_SQL from the build): one page of 500 provinces, asOf = the deadline',
      sql: statesAsOfSql,
      params: [asOfMid, firstPage],
    },
    {
      id: 'asof-one',
      title: `provinces.repository.ts statesAsOf for one province (${SCALE.heavySlug}, 1,000 events)`,
      sql: STATES_AS_OF,
      params: [asOfEnd, heavyId],
    },
    {
      id: 'history',
      title: `provinces.repository.ts history: one province's 1,000 events (${SCALE.heavySlug}), the event view's columns`,
      sql: `SELECT seq, type, payload, occurred_at, recorded_at, actor, source, confidence, note, machine, from_stage, to_stage, late,
                   days_to_deadline, retracted_at, retracted_by, retraction_reason, internal, approved_by
              FROM province_event WHERE province_id = $1 ORDER BY occurred_at, seq`,
      params: [heavyId],
    },
    {
      id: 'lock',
      title: `provinces.repository.ts lock (SELECT … FOR UPDATE OF p), ${SCALE.heavySlug}; in a transaction that is rolled back`,
      sql: `SELECT ${PROVINCE_COLUMNS}, p.last_occurred_at AS "lastOccurredAt", p.last_seq AS "maxSeq",
              date_trunc('milliseconds', now()) AS now
         FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE p.slug = $1
          FOR UPDATE OF p`,
      params: [SCALE.heavySlug],
    },
    {
      id: 'alerts-active',
      title: 'alerts.service.ts activeAlerts (run on every write, FOR UPDATE OF a)',
      sql: `SELECT a.*, p.slug FROM alert a JOIN province p ON p.id = a.province_id
        WHERE a.province_id = ANY ($1::uuid[]) AND a.status <> 'resolved' FOR UPDATE OF a`,
      params: [[heavyId]],
    },
    {
      id: 'digest-provinces-at',
      title: `digest.repository.ts provincesAt (every province at the end of ${SCALE.busyDay}, Baghdad)`,
      sql: `SELECT p.slug, p.name, p.name_ar AS "nameAr", p.seats, s.state_after AS state
         FROM province p
         LEFT JOIN (
           SELECT DISTINCT ON (province_id) province_id, state_after
             FROM province_event
            WHERE occurred_at < $2 AND retracted_at IS NULL
            ORDER BY province_id DESC, occurred_at DESC, seq DESC
         ) s ON s.province_id = p.id
        WHERE p.cycle_id = $1
        ORDER BY p.slug`,
      params: [cycleId, dayEnd],
    },
    {
      id: 'digest-events-between',
      title: `digest.repository.ts eventsBetween (the ${SCALE.busyDay} events, ~10,000)`,
      sql: `SELECT p.slug AS province, e.seq, e.type, e.payload, e.occurred_at AS "occurredAt", e.source, e.confidence,
              e.from_stage AS "fromStage", e.to_stage AS "toStage", e.late
         FROM province p
         JOIN province_event e ON e.province_id = p.id AND e.occurred_at >= $2 AND e.occurred_at < $3
        WHERE p.cycle_id = $1
        ORDER BY e.occurred_at, p.slug, e.seq`,
      params: [cycleId, dayStart, dayEnd],
    },
    {
      id: 'changes-page',
      title: 'changes.repository.ts recordedAfter: a page of 100 from the middle of the log',
      sql: `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
       SELECT e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, e.actor, e.source, e.confidence, e.note, e.machine,
              e.from_stage, e.to_stage, e.late, e.days_to_deadline, e.retracted_at, e.retracted_by, e.retraction_reason,
              p.slug, e.tx_id::text AS cursor_tx, e.id::text AS cursor_id
         FROM province_event e JOIN province p ON p.id = e.province_id
        WHERE e.tx_id < (SELECT xmin FROM horizon)
          AND (e.tx_id, e.id) > ($1::xid8, $2::bigint)
          AND p.cycle_id = $4
        ORDER BY e.tx_id, e.id
        LIMIT $3`,
      params: null, // filled below: the cursor of the middle event
    },
    {
      id: 'alerts-list',
      title: 'alerts.service.ts list (GET /alerts: the open alerts)',
      sql: `SELECT a.*, p.slug, $5::text AS cycle FROM alert a JOIN province p ON p.id = a.province_id
        WHERE p.cycle_id = $4 AND ($1 = 'all' OR a.status = $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR p.slug = $3)
        ORDER BY a.opened_at, p.slug, a.kind, a.id`,
      params: ['open', null, null, cycleId, 'bench'],
    },
  ];
  const [mid] = await q(`SELECT tx_id::text AS tx, id::text AS id FROM province_event WHERE id = (SELECT (min(id) + max(id)) / 2 FROM province_event)`);
  cases.find((c) => c.id === 'changes-page').params = [mid?.tx ?? '0', mid?.id ?? '0', 100, cycleId];

  const results = [];
  for (const c of cases) {
    log?.(`  explain ${c.id}`);
    await q('BEGIN');
    try {
      for (const s of [...(c.settings ?? []), ...(c.setup ?? [])]) await q(s);
      await q(c.sql, c.params); // warm the cache and the catalog
      const rows = await q(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      const num = (re) => {
        const m = re.exec(plan);
        return m ? Number(m[1]) : null;
      };
      results.push({
        id: c.id,
        title: c.title,
        sql: c.sql.replace(/\s+/g, ' ').trim(),
        executionMs: num(/Execution Time: ([\d.]+) ms/),
        planningMs: num(/Planning Time: ([\d.]+) ms/),
        jitMs: num(/JIT:[\s\S]*?Total ([\d.]+) ms/),
        topNode: plan.split('\n')[0].replace(/\s+\(cost=.*$/, '').trim(),
        sortsOnDisk: /Sort Method: external/.test(plan),
        plan,
      });
    } finally {
      await q('ROLLBACK');
    }
  }
  return { settings, sizes, results };
}

/** The text file: settings, sizes, then each plan under its title. */
export function explainText(explain, meta) {
  const lines = [
    `EXPLAIN (ANALYZE, BUFFERS) of the hot queries — governor-tracker bench, ${meta.when}`,
    `database: ${SCALE.provinces.toLocaleString('en-US')} provinces, ${SCALE.events.toLocaleString('en-US')} events (${meta.server}); each query ran once unmeasured first`,
    `settings: ${explain.settings.map((s) => `${s.name}=${s.setting}`).join(', ')}`,
    `sizes: ${explain.sizes.map((s) => `${s.name} ${s.size}`).join(', ')}`,
    '',
  ];
  for (const r of explain.results) {
    lines.push('='.repeat(100), `## ${r.id}: ${r.title}`, '', r.sql, '', r.plan, '');
  }
  return lines.join('\n');
}
