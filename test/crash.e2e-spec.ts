import { spawnSync } from 'node:child_process';
import { ADMIN_KEY } from './support/test-app.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { createTestDatabase, usingServer, type TestDatabase } from './support/test-database.js';

const CYCLES = 4;
const auth = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
const SLUGS = ['basra', 'kirkuk', 'nineveh', 'anbar'];

interface Acknowledged {
  slug: string;
  seq: number;
  text: string;
}

/**
 * "No acknowledged write is lost": the API process is killed with SIGKILL in the middle of a stream
 * of writes, several times; after each restart every write that was answered 201 is in the history
 * under the seq it was acknowledged with, and the integrity check replays every province cleanly.
 */
describe(`crash: SIGKILL during writes (${usingServer ? 'PostgreSQL server' : 'embedded database'})`, () => {
  let db: TestDatabase;
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    db = await createTestDatabase('crash');
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await db?.drop();
  });

  test(`${CYCLES} kill-and-restart cycles lose no acknowledged write`, async () => {
    const acknowledged: Acknowledged[] = [];
    let attempted = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      server = await startServerProcess(db);
      const target = server;
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const slug = SLUGS[(w + i) % SLUGS.length];
          const text = `cycle ${cycle} writer ${w} write ${i}`;
          attempted++;
          try {
            const res = await fetch(`${target.url}/api/v1/provinces/${slug}/events`, {
              method: 'POST',
              headers: auth,
              body: JSON.stringify({ type: 'REPORT', kind: 'note', text, source: { name: 'crash test' } }),
            });
            if (res.status === 201) {
              const body = (await res.json()) as { event: { seq: number } };
              acknowledged.push({ slug, seq: body.event.seq, text });
            }
          } catch {
            return; // the process is gone: this write was never acknowledged
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      // Kill mid-stream once this cycle has had some writes acknowledged (a little later each cycle).
      const wanted = acknowledged.length + 6 + cycle * 3;
      const giveUp = Date.now() + 30_000;
      while (acknowledged.length < wanted && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
      target.child.kill('SIGKILL');
      stop = true;
      await target.exited;
      await Promise.all(writers);
      server = null;
    }

    server = await startServerProcess(db);
    for (const slug of SLUGS) {
      const res = await fetch(`${server.url}/api/v1/provinces/${slug}/events`, { headers: auth });
      const items = ((await res.json()) as { items: { seq: number; payload: { text: string } }[] }).items;
      const bySeq = new Map(items.map((e) => [e.seq, e.payload.text]));
      for (const a of acknowledged.filter((x) => x.slug === slug)) expect(bySeq.get(a.seq)).toBe(a.text);
      expect([...bySeq.keys()].sort((x, y) => x - y)).toEqual(items.map((_, i) => i + 1));
    }
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    server = null;

    const verify = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'verify'], {
      env: { ...process.env, DATABASE_URL: db.databaseUrl ?? '', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(verify.stdout).toMatch(/all consistent/);
    expect(verify.status).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(CYCLES * 5);
    process.stdout.write(
      `crash test: ${CYCLES} SIGKILL cycles, ${attempted} writes attempted, ${acknowledged.length} acknowledged, 0 lost\n`,
    );
  });
});
