// `pnpm start:worker`: a scale-out delivery worker. Any number of them, on any machine, against one PostgreSQL
// (DATABASE_URL) and one Redis (REDIS_URL); the API processes enqueue, these send.
import { loadConfigOrExit, redactUrl } from "./config";
import { openDatabase } from "./db/database";
import { queueDepth } from "./dispatch/queue";
import { startDispatchWorker } from "./dispatch/start-dispatch";
import { createLogger } from "./logger";
import { createMetrics } from "./metrics";
import { openSecretBox } from "./secrets/secret-key";
import { startWorkerServer } from "./worker-server";

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { pretty: config.env === "development" });
  if (!config.redisUrl || config.database.mode !== "postgres") {
    console.error(
      "A delivery worker needs REDIS_URL and DATABASE_URL (a PostgreSQL server shared with the API). Without them, the API delivers webhooks itself.",
    );
    process.exit(1);
  }
  const db = await openDatabase(config.database, {
    onIdleClientError: (error) => logger.warn({ error: error.message }, "an idle database connection was closed"),
  });
  // Workers on other machines need the API's SECRET_KEY (or its data folder's key file) to open secret headers.
  const secretBox = await openSecretBox(db.prisma, config.secretKey);
  const metrics = createMetrics(db.pool);
  let redis: (() => Promise<unknown>) | null = null;
  const worker = await startDispatchWorker({
    config,
    pool: db.pool,
    secretBox,
    logger,
    redisUrl: config.redisUrl,
    // Attempts sent here are counted here: in scale-out mode no other process sees them.
    onAttempt: (outcome, errorClass, host, seconds) => metrics.attempt(outcome, errorClass, host, seconds),
    onQueue: (queue) => {
      metrics.watchQueue(() => queueDepth(queue.queue));
      // Any command answers whether Redis does (ioredis queues it while Redis is away: the probe times it out).
      redis = () => queue.queue.getJobCounts("waiting");
    },
  });
  const server = await startWorkerServer({
    host: config.host,
    port: config.workerPort,
    registry: metrics.registry,
    checks: { database: () => db.ping(), redis: () => (redis ? redis() : Promise.reject(new Error("no queue"))) },
    logger,
  });
  logger.info(
    { database: redactUrl(config.database.url), redis: redactUrl(config.redisUrl), port: server.port },
    "delivery worker started",
  );
  // For people, on stderr: stdout stays a stream of JSON log lines.
  process.stderr.write("\nSwitchboard delivery worker is running.\n\n");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down: finishing the attempts under way");
    await server.close();
    await worker.close();
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error) => {
  console.error(`The delivery worker could not start: ${(error as Error).message}`);
  process.exit(1);
});
