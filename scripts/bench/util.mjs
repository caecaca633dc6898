// Small helpers shared by the benchmark's parts: statistics, formatting, logging.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Percentile (nearest rank) of an ascending-sorted array; null for an empty one. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** n, mean, p50/p95/p99 and max of a list of latencies (ms), rounded to 0.01 ms. */
export function summarize(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const r = (v) => (v === null ? null : Math.round(v * 100) / 100);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    mean: r(sorted.length ? sum / sorted.length : null),
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    max: r(sorted.length ? sorted[sorted.length - 1] : null),
  };
}

export const fmtMs = (v) => (v === null || v === undefined ? 'n/a' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);
export const fmtRate = (v) => (v === null || v === undefined ? 'n/a' : `${Math.round(v).toLocaleString('en-US')}/s`);
export const fmtMiB = (kib) => (kib === null || kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);

/** The machine's 1-minute load average: the benchmark shares 2 cores with other work, so it is recorded beside each figure. */
export const load1 = () => Math.round(os.loadavg()[0] * 100) / 100;

const started = performance.now();
export function log(message) {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

/** A fixed-width text table. `rows` are arrays of cells; a null row prints a separator. */
export function table(header, rows) {
  const all = [header, ...rows.filter(Boolean)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i]))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...rows.map((r) => (r ? line(r) : sep))].join('\n');
}

/** YYYYMMDD_HHMMSS in UTC: names the scratch databases and the result file. */
export function stamp(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux
/** CPU time (user + system, ms) a process has used, from /proc; null when it is not visible (another host). */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}
