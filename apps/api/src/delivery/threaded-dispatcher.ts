import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Logger } from "../logger";
import type { ClaimedAtInsert, Dispatcher } from "./dispatcher";
import type { DispatcherThreadData, FromThread, ToThread } from "./dispatcher-thread";

/** The main thread's handle on the dispatcher thread: the same three calls main.ts makes on a Dispatcher. */
export class ThreadedDispatcher {
  private worker: Worker | null = null;
  private stopped: Promise<void> | null = null;
  /** Threads that died before they were ready, in a row: three mean the thread cannot run here at all. */
  private failedStarts = 0;
  /** How many times a thread ended (for tests and logs). */
  exits = 0;
  /** The in-thread dispatcher used when no thread can run. */
  private fallback: Pick<Dispatcher, "deliverCommitted" | "deliverClaimed" | "stop"> | null = null;

  /** The built thread entry beside dist/main.js; run from sources (`pnpm dev`, tests) the dispatcher stays in-thread. */
  static entry(): URL | null {
    const built = new URL("./dispatcher-thread.js", import.meta.url);
    return built.protocol === "file:" && existsSync(built) ? built : null;
  }

  constructor(
    private readonly entryUrl: URL,
    private readonly data: DispatcherThreadData,
    private readonly logger: Logger,
    private readonly onAttempt: (
      outcome: "delivered" | "retrying" | "failed",
      errorClass: string | null,
      host: string,
      seconds: number,
    ) => void,
    private readonly inThread: () => Pick<Dispatcher, "deliverCommitted" | "deliverClaimed" | "stop">,
  ) {
    this.worker = this.spawn();
  }

  /** A thread that dies is started again: the database row is the truth, and its polling finds what was left. */
  private spawn(): Worker {
    // A small young generation: the thread allocates little that lives, and its peak memory stays low.
    const worker = new Worker(this.entryUrl, {
      workerData: this.data,
      resourceLimits: { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 128 },
    });
    let ready = false;
    worker.on("message", (m: FromThread) => {
      if (m.type === "attempt") this.onAttempt(m.outcome, m.errorClass, m.host, m.seconds);
      else if (m.type === "ready") {
        ready = true;
        this.failedStarts = 0;
      }
    });
    worker.on("error", (error) => this.logger.error({ error: error.message }, "the dispatcher thread failed"));
    worker.on("exit", (code) => {
      this.exits++;
      if (this.stopped) return;
      if (!ready && ++this.failedStarts >= 3) {
        this.logger.error("the dispatcher thread cannot start; delivering from the main thread instead");
        this.worker = null;
        this.fallback = this.inThread();
        return;
      }
      this.logger.error({ code }, "the dispatcher thread exited; starting it again");
      setTimeout(() => {
        if (!this.stopped) this.worker = this.spawn();
      }, 1_000).unref();
    });
    return worker;
  }

  start(): void {}

  deliverCommitted(ids: readonly string[]): void {
    if (this.fallback) this.fallback.deliverCommitted(ids);
    else this.worker?.postMessage({ type: "committed", ids } satisfies ToThread);
  }

  /** Between a thread's death and its restart, claimed rows wait for their lease to run out, then polling takes them. */
  deliverClaimed(rows: readonly ClaimedAtInsert[]): void {
    if (this.fallback) this.fallback.deliverClaimed(rows);
    else this.worker?.postMessage({ type: "claimed", rows } satisfies ToThread);
  }

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
