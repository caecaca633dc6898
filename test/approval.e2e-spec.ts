import type { Response } from 'supertest';
import { matchSchema } from '../apps/api/src/docs/openapi.validator.js';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 7, part 2: the two-person rule. With the cycle's `requireApproval` on, APPOINT, REVOKE and
 * SET_DEADLINE are proposed (202) by one editor and applied when a second editor approves; the
 * proposer cannot approve (by key id or by person); a proposal goes stale when its province changed.
 * The retraction of such an event has the same public effect, so under the rule it is a RETRACT proposal.
 */

const s = await setupSuite('approval');
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();
const admin = () => s.auth(s.keys.admin);
const editor = () => s.auth(s.keys.editor);

/**
 * A second editor (another person), and a third key of the proposer's (the same person's other key: key
 * names are unique among live keys, so it has its own name, and the proposer as its holder, written differently).
 */
const keys = { second: '', third: '', sameName: '' };

async function createKey(name: string, role: string, person?: string): Promise<string> {
  const res = await http().post(`${API}/admin/api-keys`).set(admin()).send({ name, role, person });
  expect(res.status).toBe(201);
  return res.body.key;
}

const setRule = async (requireApproval: boolean) => {
  const res = await http().patch(`${API}/cycle`).set(admin()).send({ requireApproval });
  expect({ status: res.status, requireApproval: res.body.requireApproval }).toEqual({ status: 200, requireApproval });
};
const province = async (slug: string) => (await http().get(`${API}/provinces/${slug}`).set(editor())).body as { version: number; stage: string; governor: { name: string } | null };
const history = async (slug: string) =>
  (await http().get(`${API}/provinces/${slug}/events`).set(editor())).body.items as { seq: number; type: string; actor: string; approvedBy: string | null }[];
/** governor_events_accepted_total{type="APPOINT"} from /metrics (0 before the first). */
const appointsCounted = async () => {
  const text = (await http().get('/metrics')).text;
  return Number(/^governor_events_accepted_total\{type="APPOINT"\} (\d+)$/m.exec(text)?.[1] ?? 0);
};
const approve = (id: string, key: string) => http().post(`${API}/proposals/${id}/approve`).set(s.auth(key));

async function accepted(slug: string, body: Record<string, unknown>): Promise<Response> {
  const res = await postEvent(s.app, s.keys.editor, slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res;
}

async function proposed(slug: string, body: Record<string, unknown>, key = s.keys.editor, headers: Record<string, string> = {}): Promise<{ id: string; res: Response }> {
  const res = await postEvent(s.app, key, slug, body, headers);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 202, body: { proposal: { status: 'pending' } } });
  expect(res.headers.location).toBe(`/api/v1/proposals/${res.body.proposal.id}`);
  return { id: res.body.proposal.id, res };
}

/** A province with a nominee, ready for an APPOINT. */
async function withNominee(slug: string, name: string) {
  await accepted(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
  await accepted(slug, { type: 'NOMINATE', candidate: { name }, occurredAt: '2024-01-20T10:00:00+03:00' });
}

beforeAll(async () => {
  keys.second = await createKey('night-desk', 'editor');
  keys.third = await createKey('politics-desk', 'editor');
  keys.sameName = await createKey('editor-desk (laptop)', 'editor', ' Editor-Desk'); // the proposer's other key
});

describe('off by default', () => {
  test('GET /cycle says requireApproval: false, and an APPOINT is applied at once (201) as before', async () => {
    const cycle = await http().get(`${API}/cycle`).set(s.auth(s.keys.viewer));
    expect(cycle.body.requireApproval).toBe(false);
    await withNominee('najaf', 'Youssef Kenawi');
    const res = await accepted('najaf', { type: 'APPOINT', governor: 'Youssef Kenawi', votes: 15, present: 15, occurredAt: '2024-02-01T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'APPOINT', actor: 'editor-desk', approvedBy: null });
    const list = await http().get(`${API}/proposals?status=all`).set(s.auth(s.keys.viewer));
    expect(list.body.items).toEqual([]);
  });

  test('PATCH /cycle { requireApproval } is admin-only and validated', async () => {
    expectProblem(await http().patch(`${API}/cycle`).set(editor()).send({ requireApproval: true }), 403, 'forbidden');
    expectProblem(await http().patch(`${API}/cycle`).set(admin()).send({ requireApproval: 'yes' }), 400, 'validation');
    expect((await http().get(`${API}/cycle`).set(editor())).body.requireApproval).toBe(false);
  });
});

describe('on', () => {
  let appointment = '';

  beforeAll(async () => {
    await setRule(true);
    await withNominee('basra', 'Asaad Al-Eidani');
  });

  test('an APPOINT is proposed: 202 with the pending proposal and a Location; the province does not change', async () => {
    const before = await province('basra');
    const counted = await appointsCounted();
    const { id, res } = await proposed('basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 20, present: 23, occurredAt: '2024-02-05T10:00:00+03:00' });
    appointment = id;
    expect(res.body.proposal).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      province: 'basra',
      type: 'APPOINT',
      event: {
        type: 'APPOINT',
        governor: 'Asaad Al-Eidani',
        votes: 20,
        present: 23,
        occurredAt: '2024-02-05T07:00:00.000Z',
        source: { name: 'Shafaq News', url: 'https://shafaq.com/en' },
        confidence: 'confirmed',
      },
      baseVersion: before.version,
      status: 'pending',
      proposedBy: 'editor-desk',
      createdAt: expect.any(String),
      decidedAt: null,
      decidedBy: null,
      reason: null,
      eventSeq: null,
    });
    expect(await province('basra')).toEqual(before);
    expect(await appointsCounted()).toBe(counted); // a proposal is not an accepted event
    const one = await http().get(`${API}/proposals/${id}`).set(s.auth(s.keys.viewer));
    expect(one.body).toEqual(res.body.proposal);
    const pending = await http().get(`${API}/proposals`).set(s.auth(s.keys.viewer));
    expect(pending.body.items.map((p: { id: string }) => p.id)).toContain(id);
  });

  test('what the workflow would refuse now is refused at once with the usual answers, and no proposal is stored', async () => {
    const count = async () => (await http().get(`${API}/proposals?status=all`).set(editor())).body.items.length;
    const before = await count();
    expectProblem(await postEvent(s.app, s.keys.editor, 'basra', { type: 'APPOINT', governor: 'Not A Nominee', votes: 20 }), 409, 'guard-failed');
    expectProblem(await postEvent(s.app, s.keys.editor, 'basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 3 }), 409, 'guard-failed');
    expectProblem(await postEvent(s.app, s.keys.editor, 'kirkuk', { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9 }), 409, 'invalid-transition');
    expectProblem(await postEvent(s.app, s.keys.editor, 'basra', { type: 'REVOKE', reason: 'x' }), 409, 'invalid-transition');
    expectProblem(await postEvent(s.app, s.keys.editor, 'basra', { type: 'SET_DEADLINE', deadline: '2024-02-31', basis: 'x' }), 400, 'validation');
    expectProblem(await postEvent(s.app, s.keys.editor, 'basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 20 }, { 'if-match': '"1"' }), 412, 'precondition-failed');
    expectProblem(await postEvent(s.app, s.keys.editor, 'nowhere', { type: 'APPOINT', governor: 'X', votes: 20 }), 404, 'not-found');
    expectProblem(await postEvent(s.app, s.keys.viewer, 'basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 20 }), 403, 'forbidden');
    expect(await count()).toBe(before);
  });

  test('self-approval is refused: the proposer’s own key, and another key of the same person (403 self-approval)', async () => {
    for (const key of [s.keys.editor, keys.sameName]) {
      const res = await approve(appointment, key);
      expectProblem(res, 403, 'self-approval');
      expect(res.body.proposedBy).toBe('editor-desk');
    }
    expectProblem(await approve(appointment, s.keys.viewer), 403, 'forbidden');
    expect((await province('basra')).stage).toBe('candidate');
  });

  test('a second editor applies it: 201 { event, province, proposal }; the event records both people', async () => {
    const before = await province('basra');
    const counted = await appointsCounted();
    const res = await approve(appointment, keys.second);
    expect(await appointsCounted()).toBe(counted + 1);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    expect(res.body.event).toMatchObject({
      type: 'APPOINT',
      actor: 'editor-desk',
      approvedBy: 'night-desk',
      occurredAt: '2024-02-05T07:00:00.000Z',
      payload: { governor: 'Asaad Al-Eidani', votes: 20, present: 23 },
    });
    expect(res.body.province).toMatchObject({ slug: 'basra', stage: 'appointed', version: before.version + 1, governor: { name: 'Asaad Al-Eidani' } });
    expect(res.body.proposal).toMatchObject({ id: appointment, status: 'applied', decidedBy: 'night-desk', eventSeq: res.body.event.seq, decidedAt: expect.any(String) });
    expect(res.headers.location).toBe(`/api/v1/provinces/basra/events/${res.body.event.seq}`);
    expect(res.headers.etag).toBe(`"${before.version + 1}"`);
    const stored = (await history('basra')).find((e) => e.seq === res.body.event.seq);
    expect(stored).toMatchObject({ type: 'APPOINT', actor: 'editor-desk', approvedBy: 'night-desk' });
    // Decided once: approving again is a 409, and the list by status shows it applied.
    const again = await approve(appointment, keys.third);
    expectProblem(again, 409, 'proposal-not-pending');
    expect(again.body.proposalStatus).toBe('applied');
    const applied = await http().get(`${API}/proposals?status=applied`).set(editor());
    expect(applied.body.items.map((p: { id: string }) => p.id)).toEqual([appointment]);
  });

  test('a proposal goes stale when its province changed meanwhile: 409 proposal-stale, marked stale, never applied', async () => {
    const { id } = await proposed('basra', { type: 'REVOKE', reason: 'The president refused the decree' });
    await accepted('basra', { type: 'REPORT', kind: 'note', text: 'The council meets again on Sunday' });
    const before = await province('basra');
    const res = await approve(id, keys.second);
    expectProblem(res, 409, 'proposal-stale');
    expect(res.body).toMatchObject({ baseVersion: before.version - 1, currentVersion: before.version });
    const stale = await http().get(`${API}/proposals/${id}`).set(editor());
    expect(stale.body).toMatchObject({ status: 'stale', decidedBy: 'night-desk', eventSeq: null });
    expectProblem(await approve(id, keys.third), 409, 'proposal-not-pending');
    expect(await province('basra')).toEqual(before);
  });

  test('reject: any editor with a reason (400 without one); the proposer’s own rejection is recorded as withdrawn', async () => {
    const deadline = { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'Federal Court ruling' };
    const { id } = await proposed('kirkuk', deadline);
    expectProblem(await http().post(`${API}/proposals/${id}/reject`).set(s.auth(keys.second)).send({}), 400, 'validation');
    expectProblem(await http().post(`${API}/proposals/${id}/reject`).set(s.auth(s.keys.viewer)).send({ reason: 'no' }), 403, 'forbidden');
    const rejected = await http().post(`${API}/proposals/${id}/reject`).set(s.auth(keys.second)).send({ reason: 'The ruling is not published yet' });
    expect({ status: rejected.status, body: rejected.body }).toMatchObject({
      status: 200,
      body: { id, status: 'rejected', decidedBy: 'night-desk', reason: 'The ruling is not published yet' },
    });
    expectProblem(await approve(id, keys.third), 409, 'proposal-not-pending');

    const own = await proposed('kirkuk', deadline);
    const withdrawn = await http().post(`${API}/proposals/${own.id}/reject`).set(editor()).send({ reason: 'Wrong date' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decidedBy: 'editor-desk', reason: 'Wrong date' });
    expect((await history('kirkuk')).filter((e) => e.type === 'SET_DEADLINE')).toEqual([]);
    expectProblem(await http().get(`${API}/proposals/00000000-0000-4000-8000-000000000000`).set(editor()), 404, 'not-found');
    expectProblem(await http().get(`${API}/proposals/not-a-uuid`).set(editor()), 404, 'not-found');
    expectProblem(await http().get(`${API}/proposals?status=maybe`).set(editor()), 400, 'validation');
  });

  test('concurrent approvals of one proposal: exactly one applies, the others answer 409', async () => {
    const { id } = await proposed('kirkuk', { type: 'SET_DEADLINE', deadline: '2024-03-10', basis: 'Council resolution 4 of 2024' });
    const before = (await history('kirkuk')).length;
    const approvers = [keys.second, keys.third, keys.second, keys.third, keys.second, keys.third, keys.second, keys.third];
    const results = await Promise.all(approvers.map((key) => approve(id, key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.type).toMatch(/proposal-not-pending$/);
    const after = await history('kirkuk');
    expect(after.length).toBe(before + 1);
    expect(after.filter((e) => e.type === 'SET_DEADLINE')).toHaveLength(1);
  });

  test('other event types are unaffected: applied at once (201)', async () => {
    const res = await accepted('anbar', { type: 'ASSIGN_TIER', tier: 'A' });
    expect(res.body.event.approvedBy).toBeNull();
    await accepted('anbar', { type: 'REPORT', kind: 'rumor', text: 'A deal is near' });
  });

  test('Idempotency-Key works for the 202: the retry replays the same proposal, and only one is stored', async () => {
    await accepted('anbar', { type: 'NOMINATE', candidate: { name: 'Mohammed Nouri' } });
    const body = { type: 'APPOINT', governor: 'Mohammed Nouri', votes: 12 };
    const headers = { 'idempotency-key': 'anbar-appoint-1' };
    const first = await proposed('anbar', body, s.keys.editor, headers);
    const retry = await postEvent(s.app, s.keys.editor, 'anbar', body, headers);
    expect(retry.status).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.res.body);
    const pending = (await http().get(`${API}/proposals`).set(editor())).body.items.filter((p: { province: string }) => p.province === 'anbar');
    expect(pending).toHaveLength(1);
    expectProblem(await postEvent(s.app, s.keys.editor, 'anbar', { ...body, votes: 13 }, headers), 422, 'idempotency-mismatch');
  });

  test('switching the rule off leaves a pending proposal approvable; new events apply at once again', async () => {
    const [pending] = (await http().get(`${API}/proposals`).set(editor())).body.items.filter((p: { province: string }) => p.province === 'anbar');
    await setRule(false);
    const res = await approve(pending.id, keys.second);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { event: { approvedBy: 'night-desk' }, proposal: { status: 'applied' } } });
    const direct = await accepted('anbar', { type: 'REVOKE', reason: 'Federal court annulled the session' });
    expect(direct.body.event).toMatchObject({ type: 'REVOKE', approvedBy: null });
  });
});

describe('retractions of gated events', () => {
  const retract = (slug: string, seq: number, reason: string, key = s.keys.editor, headers: Record<string, string> = {}) =>
    http().post(`${API}/provinces/${slug}/events/${seq}/retract`).set(s.auth(key)).set(headers).send({ reason });
  const fullHistory = async (slug: string) => (await http().get(`${API}/provinces/${slug}/events`).set(editor())).body.items as Record<string, unknown>[];
  const proposalsOf = async (slug: string, status = 'all') =>
    ((await http().get(`${API}/proposals?status=${status}`).set(editor())).body.items as { province: string; type: string; id: string }[]).filter(
      (p) => p.province === slug,
    );
  const matchesDoc = async (path: string, method: string, res: Response) => {
    const doc = (await http().get('/docs-json')).body;
    const media = doc.paths[path][method].responses[String(res.status)]?.content?.[String(res.headers['content-type']).split(';')[0]];
    expect([path, res.status, media !== undefined]).toEqual([path, res.status, true]);
    expect([path, res.status, matchSchema(JSON.parse(res.text), media.schema, doc, { strict: true })]).toEqual([path, res.status, []]);
  };
  let appointSeq = 0;
  let retraction = '';

  test('rule off: retracting a gated event (REVOKE) applies at once (200), as before', async () => {
    await setRule(false);
    await withNominee('wasit', 'Mohammed Jamil Al-Mayahi');
    await accepted('wasit', { type: 'APPOINT', governor: 'Mohammed Jamil Al-Mayahi', votes: 10, occurredAt: '2024-02-01T10:00:00+03:00' });
    const revoke = await accepted('wasit', { type: 'REVOKE', reason: 'Court annulled the session', occurredAt: '2024-02-02T10:00:00+03:00' });
    const res = await retract('wasit', revoke.body.event.seq, 'The court ruling was misreported');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { slug: 'wasit', stage: 'appointed' } });
    expect((await fullHistory('wasit')).find((e) => e.seq === revoke.body.event.seq)).toMatchObject({ retracted: true, retractedBy: 'editor-desk' });
    // A later REVOKE that depends on the APPOINT (used below for the history conflict).
    await accepted('wasit', { type: 'REVOKE', reason: 'Court annulled the session again', occurredAt: '2024-02-03T10:00:00+03:00' });
    expect(await proposalsOf('wasit')).toEqual([]);
  });

  test('rule on: retracting an approved APPOINT is proposed (202, RETRACT proposal) and changes nothing', async () => {
    await setRule(true);
    await withNominee('karbala', 'Nassif Al-Khattabi');
    const { id } = await proposed('karbala', { type: 'APPOINT', governor: 'Nassif Al-Khattabi', votes: 9, occurredAt: '2024-02-04T10:00:00+03:00' });
    const applied = await approve(id, keys.second);
    expect(applied.status).toBe(201);
    appointSeq = applied.body.event.seq;

    const before = await province('karbala');
    const historyBefore = await fullHistory('karbala');
    const res = await retract('karbala', appointSeq, 'The vote was not quorate');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 202 });
    expect(res.headers.location).toBe(`/api/v1/proposals/${res.body.proposal.id}`);
    expect(res.body.proposal).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      province: 'karbala',
      type: 'RETRACT',
      event: { type: 'RETRACT', seq: appointSeq, reason: 'The vote was not quorate' },
      baseVersion: before.version,
      status: 'pending',
      proposedBy: 'editor-desk',
      createdAt: expect.any(String),
      decidedAt: null,
      decidedBy: null,
      reason: null,
      eventSeq: null,
    });
    await matchesDoc('/api/v1/provinces/{slug}/events/{seq}/retract', 'post', res);
    retraction = res.body.proposal.id;
    expect(await province('karbala')).toEqual(before);
    expect(before).toMatchObject({ stage: 'appointed', governor: { name: 'Nassif Al-Khattabi' } });
    expect(await fullHistory('karbala')).toEqual(historyBefore);
    expect((await http().get(`${API}/proposals/${retraction}`).set(s.auth(s.keys.viewer))).body).toEqual(res.body.proposal);
  });

  test('checked at once: 404 unknown seq, 409 already-retracted and history-conflict, 412 stale If-Match; nothing stored', async () => {
    const before = (await proposalsOf('wasit')).length + (await proposalsOf('karbala')).length;
    const wasitBefore = await province('wasit');
    const wasit = await fullHistory('wasit');
    const appoint = wasit.find((e) => e.type === 'APPOINT')!.seq as number;
    const retractedRevoke = wasit.find((e) => e.type === 'REVOKE' && e.retracted)!.seq as number;
    expectProblem(await retract('wasit', 999, 'x'), 404, 'not-found');
    expectProblem(await retract('nowhere', 1, 'x'), 404, 'not-found');
    expectProblem(await retract('wasit', retractedRevoke, 'again'), 409, 'already-retracted');
    const conflict = await retract('wasit', appoint, 'The vote was not quorate');
    expectProblem(conflict, 409, 'history-conflict');
    expectProblem(await retract('karbala', appointSeq, 'x', s.keys.editor, { 'if-match': '"1"' }), 412, 'precondition-failed');
    expectProblem(await retract('karbala', appointSeq, 'x', s.keys.viewer), 403, 'forbidden');
    expect((await proposalsOf('wasit')).length + (await proposalsOf('karbala')).length).toBe(before);
    expect(await province('wasit')).toEqual(wasitBefore);
  });

  test('self-approval of the retraction is refused (own key, same person); the APPOINT stands', async () => {
    for (const key of [s.keys.editor, keys.sameName]) expectProblem(await approve(retraction, key), 403, 'self-approval');
    expect(await province('karbala')).toMatchObject({ stage: 'appointed', governor: { name: 'Nassif Al-Khattabi' } });
  });

  test('a second editor applies it: 201 { event (retracted, as the history shows it), province back to candidate, proposal applied }', async () => {
    const before = await province('karbala');
    const counted = await appointsCounted();
    const res = await approve(retraction, keys.second);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    await matchesDoc('/api/v1/proposals/{id}/approve', 'post', res);
    expect(res.body.event).toMatchObject({
      seq: appointSeq,
      type: 'APPOINT',
      actor: 'editor-desk',
      approvedBy: 'night-desk',
      retracted: true,
      retractedBy: 'editor-desk',
      retractionReason: 'The vote was not quorate',
      retractedAt: expect.any(String),
    });
    expect((await fullHistory('karbala')).find((e) => e.seq === appointSeq)).toEqual(res.body.event);
    expect(res.body.province).toMatchObject({ slug: 'karbala', stage: 'candidate', governor: null, version: before.version + 1 });
    expect(res.body.proposal).toMatchObject({ id: retraction, type: 'RETRACT', status: 'applied', decidedBy: 'night-desk', eventSeq: appointSeq });
    expect(res.headers.etag).toBe(`"${before.version + 1}"`);
    expect(res.headers.location).toBe(`/api/v1/provinces/karbala/events/${appointSeq}`);
    const after = await province('karbala');
    expect(after).toMatchObject({ stage: 'candidate', governor: null, version: before.version + 1 });
    expect(await appointsCounted()).toBe(counted); // a retraction accepts no event
    expectProblem(await approve(retraction, keys.third), 409, 'proposal-not-pending');
    expectProblem(await retract('karbala', appointSeq, 'again'), 409, 'already-retracted');
  });

  test('retracting a REPORT under the rule is still applied at once (200)', async () => {
    const report = await accepted('karbala', { type: 'REPORT', kind: 'rumor', text: 'A second session is planned' });
    const before = await province('karbala');
    const res = await retract('karbala', report.body.event.seq, 'Unsourced');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { slug: 'karbala', version: before.version + 1 } });
    expect((await fullHistory('karbala')).find((e) => e.seq === report.body.event.seq)).toMatchObject({ retracted: true });
    expect(await proposalsOf('karbala', 'pending')).toEqual([]);
  });

  test('Idempotency-Key replays the 202 (one proposal stored); then the province changes and the proposal goes stale', async () => {
    const { id } = await proposed('karbala', { type: 'APPOINT', governor: 'Nassif Al-Khattabi', votes: 8 });
    const again = await approve(id, keys.third);
    expect(again.status).toBe(201);
    const seq = again.body.event.seq as number;
    const headers = { 'idempotency-key': 'karbala-retract-appoint-2' };
    const first = await retract('karbala', seq, 'Wrong session', s.keys.editor, headers);
    expect(first.status).toBe(202);
    const retry = await retract('karbala', seq, 'Wrong session', s.keys.editor, headers);
    expect(retry.status).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await proposalsOf('karbala', 'pending')).map((p) => p.id)).toEqual([first.body.proposal.id]);
    expectProblem(await retract('karbala', seq, 'Another reason', s.keys.editor, headers), 422, 'idempotency-mismatch');

    await accepted('karbala', { type: 'REPORT', kind: 'note', text: 'The governor took office' });
    const before = await province('karbala');
    const stale = await approve(first.body.proposal.id, keys.second);
    expectProblem(stale, 409, 'proposal-stale');
    expect((await http().get(`${API}/proposals/${first.body.proposal.id}`).set(editor())).body).toMatchObject({ status: 'stale', eventSeq: null });
    expect(await province('karbala')).toEqual(before);
    expect((await fullHistory('karbala')).find((e) => e.seq === seq)).toMatchObject({ retracted: false });
    await setRule(false);
  });
});

describe('OpenAPI', () => {
  test('documents the proposals routes, the 202, PATCH /cycle requireApproval and the new problem codes; real answers match', async () => {
    const doc = (await http().get('/docs-json')).body;
    for (const [path, method] of [
      ['/api/v1/proposals', 'get'],
      ['/api/v1/proposals/{id}', 'get'],
      ['/api/v1/proposals/{id}/approve', 'post'],
      ['/api/v1/proposals/{id}/reject', 'post'],
    ]) {
      expect([path, method, doc.paths[path]?.[method] !== undefined]).toEqual([path, method, true]);
    }
    const post = doc.paths['/api/v1/provinces/{slug}/events'].post;
    expect(post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProposalAccepted' });
    expect(doc.components.schemas.PatchCycleDto.properties.requireApproval).toMatchObject({ type: 'boolean' });
    const approveOp = doc.paths['/api/v1/proposals/{id}/approve'].post;
    expect(Object.keys(approveOp.responses['403'].content['application/problem+json'].examples)).toEqual(['forbidden', 'self-approval']);
    expect(Object.keys(approveOp.responses['409'].content['application/problem+json'].examples)).toEqual(
      expect.arrayContaining(['proposal-stale', 'proposal-not-pending']),
    );

    const check = (path: string, method: string, res: Response) => {
      const media = doc.paths[path][method].responses[String(res.status)]?.content?.[String(res.headers['content-type']).split(';')[0]];
      expect([path, res.status, media !== undefined]).toEqual([path, res.status, true]);
      expect([path, res.status, matchSchema(JSON.parse(res.text), media.schema, doc, { strict: true })]).toEqual([path, res.status, []]);
    };
    await setRule(true);
    await accepted('diyala', { type: 'ASSIGN_TIER', tier: 'C' });
    await accepted('diyala', { type: 'NOMINATE', candidate: { name: 'Adnan Al-Jabouri' } });
    const p = await proposed('diyala', { type: 'APPOINT', governor: 'Adnan Al-Jabouri', votes: 10 });
    check('/api/v1/provinces/{slug}/events', 'post', p.res);
    check('/api/v1/proposals', 'get', await http().get(`${API}/proposals?status=all`).set(editor()));
    check('/api/v1/proposals/{id}', 'get', await http().get(`${API}/proposals/${p.id}`).set(editor()));
    check('/api/v1/proposals/{id}/approve', 'post', await approve(p.id, s.keys.editor));
    check('/api/v1/proposals/{id}/approve', 'post', await approve(p.id, keys.second));
    check('/api/v1/proposals/{id}/approve', 'post', await approve(p.id, keys.second));
    check('/api/v1/proposals/{id}/reject', 'post', await http().post(`${API}/proposals/${p.id}/reject`).set(editor()).send({ reason: 'late' }));
    check('/api/v1/cycle', 'get', await http().get(`${API}/cycle`).set(editor()));
    check('/api/v1/cycle', 'patch', await http().patch(`${API}/cycle`).set(admin()).send({ requireApproval: false }));
  });
});
