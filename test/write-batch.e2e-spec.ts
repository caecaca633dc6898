import pg from 'pg';
import { postEvent, setupSuite, type TestApp } from './support/test-app.js';
import { describeWithServer } from './support/test-database.js';

/** One sample of a Prometheus metric from the app's /metrics (0 when it has none yet). */
async function metricOf(app: TestApp, name: string): Promise<number> {
  const res = await app.http().get('/metrics');
  const line = res.text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** Run `work` while the database refuses to store an event whose text starts with "poison" (a fault only it knows about). */
async function whilePoisoned<T>(app: TestApp, work: () => Promise<T>): Promise<T> {
  const db = app.running.database.dataSource;
  await db.query(`
    CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.payload->>'text' LIKE 'poison%' THEN RAISE EXCEPTION 'poisoned event'; END IF;
      RETURN NEW;
    END $$`);
  await db.query(`CREATE TRIGGER test_poison BEFORE INSERT ON province_event FOR EACH ROW EXECUTE FUNCTION test_poison()`);
  try {
    return await work();
  } finally {
    await db.query(`DROP TRIGGER test_poison ON province_event`);
    await db.query(`DROP FUNCTION test_poison()`);
  }
}

/**
 * Group commit: events that arrive while every write slot is busy share one transaction
 * (ProvincesService.appendBatch). Each still gets its own answer — a refusal refuses that event only —
 * and a batch whose transaction fails is written again event by event, never twice.
 */
describe('the event write path under a burst (group commit)', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    // One write slot: while the first write of a burst is in flight, everything after it queues, so the
    // batches this file is about form whatever the machine's speed.
    s = await setupSuite('write_batch', { DB_WRITE_SLOTS: '1' });
  });
  afterAll(async () => {
    await s?.teardown();
  });

  const metric = (name: string) => metricOf(s.app, name);

  async function history(slug: string): Promise<{ seq: number; type: string; payload: { text?: string } }[]> {
    const res = await s.app.http().get(`/api/v1/provinces/${slug}/events`).set(s.auth(s.keys.viewer));
    expect(res.status).toBe(200);
    return res.body.items;
  }

  test('a burst over every province: batches form, each event gets its own answer, refusals store nothing, every accepted event is stored once', async () => {
    const provinces = (await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer))).body;
    const list: { slug: string; version: number }[] = Array.isArray(provinces) ? provinces : provinces.items ?? provinces.data;
    const slugs = list.map((p) => p.slug);
    expect(slugs.length).toBe(15);
    const batchesBefore = await metric('governor_event_write_batch_size_count');
    const aloneBefore = await metric('governor_event_write_batch_size_bucket{le="1"}');

    // Per province: three reports, one APPOINT the stage refuses (409), one report with a stale If-Match (412).
    const requests = slugs.flatMap((slug) => [
      { slug, body: { type: 'REPORT', kind: 'rumor', text: `burst ${slug} 1` }, expect: 201 },
      { slug, body: { type: 'APPOINT', governor: 'Nobody Nominated' }, expect: 409 },
      { slug, body: { type: 'REPORT', kind: 'note', text: `burst ${slug} 2` }, expect: 201 },
      { slug, body: { type: 'REPORT', kind: 'note', text: `burst ${slug} stale` }, headers: { 'if-match': '"999"' }, expect: 412 },
      { slug, body: { type: 'REPORT', kind: 'denial', text: `burst ${slug} 3` }, expect: 201 },
    ]);
    const responses = await Promise.all(requests.map((r) => postEvent(s.app, s.keys.editor, r.slug, r.body, r.headers ?? {})));
    expect(responses.map((r) => r.status)).toEqual(requests.map((r) => r.expect));
    for (const [i, res] of responses.entries()) {
      if (res.status === 201) {
        expect(res.body.event.payload.text).toBe(requests[i].body.text);
        expect(res.body.province.slug).toBe(requests[i].slug);
      } else {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }

    // Several events shared a transaction (this is the path under test, not the lone write).
    const batches = (await metric('governor_event_write_batch_size_count')) - batchesBefore;
    const alone = (await metric('governor_event_write_batch_size_bucket{le="1"}')) - aloneBefore;
    expect(batches).toBeGreaterThan(0);
    expect(batches - alone).toBeGreaterThan(0);
    expect(batches).toBeLessThan(requests.length);

    for (const slug of slugs) {
      const events = await history(slug);
      // Exactly the accepted ones, once each, under gap-free seqs and the seqs they were acknowledged with.
      expect(events.map((e) => e.payload.text).sort()).toEqual([`burst ${slug} 1`, `burst ${slug} 2`, `burst ${slug} 3`]);
      expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3]);
      const acknowledged = responses.filter((r, i) => r.status === 201 && requests[i].slug === slug).map((r) => r.body.event.seq);
      expect(acknowledged.sort()).toEqual([1, 2, 3]);
      const province = await s.app.http().get(`/api/v1/provinces/${slug}`).set(s.auth(s.keys.viewer));
      expect(province.body.version).toBe(3);
    }
  });

  test("an event's update of its province can be HOT: no index of province holds a column the write path changes, and the read cache's copy of the versions follows", async () => {
    const db = s.app.running.database.dataSource;
    // gt_append_event and the retraction change these; an index on any of them makes every such update
    // write a new entry into every index of the table (issue 6: ~15-20 % of the write throughput).
    const changed = ['state', 'stage', 'tier', 'version', 'updated_at', 'last_seq', 'last_occurred_at'];
    const indexed: { column: string }[] = await db.query(
      `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = 'province'::regclass`,
    );
    expect(indexed.map((r) => r.column).filter((c) => changed.includes(c))).toEqual([]);
    const expressions: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'province'::regclass AND (indexprs IS NOT NULL OR indpred IS NOT NULL)`,
    );
    expect(expressions[0].n).toBe(0);
    const res = await postEvent(s.app, s.keys.editor, 'najaf', { type: 'REPORT', kind: 'note', text: 'a version the copy follows' });
    expect(res.status).toBe(201);
    const [copy]: { same: boolean; n: number }[] = await db.query(
      `SELECT bool_and(d.version = p.version) AS same, count(*)::int AS n FROM province p JOIN province_data_version d ON d.province_id = p.id`,
    );
    expect(copy).toEqual({ same: true, n: 15 });
  });

  test('a batch whose transaction fails is written again event by event: the others are stored once, the failing one not at all', async () => {
    await whilePoisoned(s.app, async () => {
      const retriesBefore = await metric('governor_event_write_batch_retries_total');
      const slugs = ['basra', 'kirkuk', 'nineveh', 'anbar', 'diyala', 'babil', 'karbala', 'najaf'];
      const requests = Array.from({ length: 48 }, (_, i) => ({
        slug: slugs[i % slugs.length],
        text: i % 12 === 5 ? `poison ${i}` : `fine ${i}`,
      }));
      const responses = await Promise.all(requests.map((r) => postEvent(s.app, s.keys.editor, r.slug, { type: 'REPORT', kind: 'note', text: r.text })));
      for (const [i, res] of responses.entries()) {
        if (requests[i].text.startsWith('poison')) {
          expect(res.status).toBe(500);
          expect(JSON.stringify(res.body)).not.toMatch(/poisoned|INSERT|province_event/);
        } else {
          expect(res.status).toBe(201);
        }
      }
      expect(await metric('governor_event_write_batch_retries_total')).toBeGreaterThan(retriesBefore);
      for (const slug of slugs) {
        const texts = (await history(slug)).map((e) => e.payload.text).filter((t) => t?.startsWith('fine') || t?.startsWith('poison'));
        const expected = requests.filter((r) => r.slug === slug && r.text.startsWith('fine')).map((r) => r.text);
        expect(texts.sort()).toEqual(expected.sort());
      }
    });
  });
});

describeWithServer('an event that waits for its province behind a change of the cycle', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('write_rules_after_lock');
  });
  afterAll(async () => {
    await s?.teardown();
  });

  test('is decided under the rules that change committed, not those read before it waited', async () => {
    const other = new pg.Client({ connectionString: s.db.databaseUrl! });
    await other.connect();
    try {
      // Another transaction holds Basra and moves the deadline earlier (as PATCH /cycle does: it locks every province).
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM province WHERE slug = 'basra' FOR UPDATE`);
      await other.query(`UPDATE cycle SET deadline = '2024-01-15', deadline_basis = 'test: an earlier deadline', version = version + 1`);
      const waiting = postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-20T10:00:00+03:00' }).then((r) => r);
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      const res = await waiting;
      expect(res.status).toBe(201);
      expect(res.body.province.deadline).toBe('2024-01-15');
      expect(res.body.event.late).toBe(true);
      const history = await s.app.http().get('/api/v1/provinces/basra/events').set(s.auth(s.keys.viewer));
      expect(history.body.items.find((e: { seq: number }) => e.seq === res.body.event.seq).late).toBe(true);
    } finally {
      await other.end();
    }
  });
});

describeWithServer('a batch with one province whose row lock is held elsewhere', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    // One slot and a short statement timeout, so that the batch forms and the held lock times out quickly.
    s = await setupSuite('write_batch_slow_province', { DB_WRITE_SLOTS: '1', DB_STATEMENT_TIMEOUT_MS: '500' });
  });
  afterAll(async () => {
    await s?.teardown();
  });

  test("fails only that province's event (503); the batch's others are written one by one and stored", async () => {
    const other = new pg.Client({ connectionString: s.db.databaseUrl! });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM province WHERE slug IN ('kirkuk', 'basra') FOR UPDATE`);
      const retriesBefore = await metricOf(s.app, 'governor_event_write_batch_retries_total');
      // Kirkuk's event takes the one slot and waits for its lock; the rest queue behind it and form a batch with Basra.
      const blocker = postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'REPORT', kind: 'note', text: 'held kirkuk' }).then((r) => r);
      await new Promise((r) => setTimeout(r, 100));
      const slugs = ['basra', 'najaf', 'wasit', 'babil', 'anbar'];
      const responses = await Promise.all(slugs.map((slug) => postEvent(s.app, s.keys.editor, slug, { type: 'REPORT', kind: 'note', text: `batched ${slug}` })));
      expect((await blocker).status).toBe(503);
      expect(responses.map((r) => r.status)).toEqual([503, 201, 201, 201, 201]);
      expect(responses[0].headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await metricOf(s.app, 'governor_event_write_batch_retries_total')).toBe(retriesBefore + 1);
      await other.query('ROLLBACK');
      for (const slug of slugs.slice(1)) {
        const history = await s.app.http().get(`/api/v1/provinces/${slug}/events`).set(s.auth(s.keys.viewer));
        expect(history.body.items.map((e: { payload: { text?: string } }) => e.payload.text)).toEqual([`batched ${slug}`]);
      }
      const basra = await s.app.http().get('/api/v1/provinces/basra/events').set(s.auth(s.keys.viewer));
      expect(basra.body.items).toEqual([]);
    } finally {
      await other.end();
    }
  });
});

describeWithServer("one province's events queued together", () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    // One slot: everything queues behind the write that holds it, and the next batch takes the queue.
    // Generous waits (for a slot, for a lock): a slow machine must not turn the queue into 503s.
    s = await setupSuite('write_batch_one_province', { DB_WRITE_SLOTS: '1', DB_CONNECTION_TIMEOUT_MS: '30000', DB_STATEMENT_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => {
    await s?.teardown();
  });

  async function waitFor(what: string, check: () => Promise<boolean>) {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /**
   * Hold Anbar's row lock from another connection and send a write for it: it takes the one slot and
   * waits. Then send `chain` for `slug`, each once the one before it waits for the slot (in this order),
   * release the lock, and return the answers (the blocker's first).
   */
  async function queuedBehindHeldSlot(slug: string, chain: { body: Record<string, unknown>; headers?: Record<string, string> }[]) {
    const other = new pg.Client({ connectionString: s.db.databaseUrl! });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM province WHERE slug = 'anbar' FOR UPDATE`);
      const blocker = postEvent(s.app, s.keys.editor, 'anbar', { type: 'REPORT', kind: 'note', text: 'holds the slot' }).then((r) => r);
      await waitFor('the blocker to wait for its lock', async () => {
        const [{ n }] = (await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows;
        return n === 1;
      });
      const pending: Promise<Awaited<ReturnType<typeof postEvent>>>[] = [];
      for (const [i, r] of chain.entries()) {
        pending.push(postEvent(s.app, s.keys.editor, slug, r.body, r.headers ?? {}).then((res) => res));
        await waitFor(`event ${i} to queue`, async () => (await metricOf(s.app, 'governor_event_writes_waiting')) === i + 1);
      }
      await other.query('COMMIT');
      return [await blocker, ...(await Promise.all(pending))];
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  }

  test('are decided in one transaction, in arrival order, each on the province as the one before left it (versions, backdating, alerts)', async () => {
    const db = s.app.running.database.dataSource;
    // A deadline three days ahead: every province in "criteria" without nominees is at risk (its tier and
    // candidate milestones passed), so a nomination resolves that alert and a withdrawal opens it again.
    const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const patched = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ deadline, deadlineBasis: 'test: a deadline ahead' });
    expect(patched.status).toBe(200);
    // Every alert notice from here on lands in the outbox of this subscription: a missing or repeated one shows.
    const hook = await s.app.http().post('/api/v1/admin/webhooks').set(s.auth(s.keys.admin)).send({ url: 'https://hooks.example/gt', events: ['alert.opened', 'alert.resolved'] });
    expect(hook.status).toBe(201);
    const v0: number = (await s.app.http().get('/api/v1/provinces/muthanna').set(s.auth(s.keys.viewer))).body.version;
    const [blocker, ...responses] = await queuedBehindHeldSlot('muthanna', [
      { body: { type: 'ASSIGN_TIER', tier: 'A' } },
      // Resolves the at-risk alert: the next events of the batch must see it resolved.
      { body: { type: 'NOMINATE', candidate: { name: 'First Nominee' } } },
      // Accepted only if the two before it were applied first: the version it names is theirs.
      { body: { type: 'REPORT', kind: 'note', text: 'after the nomination' }, headers: { 'if-match': `"${v0 + 2}"` } },
      { body: { type: 'REPORT', kind: 'note', text: 'stale' }, headers: { 'if-match': `"${v0}"` } },
      // Opens a new at-risk alert: the next events must see it open.
      { body: { type: 'WITHDRAW', candidate: 'First Nominee' } },
      // Backdated before all of them: its state comes from the stored timeline, so the batch's events so far
      // are stored first, and they are replayed after it.
      { body: { type: 'REPORT', kind: 'rumor', text: 'backdated', occurredAt: '2024-01-15T10:00:00+03:00' } },
      { body: { type: 'REPORT', kind: 'note', text: 'the last' } },
    ]);
    expect(blocker.status).toBe(201);
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 412, 201, 201, 201]);
    const accepted = responses.filter((r) => r.status === 201);
    expect(accepted.map((r) => r.body.event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(accepted.map((r) => r.body.province.version)).toEqual([1, 2, 3, 4, 5, 6].map((n) => v0 + n));
    // One transaction: one clock.
    expect(new Set(accepted.map((r) => r.body.event.recordedAt)).size).toBe(1);
    expect(accepted.map((r) => r.body.province.deadlineStatus)).toEqual(['at_risk', 'on_track', 'on_track', 'at_risk', 'at_risk', 'at_risk']);
    // The backdated report was decided on the stored timeline (the batch's events flushed first), not on an empty one.
    expect(accepted[4].body.province).toMatchObject({ tier: 'A', stage: accepted[3].body.province.stage });

    const now = await s.app.http().get('/api/v1/provinces/muthanna').set(s.auth(s.keys.viewer));
    expect(now.body).toMatchObject({ version: v0 + 6, tier: 'A', stage: accepted[3].body.province.stage });
    // The stored states agree with a replay of what was recorded (the as-known-at read replays it), now and mid-way.
    for (const asOf of ['2024-01-16T00:00:00Z', new Date().toISOString()]) {
      const stored = await s.app.http().get(`/api/v1/provinces/muthanna?asOf=${asOf}`).set(s.auth(s.keys.viewer));
      const replayed = await s.app.http().get(`/api/v1/provinces/muthanna?asOf=${asOf}&knownAt=${new Date().toISOString()}`).set(s.auth(s.keys.viewer));
      expect(stored.status).toBe(200);
      const pick = (b: Record<string, unknown>) => ({ stage: b.stage, tier: b.tier, governor: b.governor, nominees: b.nominees, deadlineStatus: b.deadlineStatus });
      expect(pick(replayed.body)).toEqual(pick(stored.body));
    }
    const history = await s.app.http().get('/api/v1/provinces/muthanna/events').set(s.auth(s.keys.viewer));
    // In timeline order: the backdated report first, then the others as they arrived.
    expect(history.body.items.map((e: { seq: number }) => e.seq)).toEqual([5, 1, 2, 3, 4, 6]);

    // One at-risk alert resolved by the nomination and one opened by the withdrawal, once each.
    const alerts = await s.app.http().get('/api/v1/alerts?status=all&province=muthanna&kind=at_risk').set(s.auth(s.keys.viewer));
    expect(alerts.body.items.map((a: { status: string }) => a.status).sort()).toEqual(['open', 'resolved']);
    const notices: { event_type: string; n: number }[] = await db.query(
      `SELECT event_type, count(*)::int AS n FROM outbox WHERE payload->'data'->'alert'->>'province' = 'muthanna' GROUP BY 1 ORDER BY 1`,
    );
    expect(notices).toEqual([{ event_type: 'alert.opened', n: 1 }, { event_type: 'alert.resolved', n: 1 }]);
  });

  test('when their transaction fails, a refusal decided on an earlier event of the batch is decided again, as one by one', async () => {
    await whilePoisoned(s.app, async () => {
      const v0: number = (await s.app.http().get('/api/v1/provinces/wasit').set(s.auth(s.keys.viewer))).body.version;
      const [blocker, onLocked, poisoned, sameVersion] = await queuedBehindHeldSlot('wasit', [
        // Refused on the province as locked (before any event of the batch): its answer stands.
        { body: { type: 'REPORT', kind: 'note', text: 'never current' }, headers: { 'if-match': `"${v0 + 50}"` } },
        // Accepted when decided; its INSERT fails the batch's transaction.
        { body: { type: 'REPORT', kind: 'note', text: 'poison: cannot be stored' } },
        // In the batch, decided after the poisoned one: 412 (it names the version before it). Written again
        // one by one, the poisoned event is not stored, the version is still v0: accepted.
        { body: { type: 'REPORT', kind: 'note', text: 'names the version before the poisoned one' }, headers: { 'if-match': `"${v0}"` } },
      ]);
      expect(blocker.status).toBe(201);
      expect([onLocked.status, poisoned.status, sameVersion.status]).toEqual([412, 500, 201]);
      expect(sameVersion.body.province.version).toBe(v0 + 1);
      const history = await s.app.http().get('/api/v1/provinces/wasit/events').set(s.auth(s.keys.viewer));
      expect(history.body.items.map((e: { payload: { text?: string } }) => e.payload.text)).toEqual(['names the version before the poisoned one']);
    });
  });
});
