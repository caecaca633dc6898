import { chmodSync, closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  privateDataDir(dir);
  const release = acquireLock(join(dir, 'lock'));
  const socket = socketDirFor(dir);
  const socketPath = join(socket.dir, SOCKET_FILE);
  const cleanUp = () => {
    rmSync(socket.owned ? socket.dir : socketPath, { recursive: true, force: true });
    release();
  };
  try {
    tightenTree(dir);
    // Loaded only here: a process on a PostgreSQL server never holds PGlite's modules (a few MiB of RSS).
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
    const db = await PGlite.create(join(dir, 'pgdata'));
    tightenTree(dir);
    rmSync(socketPath, { force: true }); // left by a process that died (we hold the lock)
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: EMBEDDED_MAX_CONNECTIONS });
    await server.start();
    chmodSync(socketPath, 0o600);
    return {
      url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}`,
      dataDir: dir,
      async stop() {
        await server.stop();
        await db.close();
        tightenTree(dir);
        cleanUp();
      },
    };
  } catch (err) {
    cleanUp();
    throw err;
  }
}
