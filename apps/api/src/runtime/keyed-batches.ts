/** Something to run in a batch; items with the same key never share a batch nor run at the same time. */
export interface Keyed {
  key: string;
}

export interface BatchLimits {
  /** Items in one batch at most. */
  maxBatch: number;
  /** Batches running at once at most. */
  maxConcurrent: number;
}

/**
 * Groups work that arrives together into batches (group commit): an item arriving while every batch slot is busy
 * waits and leaves with whatever else arrived meanwhile, so a quiet system runs each item alone, at once, and a busy
 * one shares each round trip among many. Items of one key leave in arrival order, one batch after the other.
 */
export class KeyedBatches<I extends Keyed> {
  private queue: I[] = [];
  private readonly busy = new Set<string>();
  private running = 0;

  constructor(
    private readonly run: (batch: I[]) => Promise<void>,
    private readonly limits: BatchLimits,
  ) {}

  add(item: I): void {
    this.queue.push(item);
    this.pump();
  }

  /** Items waiting for a batch. */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.running++;
      for (const item of batch) this.busy.add(item.key);
      this.run(batch)
        // run() answers its items itself; a throw here would only mean the batch's bookkeeping failed.
        .catch(() => {})
        .finally(() => {
          this.running--;
          for (const item of batch) this.busy.delete(item.key);
          this.pump();
        });
    }
  }

  /** The oldest waiting items whose keys are neither running nor behind an earlier item of theirs. */
  private take(): I[] {
    const batch: I[] = [];
    const rest: I[] = [];
    const seen = new Set<string>();
    for (const item of this.queue) {
      if (batch.length < this.limits.maxBatch && !this.busy.has(item.key) && !seen.has(item.key)) batch.push(item);
      else rest.push(item);
      seen.add(item.key);
    }
    this.queue = rest;
    return batch;
  }
}
