/**
 * Absolute majority of a council: half of all members plus one, rounded up — ceil(seats / 2 + 1).
 * 9 of 15 (the State Council's ruling for Wasit), 9 of 16, 8 of 13, 7 of 12.
 */
export function absoluteMajority(seats: number): number {
  return Math.ceil(seats / 2 + 1);
}
