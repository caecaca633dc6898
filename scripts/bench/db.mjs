// Scratch databases on the server DATABASE_URL names: created for one run, dropped at its end.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { cpuMsOf, log } from './util.mjs';

/** The URL of another database on the same server (same user, host, port and options). */
export function databaseUrl(baseUrl, name) {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export class ScratchDatabases {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.created = [];
    this.admin = null;
  }

  async connect() {
    this.admin = new pg.Client({ connectionString: this.baseUrl, application_name: 'governor-tracker-bench', connectionTimeoutMillis: 5000 });
    await this.admin.connect();
    const [{ version, createdb, superuser }] = (
      await this.admin.query(
        `SELECT current_setting('server_version') AS version, r.rolcreatedb OR r.rolsuper AS createdb, r.rolsuper AS superuser
           FROM pg_roles r WHERE r.rolname = current_user`,
      )
    ).rows;
    if (!createdb) throw new Error('the role of DATABASE_URL may not CREATE DATABASE: the benchmark needs scratch databases');
    return { version, superuser };
  }

  /**
   * CPU time (ms) used so far by the server backends of one database, per pid (PostgreSQL on this
   * machine only: the backends are read from /proc); null when they cannot be seen.
   */
  async backendCpu(datname) {
    const pids = (await this.admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [datname])).rows.map((r) => r.pid);
    const out = new Map();
    for (const pid of pids) {
      const ms = cpuMsOf(pid);
      if (ms === null) return null;
      out.set(pid, ms);
    }
    return out;
  }

  async create(name) {
    if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing a scratch database name: ${name}`);
    await this.admin.query(`CREATE DATABASE ${name}`);
    this.created.push(name);
    return databaseUrl(this.baseUrl, name);
  }

  async drop(name) {
    await this.admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.created = this.created.filter((n) => n !== name);
  }

  /** Drop every database this run created (FORCE: a killed server may leave a session behind). */
  async dropAll() {
    for (const name of [...this.created]) {
      try {
        await this.drop(name);
        log(`dropped ${name}`);
      } catch (err) {
        log(`could not drop ${name}: ${err.message}`);
      }
    }
    await this.admin?.end().catch(() => undefined);
  }
}

/** Run the built CLI (migrate, seed, verify) against a database (url '' and env.DATA_DIR: the embedded one); resolves with its output. */
export function runCli(cliEntry, url, args, { cwd, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`cli ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/** One dedicated connection, returning rows. */
export async function connect(url, name = 'governor-tracker-bench') {
  const client = new pg.Client({ connectionString: url, application_name: name });
  await client.connect();
  return { client, q: async (sql, params) => (await client.query(sql, params)).rows, end: () => client.end() };
}

/** CPU used between two backendCpu() snapshots (backends that started in between count from zero). */
export function cpuDelta(before, after) {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, v] of after) ms += v - (before.get(pid) ?? 0);
  return ms;
}
