import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database";
import { DeliveryQueue, queueDepth, redisConnection } from "../../src/dispatch/queue";
import { createMetrics } from "../../src/metrics";
import { startWorkerServer } from "../../src/worker-server";
import { openThrowawayPostgres, testDatabases } from "../databases";

// The worker's port needs what the worker needs: PostgreSQL and Redis (a server suite, see server-suites.ts).
const postgres = testDatabases().find((t) => t.name === "postgres");
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const silent = pino({ level: "silent" });

if (postgres) {
  describe("the delivery worker's HTTP port: /metrics and /health [postgres]", () => {
    let db: Database;
    let queue: DeliveryQueue;
    let metrics: ReturnType<typeof createMetrics>;
    let server: Awaited<ReturnType<typeof startWorkerServer>>;
    let redisAnswers = true;

    beforeAll(async () => {
      db = await openThrowawayPostgres(adminUrl);
      queue = new DeliveryQueue(redisConnection(redisUrl), silent, `worker-port-${randomUUID()}`);
      metrics = createMetrics(db.pool);
      metrics.watchQueue(() => queueDepth(queue.queue));
      server = await startWorkerServer({
        host: "127.0.0.1",
        port: 0,
        registry: metrics.registry,
        checks: {
          database: () => db.ping(),
          redis: () => (redisAnswers ? queue.queue.getJobCounts("waiting") : Promise.reject(new Error("down"))),
        },
        logger: silent,
      });
    });

    afterAll(async () => {
      await server?.close();
      await queue?.queue.obliterate({ force: true });
      await queue?.close();
      await db?.close();
    });

    const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

    it("serves the attempts this worker made and the queue's depth, as Prometheus text", async () => {
      metrics.attempt("failed", "timeout", "hooks.example.com", 0.3);
      metrics.attempt("delivered", null, "hooks.example.com", 0.05);
      const later = new Date(Date.now() + 60_000);
      await queue.enqueue([
        { id: "a", attempts: 1 },
        { id: "b", attempts: 2, at: later },
        { id: "c", attempts: 3, at: later },
      ]);
      const res = await get("/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^switchboard_webhook_attempts_total\{outcome="failed",error_class="timeout"\} 1$/m);
      expect(text).toMatch(/^switchboard_webhook_attempts_total\{outcome="delivered",error_class="none"\} 1$/m);
      expect(text).toMatch(/^switchboard_queue_jobs\{state="waiting"\} 1$/m);
      expect(text).toMatch(/^switchboard_queue_jobs\{state="delayed"\} 2$/m);
      expect(text).toMatch(/^switchboard_queue_jobs\{state="active"\} 0$/m);
      expect(text).toMatch(/^switchboard_build_info\{/m);
    });

    it("is ready when PostgreSQL and Redis answer, and says which does not", async () => {
      const ready = await get("/health");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", database: true, redis: true });
      redisAnswers = false;
      try {
        const down = await get("/health");
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({ status: "unavailable", database: true, redis: false });
      } finally {
        redisAnswers = true;
      }
    });

    it("serves nothing else", async () => {
      expect((await get("/api/v1/campaigns")).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: "POST" })).status).toBe(405);
    });
  });
}
