import { type ConnectionOptions, Queue } from "bullmq";
import type pg from "pg";
import type { Logger } from "../logger";
import type { DeliveryHandoff } from "./handoff";

/** Scale-out mode: deliveries travel as BullMQ jobs; the delivery row stays the truth (decision 0013). */
export const QUEUE_NAME = "deliveries";

/**
 * What a job asks a worker to deliver: one delivery (a retry, a sweep), or every delivery that commits within a few
 * milliseconds queued in the API (`ids`: one job, one Redis round trip in the worker, for many webhooks).
 */
export interface DeliveryJob {
  id?: string;
  ids?: string[];
}

/** Deliveries in one job at most. */
const IDS_PER_JOB = 64;

/**
 * A single delivery's job: the id names the delivery and the attempts it has had, so enqueuing the same attempt twice
 * (a retry, every worker's sweeper) makes one job, and a new attempt makes a new one.
 */
export const jobIdOf = (deliveryId: string, attempts: number) => `${deliveryId}.${attempts}`;

/**
 * The job of a delivery that must wait a moment (its endpoint or its host at its cap, the database not answering): one
 * at most per delivery, however many jobs carried it, and that job waits again as itself.
 */
export const waitingJobIdOf = (deliveryId: string) => `${deliveryId}.wait`;

export function redisConnection(url: string): ConnectionOptions {
  // Workers block on Redis: ioredis must retry without limit rather than fail commands while Redis restarts.
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true } as ConnectionOptions;
}

/** The name of the job that carries this delivery. */
export const jobIdFor = (item: QueuedDelivery) =>
  item.attempts === undefined ? waitingJobIdOf(item.id) : jobIdOf(item.id, item.attempts);

export interface QueuedDelivery {
  id: string;
  /** Names the job (see jobIdOf); absent, it is the delivery's waiting job (see waitingJobIdOf). */
  attempts?: number;
  /** Not before this moment (a retry); now when absent. */
  at?: Date;
}

export class DeliveryQueue {
  readonly queue: Queue<DeliveryJob>;

  constructor(
    connection: ConnectionOptions,
    private readonly logger: Logger,
    prefix = "switchboard",
  ) {
    this.queue = new Queue<DeliveryJob>(QUEUE_NAME, { connection, prefix });
    // Redis going away is survivable (the sweeper re-enqueues from the database); say so once per error, no crash.
    this.queue.on("error", (error) => this.logger.warn({ error: error.message }, "the delivery queue lost Redis"));
  }

  async enqueue(items: readonly QueuedDelivery[], now = new Date()): Promise<void> {
    if (items.length === 0) return;
    await this.queue.addBulk(
      items.map((item) => ({
        name: "deliver",
        data: { id: item.id },
        opts: {
          jobId: jobIdFor(item),
          delay: item.at ? Math.max(0, item.at.getTime() - now.getTime()) : 0,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  private committed: string[] = [];
  private flushing: Promise<void> | null = null;

  /**
   * For the API: hand over what a commit queued. Commits within 2 ms share one job (up to 64 deliveries): one Redis
   * round trip here and one in a worker for many webhooks. If Redis is down the sweeper finds them, so this never
   * throws.
   */
  enqueueCommitted(ids: readonly string[]): void {
    this.committed.push(...ids);
    if (!this.flushing) this.flushing = new Promise((r) => setTimeout(r, 2)).then(() => this.flushCommitted());
  }

  private async flushCommitted(): Promise<void> {
    const ids = this.committed;
    this.committed = [];
    this.flushing = null;
    try {
      const jobs = [];
      for (let i = 0; i < ids.length; i += IDS_PER_JOB) {
        const group = ids.slice(i, i + IDS_PER_JOB);
        // Named by its first delivery: delivery ids are UUIDs, and the API queues each once.
        jobs.push({
          name: "deliver",
          data: { ids: group },
          opts: { jobId: `batch.${group[0]}`, removeOnComplete: true, removeOnFail: true },
        });
      }
      await this.queue.addBulk(jobs);
    } catch (error) {
      this.logger.warn(
        { error: (error as Error).message, deliveries: ids.length },
        "could not enqueue deliveries; the sweeper will",
      );
    }
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.queue.close();
  }
}

/**
 * Scale-out mode's handoff (the API's side): deliveries are inserted pending and enqueued once committed; the workers
 * claim and send them.
 */
export function queueHandoff(queue: Pick<DeliveryQueue, "enqueueCommitted" | "close">): DeliveryHandoff {
  return {
    leaseAtInsertMs: null,
    committed: (deliveries) => queue.enqueueCommitted(deliveries.map((d) => d.id)),
    due: (ids) => queue.enqueueCommitted(ids),
    stop: () => queue.close(),
  };
}

/**
 * Re-enqueues, from the database, every delivery due for more than `graceMs` or whose sender's lease ran out — what a
 * crash, a lost job or a Redis restart left behind. A single delivery's job that still exists is not duplicated (same
 * job id); the grace keeps rows a shared job is about to deliver out of it. Returns how many rows it handed over.
 */
export async function sweep(
  pool: pg.Pool,
  queue: DeliveryQueue,
  now: Date,
  graceMs: number,
  limit = 5_000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM delivery
        WHERE (status = 'pending' AND next_attempt_at <= $4) OR (status = 'sending' AND lease_until < $1)
        ORDER BY next_attempt_at LIMIT $2 OFFSET $3`,
      [now, limit, total, new Date(now.getTime() - graceMs)],
    );
    await queue.enqueue(rows, now);
    total += rows.length;
    if (rows.length < limit) return total;
  }
}

/** The queue's depth for /metrics: jobs waiting, delayed (retries, busy endpoints) and being worked on. */
export async function queueDepth(queue: Pick<Queue, "getJobCounts">): Promise<Record<string, number>> {
  const counts = await queue.getJobCounts("waiting", "delayed", "active");
  return { waiting: counts.waiting ?? 0, delayed: counts.delayed ?? 0, active: counts.active ?? 0 };
}
