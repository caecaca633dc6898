#!/usr/bin/env node
// `npm run bench`: the performance benchmark of governor-tracker (issue 6), in two modes. The embedded
// database (issue 25, scripts/bench/embedded.mjs: cold starts, writes against the naive transaction sent
// straight to PGlite, reads, memory). The PostgreSQL server that DATABASE_URL names, self-contained:
// it creates scratch databases (bench_<timestamp>_*), drops them at the end, and measures:
//   - the write path: the built API accepting sourced events at 32 connections, against a baseline
//     measured in the same run on the same server (raw pg doing the naive transaction at 32 clients);
//     then both again with every connection on two provinces (the hot-province load);
//   - reads at scale: 10,000 provinces and 1,000,000 events bulk-loaded with INSERT … SELECT;
//   - the servers' peak RSS; and EXPLAIN (ANALYZE, BUFFERS) of the hot queries.
// It prints a table, writes bench-results/<timestamp>.json and bench-results/latest.json, the plans to
// bench-results/explain.txt, and a summary for docs/performance.md to bench-results/performance.md.
//
//   npm run bench [-- --embedded | --postgres] [-- --quick] [-- --skip-write | --skip-scale] [-- --verify] [-- --no-whatif] [-- --keep]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { snapshotBuild } from './bench/build.mjs';
import { ScratchDatabases, connect, cpuDelta, runCli } from './bench/db.mjs';
import { explainAll, explainText } from './bench/explain.mjs';
import { summarizeProfile } from './bench/profile.mjs';
import { renderReport, renderReadme } from './bench/report.mjs';
import { get, sample } from './bench/reads.mjs';
import { SCALE, loadScale } from './bench/scale-load.mjs';
import { startServer } from './bench/server.mjs';
import { HEAP_LIMIT_MIB, serverNodeOptions } from './server-node-options.mjs';
import { load1, log, sleep, stamp } from './bench/util.mjs';
import { apiFloorLoad, apiReadLoad, apiWriteLoad, appShapeOp, clients, naiveOp, pgLoad, pool, reportBody } from './bench/write.mjs';
import { coldStarts, newDataDir, openBuiltPglite, pgliteNaiveOp } from './bench/embedded.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(PROJECT, 'bench-results');
const PROBE = path.join(PROJECT, 'scripts', 'bench', 'probe-preload.mjs');

const TARGETS = {
  writeRatio: 1.0,
  writeRatioStretch: 1.5,
  writeP99Ms: 50,
  digestP95Ms: 25,
  asOfP95Ms: 50,
  rssMiB: 200,
  // The embedded database (issue 25): `npm start` on a built tree to /health/ready.
  embeddedNewDataDirMs: 5000,
  embeddedExistingDataDirMs: 2000,
  embeddedReadP99Ms: 20,
  embeddedRssMiB: 300,
};
/** Connections of the read loads (list and digest), in both modes. */
const READ_CONNECTIONS = 8;
/** A day of the seeded cycle's history: its digest is what the read loads ask for. */
const DIGEST_DAY = '2024-02-10';

const USAGE = `npm run bench [-- options]

  Both modes by default: PostgreSQL (the server DATABASE_URL names) and the embedded database (PGlite,
  what \`npm start\` runs without DATABASE_URL); the embedded one alone when DATABASE_URL is unset.
  --embedded       only the embedded mode       --postgres     only the PostgreSQL mode

  --quick          shorter loads and fewer samples (a smoke run; the figures are rougher)
  --skip-write     only the scale part          --skip-scale   only the write part
  --no-whatif      skip the what-if and diagnostic write runs
  --verify         replay the bulk-loaded database with the CLI's verify (slow: about a minute or more)
  --keep           keep the scratch databases (their names are printed)
  --connections N  write concurrency (default 32)     --duration S / --warmup S  (default 10 / 2)
  --prewarm S      unmeasured load on each side before its first run (default 10)
  --budget S       the run's time budget (default 540): optional parts (probe, diagnostics, what-ifs,
                   profiles) are skipped when they would not fit; --timeout S aborts (default 1200)`;

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-write': { type: 'boolean', default: false },
    embedded: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    'skip-scale': { type: 'boolean', default: false },
    'no-whatif': { type: 'boolean', default: false },
    verify: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    connections: { type: 'string', default: '32' },
    prewarm: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    timeout: { type: 'string', default: '1200' },
    budget: { type: 'string', default: '540' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const DATABASE_URL = process.env.DATABASE_URL?.trim() || null;
if (opt.embedded && opt.postgres) {
  process.stderr.write('--embedded and --postgres exclude each other (neither: both modes)\n');
  process.exit(2);
}
if (opt.postgres && !DATABASE_URL) {
  process.stderr.write(
    'the PostgreSQL mode needs a server: set DATABASE_URL, e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench\n' +
      'It creates its own scratch databases (bench_<timestamp>_*) there and drops them at the end;\n' +
      'the role needs CREATEDB.\n',
  );
  process.exit(2);
}
if (DATABASE_URL && !/^postgres(ql)?:\/\//.test(DATABASE_URL)) {
  process.stderr.write('DATABASE_URL must be a postgres:// or postgresql:// URL\n');
  process.exit(2);
}
const runPostgres = DATABASE_URL !== null && !opt.embedded;
const runEmbedded = !opt.postgres;
if (!runPostgres && !opt.embedded) log('DATABASE_URL is unset: the embedded mode only');

const connections = Number(opt.connections);
const warmupS = Number(opt.warmup ?? (opt.quick ? 1 : 2));
const durationS = Number(opt.duration ?? (opt.quick ? 4 : 10));
const diagWarmupS = opt.quick ? 1 : 1;
// Untimed load on each side before its first measured run (each server of a what-if too): a fresh
// server spent the first seconds compiling (V8's optimizing compiler runs on helper threads, counted
// in its CPU) and growing its heap — its first 2 s + 10 s run measured ~10 % fewer writes and ~40 % more
// CPU per write than its second (three runs of one server: 956, 1,061, 1,056/s; 1.03, 0.71, 0.69 ms;
// five runs of another: 0.85, 0.63, 0.60, 0.61 ms — steady after about 12 s of load).
// Both sides get it: the naive baseline's client and the database warm the same way.
const prewarmS = Number(opt.prewarm ?? (opt.quick ? 2 : 10));
const diagDurationS = opt.quick ? 3 : 5;
// Reads: at least minSamples, then more until the budget (per endpoint) or maxSamples. A 10,000-province
// answer can take seconds on a busy machine, so the minimum is small; the table prints n.
const readBudget = opt.quick ? { minSamples: 3, maxSamples: 30, budgetMs: 3000 } : { minSamples: 5, maxSamples: 200, budgetMs: 10_000 };

const ts = stamp();
const runStarted = performance.now();
const skipped = [];
/** May an optional part of `estimateS` seconds run, keeping `reserveS` for the parts still required? */
function fits(name, estimateS, reserveS = 0) {
  if (opt['no-whatif']) return false;
  const elapsed = (performance.now() - runStarted) / 1000;
  if (elapsed + estimateS + reserveS <= Number(opt.budget)) return true;
  skipped.push(name);
  log(`skipping ${name}: ${Math.round(elapsed)} s elapsed, ~${estimateS} s needed, ${reserveS} s kept for what follows, budget ${opt.budget} s`);
  return false;
}
const dbs = runPostgres ? new ScratchDatabases(DATABASE_URL) : null;
const servers = new Set();
/** Removers of the embedded phase's data dirs (at its end, or on a signal). */
const scratchDirs = new Set();
let build = null;
let cleaning = null;

async function cleanup() {
  cleaning ??= (async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    servers.clear();
    if (!dbs) {
      // the embedded phase removes its own data dirs
    } else if (opt.keep) {
      log(`kept: ${dbs.created.join(', ')}`);
      await dbs.admin?.end().catch(() => undefined);
    } else {
      await dbs.dropAll();
    }
    for (const remove of scratchDirs) remove();
    scratchDirs.clear();
    build?.remove();
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping servers and dropping the scratch databases`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`the run exceeded ${opt.timeout} s: stopping`);
  void cleanup().finally(() => process.exit(1));
}, Number(opt.timeout) * 1000);
watchdog.unref();

async function serve(label, env, extra = {}) {
  const s = await startServer(build.api, env, { cwd: PROJECT, label, ...extra });
  servers.add(s);
  const stop = s.stop.bind(s);
  s.stop = async () => {
    servers.delete(s);
    return stop();
  };
  return s;
}

function serverEnv(url, key, extra = {}) {
  return {
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_API_KEY: key,
    // No periodic sweep inside a measured window (the boot sweep still runs).
    ALERT_SWEEP_SECONDS: '86400',
    ...extra,
  };
}

async function postOne(url, key, slug, n) {
  const res = await fetch(`${url}/api/v1/provinces/${slug}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(reportBody(n)),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /provinces/${slug}/events answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Signal a probed server (SIGUSR2) and read the window it closes: counters, and the CPU profile summary. */
function probeReader(s, out) {
  const profileFile = `${out}.cpuprofile`;
  return async () => {
    rmSync(out, { force: true });
    rmSync(profileFile, { force: true });
    s.signal('SIGUSR2');
    for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100);
    for (let i = 0; i < 50 && !existsSync(profileFile); i++) await sleep(100);
    await sleep(200);
    const data = JSON.parse(readFileSync(out, 'utf8'));
    if (existsSync(profileFile)) data.cpu = summarizeProfile(profileFile);
    return data;
  };
}

/**
 * The probe: the app's statements per write, their driver-side time, pool waits, lock-hold time and a CPU
 * profile of the server, first one write at a time, then at the measured concurrency.
 */
async function probeRun(url, key, slugs) {
  const out = path.join(build.dir, 'probe.json');
  const s = await serve('probe', serverEnv(url, key, { BENCH_PROBE_OUT: out, BENCH_PROBE_PROFILE: '1' }), { preload: PROBE });
  try {
    const readProbe = probeReader(s, out);
    // Uncontended: one write at a time.
    for (let i = 0; i < 20; i++) await postOne(s.url, key, slugs[i % slugs.length], 9_000_000 + i);
    await readProbe();
    const sequentialN = opt.quick ? 50 : 150;
    for (let i = 0; i < sequentialN; i++) await postOne(s.url, key, slugs[i % slugs.length], 9_100_000 + i);
    const sequential = { writes: sequentialN, ...(await readProbe()) };
    // Under load: the measured concurrency (after a second of warm-up).
    await apiWriteLoad({ url: s.url, key, slugs, connections, warmupS: 0, durationS: 1 });
    await readProbe();
    const underLoad = await apiWriteLoad({ url: s.url, key, slugs, connections, warmupS: 0, durationS: diagDurationS });
    const concurrent = { writes: underLoad.ok + underLoad.failed, rate: underLoad.rate, ...(await readProbe()) };
    for (const w of [sequential, concurrent]) {
      if (w.cpu) w.cpu.busyMsPerWrite = Math.round((w.cpu.busyMs / Math.max(1, w.writes)) * 100) / 100;
    }
    return { sequential, concurrent };
  } finally {
    await s.stop();
  }
}

/**
 * Two runs of the API as one figure: the mean rate, p50 and CPU per write, the worse p99, and the
 * totals (every acknowledged write of both runs is checked for in the database).
 */
function meanOfRuns(rs) {
  const mean = (f) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const sum = (f) => rs.reduce((a, r) => a + f(r), 0);
  const cpuKeys = Object.keys(rs[0].cpuMsPerWrite ?? {});
  const cpu = Object.fromEntries(
    cpuKeys.map((k) => [k, rs.every((r) => typeof r.cpuMsPerWrite?.[k] === 'number') ? Math.round(mean((r) => r.cpuMsPerWrite[k]) * 1000) / 1000 : null]),
  );
  return {
    rate: mean((r) => r.rate),
    ok: sum((r) => r.ok),
    failed: sum((r) => r.failed),
    attempted: sum((r) => r.attempted ?? r.ok),
    acknowledged: sum((r) => r.acknowledged),
    latency: { p50: mean((r) => r.latency.p50), p99: Math.max(...rs.map((r) => r.latency.p99)) },
    cpuMsPerWrite: cpu,
    load1: rs[rs.length - 1].load1,
  };
}

/** Loads run at once on several servers as one: the rates summed, the rest as meanOfRuns (counts summed, p50 the mean, p99 the worst). */
function sumOfRuns(rs) {
  const { cpuMsPerWrite: _cpu, load1: _load, ...together } = meanOfRuns(rs);
  return { ...together, rate: rs.reduce((a, r) => a + r.rate, 0) };
}

/**
 * The CPU of the system under test per write: the server and PostgreSQL for the API; the raw-pg client
 * (it is the application there) and PostgreSQL for the raw-pg runs. On `cores` idle cores a CPU-bound
 * write path cannot exceed cores × 1000 / that figure (the ceiling printed beside the measured rate).
 */
function systemCpu(r, isServer) {
  const c = r?.cpuMsPerWrite;
  if (!c || c.postgres === null) return r;
  const ms = (isServer ? c.server : c.loadGenerator) + c.postgres;
  c.system = Math.round(ms * 1000) / 1000;
  c.ceilingOnIdleCores = Math.round((os.cpus().length * 1000) / ms);
  return r;
}

/**
 * Run one load and account its CPU: the PostgreSQL backends of the database (from /proc), the server
 * process when there is one, and this process (the load generator or the raw-pg client) — per attempted write.
 */
async function withCpu(datname, server, run) {
  const pgBefore = await dbs.backendCpu(datname);
  const serverBefore = server?.cpuMs() ?? null;
  const selfBefore = process.cpuUsage();
  let snap = null;
  const take = async () => {
    snap = { pg: await dbs.backendCpu(datname), server: server?.cpuMs() ?? null, self: process.cpuUsage(selfBefore) };
  };
  const result = await run(take);
  if (!snap) await take();
  const ops = Math.max(1, result.attempted ?? result.ok);
  const pgMs = cpuDelta(pgBefore, snap.pg);
  const per = (ms) => (ms === null ? null : Math.round((ms / ops) * 1000) / 1000);
  result.cpuMsPerWrite = {
    postgres: per(pgMs),
    server: serverBefore === null || snap.server === null ? null : per(snap.server - serverBefore),
    loadGenerator: per((snap.self.user + snap.self.system) / 1000),
  };
  return result;
}

/** The write load on a fresh server for prewarmS, unmeasured; returns the writes it acknowledged. */
async function prewarm(server, key, slugs) {
  if (prewarmS <= 0) return 0;
  return (await apiWriteLoad({ url: server.url, key, slugs, connections, warmupS: 0, durationS: prewarmS })).acknowledged;
}

async function writePhase() {
  log(`write path: scratch databases bench_${ts}_base (raw pg) and bench_${ts}_write (API)`);
  const baseUrl = await dbs.create(`bench_${ts}_base`);
  await runCli(build.cli, baseUrl, ['seed'], { cwd: PROJECT });
  const base = await connect(baseUrl);
  const slugs = (await base.q(`SELECT slug FROM province ORDER BY slug`)).map((r) => r.slug);
  const hotSlugs = slugs.slice(0, 2);
  await base.end();

  const writeUrl = await dbs.create(`bench_${ts}_write`);
  const key = `bench-admin-${randomBytes(16).toString('hex')}`;
  const env = serverEnv(writeUrl, key);
  const api = await serve('write', env);
  await postOne(api.url, key, slugs[0], 0); // the path works before it is loaded

  const runs = {};
  const baseName = `bench_${ts}_base`;
  const writeName = `bench_${ts}_write`;
  const naive = () =>
    withCpu(baseName, null, (beforeClose) =>
      pgLoad({ open: clients(baseUrl, connections), op: naiveOp(slugs), workers: connections, warmupS, durationS, beforeClose }),
    );
  if (prewarmS > 0) {
    log(`warming both sides: ${prewarmS} s of each load, not measured`);
    await pgLoad({ open: clients(baseUrl, connections), op: naiveOp(slugs), workers: connections, warmupS: 0, durationS: prewarmS });
  }
  const prewarmed = await prewarm(api, key, slugs);
  log(`naive raw pg baseline #1: ${connections} clients, ${warmupS} s + ${durationS} s (load ${load1()})`);
  runs.baseline1 = { ...(await naive()), load1: load1() };
  log(`  ${Math.round(runs.baseline1.rate)}/s`);
  // Interleaved, two runs each (naive, API, naive, API): this machine is shared, and one run of either
  // can land in a slow minute.
  const apiRun = async (n) => {
    log(`API #${n}: ${connections} connections, ${warmupS} s + ${durationS} s (load ${load1()})`);
    const r = {
      ...(await withCpu(writeName, api, (beforeClose) => apiWriteLoad({ url: api.url, key, slugs, connections, warmupS, durationS, beforeClose }))),
      load1: load1(),
    };
    log(`  ${Math.round(r.rate)}/s, ${r.failed} failed`);
    return r;
  };
  runs.api1 = await apiRun(1);
  log(`naive raw pg baseline #2 (load ${load1()})`);
  runs.baseline2 = { ...(await naive()), load1: load1() };
  log(`  ${Math.round(runs.baseline2.rate)}/s`);
  runs.api2 = await apiRun(2);
  // The newsroom's busiest moment is one province's (an appointment day): the same two loads with every
  // connection on two provinces, so that most writes wait for a province another write holds.
  log(`hot provinces: naive raw pg, ${connections} clients on ${hotSlugs.join(' and ')} (load ${load1()})`);
  runs.hotBaseline = {
    ...(await withCpu(baseName, null, (beforeClose) =>
      pgLoad({ open: clients(baseUrl, connections), op: naiveOp(hotSlugs), workers: connections, warmupS, durationS, beforeClose }),
    )),
    load1: load1(),
  };
  log(`  ${Math.round(runs.hotBaseline.rate)}/s`);
  log(`hot provinces: API, ${connections} connections on the same two (load ${load1()})`);
  runs.hotApi = {
    ...(await withCpu(writeName, api, (beforeClose) => apiWriteLoad({ url: api.url, key, slugs: hotSlugs, connections, warmupS, durationS, beforeClose }))),
    load1: load1(),
  };
  log(`  ${Math.round(runs.hotApi.rate)}/s, ${runs.hotApi.failed} failed`);
  log(`floor: GET /health/live on the same server, ${connections} connections, ${diagWarmupS} s + ${diagDurationS} s`);
  runs.floor = {
    ...(await withCpu(writeName, api, (beforeClose) =>
      apiFloorLoad({ url: api.url, key, connections, warmupS: diagWarmupS, durationS: diagDurationS, beforeClose }),
    )),
    load1: load1(),
  };
  log(`  ${Math.round(runs.floor.rate)}/s`);
  const reads = await readLoads(api.url, key);
  const apiMemory = await api.stop();
  for (const r of [runs.baseline1, runs.api1, runs.baseline2, runs.api2, runs.hotBaseline, runs.hotApi, runs.floor]) {
    systemCpu(r, r !== runs.baseline1 && r !== runs.baseline2 && r !== runs.hotBaseline);
  }
  runs.api = meanOfRuns([runs.api1, runs.api2]);

  // Every acknowledged write is there, in a gap-free seq per province, and each snapshot agrees.
  const w = await connect(writeUrl);
  const [integrity] = await w.q(
    `SELECT count(*)::int AS events,
            count(*) FILTER (WHERE p.last_seq <> x.n OR p.version <> x.n OR x.maxseq <> x.n)::int AS inconsistent
       FROM (SELECT province_id, count(*)::int AS n, max(seq) AS maxseq FROM province_event GROUP BY province_id) x
       JOIN province p ON p.id = x.province_id`,
  );
  const [{ events }] = await w.q(`SELECT count(*)::int AS events FROM province_event`);
  await w.end();

  const baselineRate = (runs.baseline1.rate + runs.baseline2.rate) / 2;
  const result = {
    connections,
    warmupS,
    durationS,
    event: 'REPORT (sourced, unique text), round-robin over the 15 provinces, no occurredAt (server time)',
    api: { ...runs.api, runs: [runs.api1, runs.api2], bootMs: api.bootMs, env: { DB_POOL_MAX: '10 (default)' } },
    floor: runs.floor,
    reads,
    hot: { slugs: hotSlugs, api: runs.hotApi, baseline: runs.hotBaseline, ratio: runs.hotApi.rate / runs.hotBaseline.rate },
    baseline: { rate: baselineRate, runs: [runs.baseline1, runs.baseline2], latency: runs.baseline1.latency, latency2: runs.baseline2.latency },
    ratio: runs.api.rate / baselineRate,
    prewarmS,
    // Every 201 of the measured runs (and of the warm-up, and the one sanity POST before it) is a stored event.
    integrity: {
      eventsInApiDatabase: events,
      acknowledgedWrites: runs.api.acknowledged + runs.hotApi.acknowledged + prewarmed + 1,
      lost: runs.api.acknowledged + runs.hotApi.acknowledged + prewarmed + 1 - events,
      apiRuns: 3,
      provincesWithInconsistentSnapshot: integrity.inconsistent,
    },
    memory: apiMemory,
    diagnostics: {},
    whatIf: {},
  };

  const reserve = opt['skip-scale'] ? 0 : 300; // the scale part's required steps on a busy machine
  const diagS = diagWarmupS + diagDurationS + 2;
  if (fits('probe', 30, reserve)) {
    log('probe: the statements one write sends (a separate server with the driver wrapped)');
    result.probe = await probeRun(writeUrl, key, slugs);
  }
  if (fits('diagnostics', diagS, reserve)) {
    log(`diagnostic: the API's two round trips sent from raw pg (no HTTP, Nest or machine), pool of 10, ${connections} workers`);
    // The API's own literal escaping, from the build under test.
    const { sqlLiteral } = await import(pathToFileURL(path.join(build.dir, 'dist/libs/database/src/sql-literal.js')).href);
    result.diagnostics.appShape = {
      ...(await withCpu(baseName, null, (beforeClose) =>
        pgLoad({ open: pool(baseUrl, 10), op: appShapeOp(slugs, sqlLiteral), workers: connections, warmupS: diagWarmupS, durationS: diagDurationS, beforeClose }),
      )),
      load1: load1(),
      durationS: diagDurationS,
    };
    systemCpu(result.diagnostics.appShape, false);
    log(`  ${Math.round(result.diagnostics.appShape.rate)}/s`);
  }
  {
    const whatIfs = [
      // A batch's events of one province: one (as until session 8) instead of up to 8 under one lock — on
      // the hot-province load, where it matters (over the 15 provinces a batch rarely finds two of one).
      { id: 'perprovince1hot', title: 'DB_WRITE_BATCH_PER_PROVINCE=1 on the hot-province load (configuration only; one event per province per batch, as until session 8)', env: { DB_WRITE_BATCH_PER_PROVINCE: '1' }, hot: true },
      { id: 'pool32', title: `DB_POOL_MAX=${connections} (configuration only)`, env: { DB_POOL_MAX: String(connections) } },
      // The heap limit's price: the same server with V8's default limit (sized from the machine's memory).
      { id: 'noheaplimit', title: `without the server's heap limit (--max-old-space-size=${HEAP_LIMIT_MIB}): V8's default`, env: { NODE_OPTIONS: '' } },
      // Memory against CPU: a young generation of at most 2 × 8 MiB (V8's default here: 2 × 16 MiB).
      { id: 'semispace8', title: 'with --max-semi-space-size=8 (a smaller young generation)', env: { NODE_OPTIONS: serverNodeOptions('--max-semi-space-size=8') } },
      // The group commit's slot count (DB_WRITE_SLOTS) on either side of the default.
      { id: 'slots1', title: 'DB_WRITE_SLOTS=1 (configuration only)', env: { DB_WRITE_SLOTS: '1' } },
      { id: 'slots4', title: 'DB_WRITE_SLOTS=4 (configuration only; the default until 2026-11-28)', env: { DB_WRITE_SLOTS: '4' } },
      // A second process (as a cluster or a second instance would add): the same 32 connections, half on each.
      { id: 'twoprocs', title: `two API processes on the one database, ${connections / 2} connections each`, env: {}, instances: 2 },
      // Diagnostic, not a setting to ship: the API's event loop (its main thread) at nice -10, ahead of
      // PostgreSQL's backends and the load generator when the cores are contended. Needs CAP_SYS_NICE.
      { id: 'nice', title: "the API's main thread at nice -10 (scheduling priority on the shared cores; a diagnostic)", env: {}, priority: -10 },
    ];
    for (const wi of whatIfs) {
      if (!fits(`what-if ${wi.id}`, prewarmS * (wi.instances ?? 1) + warmupS + durationS + 8, reserve)) continue;
      log(`what-if ${wi.id}: ${wi.title}`);
      const instances = [];
      try {
        for (let i = 0; i < (wi.instances ?? 1); i++) {
          instances.push(await serve(`what-if ${wi.id}${i ? ` #${i + 1}` : ''}`, serverEnv(writeUrl, key, wi.env), wi.preload ? { preload: wi.preload } : {}));
        }
        const load = wi.hot ? hotSlugs : slugs;
        for (const s of instances) await prewarm(s, key, load);
        if (wi.priority !== undefined) {
          try {
            // On Linux this sets the nice value of the thread whose id is the pid: the main thread.
            for (const s of instances) os.setPriority(s.pid, wi.priority);
          } catch (err) {
            log(`  skipped: cannot set the priority (${err.code ?? err.message})`);
            continue;
          }
        }
        // Their CPU together; the load split evenly; one figure of the runs (rates and counts summed).
        const together = { cpuMs: () => instances.reduce((a, s) => a + s.cpuMs(), 0) };
        const r = await withCpu(writeName, together, async (beforeClose) => {
          const each = await Promise.all(
            instances.map((s, i) =>
              apiWriteLoad({ url: s.url, key, slugs: load, connections: connections / instances.length, warmupS, durationS, beforeClose: i === 0 ? beforeClose : undefined }),
            ),
          );
          return each.length === 1 ? each[0] : sumOfRuns(each);
        });
        const memory = instances.map((s) => s.memoryNow()).sort((a, b) => (b.hwmKiB ?? 0) - (a.hwmKiB ?? 0))[0];
        result.whatIf[wi.id] = { title: wi.title, ...systemCpu(r, true), ratio: r.rate / (wi.hot ? runs.hotBaseline.rate : baselineRate), hot: wi.hot ?? false, load1: load1(), memory };
        log(`  ${Math.round(r.rate)}/s`);
      } finally {
        for (const s of instances) await s.stop();
      }
    }
  }
  if (!opt.keep) {
    await dbs.drop(baseName);
    await dbs.drop(writeName);
  }
  return result;
}

/** CPU (ms) of this process and of a server (when there is one) over one load, per completed operation. */
async function cpuPerOp(server, run) {
  const self0 = process.cpuUsage();
  const server0 = server?.cpuMs() ?? null;
  const result = await run();
  const self = process.cpuUsage(self0);
  const ops = Math.max(1, result.attempted ?? result.ok);
  const per = (ms) => (ms === null ? null : Math.round((ms / ops) * 1000) / 1000);
  result.cpuMsPerWrite = {
    server: server0 === null ? null : per(server.cpuMs() - server0),
    loadGenerator: per((self.user + self.system) / 1000),
  };
  return result;
}

/** The list and the digest at READ_CONNECTIONS connections (after one unmeasured request that computes each). */
async function readLoads(url, key) {
  const reads = {};
  for (const [id, title, readPath] of [
    ['list', 'GET /provinces', '/api/v1/provinces'],
    ['digest', `GET /digest?date=${DIGEST_DAY}`, `/api/v1/digest?date=${DIGEST_DAY}`],
  ]) {
    const first = await get(url, readPath, key);
    if (first.status !== 200) throw new Error(`${title} answered ${first.status}: ${first.body.toString('utf8').slice(0, 300)}`);
    log(`reads: ${title}, ${READ_CONNECTIONS} connections, ${warmupS} s + ${durationS} s (load ${load1()})`);
    reads[id] = { title, connections: READ_CONNECTIONS, bytes: first.body.length, ...(await apiReadLoad({ url, key, path: readPath, connections: READ_CONNECTIONS, warmupS, durationS })), load1: load1() };
    log(`  ${Math.round(reads[id].rate)}/s, p50 ${reads[id].latency.p50} ms, p99 ${reads[id].latency.p99} ms, ${reads[id].failed} failed`);
  }
  return reads;
}

/**
 * The embedded mode (issue 25): cold starts with `npm start`; the write load on the built server (its own
 * PGlite in DATA_DIR) against the naive transaction sent straight to a PGlite in this process, seeded the
 * same way and opened with the server's options, interleaved as in the PostgreSQL mode; reads at
 * READ_CONNECTIONS connections; the server's peak RSS; and every acknowledged write counted in its data dir.
 */
async function embeddedPhase() {
  const result = { connections, warmupS, durationS, prewarmS };
  result.coldStart = await coldStarts(PROJECT, { runs: opt.quick ? 1 : 2, restarts: opt.quick ? 1 : 2 });

  const baseDir = newDataDir('base');
  scratchDirs.add(baseDir.remove);
  log(`embedded write path: naive baseline on a PGlite in this process (${baseDir.dir}, seeded by the CLI)`);
  await runCli(build.cli, '', ['seed'], { cwd: PROJECT, env: { DATA_DIR: baseDir.dir } });
  const db = await openBuiltPglite(build.dir, path.join(baseDir.dir, 'pgdata'));
  const slugs = (await db.query(`SELECT slug FROM province ORDER BY slug`)).rows.map((r) => r.slug);
  const op = pgliteNaiveOp(db, slugs);
  const naiveLoad = (s) => pgLoad({ open: async () => ({ close: async () => undefined }), op: (_ctx, n) => op(n), workers: connections, warmupS: s === prewarmS ? 0 : warmupS, durationS: s });

  const apiDir = newDataDir('write');
  scratchDirs.add(apiDir.remove);
  const key = `bench-admin-${randomBytes(16).toString('hex')}`;
  const api = await serve('embedded', serverEnv('', key, { DATA_DIR: apiDir.dir }));
  try {
    await postOne(api.url, key, slugs[0], 0);
    const runs = {};
    if (prewarmS > 0) {
      log(`warming both sides: ${prewarmS} s of each load, not measured`);
      await naiveLoad(prewarmS);
    }
    const prewarmed = await prewarm(api, key, slugs);
    const naive = async (n) => {
      log(`naive PGlite baseline #${n}: ${connections} workers on one PGlite, ${warmupS} s + ${durationS} s (load ${load1()})`);
      const r = { ...(await cpuPerOp(null, () => naiveLoad(durationS))), load1: load1() };
      log(`  ${Math.round(r.rate)}/s, p99 ${r.latency.p99} ms`);
      return r;
    };
    const apiRun = async (n) => {
      log(`embedded API #${n}: ${connections} connections, ${warmupS} s + ${durationS} s (load ${load1()})`);
      const r = { ...(await cpuPerOp(api, () => apiWriteLoad({ url: api.url, key, slugs, connections, warmupS, durationS }))), load1: load1() };
      log(`  ${Math.round(r.rate)}/s, p99 ${r.latency.p99} ms, ${r.failed} failed`);
      return r;
    };
    runs.baseline1 = await naive(1);
    runs.api1 = await apiRun(1);
    runs.baseline2 = await naive(2);
    runs.api2 = await apiRun(2);
    result.api = { ...meanOfRuns([runs.api1, runs.api2]), runs: [runs.api1, runs.api2], bootMs: api.bootMs };
    result.baseline = { rate: (runs.baseline1.rate + runs.baseline2.rate) / 2, runs: [runs.baseline1, runs.baseline2], latency: meanOfRuns([runs.baseline1, runs.baseline2]).latency };
    result.ratio = result.api.rate / result.baseline.rate;
    result.reads = await readLoads(api.url, key);
    result.acknowledged = prewarmed + result.api.acknowledged + 1;
  } finally {
    result.memory = await api.stop();
    await db.close();
  }
  // Every 201 is a stored event: counted in the server's data dir once it has stopped.
  const check = await openBuiltPglite(build.dir, path.join(apiDir.dir, 'pgdata'));
  const [{ events }] = (await check.query(`SELECT count(*)::int AS events FROM province_event`)).rows;
  await check.close();
  result.integrity = { acknowledgedWrites: result.acknowledged, eventsStored: events };
  log(`  integrity: ${result.acknowledged} writes acknowledged, ${events} events stored (seeded events included)`);
  for (const d of [baseDir, apiDir]) {
    d.remove();
    scratchDirs.delete(d.remove);
  }
  return result;
}

async function scalePhase(explainMeta) {
  log(`scale: bench_${ts}_scale, ${SCALE.provinces.toLocaleString('en-US')} provinces and ${SCALE.events.toLocaleString('en-US')} events`);
  const url = await dbs.create(`bench_${ts}_scale`);
  await runCli(build.cli, url, ['seed'], { cwd: PROJECT });
  const loader = await connect(url);
  const t0 = performance.now();
  const loadSteps = await loadScale(loader.q, log);
  const loadMs = Math.round(performance.now() - t0);
  const [sizes] = await loader.q(
    `SELECT pg_database_size(current_database()) AS db, (SELECT count(*) FROM province)::int AS provinces,
            (SELECT count(*) FROM province_event)::int AS events`,
  );
  await loader.end();
  log(`  loaded in ${(loadMs / 1000).toFixed(1)} s (${(Number(sizes.db) / 1024 ** 2).toFixed(0)} MiB)`);
  const result = { load: { ms: loadMs, steps: loadSteps, databaseMiB: Math.round(Number(sizes.db) / 1024 ** 2), provinces: sizes.provinces, events: sizes.events } };

  if (opt.verify) {
    log('  verify: the CLI replays every province (slow)');
    const v0 = performance.now();
    const out = await runCli(build.cli, url, ['verify'], { cwd: PROJECT }).catch((err) => err.message);
    result.load.verify = { ms: Math.round(performance.now() - v0), output: out.trim().split('\n').slice(-5).join('\n') };
    log(`  ${result.load.verify.output}`);
  }

  const key = `bench-admin-${randomBytes(16).toString('hex')}`;
  // The preload only profiles, and only between signals sent after the measured reads (the driver is not wrapped).
  const probeOut = path.join(build.dir, 'scale-probe.json');
  const s = await serve('scale', serverEnv(url, key, { BENCH_PROBE_OUT: probeOut, BENCH_PROBE_PROFILE: '1', BENCH_PROBE_WRAP: '0' }), { preload: PROBE });
  result.bootMs = s.bootMs; // includes the boot alert sweep over 10,000 provinces
  const memAfter = { boot: s.memoryNow() };
  result.memoryByPhase = memAfter;
  const asOfMid = new Date('2024-02-09T20:59:59.999Z');
  const asOfEnd = new Date(new Date(SCALE.start).getTime() + (SCALE.days + 1) * 86_400_000);
  const reads = {};
  const items = (j) => ({ items: Array.isArray(j.items) ? j.items.length : null });
  const plan = [
    {
      id: 'digest',
      title: `GET /digest?date=${SCALE.busyDay} (the busy day)`,
      path: `/api/v1/digest?date=${SCALE.busyDay}`,
      // The digest's own shape (digest.builder.ts): stage changes and reports of the day, and every province.
      check: (j) => ({
        changes: Array.isArray(j.changes) ? j.changes.length : null,
        reports: Array.isArray(j.reports) ? j.reports.length : null,
        provinces: Array.isArray(j.provinces) ? j.provinces.length : null,
      }),
      target: TARGETS.digestP95Ms,
    },
    { id: 'asOfMid', title: `GET /provinces?asOf=${asOfMid.toISOString()}`, path: `/api/v1/provinces?asOf=${asOfMid.toISOString()}`, check: items, target: TARGETS.asOfP95Ms },
    { id: 'asOfEnd', title: `GET /provinces?asOf=${asOfEnd.toISOString()}`, path: `/api/v1/provinces?asOf=${asOfEnd.toISOString()}`, check: items, target: TARGETS.asOfP95Ms },
    { id: 'listNow', title: 'GET /provinces (now)', path: '/api/v1/provinces', check: items },
    // As known at an instant: a replay of the history recorded by then (not from stored states); cached like asOf.
    { id: 'knownAtMid', title: `GET /provinces?knownAt=${asOfMid.toISOString()}`, path: `/api/v1/provinces?knownAt=${asOfMid.toISOString()}`, check: items },
    { id: 'history', title: `GET /provinces/${SCALE.heavySlug}/events`, path: `/api/v1/provinces/${SCALE.heavySlug}/events`, check: items },
    {
      id: 'changes',
      title: 'GET /changes?limit=100, following the cursor',
      path: '/api/v1/changes?limit=100',
      nextPath: (_i, last) => (last?.cursor ? `/api/v1/changes?limit=100&after=${encodeURIComponent(last.cursor)}` : null),
      check: items,
    },
    { id: 'alerts', title: 'GET /alerts (open)', path: '/api/v1/alerts', check: items },
    // One nominee among the people the log names (two per province): the search index is built per data version.
    { id: 'search', title: 'GET /search?q=Candidate B 4242', path: `/api/v1/search?q=${encodeURIComponent('Candidate B 4242')}`, check: items },
  ];
  let profiledReads = false;
  try {
    for (const r of plan) {
      log(`  ${r.title}`);
      try {
        const cpu0 = s.cpuMs();
        const res = await sample(s.url, key, { path: r.path, nextPath: r.nextPath, check: r.check, ...readBudget });
        const cpu = res.available && cpu0 !== null ? Math.round(((s.cpuMs() - cpu0) / res.requests) * 10) / 10 : null;
        reads[r.id] = { title: r.title, target: r.target ?? null, ...res, serverCpuMsPerRequest: cpu, load1: load1() };
        memAfter[r.id] = s.memoryNow();
        if (res.available) log(`    p50 ${res.latency.p50} ms, p95 ${res.latency.p95} ms (n=${res.latency.n}${res.failed ? `, ${res.failed} failed` : ''})`);
        else log(res.status === 404 ? '    not served (404): n/a' : `    no successful answer: ${res.error}`);
      } catch (err) {
        reads[r.id] = { title: r.title, target: r.target ?? null, available: false, error: err.message.slice(0, 500) };
        log(`    failed: ${err.message.slice(0, 200)}`);
      }
    }
    // The peak the target is about: boot and the measured reads. The CPU profiles below are the bench's
    // own instrument (the profiler's samples and the profile's JSON live in the server's heap): their
    // peak is reported apart.
    result.memory = s.memoryNow();
    // Where the server's time goes on the heavy reads: a CPU profile per endpoint (after the measurements).
    const readProbe = probeReader(s, probeOut);
    result.readProfiles = {};
    const profiled = fits('read profiles', 30, 45) ? ['digest', 'asOfEnd', 'listNow', 'history'] : [];
    profiledReads = profiled.length > 0;
    if (profiled.length) await readProbe(); // starts the first window
    for (const r of plan.filter((x) => profiled.includes(x.id) && reads[x.id]?.available)) {
      const times = r.id === 'history' ? 10 : 1;
      for (let i = 0; i < times; i++) await get(s.url, r.path, key);
      const window = await readProbe();
      if (window.cpu) result.readProfiles[r.id] = { requests: times, ...window.cpu };
    }
  } finally {
    const final = await s.stop();
    result.memory ??= final;
    if (profiledReads) result.memoryWithProfiles = final;
  }
  result.reads = reads;

  log('EXPLAIN (ANALYZE, BUFFERS) of the hot queries');
  const db = await connect(url);
  try {
    // The statement the app runs, from the build under test.
    const { STATES_AS_OF_SQL } = await import(pathToFileURL(path.join(build.dir, 'dist/apps/api/src/provinces/states-as-of.sql.js')).href);
    result.explain = await explainAll(db.q, { asOfMid, asOfEnd, statesAsOfSql: STATES_AS_OF_SQL, log });
  } finally {
    await db.end();
  }
  writeFileSync(path.join(RESULTS, 'explain.txt'), explainText(result.explain, explainMeta));
  return result;
}

async function main() {
  const started = new Date();
  mkdirSync(RESULTS, { recursive: true });
  const server = runPostgres ? await dbs.connect() : { version: null };
  build = await snapshotBuild(PROJECT);
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    postgres: server.version,
    pglite: JSON.parse(readFileSync(path.join(PROJECT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version,
    load1AtStart: load1(),
  };
  log(`${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}; load ${machine.load1AtStart}; build of ${build.builtAt}`);
  const results = {
    when: started.toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    build: { builtAt: build.builtAt },
    targets: TARGETS,
    write: null,
    scale: null,
    embedded: null,
  };
  let failure = null;
  try {
    if (runPostgres && !opt['skip-write']) results.write = await writePhase();
    if (runPostgres && !opt['skip-scale']) results.scale = await scalePhase({ when: started.toISOString(), server: `PostgreSQL ${server.version}` });
    if (runEmbedded) results.embedded = await embeddedPhase();
  } catch (err) {
    failure = err;
    results.error = String(err?.stack ?? err);
  } finally {
    await cleanup();
  }
  results.elapsedS = Math.round((Date.now() - started.getTime()) / 1000);
  results.skipped = skipped;
  results.machine.load1AtEnd = load1();
  const file = path.join(RESULTS, `${ts}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (failure) {
    process.stderr.write(`bench failed (partial results in ${path.relative(PROJECT, file)}): ${failure?.stack ?? failure}\n`);
    process.exit(1);
  }
  writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(RESULTS, 'performance.md'), renderReadme(results));
  process.stdout.write(`${renderReport(results)}\n`);
  process.stdout.write(`\nresults: ${path.relative(PROJECT, file)} (and bench-results/latest.json)`);
  if (results.scale) process.stdout.write(', plans: bench-results/explain.txt');
  process.stdout.write(`, docs/performance.md text: bench-results/performance.md\n`);
}

main().then(
  () => process.exit(0),
  async (err) => {
    process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
    await cleanup().catch(() => undefined);
    process.exit(1);
  },
);
