// Where webhooks are sent from, decided once per process: main.ts asks for the API's handoff, worker.ts starts a
// scale-out worker. Retention is scheduled here too, once per process that sends.
import type pg from "pg";
import { type Config, redactUrl } from "../config";
import type { Logger } from "../logger";
import type { SecretBox } from "../secrets/secret-box";
import { AddressPolicy } from "./address-policy";
import { Claims } from "./claims";
import { startDeliveryWorker } from "./delivery-worker";
import { Dispatcher, type DispatcherOptions } from "./dispatcher";
import { type DeliveryHandoff, inThisThread } from "./handoff";
import { DeliveryQueue, queueHandoff, redisConnection } from "./queue";
import { scheduleRetention } from "./retention";
import { sendTimeSecrets } from "./send-time-secrets";
import { ThreadedDispatcher } from "./threaded-dispatcher";

export interface DispatchDeps {
  config: Pick<
    Config,
    "database" | "redisUrl" | "logLevel" | "webhookConcurrency" | "deliveryLeaseMs" | "webhookAllowedCidrs"
  > &
    Partial<Pick<Config, "reportEvents">>;
  pool: pg.Pool;
  secretBox: SecretBox;
  logger: Logger;
  /** Told of every attempt, for /metrics. */
  onAttempt?: DispatcherOptions["onAttempt"];
  /** Told of the delivery queue in scale-out mode, for its depth on /metrics. */
  onQueue?: (queue: DeliveryQueue) => void;
}

/** The caps and lease every sender of this installation uses. */
function caps(config: DispatchDeps["config"]) {
  const { total, perEndpoint, perHost } = config.webhookConcurrency;
  return {
    maxInFlight: total,
    perEndpoint,
    perHost,
    leaseMs: config.deliveryLeaseMs,
    reportEvents: config.reportEvents ?? true,
  };
}

/**
 * The API's handoff. With REDIS_URL (scale-out) committed deliveries go to the queue and `pnpm start:worker` sends
 * them. Otherwise this process sends them: on PostgreSQL from a thread of its own, so sending uses the second core
 * instead of competing with the API's requests (decision 0016); on the embedded database, which has one connection,
 * from this thread.
 */
export function startDispatch(deps: DispatchDeps): DeliveryHandoff {
  const { config, pool, secretBox, logger } = deps;
  if (config.redisUrl) {
    logger.info({ redis: redactUrl(config.redisUrl) }, "scale-out delivery: webhooks go to the queue for the workers");
    const queue = new DeliveryQueue(redisConnection(config.redisUrl), logger);
    deps.onQueue?.(queue);
    return queueHandoff(queue);
  }
  const stopRetention = scheduleRetention(pool, logger);
  const { leaseMs } = caps(config);
  const inThread = () => {
    const dispatcher = new Dispatcher({
      ...caps(config),
      pool,
      policy: new AddressPolicy(config.webhookAllowedCidrs),
      logger,
      secrets: sendTimeSecrets(pool, secretBox),
      ...(deps.onAttempt ? { onAttempt: deps.onAttempt } : {}),
    });
    dispatcher.start();
    return inThisThread(dispatcher, leaseMs);
  };
  const entry = ThreadedDispatcher.entry();
  const handoff =
    config.database.mode === "postgres" && entry
      ? new ThreadedDispatcher({
          entry,
          data: {
            ...caps(config),
            databaseUrl: config.database.url,
            poolSize: config.database.poolSize,
            allowedCidrs: config.webhookAllowedCidrs,
            logLevel: config.logLevel,
            secretKey: secretBox.keyForThread(),
          },
          logger,
          onAttempt: deps.onAttempt ?? (() => {}),
          inThread,
          release: (ids) => new Claims(pool, leaseMs).handBack(ids),
        })
      : inThread();
  return {
    leaseAtInsertMs: handoff.leaseAtInsertMs,
    committed: (deliveries) => handoff.committed(deliveries),
    due: (ids) => handoff.due(ids),
    async stop() {
      stopRetention();
      await handoff.stop();
    },
  };
}

/** A scale-out worker (`pnpm start:worker`): takes the queue's jobs and sends them; purges old deliveries. */
export async function startDispatchWorker(deps: DispatchDeps & { redisUrl: string }) {
  const { config, pool, secretBox, logger } = deps;
  const stopRetention = scheduleRetention(pool, logger);
  const { maxInFlight, reportEvents, ...rest } = caps(config);
  const worker = await startDeliveryWorker({
    ...rest,
    concurrency: maxInFlight,
    pool,
    secrets: sendTimeSecrets(pool, secretBox),
    redisUrl: deps.redisUrl,
    policy: new AddressPolicy(config.webhookAllowedCidrs),
    logger,
    dispatcher: { reportEvents, ...(deps.onAttempt ? { onAttempt: deps.onAttempt } : {}) },
  });
  deps.onQueue?.(worker.queue);
  return {
    async close() {
      stopRetention();
      await worker.close();
    },
  };
}
