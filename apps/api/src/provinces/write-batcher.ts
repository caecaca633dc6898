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
}

/**
 * Group commit for the event write path. A write that finds a free slot runs at once, alone (no added
 * latency when the server is quiet); writes that arrive while every slot is busy wait, and the next
 * free slot takes them together — one transaction, one lock message, one append message and one
 * commit for all of them. A batch holds at most one write per key, the oldest first, so one
 * province's writes keep their arrival order, batch after batch.
 */
export class WriteBatcher<I, O> {
  private queue: Queued<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly options: BatcherOptions,
    private readonly run: (batch: Queued<I, O>[]) => Promise<void>,
  ) {}

  submit(key: string, input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ key, input, resolve, reject });
      this.pump();
    });
  }

  /** Writes waiting for a slot (for metrics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      this.run(batch)
        // `run` answers every write itself; this only guards against a bug leaving one unanswered.
        .catch((err: unknown) => batch.forEach((q) => q.reject(err)))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** The oldest waiting writes, one per key, up to maxBatch; the rest keep their order. */
  private take(): Queued<I, O>[] {
    const batch: Queued<I, O>[] = [];
    const keys = new Set<string>();
    const rest: Queued<I, O>[] = [];
    for (const q of this.queue) {
      if (batch.length < this.options.maxBatch && !keys.has(q.key)) {
        batch.push(q);
        keys.add(q.key);
      } else {
        rest.push(q);
      }
    }
    this.queue = rest;
    return batch;
  }
}
