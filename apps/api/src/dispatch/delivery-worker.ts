import { DelayedError, Worker } from "bullmq";
import type pg from "pg";
import { DatabaseOutage } from "../db/outage";
import type { Logger } from "../logger";
import type { AddressPolicy } from "./address-policy";
import { Dispatcher, type DispatcherOptions } from "./dispatcher";
import {
  type DeliveryJob,
  DeliveryQueue,
  jobIdFor,
  QUEUE_NAME,
  type QueuedDelivery,
  redisConnection,
  sweep,
} from "./queue";
import type { SendTimeSecrets } from "./send-time-secrets";

export interface DeliveryWorkerOptions {
  pool: pg.Pool;
  redisUrl: string;
  policy: AddressPolicy;
  logger: Logger;
  /** Jobs (attempts) in flight at once in this worker. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint (a webhook URL), and to one host (its endpoints together). */
  perEndpoint: number;
  /** Twice perEndpoint when absent. */
  perHost?: number;
  leaseMs: number;
  /** Opens sealed secrets at send time. */
  secrets: SendTimeSecrets;
  /** How often to re-enqueue, from the database, what the queue lost. */
  sweepMs?: number;
  /** How long a due delivery is left to the job carrying it before the sweeper enqueues it again. */
  sweepGraceMs?: number;
  /** Keeps tests' queues apart on one Redis. */
  prefix?: string;
  dispatcher?: Partial<DispatcherOptions>;
}

/** How long a job may wait in the worker for a slot of its endpoint (and host) before it is delayed in Redis instead. */
const SLOT_WAIT_MS = 5_000;
/** How long a job is delayed when its endpoint or host stayed at its cap: short, so the cap never idles a free slot. */
const BUSY_RETRY_MS = 200;
/** How long a job is delayed when the database did not answer its claim. */
const ERROR_RETRY_MS = 1_000;
/** The sweeper leaves alone what became due this recently: a job on its way may hold it. */
const SWEEP_GRACE_MS = 10_000;

/**
 * A scale-out worker: takes delivery jobs from BullMQ and sends them through the same dispatcher as the embedded
 * mode (leased claims, so two workers never send one attempt), queues each retry as a delayed job, and sweeps the
 * database for anything the queue lost.
 */
export async function startDeliveryWorker(o: DeliveryWorkerOptions) {
  const connection = redisConnection(o.redisUrl);
  const queue = new DeliveryQueue(connection, o.logger, o.prefix);
  const dispatcher = new Dispatcher({
    pool: o.pool,
    policy: o.policy,
    logger: o.logger,
    maxInFlight: o.concurrency,
    perEndpoint: o.perEndpoint,
    perHost: o.perHost,
    leaseMs: o.leaseMs,
    secrets: o.secrets,
    polling: false,
    onRetry: (id, attempts, at) =>
      queue
        .enqueue([{ id, attempts, at }])
        .catch((error) =>
          o.logger.warn({ delivery: id, error: (error as Error).message }, "could not queue a retry; the sweeper will"),
        ),
    ...o.dispatcher,
  });
  dispatcher.start();
  const now = o.dispatcher?.now ?? (() => new Date());

  /** Delivers one delivery of a job; answers the job it needs later, if any. */
  const deliverOne = async (id: string): Promise<QueuedDelivery | null> => {
    let result = await dispatcher.deliver(id);
    // An endpoint at its cap here frees a slot within milliseconds when it is healthy: wait for it in this process
    // (bounded) rather than sending the job through Redis and back, which cost more than the attempts themselves. A
    // hanging endpoint's jobs wait for its own slots, never for its neighbours' on the same host.
    const until = Date.now() + SLOT_WAIT_MS;
    while (result.kind === "busy" && Date.now() < until) {
      if (!(await dispatcher.waitForSlot(result.endpoint, until - Date.now()))) break;
      result = await dispatcher.deliver(id);
    }
    switch (result.kind) {
      case "sent":
      case "finished":
        return null;
      case "later":
        // Make sure a job waits for that moment (usually the retry's own job already does: same id).
        return { id, attempts: result.attempts, at: result.at };
      case "busy":
        return { id, at: new Date(now().getTime() + BUSY_RETRY_MS) };
      case "error":
        // The database did not answer: try again in a moment; the sweeper is the backstop. (An outage is logged once,
        // by the dispatcher, not for every job.)
        if (!dispatcher.paused)
          o.logger.warn({ delivery: id, error: result.message }, "could not claim a delivery; trying again shortly");
        return { id, at: new Date(now().getTime() + ERROR_RETRY_MS) };
    }
  };

  const worker = new Worker<DeliveryJob>(
    QUEUE_NAME,
    async (job, token) => {
      const ids = job.data.ids ?? (job.data.id ? [job.data.id] : []);
      // Each delivery of the job on its own: what cannot go now gets a job for later.
      const later = (await Promise.all(ids.map((id) => deliverOne(id)))).filter((x) => x !== null);
      const [only] = later;
      if (job.data.id && only && token && job.id === jobIdFor(only)) {
        // Queued again under its own name, the job would be refused (it still exists) and the delivery left to the
        // sweeper: it waits as itself instead. (Unnamed, as they once were, such jobs multiplied behind a slow
        // endpoint: one more each time the sweeper also queued the delivery.)
        await job.moveToDelayed(Date.now() + Math.max(0, (only.at?.getTime() ?? 0) - now().getTime()), token);
        throw new DelayedError();
      }
      // If this fails (Redis just went away), the sweeper finds them in the database.
      await queue.enqueue(later, now());
    },
    // Twice the attempts it may send at once: the other half waits for endpoints at their cap (waitForSlot).
    { connection, prefix: o.prefix ?? "switchboard", concurrency: o.concurrency * 2, autorun: true },
  );
  worker.on("error", (error) => o.logger.warn({ error: error.message }, "the delivery worker lost Redis"));

  let sweeping = false;
  const sweepOutage = new DatabaseOutage(o.logger, "the sweeper");
  const runSweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const n = await sweep(o.pool, queue, now(), o.sweepGraceMs ?? SWEEP_GRACE_MS);
      sweepOutage.over();
      if (n) o.logger.debug({ deliveries: n }, "sweeper re-enqueued deliveries");
    } catch (error) {
      if (!sweepOutage.noticed(error))
        o.logger.warn({ error: (error as Error).message }, "the sweeper could not re-enqueue deliveries");
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(runSweep, o.sweepMs ?? 5_000);
  void runSweep();

  return {
    queue,
    worker,
    dispatcher,
    sweep: runSweep,
    async close() {
      clearInterval(timer);
      await worker.close();
      await dispatcher.stop();
      await queue.close();
    },
  };
}
export type DeliveryWorker = Awaited<ReturnType<typeof startDeliveryWorker>>;
