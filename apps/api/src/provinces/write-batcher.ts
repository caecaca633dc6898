/** A write waiting for its batch: its key (the province), what to write, and how to answer it. */
export interface Queued<I, O> {
  key: string;
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** Batches running at once (each holds one database connection for its transaction). */
  maxInFlight: number;
  /** The most writes in one batch. */
  maxBatch: number;
  /** The most writes of one key in one batch (taken in arrival order). */
  maxPerKey: number;
  /** How long a write may wait for a batch before it is refused with `timedOut()` (as a pool checkout would be). */
  maxWaitMs: number;
  timedOut: () => unknown;
}

interface Waiting<I, O> extends Queued<I, O> {
  timer: NodeJS.Timeout;
}

/**
 * Group commit for the event write path. A write that finds a free slot runs at once, alone (no added
 * latency when the server is quiet); writes that arrive while every slot is busy wait, and the next
 * free slot takes them together — one transaction, one lock message, one append message and one
 * commit for all of them. A batch takes the oldest waiting writes, never a key that a running batch
 * holds (batches do not wait for each other's row locks), and up to `maxPerKey` writes of each key it
 * takes, in arrival order: one province's writes run strictly in arrival order, batch after batch and
 * within a batch. A write that waits longer than `maxWaitMs` is refused, as a request waiting for a
 * pool connection is.
 *
 * A batch takes at most its slot's share of the keys in play (those waiting and those a running batch
 * holds, divided by the slots, rounded up), so the slots take turns: while one batch is in the
 * database, the next is being decided (taking every free key left the other slot single writes). Several
 * writes of one key in a batch share its lock (see EventWriter). Figures: docs/performance.md.
 */
export class WriteBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private readonly busyKeys = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly options: BatcherOptions,
    private readonly run: (batch: Queued<I, O>[]) => Promise<void>,
  ) {}

  submit(key: string, input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const waiting: Waiting<I, O> = {
        key,
        input,
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.queue.indexOf(waiting);
          if (i < 0) return;
          this.queue.splice(i, 1);
          reject(this.options.timedOut());
        }, this.options.maxWaitMs),
      };
      waiting.timer.unref();
      this.queue.push(waiting);
      this.pump();
    });
  }

  /** Writes waiting for a slot (for metrics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      for (const q of batch) this.busyKeys.add(q.key);
      this.run(batch)
        // `run` answers every write itself; this only guards against a bug leaving one unanswered.
        .catch((err: unknown) => batch.forEach((q) => q.reject(err)))
        .finally(() => {
          this.inFlight--;
          for (const q of batch) this.busyKeys.delete(q.key);
          this.pump();
        });
    }
  }

  /**
   * The oldest waiting writes of at most a share of keys, none of a running batch's, up to maxPerKey of
   * each key and maxBatch in all; the rest keep their order. Once a key's write is left, so are its later
   * ones (the counts and the batch only grow), so each key's writes are taken in arrival order.
   */
  private take(): Queued<I, O>[] {
    const batch: Queued<I, O>[] = [];
    const perKey = new Map<string, number>();
    const rest: Waiting<I, O>[] = [];
    const keyLimit = this.share();
    for (const q of this.queue) {
      const taken = perKey.get(q.key);
      const fits =
        batch.length < this.options.maxBatch &&
        !this.busyKeys.has(q.key) &&
        (taken === undefined ? perKey.size < keyLimit : taken < this.options.maxPerKey);
      if (fits) {
        clearTimeout(q.timer);
        batch.push({ key: q.key, input: q.input, resolve: q.resolve, reject: q.reject });
        perKey.set(q.key, (taken ?? 0) + 1);
      } else {
        rest.push(q);
      }
    }
    this.queue = rest;
    return batch;
  }

  /** A slot's share of the keys in play (waiting or held by a running batch), rounded up. */
  private share(): number {
    const keys = new Set(this.busyKeys);
    for (const q of this.queue) keys.add(q.key);
    return Math.ceil(keys.size / this.options.maxInFlight);
  }
}
