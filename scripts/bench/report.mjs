// The printed table and the text of docs/performance.md, both from the results object.
import { fmtMiB, fmtMs, fmtRate, table } from './util.mjs';

const goal = (ok) => (ok === null || ok === undefined ? '' : ok ? 'met' : 'NOT met');
const ratio = (v) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : `${v.toFixed(2)}×`);

const c0 = (probe) => probe.concurrent;

function perWrite(probe) {
  if (!probe?.statements) return [];
  const writes = probe.writes || 1;
  return probe.statements.map((s) => ({ sql: s.sql, perWrite: s.count / writes, meanMs: s.meanMs }));
}

export function renderReport(r) {
  const out = [];
  const m = r.machine;
  out.push(
    `governor-tracker bench — ${r.when} — ${m.cores} cores (${m.cpu}), Node ${m.node}, ${[m.postgres && `PostgreSQL ${m.postgres}`, r.embedded && `PGlite ${m.pglite}`].filter(Boolean).join(', ')}`,
    `load average (1 min) ${m.load1AtStart} at start, ${m.load1AtEnd} at end — the machine is shared: figures move with it`,
    `command: ${r.write || r.scale ? 'DATABASE_URL=… ' : ''}${r.command}   (${r.elapsedS} s)${r.skipped?.length ? `; skipped to stay in the time budget: ${r.skipped.join(', ')}` : ''}`,
    '',
  );
  const T = r.targets;
  if (r.write) {
    const w = r.write;
    out.push(
      `WRITE PATH — POST /provinces/:slug/events, ${w.event}; ${w.connections} connections; ${w.warmupS} s warm-up + ${w.durationS} s measured${w.prewarmS ? ` (each side, and each what-if server, after ${w.prewarmS} s of unmeasured load)` : ''}`,
    );
    const cpu = (x) => {
      const c = x?.cpuMsPerWrite;
      if (!c) return ['', '', '', '', ''];
      const f = (v) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)}`);
      return [c.server === null ? '—' : f(c.server), f(c.postgres), f(c.loadGenerator), f(c.system), c.ceilingOnIdleCores ? fmtRate(c.ceilingOnIdleCores) : 'n/a'];
    };
    const row = (label, x, target = '', met = '') => [label, fmtRate(x.rate), fmtMs(x.latency.p50), fmtMs(x.latency.p99), String(x.failed), ...cpu(x), target, met];
    const rows = [
      ...(w.api.runs ?? []).map((a, i) => row(`API (built; DB_POOL_MAX=10), run ${i + 1}`, a)),
      row('API (mean of the runs; p99: the worse)', w.api, `p99 ≤ ${T.writeP99Ms} ms`, goal(w.api.latency.p99 <= T.writeP99Ms)),
      ...w.baseline.runs.map((b, i) => row(`naive raw pg, ${w.connections} clients (run ${i + 1})`, b)),
      ['naive raw pg (mean of the runs)', fmtRate(w.baseline.rate), '', '', '', '', '', '', '', '', '', ''],
      ['ratio API / naive', ratio(w.ratio), '', '', '', '', '', '', '', '', `≥ ${T.writeRatio.toFixed(1)}× (stretch ${T.writeRatioStretch}×)`, goal(w.ratio >= T.writeRatio)],
    ];
    if (w.hot) {
      rows.push(
        null,
        row(`hot: API, every connection on ${w.hot.slugs.join(' and ')}`, w.hot.api),
        row(`hot: naive raw pg, every client on the same two`, w.hot.baseline),
        ['hot: ratio API / naive', ratio(w.hot.ratio), '', '', '', '', '', '', '', '', '', ''],
      );
    }
    if (w.floor) rows.push(null, row('API floor: GET /health/live (no work)', w.floor, 'per-request cost of HTTP + Fastify + Nest + hooks'));
    const whatIfs = Object.entries(w.whatIf ?? {});
    if (whatIfs.length) rows.push(null);
    for (const [id, wi] of whatIfs) rows.push(row(`what-if ${id} (API)`, wi, `ratio ${ratio(wi.ratio)}${wi.hot ? ' (to the hot naive)' : ''}`));
    const d = w.diagnostics ?? {};
    if (d.appShape) {
      rows.push(null);
      rows.push(row("diag: the API's 2 round trips from raw pg (pool 10)", d.appShape, `ratio ${ratio(d.appShape.rate / w.baseline.rate)}`));
    }
    out.push(table(['', 'rate', 'p50', 'p99', 'errors', 'CPU ms/write: server', 'postgres', 'client', 'system', 'ceiling', 'target', ''], rows));
    for (const [id, wi] of whatIfs) out.push(`what-if ${id}: ${wi.title}`);
    out.push(
      'CPU ms/write from /proc (utime+stime): server = the API process, postgres = the database backends, client = this process (autocannon, or the raw-pg',
      `application); system = server+postgres (API) or client+postgres (raw pg); ceiling = ${m.cores} cores × 1000 / system, the CPU-bound limit on idle cores.`,
    );
    out.push(
      `integrity after the API runs: ${w.integrity.acknowledgedWrites} writes acknowledged (201), ${w.integrity.eventsInApiDatabase} events stored ` +
        `(acknowledged but missing: ${Math.max(0, w.integrity.lost)}; committed while their response was in flight at the stop: ${Math.max(0, -w.integrity.lost)}), ` +
        `${w.integrity.provincesWithInconsistentSnapshot} provinces whose last_seq/version disagree with their events`,
    );
    if (w.probe) {
      const seq = perWrite(w.probe.sequential);
      const con = perWrite(w.probe.concurrent);
      const bySql = (list) => new Map(list.map((s) => [s.sql, s]));
      const [seqBy, conBy] = [bySql(seq), bySql(con)];
      // Under load, events share transactions (group commit): their lock and append messages carry several statements each.
      const sqls = [...new Set([...seq.map((s) => s.sql), ...con.filter((s) => s.perWrite >= 0.005).map((s) => s.sql)])];
      out.push('', 'ROUND TRIPS PER ACCEPTED WRITE (probe: the pg driver wrapped in a separate server; messages per write, driver-side time per message)');
      out.push(
        table(
          ['message', 'alone: per write', 'ms', `at ${w.connections} conns: per write`, 'ms'],
          sqls.map((sql) => {
            const [a, b] = [seqBy.get(sql), conBy.get(sql)];
            return [sql.length > 72 ? `${sql.slice(0, 71)}…` : sql, a ? a.perWrite.toFixed(2) : '', a ? fmtMs(a.meanMs) : '', b ? b.perWrite.toFixed(2) : '', b ? fmtMs(b.meanMs) : ''];
          }),
        ),
      );
      const rt = seq.reduce((a, s) => a + s.perWrite, 0);
      const rtLoaded = con.reduce((a, s) => a + s.perWrite, 0);
      const c = w.probe.concurrent;
      for (const [label, x] of [['one at a time', w.probe.sequential], [`at ${w.connections} conns`, c0(w.probe)]]) {
        if (!x?.cpu) continue;
        out.push(
          `server CPU ${label}: ${fmtMs(x.cpu.busyMsPerWrite)} per write (${x.cpu.busyMs} ms busy of ${x.cpu.wallMs} ms); self time: ` +
            x.cpu.top.slice(0, 8).map((t) => `${t.where} ${t.shareOfBusy}%`).join(', '),
        );
      }
      out.push(
        `${rt.toFixed(1)} messages per write alone, ${rtLoaded.toFixed(2)} at ${w.connections} conns (naive: 5). Pool checkout at ${w.connections} conns: mean ${fmtMs(c.pool.totalMs / Math.max(1, c.pool.waits))}, max ${fmtMs(c.pool.maxMs)}; ` +
          `row lock held (lock → COMMIT) p50 ${fmtMs(c.lockHeldMs.p50)}, p95 ${fmtMs(c.lockHeldMs.p95)}; alone p50 ${fmtMs(w.probe.sequential.lockHeldMs.p50)}`,
      );
    }
    out.push('');
  }
  if (r.scale) {
    const s = r.scale;
    out.push(
      `SCALE — ${s.load.provinces.toLocaleString('en-US')} provinces, ${s.load.events.toLocaleString('en-US')} events over a year (${s.load.databaseMiB} MiB), bulk-loaded in ${(s.load.ms / 1000).toFixed(1)} s; ` +
        `server boot incl. the alert sweep ${(s.bootMs / 1000).toFixed(1)} s; one request at a time`,
    );
    const rows = Object.values(s.reads).map((x) => {
      if (!x.available) {
        const why = x.status === 404 ? 'n/a (404: not served by this build)' : `n/a (${JSON.stringify(x.statuses ?? {})}: ${(x.error ?? 'error').slice(0, 40)}…)`;
        return [x.title, why, '', '', '', '', '', '', '', '', x.target ? `p95 ≤ ${x.target} ms` : '', ''];
      }
      const what = [
        x.items !== undefined && x.items !== null ? `${x.items} items` : null,
        x.changes !== undefined && x.changes !== null ? `${x.changes} changes` : null,
        x.reports !== undefined && x.reports !== null ? `${x.reports} reports` : null,
        x.provinces ? `${x.provinces} provinces` : null,
      ]
        .filter(Boolean)
        .join(', ') + (x.failed ? `; ${x.failed} failed (${Object.keys(x.statuses).filter((k) => k !== '200').join(',')})` : '');
      return [
        x.title,
        what,
        sizeCell(x),
        fmtMs(x.stringifyMs),
        x.firstMs === undefined ? 'n/a' : `${fmtMs(x.firstMs)}${x.firstCache ? ` (${x.firstCache})` : ''}`,
        x.serverCpuMsPerRequest === null || x.serverCpuMsPerRequest === undefined ? 'n/a' : fmtMs(x.serverCpuMsPerRequest),
        String(x.latency.n),
        fmtMs(x.latency.p50),
        fmtMs(x.latency.p95),
        fmtMs(x.latency.p99),
        x.target ? `p95 ≤ ${x.target} ms` : '',
        x.target ? goal(x.latency.p95 <= x.target) : '',
      ];
    });
    out.push(table(['endpoint', 'answer', 'size', 'stringify', 'first', 'server CPU', 'n', 'p50', 'p95', 'p99', 'target', ''], rows));
    out.push(
      'stringify: JSON.stringify of that answer in this process — a floor for any server that builds it per request; first: the first request, computed (miss: the read cache stored it; the samples after it are hits until the data changes); server CPU: the API process per request (/proc).',
    );
    for (const [id, prof] of Object.entries(s.readProfiles ?? {})) {
      out.push(
        `server CPU, ${id}: ${Math.round(prof.busyMs / prof.requests)} ms busy per request; self time: ` +
          prof.top.slice(0, 7).map((t) => `${t.where} ${t.shareOfBusy}%`).join(', '),
      );
    }
    if (s.explain) {
      out.push('', 'EXPLAIN (ANALYZE, BUFFERS) — bench-results/explain.txt');
      out.push(
        table(
          ['query', 'execution', 'JIT', 'top plan node'],
          s.explain.results.map((e) => [e.id, fmtMs(e.executionMs), e.jitMs === null ? '' : fmtMs(e.jitMs), e.topNode.slice(0, 70)]),
        ),
      );
    }
    out.push('');
  }
  const mem = [];
  if (r.write) mem.push(['write server (API run)', fmtMiB(r.write.memory.hwmKiB ?? r.write.memory.peakRssKiB)]);
  for (const [id, wi] of Object.entries(r.write?.whatIf ?? {})) mem.push([`write server (what-if ${id})`, fmtMiB(wi.memory?.hwmKiB ?? wi.memory?.peakRssKiB)]);
  if (r.scale) mem.push(['scale server (boot sweep + reads)', fmtMiB(r.scale.memory.hwmKiB ?? r.scale.memory.peakRssKiB)]);
  if (r.scale?.memoryWithProfiles && r.scale.memoryWithProfiles !== r.scale.memory) {
    mem.push(['scale server, then CPU-profiled by the bench (not counted)', fmtMiB(r.scale.memoryWithProfiles.hwmKiB ?? r.scale.memoryWithProfiles.peakRssKiB)]);
  }
  const worst = Math.max(r.write?.memory?.hwmKiB ?? 0, r.scale?.memory?.hwmKiB ?? 0);
  if (mem.length) {
    out.push(`MEMORY — peak RSS (VmHWM) of the server process; target ≤ ${T.rssMiB} MiB: ${goal(worst / 1024 <= T.rssMiB)}`);
    out.push(table(['server', 'peak RSS'], mem));
  }
  if (r.scale?.memoryByPhase) {
    out.push(
      'scale server peak RSS after: ' +
        Object.entries(r.scale.memoryByPhase)
          .map(([k, v]) => `${k} ${fmtMiB(v.hwmKiB)}`)
          .join(', '),
    );
  }
  if (r.write?.reads) out.push('', `READS AT ${readConnections(r.write.reads)} CONNECTIONS (PostgreSQL)`, readsTable(r.write.reads, null));
  if (r.embedded) out.push('', ...embeddedReport(r.embedded, T));
  return out.join('\n');
}

/** The connections of a read load (recorded with each). */
const readConnections = (reads) => Object.values(reads)[0]?.connections ?? '?';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function readsTable(reads, target) {
  return table(
    ['', 'rate', 'p50', 'p99', 'errors', 'answer', 'target', ''],
    Object.values(reads).map((x) => [x.title, fmtRate(x.rate), fmtMs(x.latency.p50), fmtMs(x.latency.p99), String(x.failed), `${(x.bytes / 1024).toFixed(0)} KiB`, target ? `p99 ≤ ${target} ms` : '', target ? goal(x.latency.p99 <= target) : '']),
  );
}

/** The embedded mode's cold starts, writes against the in-process naive PGlite, reads and memory. */
function embeddedReport(e, T) {
  const out = [];
  const starts = (list) => list.map((x) => `${x.readyMs} ms (load ${x.load1})`).join(', ');
  const fresh = median(e.coldStart.fresh.map((x) => x.readyMs));
  const existing = median(e.coldStart.existing.map((x) => x.readyMs));
  out.push(
    'EMBEDDED DATABASE (PGlite; no DATABASE_URL) — `npm start` on the built tree to GET /health/ready 200',
    table(
      ['', 'runs', 'median', 'target', ''],
      [
        ['new DATA_DIR', starts(e.coldStart.fresh), `${fresh} ms`, `≤ ${T.embeddedNewDataDirMs} ms`, goal(fresh <= T.embeddedNewDataDirMs)],
        ['existing DATA_DIR (restart)', starts(e.coldStart.existing), `${existing} ms`, `≤ ${T.embeddedExistingDataDirMs} ms`, goal(existing <= T.embeddedExistingDataDirMs)],
      ],
    ),
    '',
    `EMBEDDED WRITE PATH — ${e.connections} connections, ${e.warmupS} s warm-up + ${e.durationS} s measured, after ${e.prewarmS} s of unmeasured load on each side`,
  );
  const cpu = (x) => {
    const c = x.cpuMsPerWrite ?? {};
    return [c.server ?? 'n/a', c.loadGenerator ?? 'n/a'].map(String);
  };
  const row = (label, x, target = '', met = '') => [label, fmtRate(x.rate), fmtMs(x.latency.p50), fmtMs(x.latency.p99), String(x.failed), ...cpu(x), target, met];
  out.push(
    table(
      ['', 'rate', 'p50', 'p99', 'errors', 'CPU ms/write: server', 'this process', 'target', ''],
      [
        ...e.api.runs.map((a, i) => row(`API (embedded), run ${i + 1}`, a)),
        row('API (mean of the runs; p99: the worse)', e.api, `p99 ≤ ${T.writeP99Ms} ms`, goal(e.api.latency.p99 <= T.writeP99Ms)),
        ...e.baseline.runs.map((b, i) => row(`naive, straight to PGlite in this process (run ${i + 1})`, b)),
        ['ratio API / naive PGlite', ratio(e.ratio), '', '', '', '', '', `≥ ${T.writeRatio.toFixed(1)}×`, goal(e.ratio >= T.writeRatio)],
      ],
    ),
    `integrity: ${e.integrity.acknowledgedWrites} writes acknowledged, ${e.integrity.eventsStored} events stored (the seeds' included) after the server stopped`,
    '',
    `EMBEDDED READS AT ${readConnections(e.reads)} CONNECTIONS`,
    readsTable(e.reads, T.embeddedReadP99Ms),
    '',
    `EMBEDDED MEMORY — peak RSS (VmHWM) of the server (boot, writes, reads): ${fmtMiB(e.memory.hwmKiB ?? e.memory.peakRssKiB)}; target ≤ ${T.embeddedRssMiB} MiB: ${goal((e.memory.hwmKiB ?? e.memory.peakRssKiB) / 1024 <= T.embeddedRssMiB)}`,
  );
  return out;
}

/** The embedded mode's table for docs/performance.md and the README. */
function embeddedReadme(e, T) {
  const fresh = median(e.coldStart.fresh.map((x) => x.readyMs));
  const existing = median(e.coldStart.existing.map((x) => x.readyMs));
  const rss = (e.memory.hwmKiB ?? e.memory.peakRssKiB) / 1024;
  return [
    `| embedded database (PGlite), ${e.connections} write / ${readConnections(e.reads)} read connections | measured | target |`,
    '|---|---:|---|',
    `| \`npm start\` → ready, new \`DATA_DIR\` (median of ${e.coldStart.fresh.length}) | ${(fresh / 1000).toFixed(1)} s | ≤ ${T.embeddedNewDataDirMs / 1000} s |`,
    `| \`npm start\` → ready, existing \`DATA_DIR\` (median of ${e.coldStart.existing.length}) | ${(existing / 1000).toFixed(1)} s | ≤ ${T.embeddedExistingDataDirMs / 1000} s |`,
    `| writes: API / naive transaction straight to PGlite | ${ratio(e.ratio)} (${fmtRate(e.api.rate)} / ${fmtRate(e.baseline.rate)}) | ≥ ${T.writeRatio.toFixed(1)}× |`,
    `| write p99 (the worse run; naive's: ${fmtMs(Math.max(...e.baseline.runs.map((b) => b.latency.p99)))}) | ${fmtMs(e.api.latency.p99)} | ≤ ${T.writeP99Ms} ms |`,
    ...Object.values(e.reads).map((x) => `| ${x.title} p99 | ${fmtMs(x.latency.p99)} | ≤ ${T.embeddedReadP99Ms} ms |`),
    `| server peak RSS | ${rss.toFixed(0)} MiB | ≤ ${T.embeddedRssMiB} MiB |`,
    '',
  ];
}

/** The answer's size, and what crossed the wire when it was sent compressed. */
const sizeCell = (x) =>
  `${(x.responseBytes / 1024).toFixed(0)} KiB${x.wireBytes !== undefined && x.wireBytes < x.responseBytes ? ` (${(x.wireBytes / 1024).toFixed(0)} KiB gzip)` : ''}`;

const cpuCell = (x, app) => {
  const c = x?.cpuMsPerWrite;
  return c && c[app] !== null && c.postgres !== null ? `${c[app].toFixed(2)} + ${c.postgres.toFixed(2)} ms` : 'n/a';
};

/** The "last run" section of docs/performance.md, from the last run. */
export function renderReadme(r) {
  const m = r.machine;
  const T = r.targets;
  const lines = [
    '## Performance',
    '',
    '```bash',
    'DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench',
    '```',
    '',
    'creates scratch databases `bench_<timestamp>_*` on that server (dropped at the end), starts the built API',
    'as a child process, and writes `bench-results/<timestamp>.json`, `bench-results/latest.json` and the query',
    'plans in `bench-results/explain.txt`. Targets are goals, not test assertions; tests never assert timings.',
    '',
    `Last run: ${r.when.slice(0, 10)}, ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres ? `PostgreSQL ${m.postgres} with durable commits` : ''}${m.postgres && r.embedded ? ', ' : ''}${r.embedded ? `PGlite ${m.pglite}` : ''}, ` +
      `shared with other work (load average ${m.load1AtStart}–${m.load1AtEnd}).`,
    '',
  ];
  if (r.write) {
    const w = r.write;
    lines.push(
      `| write path (${w.connections} connections, REPORT events over the 15 provinces, ${w.durationS} s) | rate | p50 | p99 | CPU per write (app + PostgreSQL) | target |`,
      '|---|---:|---:|---:|---:|---|',
      `| API (mean of ${w.api.runs?.length ?? 1} runs interleaved with the naive ones; p99: the worse run's) | ${fmtRate(w.api.rate)} | ${fmtMs(w.api.latency.p50)} | ${fmtMs(w.api.latency.p99)} | ${cpuCell(w.api, 'server')} | p99 ≤ ${T.writeP99Ms} ms |`,
      `| naive raw \`pg\` (BEGIN; SELECT … FOR UPDATE; UPDATE; INSERT; COMMIT), ${w.connections} clients | ${fmtRate(w.baseline.rate)} | ${fmtMs(w.baseline.latency.p50)} | ${fmtMs(w.baseline.latency.p99)} | ${cpuCell(w.baseline.runs[0], 'loadGenerator')} | |`,
      `| **API / naive** | **${ratio(w.ratio)}** | | | | ≥ ${T.writeRatio.toFixed(1)}× |`,
      ...(w.diagnostics?.appShape
        ? [`| the API's two round trips sent from raw \`pg\` (no HTTP, Nest or machine), pool of 10 | ${fmtRate(w.diagnostics.appShape.rate)} (${ratio(w.diagnostics.appShape.rate / w.baseline.rate)}) | ${fmtMs(w.diagnostics.appShape.latency.p50)} | ${fmtMs(w.diagnostics.appShape.latency.p99)} | ${cpuCell(w.diagnostics.appShape, 'loadGenerator')} | |`]
        : []),
      ...(w.hot
        ? [
            `| hot provinces: the API, every connection on ${w.hot.slugs.join(' and ')} | ${fmtRate(w.hot.api.rate)} | ${fmtMs(w.hot.api.latency.p50)} | ${fmtMs(w.hot.api.latency.p99)} | ${cpuCell(w.hot.api, 'server')} | |`,
            `| hot provinces: naive raw \`pg\`, every client on the same two | ${fmtRate(w.hot.baseline.rate)} | ${fmtMs(w.hot.baseline.latency.p50)} | ${fmtMs(w.hot.baseline.latency.p99)} | ${cpuCell(w.hot.baseline, 'loadGenerator')} | |`,
            `| **hot: API / naive** | **${ratio(w.hot.ratio)}** | | | | |`,
          ]
        : []),
      ...(w.floor ? [`| API floor: \`GET /health/live\` (no work) | ${fmtRate(w.floor.rate)} | ${fmtMs(w.floor.latency.p50)} | ${fmtMs(w.floor.latency.p99)} | ${cpuCell(w.floor, 'server')} | |`] : []),
      '',
    );
  }
  if (r.scale) {
    const s = r.scale;
    lines.push(
      `| reads at ${s.load.provinces.toLocaleString('en-US')} provinces / ${s.load.events.toLocaleString('en-US')} events (one at a time) | answer | first (computed) | p50 | p95 | p99 | target |`,
      '|---|---|---:|---:|---:|---:|---|',
    );
    for (const x of Object.values(s.reads)) {
      if (!x.available) {
        const why = x.status === 404 ? 'not served' : `no answer: ${Object.entries(x.statuses ?? {}).map(([k, v]) => `${v}× ${k}`).join(', ') || 'error'}`;
        lines.push(`| ${x.title} | n/a (${why}) | | | | | ${x.target ? `p95 ≤ ${x.target} ms` : ''} |`);
        continue;
      }
      const what =
        x.items !== undefined && x.items !== null
          ? `${x.items} items`
          : `${x.changes ?? '?'} changes, ${x.reports ?? '?'} reports, ${x.provinces ?? '?'} provinces`;
      lines.push(
        `| ${x.title} | ${what}, ${sizeCell(x)} | ${x.firstMs === undefined ? 'n/a' : fmtMs(x.firstMs)}${x.firstCache === 'miss' ? ' (then cached)' : ''} | ${fmtMs(x.latency.p50)} | ${fmtMs(x.latency.p95)} | ${fmtMs(x.latency.p99)} | ${x.target ? `p95 ≤ ${x.target} ms` : ''} |`,
      );
    }
    lines.push('');
  }
  const hwm = [r.write?.memory?.hwmKiB, r.scale?.memory?.hwmKiB].filter(Boolean);
  if (hwm.length) lines.push(`Peak server RSS: ${hwm.map((k) => fmtMiB(k)).join(' (write run), ')}${r.scale ? ' (scale run)' : ''}; target ≤ ${T.rssMiB} MiB.`, '');
  if (r.write?.reads) {
    lines.push(`| reads at ${readConnections(r.write.reads)} connections (PostgreSQL) | rate | p50 | p99 |`, '|---|---:|---:|---:|');
    for (const x of Object.values(r.write.reads)) lines.push(`| ${x.title} | ${fmtRate(x.rate)} | ${fmtMs(x.latency.p50)} | ${fmtMs(x.latency.p99)} |`);
    lines.push('');
  }
  if (r.embedded) lines.push(...embeddedReadme(r.embedded, T));
  return `${lines.join('\n')}\n`;
}
