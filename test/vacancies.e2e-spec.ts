import { setupSuite, source } from './support/test-app.js';

/**
 * Issue 20, items 3–6, through HTTP: a selection opens again mid-term (VACATE) with its own clock,
 * counted from the vacancy by a rule the cycle holds as data; an acting governor holds the office
 * meanwhile; a vote or an order can be contested and a ruling settles it; every province's story is a
 * list of terms, `asOf` honoured. The people here are placeholders: the events are the test's, not news.
 */

const s = await setupSuite('vacancies');
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();
const editor = () => s.auth(s.keys.editor);
const admin = () => s.auth(s.keys.admin);

async function accept(slug: string, body: Record<string, unknown>) {
  const res = await http().post(`${API}/provinces/${slug}/events`).set(editor()).send({ source, ...body });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res;
}
const province = async (slug: string, asOf?: string) =>
  (await http().get(`${API}/provinces/${slug}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`).set(editor())).body;

/** Elected on time in the first selection (5 Feb 2024, before the 9 Feb deadline). */
async function electedOnTime(slug: string, governor: string) {
  await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
  await accept(slug, { type: 'NOMINATE', candidate: { name: governor }, occurredAt: '2024-02-04T10:00:00+03:00' });
  await accept(slug, { type: 'APPOINT', governor, occurredAt: '2024-02-05T12:00:00+03:00' });
}

describe('a vacancy starts its own clock (dhi-qar)', () => {
  const slug = 'dhi-qar';

  beforeAll(async () => {
    const rule = { after: 'VACATE', days: 15, basis: 'test basis: a new governor within 15 days of the vacancy' };
    expect((await http().patch(`${API}/cycle`).set(admin()).send({ vacancyDeadline: rule })).status).toBe(200);
    await electedOnTime(slug, 'Governor One');
  });

  test('appointed on time, the first selection is met', async () => {
    expect(await province(slug)).toMatchObject({ stage: 'appointed', deadlineStatus: 'met', selection: 1, vacancy: null });
  });

  test('vacated on 14 Jan 2025: a new selection whose deadline is 15 days after the vacancy day, never the 2024 deadline', async () => {
    const res = await accept(slug, { type: 'VACATE', reason: 'dismissed', occurredAt: '2025-01-14T12:00:00+03:00' });
    expect(res.body.event).toMatchObject({ fromStage: 'appointed', toStage: 'vacant', late: false });
    const p = res.body.province;
    expect(p).toMatchObject({
      stage: 'vacant',
      selection: 2,
      governor: null,
      deadline: '2025-01-29',
      deadlineInstant: '2025-01-29T20:59:59.999Z',
      vacancy: { reason: 'dismissed', previousGovernor: 'Governor One' },
    });
    // As it stood the day after the vacancy: on track against its own clock, not breached by 9 Feb 2024.
    expect(await province(slug, '2025-01-15T12:00:00+03:00')).toMatchObject({ deadlineStatus: 'on_track', deadline: '2025-01-29' });
    // Seven days or less left and no nominee: at risk; past the end of the 29th: breached.
    expect((await province(slug, '2025-01-23T12:00:00+03:00')).deadlineStatus).toBe('at_risk');
    expect((await province(slug, '2025-01-30T00:00:00+03:00')).deadlineStatus).toBe('breached');
    // Before the vacancy the province was, and stays, appointed on time.
    expect((await province(slug, '2024-12-01T12:00:00+03:00')).deadlineStatus).toBe('met');
  });

  type Alert = { province: string; kind: string; status: string; openedAt: string; resolution: string | null };
  const alertsOf = async () =>
    ((await http().get(`${API}/alerts?status=all`).set(editor())).body.items as Alert[])
      .filter((a) => a.province === slug)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
      .map((a) => [a.kind, a.status, a.openedAt, a.resolution]);

  test('the breach alert opens at the vacancy deadline; a new appointment resolves it (late)', async () => {
    // The first selection's breach (recorded in 2026, before its appointment was) was resolved by the on-time appointment.
    expect(await alertsOf()).toEqual([
      ['breach', 'resolved', '2024-02-09T20:59:59.999Z', 'appointed'],
      ['breach', 'open', '2025-01-29T20:59:59.999Z', null],
    ]);
    await accept(slug, { type: 'ACTING', name: 'Acting One', kind: 'acting', occurredAt: '2025-01-16T12:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Governor Two' }, occurredAt: '2025-03-01T12:00:00+03:00' });
    const appointed = await accept(slug, { type: 'APPOINT', governor: 'Governor Two', occurredAt: '2025-03-02T12:00:00+03:00' });
    expect(appointed.body.event).toMatchObject({ late: true });
    expect(appointed.body.province).toMatchObject({ stage: 'appointed', deadlineStatus: 'met_late', acting: null, selection: 2 });
    expect(await alertsOf()).toEqual([
      ['breach', 'resolved', '2024-02-09T20:59:59.999Z', 'appointed'],
      ['breach', 'resolved', '2025-01-29T20:59:59.999Z', 'appointed_late'],
    ]);
  });

  test('the terms: elected, acting, elected — each with what ended it', async () => {
    const terms = (await http().get(`${API}/provinces/${slug}/terms`).set(editor())).body.items;
    expect(terms).toEqual([
      { holder: 'Governor One', holderAr: null, kind: 'elected', from: '2024-02-05T09:00:00.000Z', to: '2025-01-14T09:00:00.000Z', endedBy: 'VACATE:dismissed' },
      { holder: 'Acting One', holderAr: null, kind: 'acting', from: '2025-01-16T09:00:00.000Z', to: '2025-03-02T09:00:00.000Z', endedBy: 'APPOINT' },
      { holder: 'Governor Two', holderAr: null, kind: 'elected', from: '2025-03-02T09:00:00.000Z', to: null, endedBy: null },
    ]);
  });
});

describe('without a rule, a vacancy has no deadline until an editor sets one (najaf)', () => {
  const slug = 'najaf';

  test('no_deadline, then the deadline an editor sets with its basis', async () => {
    expect((await http().patch(`${API}/cycle`).set(admin()).send({ vacancyDeadline: null })).status).toBe(200);
    await electedOnTime(slug, 'Governor Three');
    const res = await accept(slug, { type: 'VACATE', reason: 'resigned', occurredAt: '2025-07-23T12:00:00+03:00' });
    expect(res.body.province).toMatchObject({ stage: 'vacant', deadline: null, deadlineInstant: null, daysToDeadline: null, deadlineStatus: 'no_deadline' });
    expect(res.body.event.daysToDeadline).toBeNull();
    const set = await accept(slug, { type: 'SET_DEADLINE', deadline: '2025-08-10', basis: 'test basis: the council set a date', occurredAt: '2025-07-24T12:00:00+03:00' });
    expect(set.body.province).toMatchObject({ deadline: '2025-08-10', deadlineBasis: 'test basis: the council set a date', deadlineStatus: 'breached' });
  });
});

describe('one day, two authorities (salahuddin): removed, reinstated by order, removed again, an acting governor', () => {
  const slug = 'salahuddin';
  const day = '2026-02-09';

  beforeAll(async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Governor Four' }, occurredAt: '2024-03-16T10:00:00+03:00' });
    await accept(slug, { type: 'APPOINT', governor: 'Governor Four', votes: 13, occurredAt: '2024-03-17T12:00:00+03:00' });
    await accept(slug, { type: 'VACATE', reason: 'elected_elsewhere', occurredAt: '2026-01-26T12:00:00+03:00' });
    await accept(slug, { type: 'ACTING', name: 'Acting Two', kind: 'acting', occurredAt: '2026-01-26T13:00:00+03:00' });
    await accept(slug, { type: 'RULING', authority: 'an administrative order', outcome: 'overturned', occurredAt: `${day}T10:00:00+03:00` });
    await accept(slug, { type: 'VACATE', reason: 'dismissed', occurredAt: `${day}T14:00:00+03:00` });
    await accept(slug, { type: 'ACTING', name: 'Acting Three', kind: 'acting', occurredAt: `${day}T15:00:00+03:00` });
  });

  /** Who held the office at an instant, by the terms as of that instant. */
  async function holderAt(asOf: string): Promise<string | null> {
    const res = await http().get(`${API}/provinces/${slug}/terms?asOf=${encodeURIComponent(asOf)}`).set(editor());
    expect(res.status).toBe(200);
    const current = res.body.items.filter((t: { to: string | null }) => t.to === null);
    expect(current.length).toBeLessThanOrEqual(1);
    return current[0]?.holder ?? null;
  }

  test('at every hour of that day, one answer to "who governed?"', async () => {
    for (let hour = 0; hour < 24; hour++) {
      const at = `${day}T${String(hour).padStart(2, '0')}:30:00+03:00`;
      const expected = hour < 10 ? 'Acting Two' : hour < 14 ? 'Governor Four' : hour < 15 ? null : 'Acting Three';
      expect({ at, holder: await holderAt(at) }).toEqual({ at, holder: expected });
    }
  });

  test('the terms end as the record says; the province is vacant with an acting governor', async () => {
    const terms = (await http().get(`${API}/provinces/${slug}/terms`).set(editor())).body.items;
    expect(terms.map((t: { holder: string; kind: string; endedBy: string | null }) => [t.holder, t.kind, t.endedBy])).toEqual([
      ['Governor Four', 'elected', 'VACATE:elected_elsewhere'],
      ['Acting Two', 'acting', 'RULING:overturned'],
      ['Governor Four', 'elected', 'VACATE:dismissed'],
      ['Acting Three', 'acting', null],
    ]);
    expect(await province(slug)).toMatchObject({ stage: 'vacant', acting: { name: 'Acting Three', kind: 'acting' }, vacancy: { reason: 'dismissed', previousGovernor: 'Governor Four' } });
  });
});

describe('contested outcomes (kirkuk, wasit)', () => {
  test('a contested appointment overturned by a ruling returns the province to vacancy', async () => {
    await electedOnTime('kirkuk', 'Governor Five');
    const contested = await accept('kirkuk', { type: 'CONTEST', by: 'a rival bloc', grounds: 'no legal quorum', occurredAt: '2024-02-06T12:00:00+03:00' });
    expect(contested.body.province).toMatchObject({ stage: 'appointed', contested: { by: 'a rival bloc', target: 'appointment' }, governor: { name: 'Governor Five' } });
    const ruled = await accept('kirkuk', { type: 'RULING', authority: 'a court', outcome: 'overturned', occurredAt: '2024-03-01T12:00:00+03:00' });
    expect(ruled.body.province).toMatchObject({ stage: 'vacant', contested: null, governor: null, vacancy: { reason: 'court_ruling', previousGovernor: 'Governor Five' } });
  });

  test('upheld, it stays appointed and is no longer contested', async () => {
    await electedOnTime('wasit', 'Governor Six');
    await accept('wasit', { type: 'CONTEST', by: 'a rival bloc', grounds: 'no legal quorum', occurredAt: '2024-02-06T12:00:00+03:00' });
    const ruled = await accept('wasit', { type: 'RULING', authority: 'a court', outcome: 'upheld', occurredAt: '2024-03-01T12:00:00+03:00' });
    expect(ruled.body.province).toMatchObject({ stage: 'appointed', contested: null, governor: { name: 'Governor Six' } });
  });

  test('retracting the overturning ruling replays the province back to appointed and contested', async () => {
    const events = (await http().get(`${API}/provinces/kirkuk/events`).set(editor())).body.items;
    const ruling = events.find((e: { type: string }) => e.type === 'RULING');
    const res = await http().post(`${API}/provinces/kirkuk/events/${ruling.seq}/retract`).set(editor()).send({ reason: 'test: the ruling was misreported' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: 'appointed', contested: { by: 'a rival bloc' }, governor: { name: 'Governor Five' } });
  });
});
