// The in-process dispatcher's own thread (PostgreSQL mode): it claims, sends and records deliveries on the second core
// while the main thread answers the API and runs the conversations. It talks to the main thread only by messages: the
// deliveries turns just committed in (claimed for it, whole), attempt outcomes (for /metrics) out.
import { parentPort, workerData } from "node:worker_threads";
import { openPool } from "../db/pool";
import { createLogger } from "../logger";
import { SecretBox } from "../secrets/secret-box";
import { AddressPolicy } from "./address-policy";
import type { CommittedDelivery } from "./delivery-rows";
import { Dispatcher } from "./dispatcher";
import { inThisThread } from "./handoff";
import { sendTimeSecrets } from "./send-time-secrets";

export interface DispatcherThreadData {
  databaseUrl: string;
  poolSize: number;
  allowedCidrs: string[];
  maxInFlight: number;
  perEndpoint: number;
  /** Twice perEndpoint when absent. */
  perHost?: number;
  leaseMs: number;
  logLevel: string;
  /** The secret key's bytes: the thread opens sealed values at send time, as the dispatcher always does. */
  secretKey: Uint8Array;
  reportEvents?: boolean;
}

export type ToThread =
  /** Deliveries due now, by id (DeliveryHandoff.due). */
  | { type: "due"; ids: readonly string[] }
  /** Deliveries turns committed, claimed for this thread (DeliveryHandoff.committed). */
  | { type: "claimed"; rows: readonly CommittedDelivery[] }
  | { type: "stop" };
export interface AttemptReport {
  outcome: "delivered" | "retrying" | "failed";
  errorClass: string | null;
  host: string;
  seconds: number;
}
export type FromThread =
  /** Attempts made since the last report (for /metrics): one message per turn of the thread's event loop. */
  | { type: "attempts"; attempts: AttemptReport[] }
  /** Claimed deliveries the thread is done with (see DispatcherOptions.onSettled). */
  | { type: "settled"; ids: readonly string[] }
  | { type: "ready" }
  | { type: "stopped" };

const port = parentPort;
if (port) {
  const data = workerData as DispatcherThreadData;
  const logger = createLogger(data.logLevel);
  const pool = openPool({ connectionString: data.databaseUrl, max: data.poolSize }, (error) =>
    logger.warn({ error: error.message }, "an idle database connection was closed"),
  );
  let attempts: AttemptReport[] = [];
  const dispatcher = new Dispatcher({
    pool,
    policy: new AddressPolicy(data.allowedCidrs),
    logger,
    maxInFlight: data.maxInFlight,
    perEndpoint: data.perEndpoint,
    perHost: data.perHost,
    leaseMs: data.leaseMs,
    reportEvents: data.reportEvents ?? true,
    secrets: sendTimeSecrets(pool, new SecretBox(Buffer.from(data.secretKey))),
    onAttempt: (outcome, errorClass, host, seconds) => {
      if (attempts.length === 0)
        setImmediate(() => {
          port.postMessage({ type: "attempts", attempts } satisfies FromThread);
          attempts = [];
        });
      attempts.push({ outcome, errorClass, host, seconds });
    },
    onSettled: (ids) => port.postMessage({ type: "settled", ids } satisfies FromThread),
  });
  dispatcher.start();
  const handoff = inThisThread(dispatcher, data.leaseMs);
  port.postMessage({ type: "ready" } satisfies FromThread);
  port.on("message", async (message: ToThread) => {
    if (message.type === "due") handoff.due(message.ids);
    else if (message.type === "claimed") handoff.committed(message.rows);
    else {
      await handoff.stop();
      await pool.end();
      port.postMessage({ type: "stopped" } satisfies FromThread);
    }
  });
}
