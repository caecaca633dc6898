import type { Response } from 'supertest';
import { postEvent, setupSuite } from './support/test-app.js';
import { expectProblem } from './support/expectations.js';

/**
 * SPEC §2 through HTTP: every row of the event table, accepted and refused, on a real database.
 * One app and one database for the file; each describe block owns its province(s) and runs its
 * steps in order. The expected table is written out here from the SPEC, not imported from the app.
 * SPEC §8 (province-formation@2) adds the stage `vacant` and VACATE, ACTING, CONTEST and RULING; the
 * vacancy's own paths are walked in test/vacancies.e2e-spec.ts and the machine's model-based spec.
 */

type Stage = 'criteria' | 'tier' | 'candidate' | 'appointed' | 'vacant';
type EventType =
  | 'SET_CRITERIA'
  | 'ASSIGN_TIER'
  | 'CONVENE'
  | 'NOMINATE'
  | 'WITHDRAW'
  | 'APPOINT'
  | 'DECREE'
  | 'REVOKE'
  | 'SET_DEADLINE'
  | 'REPORT'
  | 'VACATE'
  | 'ACTING'
  | 'CONTEST'
  | 'RULING';

/** The stages this file walks a province through (the election's first selection). */
const STAGES: Stage[] = ['criteria', 'tier', 'candidate', 'appointed'];
const EVENT_TYPES: EventType[] = [
  'SET_CRITERIA',
  'ASSIGN_TIER',
  'CONVENE',
  'NOMINATE',
  'WITHDRAW',
  'APPOINT',
  'DECREE',
  'REVOKE',
  'SET_DEADLINE',
  'REPORT',
  'VACATE',
  'ACTING',
  'CONTEST',
  'RULING',
];

/** SPEC §2, column "allowed in" (with §8's vacant; NOMINATE also in criteria since issue 21: docs/workflow.md). */
const ALLOWED_IN: Record<EventType, Stage[]> = {
  SET_CRITERIA: ['criteria'],
  ASSIGN_TIER: ['criteria', 'tier'],
  CONVENE: ['criteria', 'tier', 'candidate'],
  NOMINATE: ['criteria', 'tier', 'candidate', 'vacant'],
  WITHDRAW: ['candidate'],
  APPOINT: ['candidate'],
  DECREE: ['appointed'],
  REVOKE: ['appointed'],
  SET_DEADLINE: ['criteria', 'tier', 'candidate', 'vacant'],
  REPORT: ['criteria', 'tier', 'candidate', 'appointed', 'vacant'],
  VACATE: ['appointed'],
  ACTING: ['criteria', 'tier', 'candidate', 'vacant'],
  CONTEST: ['appointed', 'vacant'],
  RULING: ['appointed', 'vacant'],
};

/** SPEC §2, column "goes to" ('same' = the stage it was in). */
const GOES_TO: Record<EventType, Array<Stage | 'same'>> = {
  SET_CRITERIA: ['criteria'],
  ASSIGN_TIER: ['tier'],
  CONVENE: ['same'],
  NOMINATE: ['candidate'],
  WITHDRAW: ['candidate', 'tier', 'vacant'],
  APPOINT: ['appointed'],
  DECREE: ['appointed'],
  REVOKE: ['candidate', 'tier', 'vacant'],
  SET_DEADLINE: ['same'],
  REPORT: ['same'],
  VACATE: ['vacant'],
  ACTING: ['same'],
  CONTEST: ['same'],
  RULING: ['same', 'vacant', 'appointed'],
};

const acceptedIn = (stage: Stage) => EVENT_TYPES.filter((t) => ALLOWED_IN[t].includes(stage));
const refusedIn = (stage: Stage) => EVENT_TYPES.filter((t) => !ALLOWED_IN[t].includes(stage));

/** What the machine accepts now: the stage's events, less CONVENE once convened and DECREE once decreed. */
function expectedAllowed(stage: Stage, opts: { convened?: boolean; decreed?: boolean } = {}): string[] {
  return acceptedIn(stage)
    .filter((t) => !(t === 'CONVENE' && opts.convened) && !(t === 'DECREE' && opts.decreed))
    .sort();
}

/** A payload of each type that passes validation (the stage decides whether it is accepted). */
function validPayload(type: EventType, nominee = 'Sweep Nominee'): Record<string, unknown> {
  switch (type) {
    case 'SET_CRITERIA':
      return { type, criteria: 'Governors chosen by the largest bloc' };
    case 'ASSIGN_TIER':
      return { type, tier: 'C' };
    case 'CONVENE':
      return { type, chair: 'Eldest member' };
    case 'NOMINATE':
      return { type, candidate: { name: nominee } };
    case 'WITHDRAW':
      return { type, candidate: nominee };
    case 'APPOINT':
      return { type, governor: nominee };
    case 'DECREE':
      return { type, decreeDate: '2024-02-20' };
    case 'REVOKE':
      return { type, reason: 'Decree refused' };
    case 'SET_DEADLINE':
      return { type, deadline: '2024-03-01', basis: 'Law 21 of 2008, Art. 7' };
    case 'REPORT':
      return { type, kind: 'note', text: 'A note for the desk' };
    case 'VACATE':
      return { type, reason: 'dismissed' };
    case 'ACTING':
      return { type, name: 'Sweep Acting', kind: 'acting' };
    case 'CONTEST':
      return { type, by: 'A rival bloc', grounds: 'No quorum' };
    case 'RULING':
      return { type, authority: 'A court', outcome: 'upheld' };
  }
}

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('workflow');
});
afterAll(async () => s?.teardown());

const viewer = () => s.auth(s.keys.viewer);
const post = (slug: string, body: Record<string, unknown>) => postEvent(s.app, s.keys.editor, slug, body);

/** POST an event and insist on 201 (the body is shown when it is not). */
async function accept(slug: string, body: Record<string, unknown>): Promise<Response> {
  const res = await post(slug, body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res;
}

async function getProvince(slug: string, query = ''): Promise<Response> {
  const res = await s.app.http().get(`/api/v1/provinces/${slug}${query}`).set(viewer());
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res;
}

/** The province is still at `version`, in the body and in the ETag. */
async function expectVersion(slug: string, version: number): Promise<Response> {
  const res = await getProvince(slug);
  expect(res.body.version).toBe(version);
  expect(res.headers.etag).toBe(`"${version}"`);
  return res;
}


async function expectInvalidTransition(slug: string, body: Record<string, unknown>, stage: Stage, allowed: string[]) {
  const before = (await getProvince(slug)).body.version;
  const res = await post(slug, body);
  expectProblem(res, 409, 'invalid-transition');
  expect(res.body.stage).toBe(stage);
  expect([...res.body.allowedEvents].sort()).toEqual(allowed);
  await expectVersion(slug, before);
}

async function expectGuardFailed(slug: string, body: Record<string, unknown>, reason: string) {
  const before = (await getProvince(slug)).body.version;
  const res = await post(slug, body);
  expectProblem(res, 409, 'guard-failed');
  expect(res.body.reason).toBe(reason);
  await expectVersion(slug, before);
}

async function expectOccurredAtRefused(slug: string, body: Record<string, unknown>) {
  const before = (await getProvince(slug)).body.version;
  const res = await post(slug, body);
  expectProblem(res, 400, 'validation');
  expect(Array.isArray(res.body.errors)).toBe(true);
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('occurredAt');
  await expectVersion(slug, before);
}

const names = (list: { name: string }[]) => list.map((n) => n.name).sort();

describe('the SPEC §2 table: each stage refuses exactly the events it does not accept (karbala)', () => {
  const slug = 'karbala';

  /** Every event type the stage does not accept, each with a valid payload, dated after the latest event. */
  async function sweep(stage: Stage, allowed: string[], occurredAt: string, nominee?: string) {
    expect(refusedIn(stage).length).toBeGreaterThan(0);
    for (const type of refusedIn(stage)) {
      await expectInvalidTransition(slug, { ...validPayload(type, nominee), occurredAt }, stage, allowed);
    }
    const res = await getProvince(slug);
    expect(res.body.stage).toBe(stage);
    expect([...res.body.allowedEvents].sort()).toEqual(allowed);
  }

  test('criteria: a fresh province shows its allowedEvents and refuses WITHDRAW, APPOINT, DECREE, REVOKE (a nominee may come before any tier)', async () => {
    const res = await expectVersion(slug, 0);
    expect(res.body.stage).toBe('criteria');
    expect(refusedIn('criteria').sort()).toEqual(['APPOINT', 'CONTEST', 'DECREE', 'REVOKE', 'RULING', 'VACATE', 'WITHDRAW']);
    await sweep('criteria', expectedAllowed('criteria'), '2024-01-03T09:00:00+03:00');
    const report = await accept(slug, { type: 'REPORT', kind: 'rumor', text: 'Tier A, says an alliance source', occurredAt: '2024-01-04T10:00:00+03:00' });
    expect(report.body.event).toMatchObject({ fromStage: 'criteria', toStage: 'criteria' });
  });

  test('tier: refuses SET_CRITERIA, WITHDRAW, APPOINT, DECREE, REVOKE', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-05T10:00:00+03:00' });
    await sweep('tier', expectedAllowed('tier'), '2024-01-05T12:00:00+03:00', 'Nobody Yet');
    const report = await accept(slug, { type: 'REPORT', kind: 'denial', text: 'Denied', occurredAt: '2024-01-06T10:00:00+03:00' });
    expect(report.body.event).toMatchObject({ fromStage: 'tier', toStage: 'tier' });
  });

  test('candidate: refuses SET_CRITERIA, ASSIGN_TIER, DECREE, REVOKE; CONVENE is accepted here and stays in candidate', async () => {
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Nassif Al-Khattabi', nameAr: 'نصيف الخطابي' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await sweep('candidate', expectedAllowed('candidate'), '2024-01-20T12:00:00+03:00', 'Nassif Al-Khattabi');
    const convene = await accept(slug, { type: 'CONVENE', chair: 'Eldest member', occurredAt: '2024-01-21T10:00:00+03:00' });
    expect(convene.body.event).toMatchObject({ type: 'CONVENE', fromStage: 'candidate', toStage: 'candidate' });
    expect(convene.body.province.stage).toBe('candidate');
    expect(convene.body.province.convenedAt).toBe('2024-01-21T07:00:00.000Z');
    const res = await getProvince(slug);
    expect([...res.body.allowedEvents].sort()).toEqual(expectedAllowed('candidate', { convened: true }));
  });

  test('appointed: refuses SET_CRITERIA, ASSIGN_TIER, CONVENE, NOMINATE, WITHDRAW, APPOINT, SET_DEADLINE', async () => {
    await accept(slug, { type: 'APPOINT', governor: 'Nassif Al-Khattabi', votes: 8, present: 13, occurredAt: '2024-01-22T10:00:00+03:00' });
    expect(refusedIn('appointed').sort()).toEqual(['ACTING', 'APPOINT', 'ASSIGN_TIER', 'CONVENE', 'NOMINATE', 'SET_CRITERIA', 'SET_DEADLINE', 'WITHDRAW']);
    await sweep('appointed', expectedAllowed('appointed', { convened: true }), '2024-01-22T12:00:00+03:00', 'Nassif Al-Khattabi');
    const report = await accept(slug, { type: 'REPORT', kind: 'session_failed', text: 'Rivals walked out', occurredAt: '2024-01-23T10:00:00+03:00' });
    expect(report.body.event).toMatchObject({ fromStage: 'appointed', toStage: 'appointed' });
    expect(report.body.province.governor.name).toBe('Nassif Al-Khattabi');
  });
});

describe('SET_CRITERIA (nineveh)', () => {
  const slug = 'nineveh';

  test('accepted in criteria: stays in criteria and records the criteria, stamped with the machine version', async () => {
    const res = await accept(slug, { type: 'SET_CRITERIA', criteria: 'The largest bloc names the governor', occurredAt: '2024-01-05T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({
      province: slug,
      seq: 1,
      type: 'SET_CRITERIA',
      fromStage: 'criteria',
      toStage: 'criteria',
      occurredAt: '2024-01-05T07:00:00.000Z',
      machine: 'province-formation@2',
      late: false,
      daysToDeadline: 35,
      confidence: 'confirmed',
      source: { name: 'Shafaq News', url: 'https://shafaq.com/en' },
    });
    expect(res.body.province).toMatchObject({ slug, stage: 'criteria', criteria: 'The largest bloc names the governor', version: 1 });
    expect(res.headers.etag).toBe('"1"');
    const now = await expectVersion(slug, 1);
    expect(now.body.criteria).toBe('The largest bloc names the governor');
  });

  test('refused in tier (invalid-transition)', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-06T10:00:00+03:00' });
    await expectInvalidTransition(
      slug,
      { type: 'SET_CRITERIA', criteria: 'Too late for criteria', occurredAt: '2024-01-07T10:00:00+03:00' },
      'tier',
      expectedAllowed('tier'),
    );
    expect((await getProvince(slug)).body.criteria).toBe('The largest bloc names the governor');
  });
});

describe('ASSIGN_TIER (basra)', () => {
  const slug = 'basra';

  test('accepted in criteria: goes to tier with the tier set', async () => {
    const res = await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-08T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'ASSIGN_TIER', fromStage: 'criteria', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'tier', tier: 'A', version: 1 });
    const now = await expectVersion(slug, 1);
    expect(now.body).toMatchObject({ stage: 'tier', tier: 'A' });
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('tier'));
  });

  test('accepted in tier: the tier changes, the stage stays tier', async () => {
    const res = await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-09T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ fromStage: 'tier', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'tier', tier: 'B', version: 2 });
  });

  test('CONVENE is accepted in tier and keeps the stage', async () => {
    const res = await accept(slug, { type: 'CONVENE', occurredAt: '2024-01-10T11:00:00+03:00' });
    expect(res.body.event).toMatchObject({ fromStage: 'tier', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'tier', convenedAt: '2024-01-10T08:00:00.000Z' });
  });

  test('a tier outside A, B, C is refused with 400', async () => {
    const res = await post(slug, { type: 'ASSIGN_TIER', tier: 'D', occurredAt: '2024-01-11T10:00:00+03:00' });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('tier');
    await expectVersion(slug, 3);
  });

  test('refused in candidate (invalid-transition)', async () => {
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' }, occurredAt: '2024-01-12T10:00:00+03:00' });
    await expectInvalidTransition(
      slug,
      { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-13T10:00:00+03:00' },
      'candidate',
      expectedAllowed('candidate', { convened: true }),
    );
    expect((await getProvince(slug)).body.tier).toBe('B');
  });
});

describe('CONVENE (dhi-qar)', () => {
  const slug = 'dhi-qar';

  test('accepted in criteria: records convenedAt (UTC) and the chair, stays in criteria', async () => {
    const res = await accept(slug, { type: 'CONVENE', chair: 'Eldest member', occurredAt: '2024-01-14T12:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'CONVENE', fromStage: 'criteria', toStage: 'criteria' });
    expect(res.body.province).toMatchObject({ stage: 'criteria', convenedAt: '2024-01-14T09:00:00.000Z', chair: 'Eldest member' });
    const now = await expectVersion(slug, 1);
    expect(now.body.allowedEvents).not.toContain('CONVENE');
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('criteria', { convened: true }));
  });

  test('a second CONVENE is refused: guard already-convened (in criteria and, after ASSIGN_TIER, in tier)', async () => {
    await expectGuardFailed(slug, { type: 'CONVENE', occurredAt: '2024-01-15T12:00:00+03:00' }, 'already-convened');
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-16T12:00:00+03:00' });
    await expectGuardFailed(slug, { type: 'CONVENE', chair: 'Someone else', occurredAt: '2024-01-17T12:00:00+03:00' }, 'already-convened');
    const now = await getProvince(slug);
    expect(now.body).toMatchObject({ convenedAt: '2024-01-14T09:00:00.000Z', chair: 'Eldest member' });
  });
});

describe('NOMINATE and WITHDRAW (babil)', () => {
  const slug = 'babil';

  test('NOMINATE in tier goes to candidate with the nominee', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    const res = await accept(slug, {
      type: 'NOMINATE',
      candidate: { name: 'Adnan Fayhan', nameAr: 'عدنان فيحان', bloc: 'Asaib' },
      occurredAt: '2024-01-25T10:00:00+03:00',
    });
    expect(res.body.event).toMatchObject({ type: 'NOMINATE', fromStage: 'tier', toStage: 'candidate' });
    expect(res.body.province.stage).toBe('candidate');
    expect(res.body.province.nominees).toEqual([
      { name: 'Adnan Fayhan', nameAr: 'عدنان فيحان', bloc: 'Asaib', nominatedAt: '2024-01-25T07:00:00.000Z' },
    ]);
    const now = await expectVersion(slug, 2);
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('candidate'));
  });

  test('NOMINATE in candidate adds a second nominee and stays in candidate', async () => {
    const res = await accept(slug, { type: 'NOMINATE', candidate: { name: 'Second Nominee' }, occurredAt: '2024-01-26T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ fromStage: 'candidate', toStage: 'candidate' });
    expect(names(res.body.province.nominees)).toEqual(['Adnan Fayhan', 'Second Nominee']);
  });

  test('NOMINATE of a name already nominated: guard already-nominated', async () => {
    await expectGuardFailed(slug, { type: 'NOMINATE', candidate: { name: 'Adnan Fayhan' }, occurredAt: '2024-01-27T10:00:00+03:00' }, 'already-nominated');
    expect(names((await getProvince(slug)).body.nominees)).toEqual(['Adnan Fayhan', 'Second Nominee']);
  });

  test('WITHDRAW of someone who is not a nominee: guard not-a-nominee', async () => {
    await expectGuardFailed(slug, { type: 'WITHDRAW', candidate: 'Not Nominated', occurredAt: '2024-01-28T10:00:00+03:00' }, 'not-a-nominee');
  });

  test('WITHDRAW of one of two nominees stays in candidate', async () => {
    const res = await accept(slug, { type: 'WITHDRAW', candidate: 'Second Nominee', reason: 'Stood down', occurredAt: '2024-01-29T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'WITHDRAW', fromStage: 'candidate', toStage: 'candidate' });
    expect(res.body.province.stage).toBe('candidate');
    expect(names(res.body.province.nominees)).toEqual(['Adnan Fayhan']);
  });

  test('WITHDRAW of the last nominee goes back to tier', async () => {
    const res = await accept(slug, { type: 'WITHDRAW', candidate: 'Adnan Fayhan', occurredAt: '2024-01-30T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'WITHDRAW', fromStage: 'candidate', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'tier', tier: 'A', nominees: [] });
    const now = await expectVersion(slug, 5);
    expect(now.body).toMatchObject({ stage: 'tier', nominees: [] });
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('tier'));
  });

  test('WITHDRAW in tier is refused (invalid-transition)', async () => {
    await expectInvalidTransition(
      slug,
      { type: 'WITHDRAW', candidate: 'Adnan Fayhan', occurredAt: '2024-01-31T10:00:00+03:00' },
      'tier',
      expectedAllowed('tier'),
    );
  });
});

describe('APPOINT (anbar)', () => {
  const slug = 'anbar';

  test('refused in tier (invalid-transition)', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
    await expectInvalidTransition(slug, { type: 'APPOINT', governor: 'Mohammed Nouri', occurredAt: '2024-01-11T10:00:00+03:00' }, 'tier', expectedAllowed('tier'));
  });

  test('APPOINT of someone who is not a nominee: guard not-a-nominee', async () => {
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Mohammed Nouri', nameAr: 'محمد نوري', bloc: 'Taqaddum' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await expectGuardFailed(slug, { type: 'APPOINT', governor: 'Someone Else', votes: 16, occurredAt: '2024-01-21T10:00:00+03:00' }, 'not-a-nominee');
    expect((await getProvince(slug)).body).toMatchObject({ stage: 'candidate', governor: null });
  });

  test('accepted: goes to appointed with the governor, votes, present and appointedAt', async () => {
    const res = await accept(slug, { type: 'APPOINT', governor: 'Mohammed Nouri', votes: 10, present: 14, occurredAt: '2024-01-22T14:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'APPOINT', fromStage: 'candidate', toStage: 'appointed', late: false, daysToDeadline: 18 });
    expect(res.body.province).toMatchObject({
      stage: 'appointed',
      governor: { name: 'Mohammed Nouri', nameAr: 'محمد نوري', bloc: 'Taqaddum', votes: 10, present: 14, appointedAt: '2024-01-22T11:00:00.000Z' },
      deadlineStatus: 'met',
      version: 3,
    });
    const now = await expectVersion(slug, 3);
    expect(now.body).toMatchObject({ stage: 'appointed', deadlineStatus: 'met' });
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('appointed'));
  });
});

describe('APPOINT needs an absolute majority: a 15-seat council (wasit)', () => {
  const slug = 'wasit';

  test('8 votes of 15 is refused (majority-not-reached), 9 is accepted', async () => {
    expect((await getProvince(slug)).body.seats).toBe(15);
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Mohammed Al-Mayahi', nameAr: 'محمد المياحي' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await expectGuardFailed(
      slug,
      { type: 'APPOINT', governor: 'Mohammed Al-Mayahi', votes: 8, present: 15, occurredAt: '2024-01-21T10:00:00+03:00' },
      'majority-not-reached',
    );
    expect((await getProvince(slug)).body).toMatchObject({ stage: 'candidate', governor: null });
    const res = await accept(slug, { type: 'APPOINT', governor: 'Mohammed Al-Mayahi', votes: 9, present: 15, occurredAt: '2024-01-22T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ fromStage: 'candidate', toStage: 'appointed' });
    expect(res.body.province).toMatchObject({ stage: 'appointed', governor: { name: 'Mohammed Al-Mayahi', votes: 9, present: 15 } });
    await expectVersion(slug, 3);
  });
});

describe('DECREE, and REVOKE with no nominee left (diyala)', () => {
  const slug = 'diyala';

  test('DECREE in candidate is refused (invalid-transition)', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Adnan Al-Jabouri' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await expectInvalidTransition(slug, { type: 'DECREE', occurredAt: '2024-01-21T10:00:00+03:00' }, 'candidate', expectedAllowed('candidate'));
  });

  test('REVOKE in candidate is refused (invalid-transition)', async () => {
    await expectInvalidTransition(
      slug,
      { type: 'REVOKE', reason: 'Annulled', occurredAt: '2024-01-21T11:00:00+03:00' },
      'candidate',
      expectedAllowed('candidate'),
    );
  });

  test('DECREE accepted in appointed: records the decree, stays appointed', async () => {
    await accept(slug, { type: 'APPOINT', governor: 'Adnan Al-Jabouri', votes: 9, occurredAt: '2024-01-22T10:00:00+03:00' });
    const res = await accept(slug, { type: 'DECREE', decreeDate: '2024-01-28', occurredAt: '2024-01-28T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'DECREE', fromStage: 'appointed', toStage: 'appointed' });
    expect(res.body.province.stage).toBe('appointed');
    expect(res.body.province.decree).toMatchObject({ decreeDate: '2024-01-28' });
    const now = await expectVersion(slug, 4);
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('appointed', { decreed: true }));
  });

  test('a second DECREE: guard decree-already-recorded', async () => {
    await expectGuardFailed(slug, { type: 'DECREE', decreeDate: '2024-01-30', occurredAt: '2024-01-30T10:00:00+03:00' }, 'decree-already-recorded');
    expect((await getProvince(slug)).body.decree).toMatchObject({ decreeDate: '2024-01-28' });
  });

  test('REVOKE of the only nominee goes to tier; governor, decree and nominee are gone', async () => {
    const res = await accept(slug, { type: 'REVOKE', reason: 'Court annulled the session', occurredAt: '2024-02-01T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'REVOKE', fromStage: 'appointed', toStage: 'tier' });
    expect(res.body.province).toMatchObject({ stage: 'tier', governor: null, decree: null, nominees: [], tier: 'B' });
    const now = await expectVersion(slug, 5);
    expect(now.body).toMatchObject({ stage: 'tier', governor: null, nominees: [] });
  });
});

describe('REVOKE with another nominee remaining (salahuddin)', () => {
  const slug = 'salahuddin';

  test('goes back to candidate and removes the revoked governor from the nominees', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Badr Al-Fahal' }, occurredAt: '2024-01-20T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Abdullah Al-Jubouri' }, occurredAt: '2024-01-20T11:00:00+03:00' });
    const appointed = await accept(slug, { type: 'APPOINT', governor: 'Badr Al-Fahal', votes: 9, occurredAt: '2024-01-22T10:00:00+03:00' });
    expect(names(appointed.body.province.nominees)).toEqual(['Abdullah Al-Jubouri', 'Badr Al-Fahal']);
    const res = await accept(slug, { type: 'REVOKE', reason: 'The President refused the decree', occurredAt: '2024-02-05T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'REVOKE', fromStage: 'appointed', toStage: 'candidate' });
    expect(res.body.province).toMatchObject({ stage: 'candidate', governor: null, decree: null });
    expect(names(res.body.province.nominees)).toEqual(['Abdullah Al-Jubouri']);
    const now = await expectVersion(slug, 5);
    expect(now.body).toMatchObject({ stage: 'candidate', governor: null });
    expect(names(now.body.nominees)).toEqual(['Abdullah Al-Jubouri']);
    expect([...now.body.allowedEvents].sort()).toEqual(expectedAllowed('candidate'));
  });

  test('the revoked governor can no longer be appointed without a new nomination (not-a-nominee)', async () => {
    await expectGuardFailed(slug, { type: 'APPOINT', governor: 'Badr Al-Fahal', occurredAt: '2024-02-06T10:00:00+03:00' }, 'not-a-nominee');
  });
});

describe('SET_DEADLINE (najaf)', () => {
  const slug = 'najaf';

  test('accepted in criteria: the province deadline, basis and deadline instant change; the stage does not', async () => {
    const before = await getProvince(slug);
    expect(before.body).toMatchObject({ deadline: '2024-02-09', deadlineInstant: '2024-02-09T20:59:59.999Z' });
    const res = await accept(slug, { type: 'SET_DEADLINE', deadline: '2024-03-01', basis: 'Law 21 of 2008, Art. 7: 30 days after the first session', occurredAt: '2024-01-10T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ type: 'SET_DEADLINE', fromStage: 'criteria', toStage: 'criteria' });
    expect(res.body.province).toMatchObject({
      stage: 'criteria',
      deadline: '2024-03-01',
      deadlineBasis: 'Law 21 of 2008, Art. 7: 30 days after the first session',
      deadlineInstant: '2024-03-01T20:59:59.999Z',
    });
    expect((await expectVersion(slug, 1)).body.deadline).toBe('2024-03-01');
  });

  test('later transitions are judged against the deadline in force: an APPOINT on 20 Feb is not late', async () => {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T10:00:00+03:00' });
    await accept(slug, { type: 'NOMINATE', candidate: { name: 'Yousef Kanawi' }, occurredAt: '2024-02-15T10:00:00+03:00' });
    const res = await accept(slug, { type: 'APPOINT', governor: 'Yousef Kanawi', votes: 9, occurredAt: '2024-02-20T10:00:00+03:00' });
    expect(res.body.event).toMatchObject({ late: false, daysToDeadline: 10 });
    expect(res.body.province).toMatchObject({ stage: 'appointed', deadlineStatus: 'met', deadline: '2024-03-01' });
  });

  test('refused in appointed (invalid-transition)', async () => {
    await expectInvalidTransition(
      slug,
      { type: 'SET_DEADLINE', deadline: '2024-04-01', basis: 'x', occurredAt: '2024-02-21T10:00:00+03:00' },
      'appointed',
      expectedAllowed('appointed'),
    );
    expect((await getProvince(slug)).body.deadline).toBe('2024-03-01');
  });
});

describe('REPORT (baghdad)', () => {
  const slug = 'baghdad';

  test('every kind is accepted in criteria and changes nothing but the version', async () => {
    const before = (await getProvince(slug)).body;
    let hour = 10;
    for (const kind of ['rumor', 'denial', 'note', 'session_failed']) {
      const res = await accept(slug, { type: 'REPORT', kind, text: `A ${kind}`, confidence: 'reported', occurredAt: `2024-01-15T${hour++}:00:00+03:00` });
      expect(res.body.event).toMatchObject({ type: 'REPORT', fromStage: 'criteria', toStage: 'criteria', confidence: 'reported', payload: { kind, text: `A ${kind}` } });
    }
    const after = (await expectVersion(slug, 4)).body;
    for (const field of ['stage', 'tier', 'criteria', 'nominees', 'governor', 'convenedAt', 'decree', 'deadline']) {
      expect(after[field]).toEqual(before[field]);
    }
  });

  test('an unknown report kind is refused with 400', async () => {
    const res = await post(slug, { type: 'REPORT', kind: 'gossip', text: 'x', occurredAt: '2024-01-16T10:00:00+03:00' });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('kind');
    await expectVersion(slug, 4);
  });
});

describe('the Baghdad-day boundary of the deadline (9 Feb 2024, Asia/Baghdad)', () => {
  async function toCandidate(slug: string, name: string) {
    await accept(slug, { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' });
    const nominated = await accept(slug, { type: 'NOMINATE', candidate: { name }, occurredAt: '2024-02-01T10:00:00+03:00' });
    expect(nominated.body.event).toMatchObject({ late: false, daysToDeadline: 8 });
  }

  test('APPOINT at 23:30 on 9 Feb Baghdad time (20:30Z) is on time: late=false, daysToDeadline=0, status met (qadisiyah)', async () => {
    const slug = 'qadisiyah';
    await toCandidate(slug, 'Abbas Al-Zamili');
    const res = await accept(slug, { type: 'APPOINT', governor: 'Abbas Al-Zamili', occurredAt: '2024-02-09T23:30:00+03:00' });
    expect(res.body.event).toMatchObject({ occurredAt: '2024-02-09T20:30:00.000Z', late: false, daysToDeadline: 0 });
    expect(res.body.province).toMatchObject({ stage: 'appointed', deadlineStatus: 'met' });
    expect((await getProvince(slug)).body.deadlineStatus).toBe('met');
    const history = await s.app.http().get(`/api/v1/provinces/${slug}/events`).set(viewer());
    expect(history.status).toBe(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'APPOINT', late: false, daysToDeadline: 0 });
  });

  test('APPOINT at 00:30 on 10 Feb Baghdad time (21:30Z on 9 Feb) is late: late=true, daysToDeadline=-1, status met_late (maysan)', async () => {
    const slug = 'maysan';
    await toCandidate(slug, 'Habib Al-Fartousi');
    const res = await accept(slug, { type: 'APPOINT', governor: 'Habib Al-Fartousi', occurredAt: '2024-02-10T00:30:00+03:00' });
    expect(res.body.event).toMatchObject({ occurredAt: '2024-02-09T21:30:00.000Z', late: true, daysToDeadline: -1 });
    expect(res.body.province).toMatchObject({ stage: 'appointed', deadlineStatus: 'met_late' });
    expect((await getProvince(slug)).body.deadlineStatus).toBe('met_late');
    const history = await s.app.http().get(`/api/v1/provinces/${slug}/events`).set(viewer());
    expect(history.body.items.at(-1)).toMatchObject({ type: 'APPOINT', late: true, daysToDeadline: -1 });
  });
});

describe('occurredAt limits (muthanna)', () => {
  const slug = 'muthanna';

  test('before the election day (23:00 on 17 Dec 2023 Baghdad time) is refused with 400 on occurredAt', async () => {
    await expectOccurredAtRefused(slug, { type: 'REPORT', kind: 'note', text: 'x', occurredAt: '2023-12-17T23:00:00+03:00' });
    await expectOccurredAtRefused(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2023-12-17T23:59:59+03:00' });
  });

  test('the first instant of election day (00:00 on 18 Dec 2023 Baghdad time) is accepted', async () => {
    const res = await accept(slug, { type: 'REPORT', kind: 'note', text: 'Polls open', occurredAt: '2023-12-18T00:00:00+03:00' });
    expect(res.body.event.occurredAt).toBe('2023-12-17T21:00:00.000Z');
    await expectVersion(slug, 1);
  });

  test('more than 5 minutes in the future is refused with 400 on occurredAt', async () => {
    await expectOccurredAtRefused(slug, { type: 'REPORT', kind: 'note', text: 'x', occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    await expectOccurredAtRefused(slug, { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2099-01-01T00:00:00+03:00' });
  });

  test('a few minutes ahead of the server clock (within 5) is accepted', async () => {
    const at = new Date(Date.now() + 3 * 60_000);
    const res = await accept(slug, { type: 'REPORT', kind: 'note', text: 'Clock skew', occurredAt: at.toISOString() });
    expect(res.body.event.occurredAt).toBe(at.toISOString());
    await expectVersion(slug, 2);
  });

  test('an occurredAt without an offset is refused with 400', async () => {
    await expectOccurredAtRefused(slug, { type: 'REPORT', kind: 'note', text: 'x', occurredAt: '2024-01-10T10:00:00' });
    await expectOccurredAtRefused(slug, { type: 'REPORT', kind: 'note', text: 'x', occurredAt: '2024-01-10' });
  });
});

describe('an unknown province', () => {
  test('POST and GET answer 404', async () => {
    const res = await post('erbil', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
    expectProblem(res, 404, 'not-found');
    const get = await s.app.http().get('/api/v1/provinces/erbil').set(viewer());
    expectProblem(get, 404, 'not-found');
  });
});

describe('GET /machine and GET /cycle', () => {
  test('the machine as JSON: the four stages, every event, and transitions matching the SPEC table', async () => {
    const res = await s.app.http().get('/api/v1/machine').set(viewer());
    expect(res.status).toBe(200);
    expect(res.body.stages).toEqual([...STAGES, 'vacant']);
    expect([...res.body.events].sort()).toEqual([...EVENT_TYPES].sort());
    const transitions: { from: Stage; event: EventType; to: Stage }[] = res.body.transitions;
    expect(Array.isArray(transitions)).toBe(true);
    for (const type of EVENT_TYPES) {
      for (const stage of [...STAGES, 'vacant' as const]) {
        const here = transitions.filter((t) => t.from === stage && t.event === type);
        if (!ALLOWED_IN[type].includes(stage)) {
          expect({ type, stage, here }).toEqual({ type, stage, here: [] });
          continue;
        }
        const targets = [...new Set(here.map((t) => t.to))].sort();
        const expected = [...new Set(GOES_TO[type].map((to) => (to === 'same' ? stage : to)))].sort();
        expect({ type, stage, targets }).toEqual({ type, stage, targets: expected });
      }
    }
  });

  test('?format=mermaid is a state diagram', async () => {
    const res = await s.app.http().get('/api/v1/machine?format=mermaid').set(viewer());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\//);
    expect(res.text.startsWith('stateDiagram-v2')).toBe(true);
    expect(res.text).toContain('candidate --> appointed');
  });

  test('the cycle: deadline 2024-02-09, whose instant is the end of that day in Baghdad', async () => {
    const res = await s.app.http().get('/api/v1/cycle').set(viewer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'iraq-2023',
      electionDate: '2023-12-18',
      deadline: '2024-02-09',
      deadlineInstant: '2024-02-09T20:59:59.999Z',
      timezone: 'Asia/Baghdad',
    });
  });
});

describe('GET /provinces filters and CSV (after every block above)', () => {
  type Item = { slug: string; stage: Stage; tier: string | null; deadlineStatus: string; nameAr: string };
  let all: Item[];
  const slugs = (items: Item[]) => items.map((i) => i.slug).sort();

  async function list(query: string, expectedStatus = 200): Promise<Response> {
    const res = await s.app.http().get(`/api/v1/provinces${query}`).set(viewer());
    expect({ status: res.status, body: res.body }).toMatchObject({ status: expectedStatus });
    return res;
  }

  beforeAll(async () => {
    all = (await list('')).body.items;
  });

  test('the unfiltered list has all 15 provinces in the stages the blocks above left them', async () => {
    expect(all).toHaveLength(15);
    const stageOf = Object.fromEntries(all.map((i) => [i.slug, i.stage]));
    expect(stageOf).toEqual({
      baghdad: 'criteria',
      muthanna: 'criteria',
      nineveh: 'tier',
      'dhi-qar': 'tier',
      babil: 'tier',
      diyala: 'tier',
      basra: 'candidate',
      salahuddin: 'candidate',
      karbala: 'appointed',
      anbar: 'appointed',
      wasit: 'appointed',
      najaf: 'appointed',
      qadisiyah: 'appointed',
      maysan: 'appointed',
      kirkuk: 'criteria',
    });
  });

  test('stage filter', async () => {
    for (const stage of STAGES) {
      const items: Item[] = (await list(`?stage=${stage}`)).body.items;
      expect({ stage, slugs: slugs(items) }).toEqual({ stage, slugs: slugs(all.filter((i) => i.stage === stage)) });
    }
    expect(slugs((await list('?stage=appointed')).body.items)).toEqual(['anbar', 'karbala', 'maysan', 'najaf', 'qadisiyah', 'wasit']);
  });

  test('tier filter', async () => {
    for (const tier of ['A', 'B', 'C']) {
      const items: Item[] = (await list(`?tier=${tier}`)).body.items;
      expect({ tier, slugs: slugs(items) }).toEqual({ tier, slugs: slugs(all.filter((i) => i.tier === tier)) });
    }
    expect(slugs((await list('?tier=A')).body.items)).toEqual(['babil', 'salahuddin']);
    expect(slugs((await list('?tier=C')).body.items)).toEqual(['dhi-qar', 'nineveh', 'wasit']);
  });

  test('status filter (judged now, long after the deadline)', async () => {
    for (const status of ['on_track', 'at_risk', 'breached', 'met', 'met_late']) {
      const items: Item[] = (await list(`?status=${status}`)).body.items;
      expect({ status, slugs: slugs(items) }).toEqual({ status, slugs: slugs(all.filter((i) => i.deadlineStatus === status)) });
    }
    expect(slugs((await list('?status=met')).body.items)).toEqual(['anbar', 'karbala', 'najaf', 'qadisiyah', 'wasit']);
    expect(slugs((await list('?status=met_late')).body.items)).toEqual(['maysan']);
    expect(slugs((await list('?status=breached')).body.items)).toEqual(slugs(all.filter((i) => i.stage !== 'appointed')));
  });

  test('filters combine, and an unknown filter value is refused with 400', async () => {
    expect(slugs((await list('?stage=appointed&tier=C')).body.items)).toEqual(['wasit']);
    expect(slugs((await list('?stage=tier&status=met')).body.items)).toEqual([]);
    expectProblem(await list('?stage=elected', 400), 400, 'validation');
    expectProblem(await list('?status=late', 400), 400, 'validation');
  });

  function expectCsv(res: Response) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const bytes: Buffer = res.body;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split(/\r?\n/).filter((l) => l.length > 0);
    expect(lines).toHaveLength(16);
    expect(lines[0]).toContain('slug');
    for (const p of all) {
      expect(text).toContain(p.nameAr);
      expect(lines.some((l) => l.startsWith(`${p.slug},`))).toBe(true);
    }
    expect(text).toContain('بغداد');
    expect(text).toContain('صلاح الدين');
  }

  const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void; on: Function }, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };

  test('?format=csv gives UTF-8 CSV with a BOM: a header and 15 rows with the Arabic names', async () => {
    const res = await s.app.http().get('/api/v1/provinces?format=csv').set(viewer()).buffer(true).parse(binary as never);
    expectCsv(res);
  });

  test('Accept: text/csv gives the same CSV', async () => {
    const res = await s.app.http().get('/api/v1/provinces').set(viewer()).set('accept', 'text/csv').buffer(true).parse(binary as never);
    expectCsv(res);
  });
});
