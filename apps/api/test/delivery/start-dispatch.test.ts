import { pino } from "pino";
import { afterEach, expect, it } from "vitest";
import type { Config } from "../../src/config";
import { type DispatchDeps, startDispatch } from "../../src/dispatch/start-dispatch";
import { runtimeService } from "../../src/runtime/runtime-service";
import { RuntimeStore } from "../../src/runtime/runtime-store";
import { testDatabases } from "../databases";
import { describeEachDatabase, type Harness } from "../harness";
import { chatbotPointingAt, telling, until } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const LEASE_MS = 45_000;

function depsFor(h: Harness, config: Partial<Config> = {}): DispatchDeps {
  return {
    config: {
      database: { mode: "embedded", dataDir: "unused" },
      redisUrl: null,
      logLevel: "silent",
      webhookConcurrency: { total: 8, perEndpoint: 4, perHost: 8 },
      deliveryLeaseMs: LEASE_MS,
      webhookAllowedCidrs: ["127.0.0.1/32"],
      ...config,
    },
    pool: h.db.pool,
    secretBox: h.secretBox,
    logger: pino({ level: "silent" }),
  };
}

describeEachDatabase(
  "where webhooks are sent from, chosen once",
  (h) => {
    it("sends from this process, the deliveries a turn commits claimed for it and handed over whole", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      await chatbotPointingAt(h, r.url);
      const sender = await h.db.prisma.sender.findFirstOrThrow();
      // From sources there is no built thread entry: PostgreSQL sends from this thread too, as the embedded mode does.
      const handoff = startDispatch(depsFor(h));
      cleanups.push(() => handoff.stop());
      expect(handoff.leaseAtInsertMs).toBe(LEASE_MS);
      const handed: number[] = [];
      const runtime = runtimeService({
        store: new RuntimeStore(h.db.pool),
        drafts: async () => null,
        now: () => new Date(),
        handoff: telling(handoff, (rows) => handed.push(...rows.map((row) => row.attempts))),
      });
      for (const text of ["GO", "1"])
        await runtime.receive({ channel: "sms", from: "+525510001000", to: sender.address, text });
      await until(async () => (await h.db.prisma.delivery.count({ where: { status: "delivered" } })) === 1);
      // Inserted claimed (attempt 1) and handed over whole: no claim counted a second attempt.
      expect(handed).toEqual([1]);
      const delivery = await h.db.prisma.delivery.findFirstOrThrow({ include: { attemptLog: true } });
      expect([delivery.status, delivery.attempts, delivery.attemptLog.length]).toEqual(["delivered", 1, 1]);
      expect(r.received[0]?.headers["webhook-id"]).toBe(delivery.id);
    });

    if (testDatabases().some((t) => t.name === "postgres"))
      it("hands deliveries to the queue with REDIS_URL: inserted pending, nothing sent from here", async () => {
        const handoff = startDispatch(
          depsFor(h, { redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/8" }),
        );
        expect(handoff.leaseAtInsertMs).toBeNull();
        await handoff.stop();
      });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
