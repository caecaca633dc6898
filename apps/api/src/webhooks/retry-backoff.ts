/**
 * How long to wait after the `attempt`-th failed attempt (1-based): 1 s, 2 s, 4 s, … capped at
 * `maxSeconds`, then shortened by up to a quarter at random, so that the deliveries that failed
 * together (a receiver down for a while) do not all come back in the same instant. Never above the cap.
 */
export function backoffMs(attempt: number, maxSeconds: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const capped = Math.min(2 ** exponent, maxSeconds) * 1000;
  return Math.round(capped * (1 - 0.25 * random()));
}
