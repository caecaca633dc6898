import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGliteOptions } from '@electric-sql/pglite';
import { MIGRATIONS } from '@app/migrations';

/**
 * Connections the embedded server accepts. PGlite is one session: pglite-socket multiplexes
 * connections, but interleaves their extended-protocol messages outside transactions (one client's
 * Parse replaces another's unnamed statement), so the app uses a single pooled connection.
 */
export const EMBEDDED_MAX_CONNECTIONS = 4;
export const EMBEDDED_POOL_MAX = 1;

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {}

/** DATA_DIR is writable by other users, or not ours: what is in it cannot be trusted. */
export class DataDirUnsafeError extends Error {}

/**
 * DATA_DIR is this user's alone: created 0700, or checked and tightened when it exists. One that
 * others can write (or that another user owns) is refused: anyone could have planted files in it.
 */
function privateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory()) throw new DataDirUnsafeError(`DATA_DIR ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new DataDirUnsafeError(`DATA_DIR ${dir} belongs to user ${st.uid}, not to this process's user ${uid}: refusing to use it`);
  }
  if ((st.mode & 0o022) !== 0) {
    throw new DataDirUnsafeError(
      `DATA_DIR ${dir} is writable by other users (mode ${(st.mode & 0o7777).toString(8)}): refusing to use it; check its files, then chmod 700 it`,
    );
  }
  chmodSync(dir, 0o700);
}

/**
 * Every file of the data dir 0600 and every folder 0700. PGlite writes the files of a new cluster
 * 0666 whatever the umask (PostgreSQL's own, made later, are 0600): done after it starts and when it
 * stops. Symbolic links are left alone (never followed).
 */
function tightenTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o700);
      tightenTree(path);
    } else if (entry.isFile() && (lstatSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
    }
  }
}

/**
 * The template the build makes (scripts/build.mjs, embedded-template.ts): a cluster with every migration
 * applied, in dist/embedded-template beside the compiled code (this file is dist/libs/database/src/).
 * A new DATA_DIR starts as a copy of it (~0.1 s) instead of running initdb and the migrations in PGlite
 * (7–20 s on this machine). Run from the TypeScript sources (jest) the folder does not exist: initdb, as before.
 */
export const EMBEDDED_TEMPLATE_DIR = fileURLToPath(new URL('../../../embedded-template/', import.meta.url));

/** What a template was made with: PGlite's version and the migrations applied. A template that differs is not used. */
export function embeddedTemplateKey(): string {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(readFileSync(join(dirname(pgliteEntry), '..', 'package.json'), 'utf8')) as { version: string };
  return createHash('sha256')
    .update(JSON.stringify({ pglite: version, migrations: MIGRATIONS.map((m) => m.name) }))
    .digest('hex')
    .slice(0, 16);
}

/** A plain copy of a folder of files (fs.cpSync took twice as long for the template's ~1,000 files); copy-on-write where the file system can. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o700 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) copyFileSync(join(from, entry.name), join(to, entry.name), fsConstants.COPYFILE_FICLONE);
  }
}

/**
 * A new cluster in `pgdata` copied from the template, when there is no cluster there yet and the
 * template matches this code. Copied beside it, then renamed: a copy cut short is never taken for a
 * cluster.
 */
function clusterFromTemplate(pgdata: string, template: string): void {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) return; // not ours to replace: PGlite decides, as without a template
  const keyFile = join(template, 'key');
  if (!existsSync(join(template, 'pgdata', 'PG_VERSION')) || !existsSync(keyFile)) return;
  if (readFileSync(keyFile, 'utf8').trim() !== embeddedTemplateKey()) return;
  const partial = `${pgdata}.partial`;
  rmSync(partial, { recursive: true, force: true });
  copyTree(join(template, 'pgdata'), partial);
  rmSync(pgdata, { recursive: true, force: true });
  renameSync(partial, pgdata);
}

/**
 * Settings PGlite starts with beyond its own (PGlite.defaultStartParams: single-user mode). Shared
 * buffers: PostgreSQL's 128 MB default lives in PGlite's WebAssembly memory, resident once touched;
 * a newsroom's database is a few MiB to a few hundred, and a page not in the pool is a read from the
 * operating system's cache (docs/performance.md#the-embedded-database).
 */
export const PGLITE_SETTINGS: readonly string[] = ['-c', 'shared_buffers=32MB'];

/** The PGlite the app runs, as options of PGlite.create (the bench opens its baseline with the same). */
export async function pgliteOptions(): Promise<PGliteOptions> {
  const { PGlite } = await import('@electric-sql/pglite');
  return { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] };
}

/**
 * PGlite and its socket server, on a thread of their own: PostgreSQL's work (WebAssembly, synchronous
 * while a statement runs) no longer stops the API's event loop, and the two use both cores
 * (docs/performance.md#the-embedded-database). CommonJS evaluated from this string, so that it needs no
 * file of its own beside the compiled code and runs the same from the TypeScript sources (jest).
 */
const DATABASE_THREAD = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { PGlite } = require(w.pglite);
const { PGLiteSocketServer } = require(w.pgliteSocket);
const fail = (err) => parentPort.postMessage({ error: String((err && err.stack) || err) });
(async () => {
  const db = await PGlite.create(w.pgdata, { startParams: [...PGlite.defaultStartParams, ...w.settings] });
  const server = new PGLiteSocketServer({ db, path: w.socketPath, maxConnections: w.maxConnections });
  await server.start();
  parentPort.once('message', () => {
    server.stop().then(() => db.close()).then(() => parentPort.postMessage({ stopped: true }), fail);
  });
  parentPort.postMessage({ listening: true });
})().catch(fail);
`;

interface ThreadMessage {
  listening?: true;
  stopped?: true;
  error?: string;
}

/** The database thread's next message; its failure or exit before one rejects. */
function nextMessage(thread: Worker): Promise<ThreadMessage> {
  return new Promise((resolve, reject) => {
    const done = () => {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const onMessage = (m: ThreadMessage) => {
      done();
      if (m.error) reject(new Error(`embedded database: ${m.error}`));
      else resolve(m);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`the embedded database's thread exited (code ${code})`));
    };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
  });
}

/** sun_path holds 108 bytes on Linux (104 on macOS). */
const MAX_SOCKET_PATH = 100;
/** The file name libpq and `pg` look for in a socket directory (PostgreSQL's default port). */
const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * The folder of the server's Unix socket: DATA_DIR itself, or, when its path is too long for a
 * socket, a private (0700) folder of our own under the system's temporary directory.
 */
function socketDirFor(dir: string): { dir: string; owned: boolean } {
  if (Buffer.byteLength(join(dir, SOCKET_FILE)) <= MAX_SOCKET_PATH) return { dir, owned: false };
  return { dir: mkdtempSync(join(tmpdir(), 'gt-pg-')), owned: true };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds: a lock file naming our own pid is ours only if it is in here (pid 1 in a container restarts as pid 1). */
const heldLocks = new Set<string>();

/** Two PGlite instances on one data dir corrupt it: the first holds `lock`, any other is refused. */
function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldLocks.add(lockPath);
      return () => {
        heldLocks.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      const held = holder === process.pid ? heldLocks.has(lockPath) : Number.isInteger(holder) && holder > 0 && processAlive(holder);
      if (held) throw new DataDirLockedError(`the embedded database in ${lockPath} is in use by process ${holder}`);
      rmSync(lockPath, { force: true }); // left by a process that died
    }
  }
  throw new DataDirLockedError(`could not lock ${lockPath}`);
}

/**
 * PostgreSQL without a server: PGlite in DATA_DIR, served through pglite-socket so that the ordinary
 * `pg` driver, TypeORM and the migrations work unchanged. It has no password, so it listens on a
 * Unix socket in the private DATA_DIR (0700), never on a TCP port: only this user's processes reach it.
 */
export function startEmbeddedPostgres(dataDir: string, options: { template?: string | null } = {}): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  const early = prestarted.get(dir);
  prestarted.delete(dir);
  return early ?? launch(dir, options);
}

/** Started ahead of their first startEmbeddedPostgres, by DATA_DIR (resolved). */
const prestarted = new Map<string, Promise<EmbeddedPostgres>>();

/**
 * Start the embedded database now, for the next startEmbeddedPostgres on the same DATA_DIR to take:
 * the API's main.ts calls it before it loads the app's modules, so that PGlite boots on its thread
 * (~1–1.5 s) while the main thread loads them (~2 s). A failure reaches whoever takes it.
 */
export function prestartEmbeddedPostgres(dataDir: string): void {
  const dir = resolve(dataDir);
  if (prestarted.has(dir)) return;
  const starting = launch(dir, {});
  starting.catch(() => undefined); // not unhandled meanwhile: the taker awaits the same promise
  prestarted.set(dir, starting);
}

async function launch(dir: string, options: { template?: string | null }): Promise<EmbeddedPostgres> {
  privateDataDir(dir);
  const release = acquireLock(join(dir, 'lock'));
  const socket = socketDirFor(dir);
  const socketPath = join(socket.dir, SOCKET_FILE);
  const cleanUp = () => {
    rmSync(socket.owned ? socket.dir : socketPath, { recursive: true, force: true });
    release();
  };
  let thread: Worker | null = null;
  try {
    tightenTree(dir);
    const pgdata = join(dir, 'pgdata');
    const template = options.template === undefined ? EMBEDDED_TEMPLATE_DIR : options.template;
    if (template !== null) clusterFromTemplate(pgdata, template);
    rmSync(socketPath, { force: true }); // left by a process that died (we hold the lock)
    const resolveModule = createRequire(import.meta.url).resolve;
    thread = new Worker(DATABASE_THREAD, {
      eval: true,
      workerData: {
        pglite: resolveModule('@electric-sql/pglite'),
        pgliteSocket: resolveModule('@electric-sql/pglite-socket'),
        pgdata,
        socketPath,
        maxConnections: EMBEDDED_MAX_CONNECTIONS,
        settings: PGLITE_SETTINGS,
      },
    });
    await nextMessage(thread);
    const running = thread;
    tightenTree(dir);
    chmodSync(socketPath, 0o600);
    // The database is part of this process: if its thread dies, the process must not serve on without it.
    let stopping = false;
    running.on('error', (err) => {
      if (!stopping) throw err;
    });
    running.on('exit', (code) => {
      if (!stopping) throw new Error(`the embedded database's thread exited (code ${code})`);
    });
    return {
      url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}`,
      dataDir: dir,
      async stop() {
        if (stopping) return;
        stopping = true;
        const stopped = nextMessage(running);
        running.postMessage('stop');
        await stopped;
        await running.terminate();
        tightenTree(dir);
        cleanUp();
      },
    };
  } catch (err) {
    await thread?.terminate();
    cleanUp();
    throw err;
  }
}
