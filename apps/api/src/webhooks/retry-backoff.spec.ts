import fc from 'fast-check';
import { backoffMs } from './retry-backoff.js';

describe('webhook retry backoff', () => {
  it('doubles from 1 s without jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, 300, none))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('is capped by the configured maximum', () => {
    expect(backoffMs(9, 300, () => 0)).toBe(256_000);
    expect(backoffMs(10, 300, () => 0)).toBe(300_000);
    expect(backoffMs(50, 300, () => 0)).toBe(300_000);
    expect(backoffMs(1_000, 1, () => 0)).toBe(1000);
  });

  it('jitter shortens the wait by at most a quarter and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 86_400 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, max, r) => {
        const full = Math.min(2 ** Math.min(attempt - 1, 30), max) * 1000;
        const wait = backoffMs(attempt, max, () => r);
        return wait <= full && wait >= full * 0.75 - 1;
      }),
    );
  });
});
