// The write path under load: the API (through HTTP, with autocannon) and raw `pg` doing comparable work
// (the naive baseline, plus diagnostic variants), all closed-loop at a fixed concurrency. Every load
// runs for warm-up + duration; only operations that complete inside the measured window count.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { summarize } from './util.mjs';

const REPORT_KINDS = ['rumor', 'denial', 'note', 'session_failed'];

/** A sourced REPORT event with a unique text: accepted in every stage, so the load never hits a 409. */
export function reportBody(n) {
  return { type: 'REPORT', kind: REPORT_KINDS[n % 4], text: `bench report ${n}: talks between the blocs continue`, source: { name: 'Bench Wire' } };
}

/** POST /provinces/:slug/events at `connections` keep-alive connections, round-robin over `slugs`. */
export async function apiWriteLoad({ url, key, slugs, connections, warmupS, durationS, beforeClose }) {
  let n = 0;
  const latencies = [];
  const statuses = {};
  let errors = 0;
  const t0 = performance.now();
  const from = t0 + warmupS * 1000;
  const to = from + durationS * 1000;
  const instance = autocannon({
    url,
    connections,
    duration: warmupS + durationS,
    timeout: 30,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest(request) {
          const i = n++;
          return { ...request, path: `/api/v1/provinces/${slugs[i % slugs.length]}/events`, body: JSON.stringify(reportBody(i)) };
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    const now = performance.now();
    if (now < from || now > to) return;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  instance.on('reqError', () => {
    const now = performance.now();
    if (now >= from && now <= to) errors++;
  });
  const result = await instance;
  await beforeClose?.();
  const ok = latencies.length;
  const acknowledged = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) >= 200 && Number(code) < 300)
    .reduce((a, [, v]) => a + v.count, 0);
  const failed = Object.entries(statuses).filter(([s]) => Number(s) >= 300).reduce((a, [, c]) => a + c, 0) + errors;
  return {
    rate: ok / durationS,
    ok,
    failed,
    statuses,
    latency: summarize(latencies),
    attempted: result.requests.total,
    acknowledged,
  };
}

/**
 * Closed-loop raw-pg load: `workers` loops, each running `op(ctx, n, worker)` back to back, where ctx
 * comes from `open()` (32 clients, or a pool). Errors roll back and count.
 */
export async function pgLoad({ open, op, workers, warmupS, durationS, beforeClose }) {
  const ctx = await open();
  const latencies = [];
  let failed = 0;
  let retries = 0;
  let n = 0;
  const t0 = performance.now();
  const from = t0 + warmupS * 1000;
  const to = from + durationS * 1000;
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (performance.now() < to) {
          const start = performance.now();
          let r;
          try {
            r = await op(ctx, n++, w);
          } catch (err) {
            if (performance.now() >= from && performance.now() <= to) failed++;
            await ctx.recover?.(w, err);
            continue;
          }
          const end = performance.now();
          if (end >= from && end <= to) {
            latencies.push(end - start);
            retries += r?.retries ?? 0;
          }
        }
      }),
    );
  } finally {
    await beforeClose?.();
    await ctx.close();
  }
  return { rate: latencies.length / durationS, ok: latencies.length, failed, retries, attempted: n, latency: summarize(latencies) };
}

/** `count` dedicated connections, one per worker. */
export function clients(url, count) {
  return async () => {
    const list = await Promise.all(
      Array.from({ length: count }, async () => {
        const c = new pg.Client({ connectionString: url, application_name: 'governor-tracker-bench' });
        await c.connect();
        return c;
      }),
    );
    return {
      list,
      async recover(w) {
        await list[w].query('ROLLBACK').catch(() => undefined);
      },
      close: () => Promise.all(list.map((c) => c.end().catch(() => undefined))),
    };
  };
}

/** A pool shaped like the app's (DB_POOL_MAX connections shared by every request). */
export function pool(url, max) {
  return async () => {
    const p = new pg.Pool({ connectionString: url, max, application_name: 'governor-tracker-bench' });
    return { pool: p, close: () => p.end() };
  };
}

const payloadOf = (n) => {
  const { type: _t, source: _s, ...payload } = reportBody(n);
  return payload;
};
const SOURCE = JSON.stringify({ name: 'Bench Wire', url: null });

/**
 * The naive write, as a developer would write it by hand: BEGIN; SELECT … FOR UPDATE; UPDATE the
 * province; INSERT the event; COMMIT — five round trips, four of them under the row lock.
 */
export function naiveOp(slugs) {
  return async (ctx, n, w) => {
    const c = ctx.list[w];
    await c.query('BEGIN');
    const {
      rows: [p],
    } = await c.query(`SELECT id, state, last_seq, version FROM province WHERE slug = $1 FOR UPDATE`, [slugs[n % slugs.length]]);
    const seq = p.last_seq + 1;
    const state = JSON.stringify(p.state);
    await c.query(
      `UPDATE province SET state = $2, version = version + 1, last_seq = $3, updated_at = now(),
              last_occurred_at = GREATEST(last_occurred_at, now()) WHERE id = $1`,
      [p.id, state, seq],
    );
    await c.query(
      `INSERT INTO province_event (province_id, seq, type, payload, occurred_at, actor, source, confidence, machine,
                                   from_stage, to_stage, late, days_to_deadline, state_after)
       VALUES ($1, $2, 'REPORT', $3, now(), 'bench', $4, 'confirmed', 'province-formation@1', $5, $5, true, -1000, $6)`,
      [p.id, seq, JSON.stringify(payloadOf(n)), SOURCE, p.state.stage, state],
    );
    await c.query('COMMIT');
  };
}

// ---- Diagnostics: the same work in other shapes, to locate the API's cost. ----

const PROVINCE_COLUMNS = `
  p.id, p.slug, p.code, p.name, p.name_ar AS "nameAr", p.seats, p.state, p.version, p.updated_at AS "updatedAt",
  json_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'deadlineBasis', c.deadline_basis,
    'timezone', c.timezone, 'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days) AS rules`;

const LOCK_SQL = `SELECT ${PROVINCE_COLUMNS}, p.last_occurred_at AS "lastOccurredAt", p.last_seq AS "maxSeq",
              date_trunc('milliseconds', now()) AS now
         FROM province p JOIN cycle c ON c.id = p.cycle_id
        WHERE p.slug = $1
          FOR UPDATE OF p`;

const APPEND_SQL = `WITH ev AS (
         INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence,
                                     note, machine, from_stage, to_stage, late, days_to_deadline, state_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ), pv AS (
         UPDATE province SET state = $17, stage = $18, tier = $19, version = version + 1, updated_at = $6,
                last_seq = $2, last_occurred_at = GREATEST(last_occurred_at, $5)
          WHERE id = $1
       )
       UPDATE idempotency_key SET state = 'done', response_status = $21, response_body = $22 WHERE id = $20`;

const ALERTS_SQL = `SELECT a.*, p.slug FROM alert a JOIN province p ON p.id = a.province_id
        WHERE a.province_id = ANY ($1::uuid[]) AND a.status <> 'resolved' FOR UPDATE OF a`;

const OUTBOX_SQL = `INSERT INTO outbox (webhook_id, event_type, payload)
       SELECT w.id, n.type, n.payload
         FROM unnest($1::text[], $2::jsonb[]) AS n(type, payload)
         JOIN webhook w ON w.deleted_at IS NULL AND n.type = ANY (w.events)`;

const NOTIFY_SQL = `SELECT pg_notify($1, x) FROM unnest($2::text[]) AS x`;
const CHANNEL = 'governor_tracker_changes';

function changeNotice(p, seq, at) {
  return {
    type: 'province.changed',
    id: randomUUID(),
    at,
    data: {
      province: { slug: p.slug, version: p.version + 1, stage: p.state.stage, tier: p.state.context.tier, deadlineStatus: 'breached', governor: null },
      change: { kind: 'event', seq, type: 'REPORT' },
    },
  };
}

function appendParams(p, seq, n, now) {
  const state = JSON.stringify(p.state);
  return [
    p.id, seq, 'REPORT', JSON.stringify(payloadOf(n)), now, now, 'bench', SOURCE, 'confirmed', null, 'province-formation@1',
    p.state.stage, p.state.stage, true, -1000, state, state, p.state.stage, p.state.context.tier, null, null, null,
  ];
}

/**
 * The statements the API sends for one accepted event today (auth look-up; TypeORM's START
 * TRANSACTION + SET TRANSACTION ISOLATION LEVEL; the lock; the CTE append; the alerts look-up; the
 * outbox insert; COMMIT; pg_notify after the commit), replayed from raw pg through a pool of the app's
 * size: the database's share of the API's cost, without Node, Nest or HTTP. The SQL mirrors
 * provinces.repository.ts, alerts.service.ts, outbox.writer.ts, change-bus.ts and api-keys.service.ts;
 * the probe run lists what the app really sends.
 */
export function apiStatementsOp(slugs, keyHash) {
  return async (ctx, n) => {
    await ctx.pool.query(`SELECT id, name, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`, [keyHash]);
    const c = await ctx.pool.connect();
    let notices;
    try {
      await c.query('START TRANSACTION');
      await c.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      const {
        rows: [p],
      } = await c.query(LOCK_SQL, [slugs[n % slugs.length]]);
      const seq = p.maxSeq + 1;
      const now = new Date(Math.max(p.now.getTime(), p.lastOccurredAt?.getTime() ?? 0));
      await c.query(APPEND_SQL, appendParams(p, seq, n, now));
      await c.query(ALERTS_SQL, [[p.id]]);
      notices = [changeNotice(p, seq, now.toISOString())];
      await c.query(OUTBOX_SQL, [notices.map((x) => x.type), notices.map((x) => JSON.stringify(x))]);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
    await ctx.pool.query(NOTIFY_SQL, [CHANNEL, notices.map((x) => JSON.stringify(x))]);
  };
}

/** Coalesces notices into one pg_notify round trip per flush, on a connection of its own. */
function batchedNotifier(url) {
  const c = new pg.Client({ connectionString: url, application_name: 'governor-tracker-bench' });
  let pending = [];
  let running = null;
  const flush = async () => {
    while (pending.length) {
      const batch = pending;
      pending = [];
      await c.query(NOTIFY_SQL, [CHANNEL, batch]);
    }
    running = null;
  };
  return {
    connect: () => c.connect(),
    notify(payloads) {
      pending.push(...payloads);
      running ??= flush();
    },
    async end() {
      await running;
      await c.end();
    },
  };
}

/**
 * The lock that also brings the active alerts, in one round trip. It has to be a function: in READ
 * COMMITTED a subquery in the locking SELECT would read the alerts with the statement's snapshot, taken
 * before the lock was granted — it would miss an alert the previous holder of the lock just opened.
 * Each statement of a VOLATILE plpgsql function takes a fresh snapshot, so the alerts are read after
 * the lock. Created by the benchmark in its scratch database only (a migration would create it in the app).
 */
export const LOCK_FUNCTION_SQL = `
CREATE FUNCTION bench_lock_province(p_slug text) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  row jsonb;
  pid uuid;
BEGIN
  SELECT p.id, jsonb_build_object(
           'id', p.id, 'slug', p.slug, 'code', p.code, 'name', p.name, 'nameAr', p.name_ar, 'seats', p.seats, 'state', p.state,
           'version', p.version, 'updatedAt', p.updated_at, 'lastOccurredAt', p.last_occurred_at, 'maxSeq', p.last_seq,
           'rules', jsonb_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'deadlineBasis', c.deadline_basis,
             'timezone', c.timezone, 'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days),
           'now', date_trunc('milliseconds', now()))
    INTO pid, row
    FROM province p JOIN cycle c ON c.id = p.cycle_id
   WHERE p.slug = p_slug
     FOR UPDATE OF p;
  IF pid IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN row || jsonb_build_object('alerts',
    (SELECT coalesce(jsonb_agg(to_jsonb(a)), '[]'::jsonb) FROM alert a WHERE a.province_id = pid AND a.status <> 'resolved'));
END $$`;

const LOCK_WITH_ALERTS_SQL = `SELECT bench_lock_province($1) AS p`;

/** One statement: event, province, idempotency row, outbox rows (alert changes would join here too). */
const APPEND_ALL_SQL = `WITH ev AS (
         INSERT INTO province_event (province_id, seq, type, payload, occurred_at, recorded_at, actor, source, confidence,
                                     note, machine, from_stage, to_stage, late, days_to_deadline, state_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ), pv AS (
         UPDATE province SET state = $17, stage = $18, tier = $19, version = version + 1, updated_at = $6,
                last_seq = $2, last_occurred_at = GREATEST(last_occurred_at, $5)
          WHERE id = $1
       ), ob AS (
         INSERT INTO outbox (webhook_id, event_type, payload)
         SELECT w.id, n.type, n.payload
           FROM unnest($23::text[], $24::jsonb[]) AS n(type, payload)
           JOIN webhook w ON w.deleted_at IS NULL AND n.type = ANY (w.events)
       )
       UPDATE idempotency_key SET state = 'done', response_status = $21, response_body = $22 WHERE id = $20`;

/**
 * The proposed shape: the key look-up cached (no statement), BEGIN (no separate SET: READ COMMITTED is
 * the default), the lock function (province + active alerts), one statement for everything written,
 * COMMIT — four round trips, three under the row lock; pg_notify coalesced after the commit.
 */
export function proposedOp(slugs, { prepared = false } = {}) {
  // prepared: named statements, parsed and planned once per connection (pg's { name, text, values }).
  const stmt = (name, text, values) => (prepared ? { name, text, values } : { text, values });
  return async (ctx, n) => {
    const c = await ctx.pool.connect();
    let notices;
    try {
      await c.query('BEGIN');
      const {
        rows: [{ p }],
      } = await c.query(stmt('gt_lock_with_alerts', LOCK_WITH_ALERTS_SQL, [slugs[n % slugs.length]]));
      const seq = p.maxSeq + 1;
      const now = new Date(Math.max(Date.parse(p.now), p.lastOccurredAt ? Date.parse(p.lastOccurredAt) : 0));
      notices = [changeNotice(p, seq, now.toISOString())];
      await c.query(
        stmt('gt_append_all', APPEND_ALL_SQL, [...appendParams(p, seq, n, now), notices.map((x) => x.type), notices.map((x) => JSON.stringify(x))]),
      );
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
    ctx.notifier.notify(notices.map((x) => JSON.stringify(x)));
  };
}

export function poolWithNotifier(url, max) {
  return async () => {
    const p = new pg.Pool({ connectionString: url, max, application_name: 'governor-tracker-bench' });
    const notifier = batchedNotifier(url);
    await notifier.connect();
    return {
      pool: p,
      notifier,
      async close() {
        await notifier.end();
        await p.end();
      },
    };
  };
}
