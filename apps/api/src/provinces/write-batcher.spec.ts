import fc from 'fast-check';
import { WriteBatcher, type Queued } from './write-batcher.js';

/** A batcher whose batches finish when the test says so: every batch started, in order. */
function harness(maxInFlight: number, maxBatch: number, maxPerKey = 1) {
  const started: { batch: Queued<number, string>[]; finish: () => void }[] = [];
  const batcher = new WriteBatcher<number, string>({ maxInFlight, maxBatch, maxPerKey, maxWaitMs: 60_000, timedOut }, (batch) => {
    return new Promise<void>((done) => {
      started.push({
        batch,
        finish: () => {
          batch.forEach((q) => q.resolve(`${q.key}#${q.input}`));
          done();
        },
      });
    });
  });
  return { batcher, started };
}

const tick = () => new Promise((r) => setImmediate(r));
const timedOut = () => new Error('waited too long');

describe('WriteBatcher (group commit of the event write path)', () => {
  test('a write that finds a free slot runs at once, alone', async () => {
    const { batcher, started } = harness(2, 10);
    const answer = batcher.submit('basra', 1);
    expect(started).toHaveLength(1);
    expect(started[0].batch.map((q) => q.input)).toEqual([1]);
    started[0].finish();
    await expect(answer).resolves.toBe('basra#1');
  });

  test.each([
    {
      rule: 'one per province (maxPerKey 1)',
      maxPerKey: 1,
      arrivals: [['basra', 1], ['kirkuk', 2], ['basra', 3], ['nineveh', 4], ['basra', 5]] as const,
      batches: [[1], [2, 3, 4], [5]],
    },
    {
      // Two of basra (2, 4) and both of kirkuk; basra#5 waits for the next batch.
      rule: 'up to two per province (maxPerKey 2)',
      maxPerKey: 2,
      arrivals: [['basra', 1], ['basra', 2], ['kirkuk', 3], ['basra', 4], ['basra', 5], ['kirkuk', 6]] as const,
      batches: [[1], [2, 3, 4, 6], [5]],
    },
  ])('writes arriving while every slot is busy go together into the next free slot, oldest first, $rule', async ({ maxPerKey, arrivals, batches }) => {
    const { batcher, started } = harness(1, 10, maxPerKey);
    const answers = arrivals.map(([key, n]) => batcher.submit(key, n));
    expect(batcher.waiting).toBe(arrivals.length - 1);
    for (let i = 0; i < batches.length; i++) {
      expect(started.map((s) => s.batch.map((q) => q.input))).toEqual(batches.slice(0, i + 1));
      started[i].finish();
      await tick();
    }
    await expect(Promise.all(answers)).resolves.toEqual(arrivals.map(([key, n]) => `${key}#${n}`));
  });

  test('a batch that throws answers each of its writes with the error, and the next batch still runs', async () => {
    let calls = 0;
    const batcher = new WriteBatcher<number, string>({ maxInFlight: 1, maxBatch: 10, maxPerKey: 1, maxWaitMs: 60_000, timedOut }, async (batch) => {
      calls++;
      if (calls === 1) throw new Error('lost connection');
      batch.forEach((q) => q.resolve('ok'));
    });
    const first = batcher.submit('basra', 1);
    const second = batcher.submit('kirkuk', 2);
    await expect(first).rejects.toThrow('lost connection');
    await expect(second).resolves.toBe('ok');
  });

  test('a write that waits longer than maxWaitMs is refused, and the others still run', async () => {
    const started: { finish: () => void }[] = [];
    const batcher = new WriteBatcher<number, string>({ maxInFlight: 1, maxBatch: 10, maxPerKey: 1, maxWaitMs: 20, timedOut }, (batch) => {
      return new Promise<void>((done) => {
        started.push({
          finish: () => {
            batch.forEach((q) => q.resolve(`ok ${q.input}`));
            done();
          },
        });
      });
    });
    const first = batcher.submit('basra', 1);
    const late = batcher.submit('kirkuk', 2);
    await expect(late).rejects.toThrow('waited too long');
    expect(batcher.waiting).toBe(0);
    started[0].finish();
    await expect(first).resolves.toBe('ok 1');
    const next = batcher.submit('kirkuk', 3);
    started[1].finish();
    await expect(next).resolves.toBe('ok 3');
  });

  test('a province held by a running batch is not taken by another slot: it waits for that batch', async () => {
    const { batcher, started } = harness(2, 10);
    const a = batcher.submit('basra', 1);
    const b = batcher.submit('basra', 2);
    const c = batcher.submit('kirkuk', 3);
    // basra#1 runs; the second slot takes kirkuk#3 but not basra#2, which waits for basra#1's batch.
    expect(started.map((s) => s.batch.map((q) => q.input))).toEqual([[1], [3]]);
    started[0].finish();
    await tick();
    expect(started.map((s) => s.batch.map((q) => q.input))).toEqual([[1], [3], [2]]);
    started[1].finish();
    started[2].finish();
    await expect(Promise.all([a, b, c])).resolves.toEqual(['basra#1', 'basra#2', 'kirkuk#3']);
  });

  test('a batch takes its slot’s share of the provinces in play, so that the slots take turns', async () => {
    const { batcher, started } = harness(2, 32);
    const provinces = Array.from({ length: 15 }, (_, i) => `p${i}`);
    const answers = provinces.map((key, i) => batcher.submit(key, i));
    // p0 and p1 found a free slot each; the other 13 wait.
    expect(started.map((s) => s.batch.map((q) => q.input))).toEqual([[0], [1]]);
    started[0].finish();
    await tick();
    // In play: p1 (running) and p2…p14 (waiting): 14 provinces over 2 slots, 7 for this one.
    expect(started[2].batch.map((q) => q.input)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    started[1].finish();
    await tick();
    // In play: p2…p8 (running) and p9…p14 (waiting): 13 over 2 slots, up to 7; the 6 left go together.
    expect(started[3].batch.map((q) => q.input)).toEqual([9, 10, 11, 12, 13, 14]);
    started[2].finish();
    started[3].finish();
    await expect(Promise.all(answers)).resolves.toEqual(provinces.map((key, i) => `${key}#${i}`));
  });

  test('property: every write runs exactly once; no batch is larger than maxBatch, holds more provinces than its share or more than maxPerKey writes of one; batches running at once share no province; a province keeps its arrival order; never more than maxInFlight at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('basra', 'kirkuk', 'nineveh', 'anbar', 'diyala'), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 20 }),
        async (keys, maxInFlight, maxBatch, maxPerKey, delays) => {
          const ran: { key: string; input: number }[][] = [];
          let running = 0;
          let most = 0;
          const runningKeys = new Set<string>();
          let sharedKey = false;
          const batcher = new WriteBatcher<number, number>({ maxInFlight, maxBatch, maxPerKey, maxWaitMs: 60_000, timedOut }, async (batch) => {
            running++;
            most = Math.max(most, running);
            for (const key of new Set(batch.map((q) => q.key))) {
              if (runningKeys.has(key)) sharedKey = true;
              runningKeys.add(key);
            }
            ran.push(batch.map(({ key, input }) => ({ key, input })));
            for (let i = 0; i < delays[ran.length % delays.length]; i++) await tick();
            running--;
            for (const q of batch) runningKeys.delete(q.key);
            batch.forEach((q) => q.resolve(q.input));
          });
          const answers = await Promise.all(keys.map((key, i) => batcher.submit(key, i)));
          expect(answers).toEqual(keys.map((_, i) => i));
          expect(ran.flat().map((q) => q.input).sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
          expect(most).toBeLessThanOrEqual(maxInFlight);
          // Batches running at once never hold the same province (they would wait on each other's row lock).
          expect(sharedKey).toBe(false);
          for (const batch of ran) {
            expect(batch.length).toBeLessThanOrEqual(maxBatch);
            // Never more than a slot's share of the provinces (at most all of them, over the slots).
            const provinces = new Set(batch.map((q) => q.key));
            expect(provinces.size).toBeLessThanOrEqual(Math.ceil(new Set(keys).size / maxInFlight));
            for (const key of provinces) expect(batch.filter((q) => q.key === key).length).toBeLessThanOrEqual(maxPerKey);
          }
          // A province's writes are taken in arrival order (each batch starts after the previous was taken).
          for (const key of new Set(keys)) {
            const order = ran.flat().filter((q) => q.key === key).map((q) => q.input);
            expect(order).toEqual([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
