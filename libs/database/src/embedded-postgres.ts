import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
      const fd = openSync(lockPath, 'wx');
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
 * PostgreSQL without a server: PGlite in DATA_DIR, served on a free loopback port through
 * pglite-socket so that the ordinary `pg` driver, TypeORM and the migrations work unchanged.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const release = acquireLock(join(dir, 'lock'));
  try {
    // Loaded only here: a process on a PostgreSQL server never holds PGlite's modules (a few MiB of RSS).
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
    const db = await PGlite.create(join(dir, 'pgdata'));
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: EMBEDDED_MAX_CONNECTIONS });
    await server.start();
    const conn = server.getServerConn(); // host:port
    return {
      url: `postgres://postgres@${conn}/postgres`,
      dataDir: dir,
      async stop() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
