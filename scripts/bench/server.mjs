// The built API as a child process, with its resident memory watched from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { serverProcessEnv } from '../server-node-options.mjs';
import { cpuMsOf, log } from './util.mjs';

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    };
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Start `node <entry>` with the given environment (over the parent's), wait for its "listening on"
 * line, and poll its RSS every 200 ms until it stops.
 */
export async function startServer(entry, env, { cwd, label = 'api', preload = null } = {}) {
  const t0 = performance.now();
  const args = preload ? ['--import', preload, entry] : [entry];
  const child = spawn(process.execPath, args, {
    cwd,
    // Started as `npm start` and the Dockerfile start it: with the server's heap limit and malloc arenas.
    env: { ...serverProcessEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const memory = { peakRssKiB: 0, hwmKiB: null, samples: 0 };
  const poll = setInterval(() => {
    const s = procStatus(child.pid);
    if (!s) return;
    memory.samples++;
    if (s.rss !== null) memory.peakRssKiB = Math.max(memory.peakRssKiB, s.rss);
    memory.lastRssKiB = s.rss;
    if (s.hwm !== null) memory.hwmKiB = s.hwm;
  }, 200);
  poll.unref();

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} server did not start in 180 s:\n${out.slice(-4000)}`)), 180_000);
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} server exited (${code ?? signal}) before listening:\n${out.slice(-4000)}`));
    });
  });
  const bootMs = Math.round(performance.now() - t0);
  log(`${label} server pid ${child.pid} listening on ${url} (boot ${bootMs} ms)`);

  return {
    child,
    pid: child.pid,
    url,
    bootMs,
    memory,
    output: () => out,
    /** The memory figures now (VmHWM is the kernel's own peak of the process's RSS). */
    memoryNow() {
      const s = procStatus(child.pid);
      if (s?.hwm) memory.hwmKiB = s.hwm;
      if (s?.rss) memory.peakRssKiB = Math.max(memory.peakRssKiB, s.rss);
      return { rssKiB: s?.rss ?? null, peakRssKiB: memory.peakRssKiB, hwmKiB: memory.hwmKiB };
    },
    /** CPU time (ms, user + system) the server process has used so far. */
    cpuMs: () => cpuMsOf(child.pid),
    signal(sig) {
      child.kill(sig);
    },
    /** SIGTERM (the app closes gracefully), SIGKILL after 15 s. Returns the final memory figures. */
    async stop() {
      const mem = this.memoryNow();
      clearInterval(poll);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      return mem;
    },
  };
}
