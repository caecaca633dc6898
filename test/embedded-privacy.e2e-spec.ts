import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY } from './support/test-app.js';
import { SERVER_ENTRY, startServerProcess, type ServerProcess } from './support/server-process.js';

/**
 * Issue 23, item 1: the embedded database has no password, so nobody but the user running the app
 * may reach it. Whatever DATABASE_URL says for the rest of the suite, these tests run the built
 * server on the embedded database, as a child process, in a DATA_DIR whose parent every user may
 * enter — so that only the data dir's own protection stands between it and another OS user
 * (`gt-intruder`, created here: the suite runs as root).
 */

const INTRUDER = 'gt-intruder';
const SOCKET = '.s.PGSQL.5432';

function ensureIntruder(): number {
  const id = spawnSync('id', ['-u', INTRUDER], { encoding: 'utf8' });
  if (id.status === 0) return Number(id.stdout.trim());
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', INTRUDER]);
  return Number(execFileSync('id', ['-u', INTRUDER], { encoding: 'utf8' }).trim());
}

/** Entries of the tree (the root included) whose mode gives anything to group or others. */
function openEntries(root: string): string[] {
  const open: string[] = [];
  const visit = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return; // removed while we looked (a WAL segment recycled)
    if ((st.mode & 0o077) !== 0) open.push(`${(st.mode & 0o777).toString(8)} ${path.slice(root.length) || '/'}`);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return open;
}

/** TCP ports a process listens on (Linux: its socket inodes matched against /proc/net/tcp and tcp6). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9])) continue; // 0A: LISTEN
      ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

/** Run a Node script as `user` (root when null); what it prints. */
function runAs(user: string | null, script: string, args: string[]): string {
  const command = user ? ['runuser', '-u', user, '--', process.execPath] : [process.execPath];
  const res = spawnSync(command[0], [...command.slice(1), '-e', script, ...args], { encoding: 'utf8', cwd: '/' });
  return `${res.stdout}${res.stderr}`.trim();
}

/** Connects to the socket and reads a data file; prints what each attempt came to. */
const PROBE = `
const net = require('node:net'), fs = require('node:fs');
const [socket, file] = process.argv.slice(1);
let read; try { fs.readFileSync(file); read = 'read'; } catch (e) { read = e.code; }
const c = net.connect(socket);
c.on('connect', () => { console.log('connect:connected read:' + read); c.destroy(); });
c.on('error', (e) => console.log('connect:' + e.code + ' read:' + read));
`;

describe('the embedded database is private to the user running the app', () => {
  let intruderUid: number;
  let parent: string;
  let dataDir: string;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    intruderUid = ensureIntruder();
    parent = mkdtempSync(join(tmpdir(), 'gt-privacy-'));
    chmodSync(parent, 0o755); // anyone may enter the parent: only DATA_DIR's own modes protect it
    dataDir = join(parent, 'data');
    const template = process.env.GT_TEMPLATE_DATA_DIR;
    if (template) {
      // An existing install as earlier versions left it: folders 0755, PGlite's files 0666.
      cpSync(template, dataDir, { recursive: true });
      rmSync(join(dataDir, 'lock'), { force: true });
      const loosen = (p: string) => {
        const st = statSync(p);
        chmodSync(p, st.isDirectory() ? 0o755 : 0o666);
        if (st.isDirectory()) for (const n of readdirSync(p)) loosen(join(p, n));
      };
      loosen(dataDir);
    }
    server = await startServerProcess({ databaseUrl: null, dataDir, drop: async () => undefined }, { DATABASE_URL: '' });
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(parent, { recursive: true, force: true });
  });

  test('DATA_DIR is 0700 and nothing in it is open to group or others, after start and after writes', async () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openEntries(dataDir)).toEqual([]);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server!.url}/api/v1/provinces/basra/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'REPORT', kind: 'note', text: `private ${i}`, source: { name: 'desk' } }),
      });
      expect(res.status).toBe(201);
    }
    expect(openEntries(dataDir)).toEqual([]);
  });

  test('the server listens on no TCP port but its HTTP one: the database is a Unix socket in DATA_DIR', () => {
    const httpPort = Number(new URL(server!.url).port);
    expect(listeningPorts(server!.child.pid!)).toEqual([httpPort]);
    expect(statSync(join(dataDir, SOCKET)).isSocket()).toBe(true);
  });

  test('another OS user can neither connect to the socket nor read a data file; the app’s own user can', () => {
    const args = [join(dataDir, SOCKET), join(dataDir, 'pgdata', 'PG_VERSION')];
    expect(runAs(null, PROBE, args)).toBe('connect:connected read:read');
    expect(runAs(INTRUDER, PROBE, args)).toBe('connect:EACCES read:EACCES');
  });

  test('after a stop every file is still 0600, and the socket is gone', async () => {
    server!.child.kill('SIGTERM');
    expect((await server!.exited).code).toBe(0);
    expect(openEntries(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, SOCKET))).toBe(false);
  });

  /** Start the built server on `dir` and wait for it to exit (it must refuse to start; one still running after 30 s is killed). */
  async function refusedStart(dir: string): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, ADMIN_API_KEY: ADMIN_KEY, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const started = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(started);
    return { code, output };
  }

  test('refuses to start on a DATA_DIR others can write, or that another user owns, and touches nothing in it', async () => {
    const open = join(parent, 'world-writable');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const refused = await refusedStart(open);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/DATA_DIR .*world-writable is writable by other users \(mode 777\)/);
    expect(readdirSync(open)).toEqual([]);

    const theirs = join(parent, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, intruderUid, 0);
    const notOurs = await refusedStart(theirs);
    expect(notOurs.code).toBe(1);
    expect(notOurs.output).toMatch(new RegExp(`DATA_DIR .*theirs belongs to user ${intruderUid}`));
    expect(readdirSync(theirs)).toEqual([]);
  }, 90_000);
});
