// The write path under load: the API (through HTTP, with autocannon) and raw `pg` doing comparable work
// (the naive baseline, plus the API's own statements from raw pg), all closed-loop at a fixed concurrency. Every load
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
export function apiWriteLoad({ slugs, ...options }) {
  let n = 0;
  return httpLoad({
    ...options,
    request: {
      method: 'POST',
      setupRequest(request) {
        const i = n++;
        return { ...request, path: `/api/v1/provinces/${slugs[i % slugs.length]}/events`, body: JSON.stringify(reportBody(i)) };
      },
    },
  });
}

/**
 * The same load on a route that does no work (GET /health/live): what Node's HTTP server, Fastify, Nest
 * and the app's global hooks (request id, log line, metrics, security headers) cost per request — the
 * floor under any route of this server.
 */
export function apiFloorLoad(options) {
  return httpLoad({ ...options, request: { method: 'GET', path: '/health/live' } });
}

/** GET `path` at `connections` keep-alive connections, accepting gzip as browsers and fetch do (the read cache keeps answers compressed). */
export function apiReadLoad({ path, ...options }) {
  return httpLoad({ ...options, headers: { 'accept-encoding': 'gzip' }, request: { method: 'GET', path } });
}

async function httpLoad({ url, key, connections, warmupS, durationS, beforeClose, request, headers = {} }) {
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
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    requests: [request],
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
 * The naive write's statements inside a transaction already open on `query` (pg's client.query or a
 * PGlite transaction's): SELECT … FOR UPDATE, UPDATE the province, INSERT the event. One definition,
 * so that both modes' baselines (naiveOp here, pgliteNaiveOp in embedded.mjs) write the same thing.
 */
export async function naiveStatements(query, slug, n) {
  const {
    rows: [p],
  } = await query(`SELECT id, state, last_seq, version FROM province WHERE slug = $1 FOR UPDATE`, [slug]);
  const seq = p.last_seq + 1;
  const state = JSON.stringify(p.state);
  await query(
    `UPDATE province SET state = $2, version = version + 1, last_seq = $3, updated_at = now(),
            last_occurred_at = GREATEST(last_occurred_at, now()) WHERE id = $1`,
    [p.id, state, seq],
  );
  await query(
    `INSERT INTO province_event (province_id, seq, type, payload, occurred_at, actor, source, confidence, machine,
                                 from_stage, to_stage, late, days_to_deadline, state_after)
     VALUES ($1, $2, 'REPORT', $3, now(), 'bench', $4, 'confirmed', 'province-formation@1', $5, $5, true, -1000, $6)`,
    [p.id, seq, JSON.stringify(payloadOf(n)), SOURCE, p.state.stage, state],
  );
}

/**
 * The naive write, as a developer would write it by hand: BEGIN; SELECT … FOR UPDATE; UPDATE the
 * province; INSERT the event; COMMIT — five round trips, four of them under the row lock.
 */
export function naiveOp(slugs) {
  return async (ctx, n, w) => {
    const c = ctx.list[w];
    await c.query('BEGIN');
    await naiveStatements((sql, params) => c.query(sql, params), slugs[n % slugs.length], n);
    await c.query('COMMIT');
  };
}

// ---- Diagnostic: the API's own two round trips, sent from raw pg, to locate the API's cost. ----

const CHANNEL = 'governor_tracker_changes';

/**
 * What the API sends for one accepted event, without Node's HTTP, Nest or the machine: BEGIN with
 * gt_lock_province() in one simple-protocol message, then gt_append_event() with COMMIT in another
 * (the functions of migration WritePath, in the seeded scratch database), with the JSON document
 * provinces.repository.ts `appendDocument` builds and one province.changed notice NOTIFYed at commit.
 * The gap between this and the API run is the application server's share; the gap between this and
 * the naive baseline is the database's. `literal` is the API's own SQL literal escaping (sqlLiteral).
 */
export function appShapeOp(slugs, literal) {
  return async (ctx, n) => {
    const c = await ctx.pool.connect();
    try {
      const [, opened] = await c.query(`BEGIN; SELECT gt_lock_province(${literal(slugs[n % slugs.length])}) AS p`);
      const p = opened.rows[0].p;
      const seq = p.maxSeq + 1;
      const at = new Date(Math.max(Date.parse(p.now), p.lastOccurredAt ? Date.parse(p.lastOccurredAt) : 0)).toISOString();
      const notice = {
        type: 'province.changed',
        id: randomUUID(),
        at,
        data: {
          province: { slug: p.slug, version: p.version + 1, stage: p.state.stage, tier: p.state.context.tier, deadlineStatus: 'breached', governor: null },
          change: { kind: 'event', seq, type: 'REPORT' },
        },
      };
      const doc = {
        provinceId: p.id, seq, type: 'REPORT', payload: payloadOf(n), occurredAt: at, recordedAt: p.now, actor: 'bench',
        source: JSON.parse(SOURCE), confidence: 'confirmed', note: null, machine: 'province-formation@1', fromStage: p.state.stage,
        toStage: p.state.stage, late: true, daysToDeadline: -1000, stateAfter: p.state, internal: false, approvedBy: null,
        finalState: p.state, idempotency: null, notices: [notice], notifyChannel: CHANNEL,
      };
      await c.query(`SELECT gt_append_event(${literal(JSON.stringify(doc))}::jsonb); COMMIT`);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  };
}
