import { cycleFromHash, cycleLabel, scopedPath } from './public/cycle-picker.js';

/** The board's cycle picker, without a DOM: which reads it scopes to the chosen cycle, and how the URL names it. */
describe('scopedPath', () => {
  test('the default cycle (no choice) leaves every path as the routes of today', () => {
    for (const path of ['cycle', 'provinces', 'provinces/basra', 'alerts?status=open', 'charts/timeline.svg']) expect(scopedPath(path, null)).toBe(path);
  });

  test('a chosen cycle: its own routes, or ?cycle= on the lists and charts', () => {
    expect(
      ['cycle', 'provinces', 'provinces/dhi-qar', 'alerts?status=open', 'claims?status=open', 'charts/timeline.svg', 'charts/timeline.svg?province=basra'].map((p) =>
        scopedPath(p, 'iraq-2025'),
      ),
    ).toEqual([
      'cycles/iraq-2025',
      'cycles/iraq-2025/provinces',
      'cycles/iraq-2025/provinces/dhi-qar',
      'alerts?status=open&cycle=iraq-2025',
      'claims?status=open&cycle=iraq-2025',
      'charts/timeline.svg?cycle=iraq-2025',
      'charts/timeline.svg?province=basra&cycle=iraq-2025',
    ]);
  });

  test('what is the same for every cycle is left alone', () => {
    for (const path of ['cycles', 'alerts/7d1f0c1e-9a5b-4c1e-8f5e-2b1c3d4e5f60/ack', 'machine?format=svg', 'provincesx', 'stream']) {
      expect(scopedPath(path, 'iraq-2025')).toBe(path);
    }
  });
});

describe('the URL and the labels', () => {
  test('#cycle=<slug> names a cycle; anything else names none', () => {
    expect(['#cycle=iraq-2025', 'cycle=iraq-2025', '#other=1&cycle=x', '', '#', '#cycle=', null].map(cycleFromHash)).toEqual([
      'iraq-2025',
      'iraq-2025',
      'x',
      null,
      null,
      null,
      null,
    ]);
  });

  test("a desk route carries the cycle as a query part: #/provinces/basra?cycle=<slug>", () => {
    expect(['#/provinces/basra?asOf=2024-02-05T11%3A30%3A00%2B03%3A00&cycle=iraq-2025', '#/digest?cycle=x', '#/provinces/basra', '#/', '#/provinces/cycle=x'].map(cycleFromHash)).toEqual([
      'iraq-2025',
      'x',
      null,
      null,
      null,
    ]);
  });

  test('a cycle is offered by name, with default and archived marked', () => {
    expect(cycleLabel({ name: 'Iraq 2023', default: true, status: 'active' })).toBe('Iraq 2023 (default)');
    expect(cycleLabel({ name: 'Iraq 2019', default: false, status: 'archived' })).toBe('Iraq 2019 (archived, read-only)');
    expect(cycleLabel({ name: 'Iraq 2025', default: false, status: 'active' })).toBe('Iraq 2025');
  });
});
