// The embedded mode (no DATABASE_URL: PGlite in DATA_DIR, what `npm start` runs by default), measured
// as a newcomer meets it: `npm start` to /health/ready on a new DATA_DIR and again on the same one; the
// write load against the naive transaction sent straight to the same PGlite in this process (no HTTP,
// no Nest), at the same concurrency; reads at 8 connections; the server's peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { load1, log, sleep } from './util.mjs';
import { naiveStatements } from './write.mjs';

/** The environment of an embedded server: the caller's, without DATABASE_URL (empty selects the embedded database). */
export function embeddedEnv(dataDir, extra = {}) {
  return { DATABASE_URL: '', DATA_DIR: dataDir, ...extra };
}

/** A new DATA_DIR (not created: the server makes it, as on a first start) under a private folder of ours. */
export function newDataDir(label) {
  const parent = mkdtempSync(path.join(os.tmpdir(), `gt-bench-${label}-`));
  return { dir: path.join(parent, 'data'), remove: () => rmSync(parent, { recursive: true, force: true }) };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function ready(url) {
  try {
    const res = await fetch(`${url}/health/ready`);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * `npm start` in the project, as a newcomer types it, until /health/ready answers 200; then SIGTERM to
 * its process group and a wait until the server has released DATA_DIR (its lock file names its pid).
 */
export async function timeNpmStart(project, dataDir, env = {}) {
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: project,
    detached: true,
    env: { ...process.env, ...embeddedEnv(dataDir), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  try {
    let url = null;
    let readyMs = null;
    while (performance.now() - t0 < 180_000 && exited === null) {
      url ??= /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1] ?? null;
      if (url && (await ready(url))) {
        readyMs = Math.round(performance.now() - t0);
        break;
      }
      await sleep(25);
    }
    if (readyMs === null) throw new Error(`npm start did not become ready (exit ${exited}):\n${out.slice(-3000)}`);
    const serverMs = Number(/ready in (\d+) ms/.exec(out)?.[1] ?? NaN);
    return { readyMs, serverReadyMs: Number.isNaN(serverMs) ? null : serverMs, load1: load1() };
  } finally {
    const lockFile = path.join(dataDir, 'lock');
    const holder = existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8').trim()) : null;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    for (let i = 0; i < 600 && ((holder && alive(holder)) || exited === null); i++) await sleep(50);
  }
}

/**
 * Cold starts: `runs` times a new DATA_DIR, then `restarts` restarts on that same DATA_DIR. The build
 * must be current (the bench builds first when dist/ is missing): `npm start` then builds nothing.
 */
export async function coldStarts(project, { runs = 2, restarts = 2 } = {}) {
  const fresh = [];
  const existing = [];
  for (let i = 0; i < runs; i++) {
    const d = newDataDir('cold');
    try {
      log(`cold start #${i + 1}: npm start on a new DATA_DIR (load ${load1()})`);
      fresh.push(await timeNpmStart(project, d.dir));
      log(`  ready in ${fresh.at(-1).readyMs} ms (server: ${fresh.at(-1).serverReadyMs} ms)`);
      for (let j = 0; j < restarts; j++) {
        existing.push(await timeNpmStart(project, d.dir));
        log(`  restart on the same DATA_DIR: ready in ${existing.at(-1).readyMs} ms (server: ${existing.at(-1).serverReadyMs} ms)`);
      }
    } finally {
      d.remove();
    }
  }
  return { fresh, existing };
}

/** The PGlite the built server runs, opened in this process with the server's own options (when the build exports them). */
export async function openBuiltPglite(buildDir, pgdata) {
  const mod = await import(pathToFileURL(path.join(buildDir, 'dist/libs/database/src/embedded-postgres.js')).href);
  const { PGlite } = await import('@electric-sql/pglite');
  const options = typeof mod.pgliteOptions === 'function' ? mod.pgliteOptions() : {};
  return PGlite.create(pgdata, options);
}

/**
 * The naive write straight to PGlite, as a developer using it in-process would write it: one
 * transaction (PGlite's own, which queues the others) of SELECT … FOR UPDATE, UPDATE, INSERT.
 */
export function pgliteNaiveOp(db, slugs) {
  return async (n) => db.transaction((tx) => naiveStatements((sql, params) => tx.query(sql, params), slugs[n % slugs.length], n));
}
