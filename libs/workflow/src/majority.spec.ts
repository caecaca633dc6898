import fc from 'fast-check';
import { absoluteMajority } from './majority.js';

describe('absolute majority: half of all members plus one, rounded up — ceil(seats / 2 + 1)', () => {
  it.each([
    [15, 9], // the State Council's ruling for Wasit
    [16, 9],
    [13, 8],
    [12, 7],
  ])('%i seats need %i votes', (seats, votes) => {
    expect(absoluteMajority(seats)).toBe(votes);
  });

  // A council of one seat has no absolute majority by this formula (it gives 2); Iraq's provincial
  // councils have at least 10 seats, so the property starts at two.
  it('is strictly more than half of the seats and at most all of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10_000 }), (seats) => {
        const majority = absoluteMajority(seats);
        expect(Number.isInteger(majority)).toBe(true);
        expect(2 * majority).toBeGreaterThan(seats);
        expect(majority).toBeLessThanOrEqual(seats);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the smallest whole number of votes that is at least half the seats plus one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seats) => {
        const majority = absoluteMajority(seats);
        expect(majority).toBeGreaterThanOrEqual(seats / 2 + 1);
        expect(majority - 1).toBeLessThan(seats / 2 + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
