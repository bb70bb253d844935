// The delivery worker's small HTTP port (WORKER_PORT): /metrics for Prometheus and /health for orchestrators. Not the
// API: no sessions, no tokens, no customer data; it says only how the worker sends (decision 0038).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./logger";
import { VERSION } from "./version";

export interface WorkerServerDeps {
  host: string;
  port: number;
  registry: Registry;
  /** Each resolves when its service answers, and rejects when it does not. */
  checks: { database: () => Promise<unknown>; redis: () => Promise<unknown> };
  logger: Logger;
}

/** Answers within this, or the check counts as failed: a probe must not hang on a dead connection. */
const CHECK_TIMEOUT_MS = 2_000;

function withinTimeout(check: () => Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
    check().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

export async function startWorkerServer(deps: WorkerServerDeps) {
  const { registry, checks, logger } = deps;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (error: Error) => {
          logger.warn({ error: error.message }, "worker metrics could not be collected");
          res.writeHead(503, { "content-type": "text/plain" }).end("metrics unavailable\n");
        },
      );
      return;
    }
    if (path === "/health") {
      void Promise.all([withinTimeout(checks.database), withinTimeout(checks.redis)]).then(([database, redis]) => {
        const ready = database && redis;
        if (!ready) logger.warn({ database, redis }, "worker health: a service did not answer");
        res
          .writeHead(ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" })
          .end(JSON.stringify({ status: ready ? "ready" : "unavailable", version: VERSION, database, redis }));
      });
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: this port serves /metrics and /health\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
