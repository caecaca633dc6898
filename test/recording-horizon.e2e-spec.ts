// /changes and the live stream read the recording log only up to a horizon (RECORDING_HORIZON_SQL):
// a transaction still running in this database holds it back (it may yet commit an event below it);
// one running in another database of the same server must not (it never writes here, and a shared
// server or parallel test files would stall every reader for as long as it ran).
import pg from 'pg';
import { describeWithServer, SERVER_URL } from './support/test-database.js';
import { postEvent, setupSuite } from './support/test-app.js';

describeWithServer('the recording horizon on a shared server', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('horizon');
  });
  afterAll(async () => {
    await s?.teardown();
  });

  const changedSeqs = async () => {
    const res = await s.app.http().get('/api/v1/changes?limit=500').set(s.auth(s.keys.viewer));
    expect(res.status).toBe(200);
    return (res.body.items as { province: string; seq: number }[]).filter((e) => e.province === 'najaf').map((e) => e.seq);
  };

  /** A transaction holding an xid, open on `url` until `end` is called. */
  async function openTransaction(url: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    return { end: async () => (await client.query('COMMIT'), await client.end()) };
  }

  test('a transaction open in another database does not hold an event back', async () => {
    const elsewhere = await openTransaction(SERVER_URL!);
    try {
      expect((await postEvent(s.app, s.keys.editor, 'najaf', { type: 'REPORT', kind: 'note', text: 'first' })).status).toBe(201);
      expect(await changedSeqs()).toEqual([1]);
    } finally {
      await elsewhere.end();
    }
  });

  test('a transaction open in this database does, until it ends (nothing is passed over)', async () => {
    const here = await openTransaction(s.app.config.databaseUrl!);
    try {
      expect((await postEvent(s.app, s.keys.editor, 'najaf', { type: 'REPORT', kind: 'note', text: 'second' })).status).toBe(201);
      expect(await changedSeqs()).toEqual([1]);
    } finally {
      await here.end();
    }
    expect(await changedSeqs()).toEqual([1, 2]);
  });
});
