import { postEvent, setupSuite } from './support/test-app.js';

let s: Awaited<ReturnType<typeof setupSuite>>;
beforeAll(async () => {
  s = await setupSuite('smoke');
});
afterAll(async () => s?.teardown());

test('lists 15 provinces', async () => {
  const res = await s.app.http().get('/api/v1/provinces').set(s.auth(s.keys.viewer));
  expect(res.status).toBe(200);
  expect(res.body.items).toHaveLength(15);
  const r2 = await postEvent(s.app, s.keys.editor, 'basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' });
  expect(r2.status).toBe(201);
});
