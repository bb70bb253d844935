import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger";
import type { AttemptLogOptions } from "./attempt-log";
import type { CommittedDelivery } from "./delivery-rows";
import type { DispatcherThreadData, FromThread, ToThread } from "./dispatcher-thread";
import type { DeliveryHandoff } from "./handoff";

export interface ThreadedDispatcherOptions {
  /** The built thread's entry (see ThreadedDispatcher.entry()). */
  entry: URL;
  data: DispatcherThreadData;
  logger: Logger;
  /** Told of every attempt the thread made, for /metrics. */
  onAttempt: AttemptLogOptions["onAttempt"];
  /** The handoff to a dispatcher on this thread (claiming at insert as the thread does), for when no thread can run. */
  inThread: () => DeliveryHandoff;
  /** Hands claimed deliveries back to the outbox (the thread that held them died): polling sends them at once. */
  release: (ids: readonly string[]) => Promise<void>;
}

/**
 * The handoff to a dispatcher in a thread of its own (PostgreSQL mode, decision 0016): deliveries are inserted claimed
 * for it and travel to it by message.
 */
export class ThreadedDispatcher implements DeliveryHandoff {
  private worker: Worker | null = null;
  /** Whether the current thread is up: between a death and the restart, messages to it would be lost. */
  private alive = false;
  /**
   * Claimed deliveries handed to the thread and not yet settled there (attempt written, or handed back). If the thread
   * dies they go back to the outbox at once, rather than waiting for their lease to run out.
   */
  private readonly unsettled = new Set<string>();
  private stopped: Promise<void> | null = null;
  /** Threads that died before they were ready, in a row: three mean the thread cannot run here at all. */
  private failedStarts = 0;
  /** How many times a thread ended (for tests and logs). */
  exits = 0;
  /** The handoff to an in-thread dispatcher, used when no thread can run. */
  private fallback: DeliveryHandoff | null = null;

  /** The built thread entry beside dist/main.js; run from sources (`pnpm dev`, tests) the dispatcher stays in-thread. */
  static entry(): URL | null {
    const built = new URL("./dispatcher-thread.js", import.meta.url);
    return built.protocol === "file:" && existsSync(built) ? built : null;
  }

  constructor(private readonly o: ThreadedDispatcherOptions) {
    this.worker = this.spawn();
  }

  /** A thread that dies is started again: the database row is the truth, and its polling finds what was left. */
  private spawn(): Worker {
    // A small young generation: the thread allocates little that lives, and its peak memory stays low.
    const worker = new Worker(this.o.entry, {
      workerData: this.o.data,
      resourceLimits: { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 128 },
    });
    let ready = false;
    this.alive = true;
    worker.on("message", (m: FromThread) => {
      if (m.type === "attempts")
        for (const a of m.attempts) this.o.onAttempt(a.outcome, a.errorClass, a.host, a.seconds);
      else if (m.type === "settled") for (const id of m.ids) this.unsettled.delete(id);
      else if (m.type === "ready") {
        ready = true;
        this.failedStarts = 0;
      }
    });
    worker.on("error", (error) => this.o.logger.error({ error: error.message }, "the dispatcher thread failed"));
    worker.on("exit", (code) => {
      this.exits++;
      this.alive = false;
      if (this.stopped) return;
      void this.releaseUnsettled();
      if (!ready && ++this.failedStarts >= 3) {
        this.o.logger.error("the dispatcher thread cannot start; delivering from the main thread instead");
        this.worker = null;
        this.fallback = this.o.inThread();
        return;
      }
      this.o.logger.error({ code }, "the dispatcher thread exited; starting it again");
      setTimeout(() => {
        if (this.stopped) return;
        // What arrived while no thread ran goes back to the outbox too: the new thread's first poll takes it all.
        void this.releaseUnsettled().finally(() => {
          if (!this.stopped) this.worker = this.spawn();
        });
      }, 1_000).unref();
    });
    return worker;
  }

  private async releaseUnsettled(): Promise<void> {
    const ids = [...this.unsettled];
    this.unsettled.clear();
    if (ids.length === 0) return;
    try {
      await this.o.release(ids);
      this.o.logger.warn({ deliveries: ids.length }, "deliveries the dispatcher thread held went back to the outbox");
    } catch (error) {
      this.o.logger.warn(
        { deliveries: ids.length, error: (error as Error).message },
        "could not hand back the dead dispatcher thread's deliveries; they are sent when their lease runs out",
      );
    }
  }

  get leaseAtInsertMs(): number {
    return this.o.data.leaseMs;
  }

  due(ids: readonly string[]): void {
    if (this.fallback) this.fallback.due(ids);
    else this.worker?.postMessage({ type: "due", ids } satisfies ToThread);
  }

  /** Between a thread's death and its restart, claimed rows are kept aside and handed back to the outbox at the restart. */
  committed(rows: readonly CommittedDelivery[]): void {
    if (this.fallback) {
      this.fallback.committed(rows);
      return;
    }
    for (const row of rows) this.unsettled.add(row.id);
    if (!this.alive) return;
    // A batch of turns commits together and hands its rows over one by one: they travel as one message.
    if (this.outgoing.length === 0)
      queueMicrotask(() => {
        const claimed = this.outgoing;
        this.outgoing = [];
        if (this.alive) this.worker?.postMessage({ type: "claimed", rows: claimed } satisfies ToThread);
      });
    this.outgoing.push(...rows);
  }

  /** Claimed rows waiting for the end of this tick to travel to the thread together. */
  private outgoing: CommittedDelivery[] = [];

  /** Lets the attempts under way finish (as Dispatcher.stop does), then ends the thread. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker) {
        void (this.fallback?.stop() ?? Promise.resolve()).then(resolve);
        return;
      }
      worker.on("message", (m: FromThread) => {
        if (m.type === "stopped") void worker.terminate().finally(resolve);
      });
      worker.once("exit", () => resolve());
      worker.postMessage({ type: "stop" } satisfies ToThread);
    });
    return this.stopped;
  }
}

/** For tests: ends the running thread as a crash would. */
export function killThread(d: ThreadedDispatcher): Promise<number> {
  return (d as unknown as { worker: Worker | null }).worker?.terminate() ?? Promise.resolve(0);
}
