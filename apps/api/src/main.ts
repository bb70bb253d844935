import { existsSync } from "node:fs";
import path from "node:path";
import { createApp } from "./app";
import { authService } from "./auth/auth-service";
import { prismaAuthStore } from "./auth/auth-store";
import { loadConfigOrExit, redactUrl } from "./config";
import { startAutovacuum } from "./db/autovacuum";
import { openDatabase } from "./db/database";
import { queueDepth } from "./dispatch/queue";
import { startDispatch } from "./dispatch/start-dispatch";
import { gracefulCloser } from "./http/graceful-close";
import type { InboxStream } from "./live-chat/inbox-stream";
import type { LiveChatService } from "./live-chat/live-chat-service";
import { createLogger } from "./logger";
import { createMetrics } from "./metrics";
import { ReportFold } from "./reports/report-fold-store";
import { openSecretBox, sealPlainSecrets } from "./secrets/secret-key";

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { pretty: config.env === "development" });
  const webDist = path.resolve(import.meta.dirname, "../../web/dist");
  config.webDist = existsSync(webDist) ? webDist : null;

  const where =
    config.database.mode === "postgres"
      ? redactUrl(config.database.url)
      : `embedded PGlite in ${config.database.dataDir}`;
  logger.info({ database: where }, "opening database");
  const db = await openDatabase(config.database, {
    onIdleClientError: (error) => logger.warn({ error: error.message }, "an idle database connection was closed"),
  });
  const { applied, alreadyApplied } = db.migrations;
  logger.info(
    { applied, alreadyApplied },
    applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date",
  );

  // A server vacuums itself; the embedded database has no autovacuum launcher, so this process does its work.
  const autovacuum = db.mode === "embedded" ? startAutovacuum(db.pool, { logger }) : null;

  const secretBox = await openSecretBox(db.prisma, config.secretKey);
  const sealed = await sealPlainSecrets(db.prisma, secretBox);
  if (sealed) logger.info({ sealed }, "sealed secret header values stored before encryption at rest");
  const firstAdmin = await authService({ store: prismaAuthStore(db.prisma), now: () => new Date() }).ensureFirstAdmin(
    config.firstAdmin,
  );
  if (firstAdmin.created) logger.info({ email: firstAdmin.created }, "created the first admin from ADMIN_EMAIL");

  const metrics = createMetrics(db.pool);
  // Embedded mode: this process delivers. Scale-out mode (REDIS_URL): it enqueues, and `pnpm start:worker` delivers.
  const handoff = startDispatch({
    config,
    pool: db.pool,
    secretBox,
    logger,
    onAttempt: (outcome, errorClass, host, seconds) => metrics.attempt(outcome, errorClass, host, seconds),
    onQueue: (queue) => metrics.watchQueue(() => queueDepth(queue.queue)),
  });
  const reportFold = new ReportFold(db.pool);
  const app = createApp({ config, db, logger, metrics, handoff, secretBox, reportFold });
  // Turns and attempts append report events; this process folds them into the rollups every second (decision 0040).
  const stopFolding = reportFold.schedule(logger);
  // Live Chat: waiting conversations past their entry's timeout (or outside its opening hours) get its message and go
  // back to the bot or end; several processes may sweep side by side (each one is settled by a conditional update).
  const liveChat = app.locals.liveChat as LiveChatService;
  const inboxStream = app.locals.inboxStream as InboxStream;
  const sweeping = setInterval(() => {
    liveChat
      .sweep(`http://127.0.0.1:${config.port}`)
      .catch((error) => logger.warn({ error: (error as Error).message }, "could not sweep Live Chat's timeouts"));
  }, 15_000);
  sweeping.unref();
  // What this process holds open, closed in order: nothing new is delivered once the database goes.
  const closeTheRest = async () => {
    clearInterval(sweeping);
    inboxStream.stop();
    await handoff.stop();
    stopFolding();
    await reportFold.run().catch(() => undefined);
    await autovacuum?.stop();
    await db.close();
  };
  // Not app.listen's callback: Express calls it on a listen error too, and the address would be printed for a port
  // this process never got.
  const server = app.listen(config.port, config.host);
  const closer = gracefulCloser(server);
  server.once("listening", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const url = `http://${host}:${port}`;
    logger.info({ url }, "Switchboard is listening");
    // The one line a person starting the product looks for: on stderr, so stdout stays a stream of JSON log lines.
    process.stderr.write(`\nSwitchboard is running at ${url}  (API reference: ${url}/api/docs)\n\n`);
    if (firstAdmin.setupPath) {
      // A new installation: the person starting it creates the first admin in the browser (valid 24 hours, once).
      process.stderr.write(`No admin yet. Create the first admin at:\n  ${url}${firstAdmin.setupPath}\n\n`);
    }
  });
  server.on("error", async (error: NodeJS.ErrnoException) => {
    logger.fatal(
      error.code === "EADDRINUSE" ? `Port ${config.port} is in use; set PORT to another port.` : error.message,
    );
    await closeTheRest().catch(() => {});
    process.exit(1);
  });

  // SIGTERM or SIGINT: stop accepting, let the requests under way finish (SHUTDOWN_GRACE_SECONDS at most), then let
  // the dispatcher record the attempts it has on the wire. A second signal stops at once.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "stopping at once: what was still under way is cut");
      process.exit(1);
    }
    stopping = true;
    const began = performance.now();
    logger.info(
      { signal, requestsInFlight: closer.inFlight, graceMs: config.shutdownGraceMs },
      "stopping: no new connections; finishing the requests under way",
    );
    // Live streams never finish on their own: end them so the requests under way can.
    inboxStream.stop();
    const { cut } = await closer.close(config.shutdownGraceMs);
    if (cut)
      logger.warn({ cut, graceMs: config.shutdownGraceMs }, "cut the requests still under way after the grace time");
    try {
      await closeTheRest();
    } catch (error) {
      logger.error({ error: (error as Error).message }, "stopping failed");
      process.exit(1);
    }
    logger.info({ ms: Math.round(performance.now() - began) }, "Switchboard stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`Switchboard could not start: ${(error as Error).message}`);
  process.exit(1);
});
