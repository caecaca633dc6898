import type { Response } from 'supertest';
import { ADMIN_KEY, postEvent, setupSuite, source } from './support/test-app.js';
import { expectProblem } from './support/expectations.js';

/**
 * The claims ledger (issue 7, part 1) through HTTP into a real database: a rumour recorded with its
 * source, moved reported → denied | confirmed → retracted by sourced, dated steps; a confirmed claim
 * turned into its machine event in one step (and nothing changed when the machine refuses it); the
 * digest's claims sections; and what a `public` key may see.
 *
 * Provinces used: basra (apply story), kirkuk (lifecycle), najaf (refusals), wasit (digest day).
 */

let s: Awaited<ReturnType<typeof setupSuite>>;
let publicKey: string;
beforeAll(async () => {
  s = await setupSuite('claims');
  const res = await s.app.http().post('/api/v1/admin/api-keys').set(s.auth(ADMIN_KEY)).send({ name: 'website', role: 'public' });
  expect(res.status).toBe(201);
  publicKey = res.body.key;
});
afterAll(async () => s?.teardown());

const API = '/api/v1';
const http = () => s.app.http();

function expectStatus(res: Response, status: number): Response {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return res;
}

const postClaim = (slug: string, body: Record<string, unknown>, key = s.keys.editor, headers: Record<string, string> = {}) =>
  http().post(`${API}/provinces/${slug}/claims`).set(s.auth(key)).set(headers).send({ source, ...body });

const move = (slug: string, id: string, step: 'deny' | 'confirm' | 'retract', body: Record<string, unknown> = {}, key = s.keys.editor) =>
  http().post(`${API}/provinces/${slug}/claims/${id}/${step}`).set(s.auth(key)).send({ source, ...body });

const getClaim = (slug: string, id: string, key = s.keys.viewer) => http().get(`${API}/provinces/${slug}/claims/${id}`).set(s.auth(key));

async function province(slug: string) {
  const p = expectStatus(await http().get(`${API}/provinces/${slug}`).set(s.auth(s.keys.viewer)), 200).body;
  const events = expectStatus(await http().get(`${API}/provinces/${slug}/events`).set(s.auth(s.keys.viewer)), 200).body.items;
  return { version: p.version as number, stage: p.stage as string, governor: p.governor, events: events as Record<string, unknown>[] };
}

describe('recording a claim', () => {
  test('201 with the claim reported, its first step the report itself, and a Location', async () => {
    const res = expectStatus(
      await postClaim('kirkuk', {
        text: 'Rebwar Taha will be Kirkuk’s governor',
        subject: 'Rebwar Taha',
        event: { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9 },
        reportedAt: '2024-01-20T18:00:00+03:00',
      }),
      201,
    );
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      province: 'kirkuk',
      text: 'Rebwar Taha will be Kirkuk’s governor',
      subject: 'Rebwar Taha',
      event: { type: 'APPOINT', governor: 'Rebwar Taha', votes: 9 },
      source: { name: source.name, url: source.url },
      reportedAt: '2024-01-20T15:00:00.000Z',
      internal: false,
      status: 'reported',
      recordedAt: expect.any(String),
      actor: 'editor-desk',
      updatedAt: expect.any(String),
      appliedEventSeq: null,
      steps: [
        {
          step: 1,
          from: null,
          to: 'reported',
          source: { name: source.name, url: source.url },
          note: null,
          occurredAt: '2024-01-20T15:00:00.000Z',
          recordedAt: res.body.recordedAt,
          actor: 'editor-desk',
          eventSeq: null,
        },
      ],
    });
    expect(res.headers.location).toBe(`/api/v1/provinces/kirkuk/claims/${res.body.id}`);
    expect(expectStatus(await getClaim('kirkuk', res.body.id), 200).body).toEqual(res.body);
  });

  test('without reportedAt the claim is reported now', async () => {
    const before = Date.now();
    const res = expectStatus(await postClaim('kirkuk', { text: 'The session moves to Baghdad' }), 201);
    expect(Date.parse(res.body.reportedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(res.body.reportedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(res.body.event).toBeNull();
    expect(res.body.subject).toBeNull();
  });

  test.each([
    ['no source', { source: undefined, text: 'x' }, 'source'],
    ['no text', { text: undefined }, 'text'],
    ['blank text', { text: '   ' }, 'text'],
    ['an unknown field', { text: 'x', rumourMill: true }, 'rumourMill'],
    ['an event of no known type', { text: 'x', event: { type: 'CROWN' } }, 'event.type'],
    ['an event missing its fields', { text: 'x', event: { type: 'APPOINT' } }, 'event.governor'],
    ['an event carrying occurredAt', { text: 'x', event: { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' } }, 'event.occurredAt'],
    ['an event carrying source', { text: 'x', event: { type: 'ASSIGN_TIER', tier: 'A', source } }, 'event.source'],
    ['a reportedAt in the future', { text: 'x', reportedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'reportedAt'],
    ['a reportedAt before election day', { text: 'x', reportedAt: '2023-12-17T23:59:59+03:00' }, 'reportedAt'],
    ['a reportedAt without an offset', { text: 'x', reportedAt: '2024-01-20T18:00:00' }, 'reportedAt'],
    ['internal not a boolean', { text: 'x', internal: 'yes' }, 'internal'],
  ])('400 for %s (nothing stored)', async (_label, body, field) => {
    const before = (await http().get(`${API}/provinces/najaf/claims`).set(s.auth(s.keys.viewer))).body.items.length;
    const res = await postClaim('najaf', body as Record<string, unknown>);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await http().get(`${API}/provinces/najaf/claims`).set(s.auth(s.keys.viewer))).body.items.length).toBe(before);
  });

  test('404 for an unknown province, a malformed claim id or a claim of another province', async () => {
    expectProblem(await postClaim('atlantis', { text: 'x' }), 404, 'not-found');
    expectProblem(await getClaim('kirkuk', 'not-a-uuid'), 404, 'not-found');
    expectProblem(await getClaim('kirkuk', '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    const id = expectStatus(await postClaim('najaf', { text: 'Najaf claim' }), 201).body.id;
    expectProblem(await getClaim('kirkuk', id), 404, 'not-found');
    expectProblem(await move('kirkuk', id, 'deny'), 404, 'not-found');
  });

  test('403 for a viewer (claims are recorded by editors)', async () => {
    expectProblem(await postClaim('najaf', { text: 'x' }, s.keys.viewer), 403, 'forbidden');
  });

  test('Idempotency-Key: a retry replays the first answer and stores one claim', async () => {
    const headers = { 'idempotency-key': 'claim-najaf-1' };
    const first = expectStatus(await postClaim('najaf', { text: 'Idempotent claim' }, s.keys.editor, headers), 201);
    const again = expectStatus(await postClaim('najaf', { text: 'Idempotent claim' }, s.keys.editor, headers), 201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const all = (await http().get(`${API}/provinces/najaf/claims`).set(s.auth(s.keys.viewer))).body.items as { text: string }[];
    expect(all.filter((c) => c.text === 'Idempotent claim')).toHaveLength(1);
    expectProblem(await postClaim('najaf', { text: 'Another claim' }, s.keys.editor, headers), 422, 'idempotency-mismatch');
  });
});

describe('the lifecycle: reported → denied → confirmed → retracted, each step sourced and dated', () => {
  let id: string;
  beforeAll(async () => {
    id = expectStatus(await postClaim('kirkuk', { text: 'Kirkuk convenes on Saturday', reportedAt: '2024-01-21T10:00:00+03:00' }), 201).body.id;
  });

  test('deny, then deny again is 409 with the moves allowed', async () => {
    const denied = expectStatus(
      await move('kirkuk', id, 'deny', { source: { name: 'Council spokesman' }, occurredAt: '2024-01-21T12:00:00+03:00', note: 'On Al-Sumaria' }),
      200,
    );
    expect(denied.body.status).toBe('denied');
    expect(denied.body.steps[1]).toEqual({
      step: 2,
      from: 'reported',
      to: 'denied',
      source: { name: 'Council spokesman', url: null },
      note: 'On Al-Sumaria',
      occurredAt: '2024-01-21T09:00:00.000Z',
      recordedAt: expect.any(String),
      actor: 'editor-desk',
      eventSeq: null,
    });
    const again = await move('kirkuk', id, 'deny');
    expectProblem(again, 409, 'invalid-claim-transition');
    expect(again.body).toMatchObject({ claimStatus: 'denied', allowedMoves: ['confirm', 'retract'] });
  });

  test('a step dated before the previous one is 400, and nothing moves', async () => {
    const res = await move('kirkuk', id, 'confirm', { occurredAt: '2024-01-21T11:00:00+03:00' });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors[0].field).toBe('occurredAt');
    expect((await getClaim('kirkuk', id)).body.status).toBe('denied');
  });

  test('a step in the future is 400', async () => {
    expectProblem(await move('kirkuk', id, 'confirm', { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }), 400, 'validation');
  });

  test('a step without a source is 400; a viewer is 403', async () => {
    const res = await http().post(`${API}/provinces/kirkuk/claims/${id}/confirm`).set(s.auth(s.keys.editor)).send({});
    expectProblem(res, 400, 'validation');
    expectProblem(await move('kirkuk', id, 'confirm', {}, s.keys.viewer), 403, 'forbidden');
  });

  test('denied → confirmed (without apply: no event), then retracted; a retracted claim moves no more', async () => {
    const before = await province('kirkuk');
    const confirmed = expectStatus(await move('kirkuk', id, 'confirm', { occurredAt: '2024-01-22T09:00:00+03:00' }), 200);
    expect(confirmed.body).toEqual({ claim: expect.objectContaining({ id, status: 'confirmed', appliedEventSeq: null }), applied: null });
    expect((await province('kirkuk')).version).toBe(before.version);

    const retracted = expectStatus(await move('kirkuk', id, 'retract', { note: 'The report was withdrawn' }), 200);
    expect(retracted.body.status).toBe('retracted');
    expect(retracted.body.steps.map((x: { from: string | null; to: string }) => `${x.from}→${x.to}`)).toEqual([
      'null→reported',
      'reported→denied',
      'denied→confirmed',
      'confirmed→retracted',
    ]);
    for (const step of ['deny', 'confirm', 'retract'] as const) {
      const res = await move('kirkuk', id, step);
      expectProblem(res, 409, 'invalid-claim-transition');
      expect(res.body).toMatchObject({ claimStatus: 'retracted', allowedMoves: [] });
    }
  });

  test('reported → retracted directly', async () => {
    const other = expectStatus(await postClaim('kirkuk', { text: 'A rumour withdrawn' }), 201).body.id;
    expect(expectStatus(await move('kirkuk', other, 'retract'), 200).body.status).toBe('retracted');
  });

  test('lists filter by status (open = reported or denied); an unknown status is 400', async () => {
    const open = expectStatus(await http().get(`${API}/provinces/kirkuk/claims?status=open`).set(s.auth(s.keys.viewer)), 200).body.items;
    expect(open.every((c: { status: string }) => ['reported', 'denied'].includes(c.status))).toBe(true);
    expect(open.map((c: { id: string }) => c.id)).not.toContain(id);
    const retracted = expectStatus(await http().get(`${API}/provinces/kirkuk/claims?status=retracted`).set(s.auth(s.keys.viewer)), 200).body.items;
    expect(retracted.map((c: { id: string }) => c.id)).toContain(id);
    const all = expectStatus(await http().get(`${API}/claims?status=retracted`).set(s.auth(s.keys.viewer)), 200).body.items;
    expect(all.map((c: { id: string }) => c.id)).toContain(id);
    expectProblem(await http().get(`${API}/claims?status=rumoured`).set(s.auth(s.keys.viewer)), 400, 'validation');
    expectProblem(await http().get(`${API}/provinces/atlantis/claims`).set(s.auth(s.keys.viewer)), 404, 'not-found');
  });
});

describe('confirm with apply: the claim and its event in one step', () => {
  let id: string;
  beforeAll(async () => {
    id = expectStatus(
      await postClaim('basra', {
        text: 'Asaad Al-Eidani will be re-elected governor of Basra',
        subject: 'Asaad Al-Eidani',
        event: { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 16, present: 21 },
        reportedAt: '2024-01-20T18:00:00+03:00',
      }),
      201,
    ).body.id;
  });

  test('the machine refuses (Basra has no nominee yet): its 409, and nothing changes — neither claim nor province', async () => {
    const before = await province('basra');
    const res = await move('basra', id, 'confirm', { apply: true, occurredAt: '2024-02-05T12:00:00+03:00' });
    expectProblem(res, 409, 'invalid-transition');
    expect(res.body.stage).toBe('criteria');
    const after = await province('basra');
    expect(after).toEqual(before);
    const claim = (await getClaim('basra', id)).body;
    expect(claim.status).toBe('reported');
    expect(claim.steps).toHaveLength(1);
  });

  test('a guard failure (votes short of a majority) is the machine’s 409 too, and changes nothing', async () => {
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani' }, occurredAt: '2024-01-25T10:00:00+03:00' },
    ]) {
      expectStatus(await postEvent(s.app, s.keys.editor, 'basra', body), 201);
    }
    const weak = expectStatus(
      await postClaim('basra', { text: 'Al-Eidani won with 5 votes', event: { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 5 } }),
      201,
    ).body.id;
    const before = await province('basra');
    const res = await move('basra', weak, 'confirm', { apply: true });
    expectProblem(res, 409, 'guard-failed');
    expect(await province('basra')).toEqual(before);
    expect((await getClaim('basra', weak)).body.status).toBe('reported');
  });

  test('apply on a claim without an event is 400', async () => {
    const bare = expectStatus(await postClaim('basra', { text: 'Something will happen' }), 201).body.id;
    const res = await move('basra', bare, 'confirm', { apply: true });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors[0].field).toBe('apply');
    expect((await getClaim('basra', bare)).body.status).toBe('reported');
  });

  test('under the two-person rule an APPOINT is not applied through a claim: 409 approval-required, nothing changes', async () => {
    const cycle = (on: boolean) => http().patch(`${API}/cycle`).set(s.auth(ADMIN_KEY)).send({ requireApproval: on });
    expectStatus(await cycle(true), 200);
    try {
      const before = await province('basra');
      const res = await move('basra', id, 'confirm', { apply: true, occurredAt: '2024-02-05T12:00:00+03:00' });
      expectProblem(res, 409, 'approval-required');
      expect(res.body.eventType).toBe('APPOINT');
      expect(await province('basra')).toEqual(before);
      expect((await getClaim('basra', id)).body.status).toBe('reported');
    } finally {
      expectStatus(await cycle(false), 200);
    }
  });

  test('accepted: the claim is confirmed, its event appended (referencing the claim), and the claim records the seq', async () => {
    const before = await province('basra');
    const res = expectStatus(
      await move('basra', id, 'confirm', { apply: true, occurredAt: '2024-02-05T12:00:00+03:00', source: { name: 'Basra council', url: 'https://example.org/session' } }),
      200,
    );
    const seq = before.events.length + 1;
    expect(res.body.applied.event).toMatchObject({
      province: 'basra',
      seq,
      type: 'APPOINT',
      payload: { governor: 'Asaad Al-Eidani', votes: 16, present: 21 },
      occurredAt: '2024-02-05T09:00:00.000Z',
      source: { name: 'Basra council', url: 'https://example.org/session' },
      confidence: 'confirmed',
      note: `From claim ${id}: Asaad Al-Eidani will be re-elected governor of Basra`,
      toStage: 'appointed',
    });
    expect(res.body.applied.province).toMatchObject({ slug: 'basra', stage: 'appointed', version: before.version + 1 });
    expect(res.body.claim).toMatchObject({ id, status: 'confirmed', appliedEventSeq: seq });
    expect(res.body.claim.steps[1]).toMatchObject({ from: 'reported', to: 'confirmed', eventSeq: seq, occurredAt: '2024-02-05T09:00:00.000Z' });

    const after = await province('basra');
    expect(after.stage).toBe('appointed');
    expect(after.governor).toMatchObject({ name: 'Asaad Al-Eidani', votes: 16 });
    expect(after.events).toHaveLength(seq);
    expect(after.events[seq - 1]).toMatchObject({ seq, note: expect.stringContaining(id) });
    expect((await getClaim('basra', id)).body).toEqual(res.body.claim);
  });

  test('retracting the claim afterwards withdraws the report, not the event (that is a retraction of its own)', async () => {
    const before = await province('basra');
    expect(expectStatus(await move('basra', id, 'retract'), 200).body).toMatchObject({ status: 'retracted', appliedEventSeq: before.events.length });
    expect(await province('basra')).toEqual(before);
  });
});

describe('public keys see only publishable claims', () => {
  let internalId: string;
  let publicId: string;
  beforeAll(async () => {
    internalId = expectStatus(await postClaim('najaf', { text: 'Hikma gets Najaf', subject: 'Hikma', internal: true, source: { name: 'council member (anonymous)' } }), 201).body.id;
    publicId = expectStatus(await postClaim('najaf', { text: 'Najaf names its governor this week' }), 201).body.id;
    expectStatus(await move('najaf', publicId, 'deny', { note: 'off the record: he laughed' }), 200);
  });

  test('lists leave internal claims out for a public key; newsroom keys see them', async () => {
    const forPublic = expectStatus(await http().get(`${API}/claims`).set(s.auth(publicKey)), 200).body.items as { id: string; internal: boolean }[];
    expect(forPublic.map((c) => c.id)).toContain(publicId);
    expect(forPublic.map((c) => c.id)).not.toContain(internalId);
    expect(forPublic.every((c) => c.internal === false)).toBe(true);
    const perProvince = expectStatus(await http().get(`${API}/provinces/najaf/claims`).set(s.auth(publicKey)), 200).body.items as { id: string }[];
    expect(perProvince.map((c) => c.id)).not.toContain(internalId);
    const forViewer = expectStatus(await http().get(`${API}/claims`).set(s.auth(s.keys.viewer)), 200).body.items as { id: string }[];
    expect(forViewer.map((c) => c.id)).toContain(internalId);
  });

  test('an internal claim is 404 for a public key; step notes are left out', async () => {
    expectProblem(await getClaim('najaf', internalId, publicKey), 404, 'not-found');
    expect(expectStatus(await getClaim('najaf', internalId, s.keys.viewer), 200).body.internal).toBe(true);
    const shown = expectStatus(await getClaim('najaf', publicId, publicKey), 200).body;
    expect(shown.steps[1]).toMatchObject({ to: 'denied', note: null });
    expect(JSON.stringify(shown)).not.toContain('laughed');
    expect((await getClaim('najaf', publicId)).body.steps[1].note).toBe('off the record: he laughed');
  });

  test('a public key records nothing', async () => {
    expectProblem(await postClaim('najaf', { text: 'x' }, publicKey), 403, 'forbidden');
    expectProblem(await move('najaf', publicId, 'confirm', {}, publicKey), 403, 'forbidden');
  });
});

describe('the digest: claims of the day and claims still unconfirmed', () => {
  // Wasit, 7 February 2024 (Baghdad): one claim reported the day before, denied on the 7th; one reported
  // on the 7th and confirmed on the 8th; one internal, reported on the 7th; one reported and retracted on the 7th.
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const claim = async (key: string, body: Record<string, unknown>) => (ids[key] = expectStatus(await postClaim('wasit', body), 201).body.id);
    await claim('denied', { text: 'Mohammed Al-Mayahi for Wasit', reportedAt: '2024-02-06T20:00:00+03:00' });
    await claim('confirmed', { text: 'Wasit convenes on the 8th', reportedAt: '2024-02-07T09:00:00+03:00' });
    await claim('internal', { text: 'Wasit deal signed (anonymous)', internal: true, reportedAt: '2024-02-07T10:00:00+03:00' });
    await claim('retracted', { text: 'Wasit governor resigns', reportedAt: '2024-02-07T11:00:00+03:00' });
    expectStatus(await move('wasit', ids.denied, 'deny', { occurredAt: '2024-02-07T12:00:00+03:00', source: { name: 'Wasit council' } }), 200);
    expectStatus(await move('wasit', ids.confirmed, 'confirm', { occurredAt: '2024-02-08T12:00:00+03:00' }), 200);
    expectStatus(await move('wasit', ids.retracted, 'retract', { occurredAt: '2024-02-07T13:00:00+03:00' }), 200);
  });

  const digest = (date: string, key = s.keys.viewer, format?: string) =>
    http().get(`${API}/digest?date=${date}${format ? `&format=${format}` : ''}`).set(s.auth(key));
  const idsOf = (list: { id: string }[]) => list.map((c) => c.id).filter((id) => Object.values(ids).includes(id));

  test('7 February: reported, denied and retracted today; still unconfirmed at the end of the day', async () => {
    const d = expectStatus(await digest('2024-02-07'), 200).body.claims;
    expect(idsOf(d.reported)).toEqual([ids.confirmed, ids.internal, ids.retracted]);
    expect(idsOf(d.denied)).toEqual([ids.denied]);
    expect(d.denied.find((c: { id: string }) => c.id === ids.denied)).toEqual({
      id: ids.denied,
      province: 'wasit',
      text: 'Mohammed Al-Mayahi for Wasit',
      subject: null,
      internal: false,
      source: { name: 'Wasit council', url: null },
      at: '2024-02-07T09:00:00.000Z',
    });
    expect(idsOf(d.confirmed)).toEqual([]);
    expect(idsOf(d.retracted)).toEqual([ids.retracted]);
    // confirmed only on the 8th: still unconfirmed at the end of the 7th
    expect(idsOf(d.unconfirmed)).toEqual([ids.confirmed, ids.internal]);
  });

  test('6 February: the claim denied on the 7th was still unconfirmed; 8 February: confirmed today', async () => {
    const sixth = expectStatus(await digest('2024-02-06'), 200).body.claims;
    expect(idsOf(sixth.reported)).toEqual([ids.denied]);
    expect(idsOf(sixth.unconfirmed)).toEqual([ids.denied]);
    const eighth = expectStatus(await digest('2024-02-08'), 200).body.claims;
    expect(idsOf(eighth.confirmed)).toEqual([ids.confirmed]);
    expect(idsOf(eighth.unconfirmed)).toEqual([ids.internal]);
  });

  test('the Markdown digest has the same claims sections', async () => {
    const md = expectStatus(await digest('2024-02-07', s.keys.viewer, 'md'), 200).text;
    expect(md).toContain('### Denied today (1)');
    expect(md).toMatch(/### Denied today \(1\)\n\n- 12:00 — Wasit \(واسط\): “Mohammed Al-Mayahi for Wasit” — Wasit council/);
    expect(md).toContain('### Retracted today (1)');
    // the two Wasit claims, and Kirkuk's claim of 20 January (never moved)
    expect(md).toContain('### Still unconfirmed (3)');
    expect(md).toContain('- reported 2024-02-07 10:00 — Wasit (واسط): “Wasit deal signed (anonymous)” — [Shafaq News](https://shafaq.com/en) — _internal_');
  });
});

describe('the province history lists claim steps among the events', () => {
  test('each claim step is an item of kind claim, in time order with the events', async () => {
    const items = expectStatus(await http().get(`${API}/provinces/basra/history`).set(s.auth(s.keys.viewer)), 200).body.items as {
      kind: string;
      at: string;
      claim?: { text: string };
      step?: { to: string; eventSeq: number | null };
      event?: { seq: number; type: string };
    }[];
    const kinds = items.map((i) => (i.kind === 'event' ? `event:${i.event!.type}` : `claim:${i.step!.to}`));
    expect(kinds.filter((k) => k.startsWith('event:'))).toEqual(['event:ASSIGN_TIER', 'event:NOMINATE', 'event:APPOINT']);
    expect(kinds.indexOf('claim:reported')).toBeGreaterThan(kinds.indexOf('event:ASSIGN_TIER'));
    expect(kinds.indexOf('claim:reported')).toBeLessThan(kinds.indexOf('event:NOMINATE'));
    const ats = items.map((i) => i.at);
    expect([...ats].sort()).toEqual(ats);
    const confirm = items.find((i) => i.kind === 'claim' && i.step!.to === 'confirmed')!;
    expect(confirm.step!.eventSeq).toBe(3);
  });
});

describe('confirm with apply and no instant, on a claim reported a little in the future', () => {
  test('the step and its event are dated no earlier than the report', async () => {
    const reportedAt = new Date(Date.now() + 3 * 60_000).toISOString();
    const id = expectStatus(
      await postClaim('diyala', { text: 'Diyala will be tier B', event: { type: 'ASSIGN_TIER', tier: 'B' }, reportedAt }),
      201,
    ).body.id;
    const res = expectStatus(await move('diyala', id, 'confirm', { apply: true }), 200);
    const [report, confirm] = res.body.claim.steps;
    expect(Date.parse(confirm.occurredAt)).toBeGreaterThanOrEqual(Date.parse(report.occurredAt));
    expect(res.body.applied.event.occurredAt).toBe(confirm.occurredAt);
  });
});
