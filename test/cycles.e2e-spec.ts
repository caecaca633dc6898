import { expectProblem } from './support/expectations.js';
import { setupSuite, source } from './support/test-app.js';

/**
 * Issue 20: cycles side by side. Two cycles hold the same council slugs; every province route exists as
 * /cycles/:cycle/provinces/... and the routes of today answer for the default cycle, an explicit
 * setting (PATCH /cycles/:cycle {"default": true}); an archived cycle is read-only (409 cycle-archived).
 */

const s = await setupSuite('cycles');
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();
const admin = () => s.auth(s.keys.admin);
const editor = () => s.auth(s.keys.editor);
const db = () => s.app.running.database.dataSource;

const SECOND = 'iraq-vacancies-test';

beforeAll(async () => {
  // A second cycle with three of the same councils (POST /cycles is tested with the import document).
  const [{ id }] = await db().query(
    `INSERT INTO cycle (slug, name, election_date, deadline, deadline_basis, timezone)
     VALUES ($1, 'A second cycle', '2023-12-18', '2024-03-01', 'a test deadline', 'Asia/Baghdad') RETURNING id`,
    [SECOND],
  );
  await db().query(
    `INSERT INTO province (cycle_id, slug, code, name, name_ar, seats, stage, tier, state, version)
     SELECT $1, slug, code, name, name_ar, seats, 'criteria', NULL, state - 'context' || jsonb_build_object('context', state->'context'), 0
       FROM province WHERE slug IN ('basra', 'kirkuk', 'wasit') AND cycle_id <> $1`,
    [id],
  );
});

const tierA = { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00', source };

describe('cycles are first-class', () => {
  it('GET /cycles lists both, the default first; GET /cycle is the default one', async () => {
    const list = await http().get(`${API}/cycles`).set(editor());
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { slug: string; default: boolean }) => [c.slug, c.default])).toEqual([
      ['iraq-2023', true],
      [SECOND, false],
    ]);
    const current = await http().get(`${API}/cycle`).set(editor());
    const byName = await http().get(`${API}/cycles/iraq-2023`).set(editor());
    expect(current.body).toEqual(byName.body);
    expect(current.body).toMatchObject({ slug: 'iraq-2023', status: 'active', default: true, vacancyDeadline: null });
  });

  it('the same slug exists in both cycles; the routes of today answer for the default one', async () => {
    const [today, first, second] = await Promise.all([
      http().get(`${API}/provinces/basra`).set(editor()),
      http().get(`${API}/cycles/iraq-2023/provinces/basra`).set(editor()),
      http().get(`${API}/cycles/${SECOND}/provinces/basra`).set(editor()),
    ]);
    expect([today.status, first.status, second.status]).toEqual([200, 200, 200]);
    expect(today.body).toEqual(first.body);
    expect(today.body.cycle).toBe('iraq-2023');
    expect(second.body).toMatchObject({ cycle: SECOND, slug: 'basra', code: 'IQ-BA', deadline: '2024-03-01' });
    const list = await http().get(`${API}/cycles/${SECOND}/provinces`).set(editor());
    expect(list.body.items.map((p: { slug: string }) => p.slug)).toEqual(['basra', 'kirkuk', 'wasit']);
  });

  it('an event on one cycle changes only that cycle’s province; Location names the cycle as the request did', async () => {
    const res = await http().post(`${API}/cycles/${SECOND}/provinces/basra/events`).set(editor()).send(tierA);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/cycles/${SECOND}/provinces/basra/events/1`);
    expect(res.body.province).toMatchObject({ cycle: SECOND, stage: 'tier', tier: 'A' });
    const other = await http().get(`${API}/provinces/basra`).set(editor());
    expect(other.body).toMatchObject({ cycle: 'iraq-2023', stage: 'criteria', version: 0 });
    const history = await http().get(`${API}/cycles/${SECOND}/provinces/basra/events`).set(editor());
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['ASSIGN_TIER']);
    expect((await http().get(`${API}/provinces/basra/events`).set(editor())).body.items).toEqual([]);
    // The route of today still answers with its own Location.
    const today = await http().post(`${API}/provinces/kirkuk/events`).set(editor()).send(tierA);
    expect(today.headers.location).toBe('/api/v1/provinces/kirkuk/events/1');
  });

  it('a province a cycle does not hold is a 404 there; an unknown cycle is a 404', async () => {
    expectProblem(await http().get(`${API}/cycles/${SECOND}/provinces/baghdad`).set(editor()), 404, 'not-found');
    expectProblem(await http().get(`${API}/cycles/no-such-cycle/provinces/basra`).set(editor()), 404, 'not-found');
    expectProblem(await http().get(`${API}/cycles/no-such-cycle`).set(editor()), 404, 'not-found');
    expectProblem(await http().post(`${API}/cycles/no-such-cycle/provinces/basra/events`).set(editor()).send(tierA), 404, 'not-found');
  });

  it('the default is an explicit setting: PATCH {"default": true} moves the routes of today', async () => {
    const made = await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ default: true });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ slug: SECOND, default: true });
    const today = await http().get(`${API}/provinces/basra`).set(editor());
    expect(today.body).toMatchObject({ cycle: SECOND, tier: 'A' });
    expect((await http().get(`${API}/cycle`).set(editor())).body.slug).toBe(SECOND);
    // Exactly one default; refusing to un-default without naming another.
    const list = await http().get(`${API}/cycles`).set(editor());
    expect(list.body.items.filter((c: { default: boolean }) => c.default).map((c: { slug: string }) => c.slug)).toEqual([SECOND]);
    expectProblem(await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ default: false }), 400, 'validation');
    expect((await http().patch(`${API}/cycles/iraq-2023`).set(admin()).send({ default: true })).status).toBe(200);
    expect((await http().get(`${API}/provinces/basra`).set(editor())).body.cycle).toBe('iraq-2023');
  });

  it('only an admin changes a cycle', async () => {
    expectProblem(await http().patch(`${API}/cycles/${SECOND}`).set(editor()).send({ default: true }), 403, 'forbidden');
  });

  it('an archived cycle is read-only: writes answer 409 cycle-archived and change nothing; reads go on', async () => {
    const archived = await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ status: 'archived' });
    expect(archived.body).toMatchObject({ status: 'archived' });
    const before = await http().get(`${API}/cycles/${SECOND}/provinces/basra`).set(editor());
    expectProblem(await http().post(`${API}/cycles/${SECOND}/provinces/basra/events`).set(editor()).send({ ...tierA, tier: 'B' }), 409, 'cycle-archived');
    expectProblem(await http().post(`${API}/cycles/${SECOND}/provinces/basra/events/1/retract`).set(editor()).send({ reason: 'test' }), 409, 'cycle-archived');
    expectProblem(
      await http().post(`${API}/cycles/${SECOND}/provinces/basra/claims`).set(editor()).send({ text: 'A rumour', source }),
      409,
      'cycle-archived',
    );
    expectProblem(
      await http().post(`${API}/cycles/${SECOND}/provinces/basra/contacts`).set(editor()).send({ official: { name: 'A spokesman' }, channel: 'call', outcome: 'declined_to_comment' }),
      409,
      'cycle-archived',
    );
    expectProblem(await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ tierByDays: 10 }), 409, 'cycle-archived');
    const after = await http().get(`${API}/cycles/${SECOND}/provinces/basra`).set(editor());
    expect(after.body).toEqual(before.body);
    // Made active again, it takes writes.
    expect((await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ status: 'active' })).body.status).toBe('active');
    expect((await http().post(`${API}/cycles/${SECOND}/provinces/basra/events`).set(editor()).send({ ...tierA, tier: 'B' })).status).toBe(201);
  });

  it('a vacancy rule is data with its basis: either N days after VACATE or a date', async () => {
    const rule = { after: 'VACATE', days: 15, basis: 'a test basis' };
    const set = await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ vacancyDeadline: rule });
    expect(set.status).toBe(200);
    expect(set.body.vacancyDeadline).toEqual(rule);
    expectProblem(await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ vacancyDeadline: { days: 15, basis: 'x' } }), 400, 'validation');
    expectProblem(await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ vacancyDeadline: { after: 'VACATE', days: 15 } }), 400, 'validation');
    const cleared = await http().patch(`${API}/cycles/${SECOND}`).set(admin()).send({ vacancyDeadline: null });
    expect(cleared.body.vacancyDeadline).toBeNull();
  });
});
