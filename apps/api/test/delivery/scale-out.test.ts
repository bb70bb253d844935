import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { AddressPolicy } from "../../src/dispatch/address-policy";
import { type DeliveryWorker, startDeliveryWorker } from "../../src/dispatch/delivery-worker";
import { DeliveryQueue, queueHandoff, redisConnection } from "../../src/dispatch/queue";
import { sendTimeSecrets } from "../../src/dispatch/send-time-secrets";
import { SecretBox } from "../../src/secrets/secret-box";
import { openThrowawayPostgres, testDatabases } from "../databases";
import { freePort } from "../free-port";
import { type Harness, signedInAgent } from "../harness";
import { chatbotPointingAt, until } from "./fixtures";
import { receiver } from "./receivers";

// Scale-out mode needs PostgreSQL and Redis: it runs wherever the PostgreSQL suites run (always in CI, where an
// unreachable Redis fails it like an unreachable PostgreSQL).
const postgres = testDatabases().find((t) => t.name === "postgres");
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const silent = pino({ level: "silent" });

/** A Redis of our own, so that a test can restart it (with its data gone, as a restart without persistence). */
async function ownRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const probe = new DeliveryQueue(redisConnection(`redis://127.0.0.1:${port}`), silent, "probe");
  await until(
    async () => {
      try {
        await probe.queue.getJobCounts();
        return true;
      } catch {
        return false;
      }
    },
    10_000,
    "redis-server to start",
  );
  await probe.close();
  return child;
}

if (postgres) {
  describe("scale-out delivery: BullMQ workers on Redis, the database row the truth [postgres]", () => {
    const h = {
      clock: { now: null },
      logs: () => "",
      secretBox: new SecretBox(randomBytes(32)),
    } as unknown as Harness;
    let close: () => Promise<void>;
    let prefix = "";
    let queue: DeliveryQueue;
    let enqueue: (ids: readonly string[]) => void = () => {};
    const cleanups: (() => Promise<unknown>)[] = [];

    beforeAll(async () => {
      const db = await openThrowawayPostgres(adminUrl);
      h.db = db;
      close = () => db.close();
      const app = createApp({
        config: {
          env: "test",
          webhookPolicy: { allowHttp: true },
          webhookAllowedCidrs: ["127.0.0.1/32"],
          webDist: null,
        },
        db,
        logger: silent,
        handoff: queueHandoff({ enqueueCommitted: (ids) => enqueue(ids), close: async () => {} }),
        secretBox: h.secretBox,
      });
      h.api = await signedInAgent(app, db, "admin");
    });
    beforeEach(async () => {
      prefix = `sbtest-${randomBytes(4).toString("hex")}`;
      queue = new DeliveryQueue(redisConnection(redisUrl), silent, prefix);
      enqueue = (ids) => queue.enqueueCommitted(ids);
      await h.db.prisma.$executeRawUnsafe(
        "TRUNCATE delivery_attempt, delivery, conversation_message, conversation_session, contact, flow_version, webhook_header, webhook, menu_entry, node, campaign, sender CASCADE",
      );
    });
    afterEach(async () => {
      // The queue goes first, while its Redis is still there (a test may have stopped its own Redis afterwards).
      const q = queue;
      await Promise.race([
        q.queue
          .obliterate({ force: true })
          .catch(() => {})
          .then(() => q.close()),
        new Promise((r) => setTimeout(r, 3_000)),
      ]);
      for (const c of cleanups.splice(0).reverse()) await c();
    });
    afterAll(async () => {
      await close?.();
    });

    const worker = async (
      url = redisUrl,
      extra: { sweepMs?: number; sweepGraceMs?: number; perEndpoint?: number } = {},
    ): Promise<DeliveryWorker> => {
      const w = await startDeliveryWorker({
        pool: h.db.pool,
        redisUrl: url,
        policy: new AddressPolicy(["127.0.0.1/32"]),
        logger: silent,
        concurrency: 32,
        perEndpoint: extra.perEndpoint ?? 16,
        leaseMs: 30_000,
        prefix,
        secrets: sendTimeSecrets(h.db.pool, h.secretBox),
        sweepMs: extra.sweepMs ?? 60_000,
        sweepGraceMs: extra.sweepGraceMs ?? 500,
        dispatcher: { limits: { connectTimeoutMs: 1_000, deadlineMs: 2_000, maxResponseBytes: 20 * 1024 } },
      });
      cleanups.push(() => w.close());
      return w;
    };
    const deliveries = () => h.db.prisma.delivery.findMany({ orderBy: { createdAt: "asc" } });

    it("the API enqueues after the commit and a worker delivers, signed", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end("ok"));
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await worker();
      await choose();
      await until(() => r.received.length === 1, 20_000, "the webhook");
      const [delivery] = await deliveries();
      const webhook = await h.db.prisma.webhook.findFirstOrThrow();
      const got = r.received[0];
      expect(
        new Webhook(h.secretBox.open(webhook.signingSecret as string)).verify(
          got?.body ?? "",
          got?.headers as Record<string, string>,
        ),
      ).toMatchObject({ option: "One month", keyword: 1 });
      expect(got?.headers["webhook-id"]).toBe(delivery?.id);
      await until(async () => (await deliveries())[0]?.status === "delivered", 5_000, "the recorded attempt");
    });

    it("carries what commits queue within a moment in one job, 64 deliveries at most", async () => {
      const ids = Array.from({ length: 70 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
      queue.enqueueCommitted(ids.slice(0, 30));
      queue.enqueueCommitted(ids.slice(30));
      await until(async () => ((await queue.queue.getJobCounts("waiting")).waiting ?? 0) > 0, 5_000, "the jobs");
      await new Promise((res) => setTimeout(res, 50));
      const jobs = await queue.queue.getJobs(["waiting"]);
      expect(jobs.map((j) => j.data.ids?.length).sort()).toEqual([6, 64]);
      expect(jobs.flatMap((j) => j.data.ids ?? []).sort()).toEqual(ids);
      await queue.queue.drain();
    });

    it("two workers share the queue and send every attempt once", async () => {
      const r = await receiver((_req, res) => res.writeHead(204).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await Promise.all([worker(), worker()]);
      await Promise.all(Array.from({ length: 60 }, () => choose()));
      await until(() => r.received.length >= 60, 30_000, "60 webhooks");
      await new Promise((res) => setTimeout(res, 300));
      const ids = r.received.map((x) => x.headers["webhook-id"]);
      expect(new Set(ids).size).toBe(60);
      expect(ids).toHaveLength(60);
      await until(async () => (await deliveries()).every((d) => d.status === "delivered"), 5_000, "all recorded");
      expect((await deliveries()).every((d) => d.attempts === 1)).toBe(true);
    });

    it("queues a failed attempt's retry as a delayed job: same webhook-id, delivered on the second attempt", async () => {
      let calls = 0;
      const r = await receiver((_req, res) => (calls++ === 0 ? res.writeHead(503).end() : res.writeHead(200).end()));
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await worker();
      await choose();
      await until(() => r.received.length === 2, 15_000, "the retry (about 5 s later)");
      expect(r.received[0]?.headers["webhook-id"]).toBe(r.received[1]?.headers["webhook-id"]);
      await until(async () => (await deliveries())[0]?.status === "delivered", 5_000, "the recorded retry");
      expect((await deliveries())[0]?.attempts).toBe(2);
    });

    it("a delivery left in 'sending' by a worker that died is swept back and delivered", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      enqueue = () => {}; // the crash: the job is gone with the worker
      await choose();
      await h.db.pool.query(
        "UPDATE delivery SET status = 'sending', attempts = 1, lease_until = now() - interval '1 second'",
      );
      await worker(redisUrl, { sweepMs: 200 });
      await until(() => r.received.length === 1, 15_000, "the swept delivery");
      await until(async () => (await deliveries())[0]?.status === "delivered", 5_000, "the recorded attempt");
      expect((await deliveries())[0]?.attempts).toBe(2);
    });

    it("keeps at most two jobs per delivery waiting for a slow endpoint at its cap, however often the sweeper runs", async () => {
      // One request at a time, 2.5 s each: ten deliveries wait up to 25 s, and the sweeper looks every 200 ms.
      const r = await receiver((_req, res) => setTimeout(() => res.writeHead(200).end(), 2_500));
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await worker(redisUrl, { sweepMs: 200, sweepGraceMs: 300, perEndpoint: 1 });
      await Promise.all(Array.from({ length: 10 }, () => choose()));
      let excess = Number.NEGATIVE_INFINITY;
      const started = Date.now();
      while (Date.now() - started < 20_000) {
        const counts = await queue.queue.getJobCounts("waiting", "delayed", "active", "prioritized");
        const jobs = Object.values(counts).reduce((a, b) => a + b, 0);
        const waiting = (await deliveries()).filter((d) => d.status !== "delivered").length;
        // Each waiting delivery may have its own waiting job and the sweeper's; plus the first shared job.
        excess = Math.max(excess, jobs - 2 * waiting - 1);
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(excess).toBeLessThanOrEqual(0);
      await until(() => r.received.length === 10, 20_000, "all ten");
      expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(10);
    });

    it("keeps delivering across a Redis restart that lost every job", async () => {
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}`;
      let redis = await ownRedis(port);
      cleanups.push(async () => redis.kill("SIGKILL"));
      await queue.close();
      queue = new DeliveryQueue(redisConnection(url), silent, prefix);
      enqueue = (ids) => queue.enqueueCommitted(ids);
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await worker(url, { sweepMs: 300 });
      await Promise.all(Array.from({ length: 5 }, () => choose()));
      await until(() => r.received.length === 5, 15_000, "the first five");

      // Redis goes down: messages keep coming (the API answers; the jobs cannot be queued).
      redis.kill("SIGKILL");
      await new Promise((res) => redis.once("exit", res));
      await Promise.all(Array.from({ length: 5 }, () => choose()));
      // …and comes back empty.
      redis = await ownRedis(port);
      await until(() => r.received.length === 10, 20_000, "the five sent while Redis was down");
      expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(10);
      await until(async () => (await deliveries()).every((d) => d.status === "delivered"), 5_000, "all recorded");
    });
  });
}
