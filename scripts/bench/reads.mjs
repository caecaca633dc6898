// Read latencies: one request at a time over a keep-alive connection (service time, not queueing),
// timed to the last byte of the body. Requests accept gzip, as browsers and fetch do (the read cache
// keeps large answers compressed); the body is decompressed after the clock stops.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { summarize } from './util.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export function get(baseUrl, path, key) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers = { authorization: `Bearer ${key}`, accept: 'application/json', 'accept-encoding': 'gzip' };
    const req = http.get(new URL(path, baseUrl), { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const wire = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
        resolve({ status: res.statusCode, body, wireBytes: wire.length, ms, cache: res.headers['x-read-cache'] ?? null });
      });
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/**
 * Sample one endpoint: `warmup` unmeasured requests, then requests until `maxSamples` or `budgetMs`
 * (whichever first; at least `minSamples`). `nextPath(i, last)` may walk (cursor paging).
 * `check(json)` describes the first response (item counts), so the table can show what was measured.
 */
export async function sample(baseUrl, key, { path, nextPath, warmup = 2, minSamples = 10, maxSamples = 200, budgetMs = 8000, check }) {
  // The first 200 describes the answer; a refusal (a 503 from the statement timeout, say) is counted, not fatal.
  const statuses = {};
  const count = (status) => (statuses[status] = (statuses[status] ?? 0) + 1);
  let first = null;
  let lastError = null;
  for (let i = 0; i < 3 && !first; i++) {
    const r = await get(baseUrl, path, key);
    if (r.status === 404) return { status: 404, available: false };
    count(r.status);
    if (r.status === 200) first = r;
    else lastError = `GET ${path} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`;
  }
  if (!first) return { available: false, statuses, error: lastError };
  const t0parse = performance.now();
  const json = JSON.parse(first.body.toString('utf8'));
  const parseMs = performance.now() - t0parse;
  const t0str = performance.now();
  JSON.stringify(json);
  // What serializing this answer alone costs one Node thread here (a floor for the server's reply).
  const stringifyMs = Math.round((performance.now() - t0str) * 10) / 10;
  // The first answer is computed (a read-cache miss when the route is cached); the samples that follow may be served from the cache.
  const described = { ...(check ? check(json) : {}), stringifyMs, parseMs: Math.round(parseMs * 10) / 10, firstMs: Math.round(first.ms * 10) / 10, firstCache: first.cache ?? null };
  let requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  for (let i = 1; i < warmup; i++, requests++) count((await get(baseUrl, path, key)).status);
  const latencies = [];
  let bytes = first.body.length;
  let wireBytes = first.wireBytes;
  let last = json;
  let current = path;
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < maxSamples && (i < minSamples || performance.now() - t0 < budgetMs); i++) {
    if (nextPath) current = nextPath(i, last) ?? path;
    const r = await get(baseUrl, current, key);
    requests++;
    count(r.status);
    if (r.status !== 200) {
      failed++;
      lastError = `GET ${current} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`;
      continue;
    }
    latencies.push(r.ms);
    bytes = r.body.length;
    wireBytes = r.wireBytes;
    if (nextPath) last = JSON.parse(r.body.toString('utf8'));
  }
  return {
    status: 200,
    available: true,
    path,
    ...described,
    responseBytes: bytes,
    wireBytes,
    requests,
    statuses,
    failed,
    ...(lastError ? { lastError } : {}),
    latency: summarize(latencies),
  };
}
