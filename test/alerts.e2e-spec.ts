import { addDays, localDate } from '@app/workflow';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite, startSecondInstance, type TestApp } from './support/test-app.js';
import { usingServer } from './support/test-database.js';

const DEADLINE_INSTANT = '2024-02-09T20:59:59.999Z';

interface Alert {
  id: string;
  province: string;
  kind: string;
  status: string;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

describe('deadline alerts', () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  beforeAll(async () => {
    s = await setupSuite('alerts');
  });
  afterAll(async () => s?.teardown());

  const alerts = async (query = '') => {
    const res = await s.app.http().get(`/api/v1/alerts${query}`).set(s.auth(s.keys.viewer));
    expect(res.status).toBe(200);
    return res.body.items as Alert[];
  };
  const reach = async (slug: string, occurredAt: string) => {
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'First Nominee' }, occurredAt: '2024-01-20T10:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, s.keys.editor, slug, body)).status).toBe(201);
    }
    return postEvent(s.app, s.keys.editor, slug, { type: 'APPOINT', governor: 'First Nominee', occurredAt });
  };

  test('a fresh start in the present: every province without a governor has one open breach, opened at the deadline instant', async () => {
    const open = await alerts();
    const breaches = open.filter((a) => a.kind === 'breach');
    expect(breaches).toHaveLength(15);
    expect(new Set(breaches.map((a) => a.province)).size).toBe(15);
    for (const a of breaches) expect(a).toMatchObject({ status: 'open', openedAt: DEADLINE_INSTANT, resolvedAt: null });
    // Past the deadline nothing is "at risk" any more: it is breached.
    expect(open.filter((a) => a.kind === 'at_risk')).toEqual([]);
  });

  test('an appointment recorded now but made on time resolves the breach as appointed', async () => {
    const res = await reach('karbala', '2024-02-08T18:00:00+03:00');
    expect(res.status).toBe(201);
    expect(res.body.province.deadlineStatus).toBe('met');
    const karbala = (await alerts('?status=all&kind=breach')).filter((a) => a.province === 'karbala');
    expect(karbala).toHaveLength(1);
    expect(karbala[0]).toMatchObject({ status: 'resolved', resolution: 'appointed', resolvedAt: DEADLINE_INSTANT });
  });

  test('a late appointment resolves the breach as appointed_late, at the appointment time', async () => {
    const res = await reach('muthanna', '2024-08-11T14:00:00+03:00');
    expect(res.status).toBe(201);
    expect(res.body.province.deadlineStatus).toBe('met_late');
    const [alert] = (await alerts('?status=resolved')).filter((a) => a.province === 'muthanna');
    expect(alert).toMatchObject({ kind: 'breach', resolution: 'appointed_late', resolvedAt: '2024-08-11T11:00:00.000Z' });
    expect((await alerts()).some((a) => a.province === 'muthanna')).toBe(false);
  });

  test('revoking the governor reopens a breach (one active alert per province and kind)', async () => {
    const res = await postEvent(s.app, s.keys.editor, 'muthanna', { type: 'REVOKE', reason: 'Decree refused', occurredAt: '2024-08-20T10:00:00+03:00' });
    expect(res.status).toBe(201);
    const open = (await alerts()).filter((a) => a.province === 'muthanna');
    expect(open).toEqual([expect.objectContaining({ kind: 'breach', status: 'open', openedAt: DEADLINE_INSTANT })]);
    expect((await alerts('?status=all')).filter((a) => a.province === 'muthanna')).toHaveLength(2);
  });

  test('acknowledging records who and when; the alert stays active until it clears', async () => {
    const [target] = (await alerts()).filter((a) => a.province === 'babil');
    const ack = await s.app.http().post(`/api/v1/alerts/${target.id}/ack`).set(s.auth(s.keys.viewer));
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: target.id, status: 'acknowledged', acknowledgedBy: 'viewer-desk' });
    expect(Date.parse(ack.body.acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await alerts()).some((a) => a.id === target.id)).toBe(false);
    expect((await alerts('?status=acknowledged')).map((a) => a.id)).toContain(target.id);
    const again = await s.app.http().post(`/api/v1/alerts/${target.id}/ack`).set(s.auth(s.keys.viewer));
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    const unknown = await s.app.http().post('/api/v1/alerts/00000000-0000-4000-8000-000000000000/ack').set(s.auth(s.keys.viewer));
    expect(unknown.status).toBe(404);
    const bad = await s.app.http().get('/api/v1/alerts?status=closed').set(s.auth(s.keys.viewer));
    expect(bad.status).toBe(400);
  });

  test('moving the cycle deadline ten days ahead resolves breaches as deadline_changed and opens at-risk alerts for provinces still in criteria', async () => {
    const today = localDate(new Date(), 'Asia/Baghdad');
    const deadline = addDays(today, 10);
    const viewerTry = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.editor)).send({ deadline, deadlineBasis: 'test' });
    expect(viewerTry.status).toBe(403);
    const noBasis = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ deadline });
    expect(noBasis.status).toBe(400);
    const res = await s.app.http().patch('/api/v1/cycle').set(s.auth(s.keys.admin)).send({ deadline, deadlineBasis: 'Extended by ten days (test)' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deadline, daysToDeadline: 10 });

    const open = await alerts();
    expect(open.filter((a) => a.kind === 'breach')).toEqual([]);
    const resolved = (await alerts('?status=resolved&kind=breach')).filter((a) => a.resolution === 'deadline_changed');
    // 15 breaches at start, less karbala and muthanna (appointed); muthanna's reopened one clears too.
    expect(new Set(resolved.map((a) => a.province)).size).toBe(14);
    const atRisk = open.filter((a) => a.kind === 'at_risk').map((a) => a.province).sort();
    const inCriteria = (await s.app.http().get('/api/v1/provinces?stage=criteria').set(s.auth(s.keys.viewer))).body.items.map(
      (p: { slug: string }) => p.slug,
    );
    expect(inCriteria.length).toBeGreaterThan(5);
    expect(atRisk).toEqual([...inCriteria].sort());
    for (const a of open.filter((x) => x.kind === 'at_risk')) {
      // The tier milestone (21 days before the new deadline) passed already: the alert opened then.
      expect(Date.parse(a.openedAt)).toBeLessThan(Date.now());
    }
    const province = await s.app.http().get('/api/v1/provinces/anbar').set(s.auth(s.keys.viewer));
    expect(province.body).toMatchObject({ deadline, deadlineStatus: 'at_risk', daysToDeadline: 10 });
  });

  test('acknowledging a resolved alert is a 409 alert-resolved problem, acknowledged before or not; nothing changes', async () => {
    const resolved = await alerts('?status=resolved&kind=breach');
    const never = resolved.find((a) => a.acknowledgedAt === null)!;
    const before = resolved.find((a) => a.acknowledgedAt !== null)!;
    for (const target of [never, before]) {
      const res = await s.app.http().post(`/api/v1/alerts/${target.id}/ack`).set(s.auth(s.keys.viewer));
      expectProblem(res, 409, 'alert-resolved');
      expect(res.body).toMatchObject({ resolvedAt: target.resolvedAt, resolution: target.resolution });
    }
    const after = await alerts('?status=resolved&kind=breach');
    expect(after.find((a) => a.id === never.id)).toEqual(never);
    expect(after.find((a) => a.id === before.id)).toEqual(before);
  });
});

describe(`live stream (${usingServer ? 'an event posted to instance A is seen on a stream opened on instance B' : 'one instance on the embedded database'})`, () => {
  let s: Awaited<ReturnType<typeof setupSuite>>;
  let other: TestApp;
  let url: string;
  beforeAll(async () => {
    s = await setupSuite('stream');
    other = usingServer ? await startSecondInstance(s.app) : s.app;
    await other.running.app.listen({ port: 0, host: '127.0.0.1' });
    url = await other.running.app.getUrl();
  });
  afterAll(async () => {
    if (other !== s?.app) await other?.close();
    await s?.teardown();
  });

  test('province.changed and alert.resolved arrive as Server-Sent Events', async () => {
    const abort = new AbortController();
    const response = await fetch(`${url}/api/v1/stream`, { headers: s.auth(s.keys.viewer), signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const seen: { event: string; data: { type: string; data: Record<string, unknown> } }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) seen.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => undefined);

    await new Promise((r) => setTimeout(r, 300));
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Rakan Al-Jubouri' }, occurredAt: '2024-01-20T10:00:00+03:00' },
      { type: 'APPOINT', governor: 'Rakan Al-Jubouri', votes: 9, occurredAt: '2024-02-08T10:00:00+03:00' },
    ]) {
      expect((await postEvent(s.app, s.keys.editor, 'kirkuk', body)).status).toBe(201);
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !seen.some((e) => e.event === 'alert.resolved')) await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await reading;

    const changed = seen.filter((e) => e.event === 'province.changed').map((e) => e.data.data.province as { slug: string; version: number });
    expect(changed.map((p) => [p.slug, p.version])).toEqual([
      ['kirkuk', 1],
      ['kirkuk', 2],
      ['kirkuk', 3],
    ]);
    const resolved = seen.find((e) => e.event === 'alert.resolved')!;
    expect(resolved.data.data.alert).toMatchObject({ province: 'kirkuk', kind: 'breach', resolution: 'appointed' });
  });
});
