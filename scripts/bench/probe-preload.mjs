// Loaded into a benchmark-only API process with `node --import` (never into the measured run): counts
// the statements the app sends through `pg` and times them from the driver's side, so that the report
// can say where a write spends its round trips. The application's code is not touched; this wraps the
// driver's Client#query and Pool#connect in this one process.

//   SIGUSR2  write the counters as JSON to $BENCH_PROBE_OUT, then reset them (the first signal, after
//            boot and warm-up, starts the measured window; SIGUSR1 is left to Node's inspector); with
//            BENCH_PROBE_PROFILE=1, also the CPU profile of the window to $BENCH_PROBE_OUT.cpuprofile

import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import pg from 'pg';

const stats = new Map();
let pool = { waits: 0, totalMs: 0, maxMs: 0 };
let lockHeld = [];
let transactions = 0;

// Statements sent with the simple protocol carry their values inline: one row per statement shape.
const label = (text) => {
  const t = text.replace(/\s+/g, ' ').replace(/E?'(?:[^']|'')*'/g, "'…'").trim();
  return t.length > 90 ? `${t.slice(0, 90)}…` : t;
};

function record(text, ms) {
  const key = label(text);
  const s = stats.get(key) ?? { count: 0, totalMs: 0 };
  s.count++;
  s.totalMs += ms;
  stats.set(key, s);
}

// BENCH_PROBE_WRAP=0: profile only (the driver is left alone).
const wrap = process.env.BENCH_PROBE_WRAP !== '0';
const originalQuery = pg.Client.prototype.query;
if (wrap) pg.Client.prototype.query = function query(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text !== 'string' || typeof values === 'function' || typeof callback === 'function') {
    return originalQuery.call(this, config, values, callback);
  }
  const t0 = performance.now();
  // The province's row lock is taken by gt_lock_province (or, before it, a SELECT … FOR UPDATE OF p).
  if (/gt_lock_province\(/.test(text) || (/FOR UPDATE OF p\b/.test(text) && /WHERE p\.slug = \$1/.test(text))) this.__benchLockAt = t0;
  const promise = originalQuery.call(this, config, values);
  return promise.then((result) => {
    const t1 = performance.now();
    record(text, t1 - t0);
    if ((text === 'COMMIT' || text === 'ROLLBACK' || /; COMMIT$/.test(text)) && this.__benchLockAt !== undefined) {
      lockHeld.push(t1 - this.__benchLockAt);
      this.__benchLockAt = undefined;
      transactions++;
    }
    return result;
  });
};

const originalConnect = pg.Pool.prototype.connect;
if (wrap) {
const timedCheckout = (t0) => {
  const ms = performance.now() - t0;
  pool.waits++;
  pool.totalMs += ms;
  pool.maxMs = Math.max(pool.maxMs, ms);
};
// TypeORM checks clients out with a callback; other callers use the promise.
pg.Pool.prototype.connect = function connect(callback) {
  const t0 = performance.now();
  if (typeof callback === 'function') {
    return originalConnect.call(this, (err, client, release) => {
      if (!err) timedCheckout(t0);
      callback(err, client, release);
    });
  }
  return originalConnect.call(this).then((client) => {
    timedCheckout(t0);
    return client;
  });
};
}

// A CPU profile per window (between two signals), from the inspector of this very process. The session
// is opened at the first signal, not at start, so that the measured phase before it runs as a plain
// server does (an enabled profiler keeps data per compiled function: 2–3 MiB at the scale run).
const profiling = process.env.BENCH_PROBE_PROFILE === '1';
let session = null;
let profileStarted = false;
function nextProfile() {
  if (!profiling) return;
  if (!session) {
    session = new inspector.Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 500 });
  }
  const start = () => session.post('Profiler.start', () => (profileStarted = true));
  if (!profileStarted) return start();
  session.post('Profiler.stop', (err, result) => {
    if (!err && process.env.BENCH_PROBE_OUT) writeFileSync(`${process.env.BENCH_PROBE_OUT}.cpuprofile`, JSON.stringify(result.profile));
    start();
  });
}

process.on('SIGUSR2', () => {
  nextProfile();
  const sorted = lockHeld.slice().sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
  const out = {

    statements: [...stats.entries()].map(([sql, s]) => ({ sql, count: s.count, meanMs: s.totalMs / s.count })).sort((a, b) => b.count - a.count),
    pool,
    lockedTransactions: transactions,
    lockHeldMs: { n: sorted.length, p50: pct(50), p95: pct(95), p99: pct(99) },
  };
  if (process.env.BENCH_PROBE_OUT) writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify(out));
  stats.clear();
  pool = { waits: 0, totalMs: 0, maxMs: 0 };
  lockHeld = [];
  transactions = 0;
});
