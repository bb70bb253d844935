import { afterEach, expect, it } from "vitest";
import type { CommittedDelivery } from "../../src/dispatch/delivery-rows";
import type { Dispatcher } from "../../src/dispatch/dispatcher";
import { inThisThread } from "../../src/dispatch/handoff";
import { runtimeService } from "../../src/runtime/runtime-service";
import { RuntimeStore } from "../../src/runtime/runtime-store";
import { describeEachDatabase, type Harness } from "../harness";
import { chatbotPointingAt, claims, dispatcherFor, statementsDuring, telling, until } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/**
 * The embedded mode's wiring (main.ts): turns insert their deliveries claimed for this process's dispatcher and hand
 * them over whole, with a real clock.
 */
async function wired(h: Harness, url: string, extra: Parameters<typeof dispatcherFor>[2] = {}) {
  await chatbotPointingAt(h, url);
  const sender = await h.db.prisma.sender.findFirstOrThrow();
  const d = dispatcherFor(h, { now: new Date() }, { now: () => new Date(), pollMs: 50, ...extra });
  d.start();
  cleanups.push(() => d.stop());
  const handed: CommittedDelivery[] = [];
  const handoff = inThisThread(d, 60_000);
  const runtime = runtimeService({
    store: new RuntimeStore(h.db.pool),
    drafts: async () => null,
    now: () => new Date(),
    handoff: telling(handoff, (rows) => handed.push(...rows)),
  });
  let n = 0;
  /** One end user choosing the toggled option: one webhook. */
  const choose = async () => {
    const from = `+52551000${String(1000 + n++)}`;
    for (const text of ["GO", "1"]) await runtime.receive({ channel: "sms", from, to: sender.address, text });
  };
  return { d: d as Dispatcher, handed, choose };
}

describeEachDatabase(
  "deliveries claimed when the turn inserts them",
  (h) => {
    it("are sent without a claim statement, once each, signed and logged as attempt 1", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      // No polling: a claim statement could only come from the hand-over.
      const { d, handed, choose } = await wired(h, r.url, { polling: false });
      const sql = await statementsDuring(h, async () => {
        await Promise.all([choose(), choose(), choose()]);
        await until(async () => (await h.db.prisma.delivery.count({ where: { status: "delivered" } })) === 3);
        await d.idle();
      });
      expect(claims(sql)).toHaveLength(0);
      expect(handed.map((row) => row.attempts)).toEqual([1, 1, 1]);
      const deliveries = await h.db.prisma.delivery.findMany({ include: { attemptLog: true } });
      expect(deliveries.map((x) => [x.status, x.attempts, x.attemptLog.length])).toEqual([
        ["delivered", 1, 1],
        ["delivered", 1, 1],
        ["delivered", 1, 1],
      ]);
      expect(r.received.map((x) => x.headers["webhook-id"]).sort()).toEqual(deliveries.map((x) => x.id).sort());
      expect(r.received.every((x) => String(x.headers["webhook-signature"]).startsWith("v1,"))).toBe(true);
      // Secrets are opened at send time: the receiver got the real value.
      expect(r.received[0]?.headers.authorization).toBe("Bearer sk_live_0123456789");
    });

    it("free their slots without searching the outbox when nothing waits there", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      // Polling is on, but its period is far away: a claim statement here could only come from a freed slot.
      const { d, choose } = await wired(h, r.url, { pollMs: 600_000 });
      await d.idle();
      const sql = await statementsDuring(h, async () => {
        for (let i = 0; i < 4; i++) {
          await choose();
          await until(async () => (await h.db.prisma.delivery.count({ where: { status: "delivered" } })) === i + 1);
          await d.idle();
        }
      });
      // At most the start's first look, if it had not run yet.
      expect(claims(sql).length).toBeLessThanOrEqual(1);
    });

    it("wait in memory, in order, for a slot of their endpoint", async () => {
      const held: (() => void)[] = [];
      const r = await receiver((_req, res) => held.push(() => res.writeHead(200).end()));
      cleanups.push(r.close);
      // No polling: the parked ones can only be started by a freed slot.
      const { choose } = await wired(h, r.url, { perEndpoint: 1, polling: false });
      await Promise.all([choose(), choose(), choose()]);
      await until(() => held.length === 1);
      expect(await h.db.prisma.delivery.count({ where: { status: "sending", attempts: 1 } })).toBe(3);
      while ((await h.db.prisma.delivery.count({ where: { status: "delivered" } })) < 3) {
        held.shift()?.();
        await new Promise((r) => setTimeout(r, 20));
      }
      const deliveries = await h.db.prisma.delivery.findMany({ orderBy: { createdAt: "asc" } });
      expect(deliveries.map((x) => x.attempts)).toEqual([1, 1, 1]);
      expect(r.received.map((x) => x.headers["webhook-id"])).toHaveLength(3);
      expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(3);
    });

    it("go back to the outbox when no slot frees within 2 s, and polling sends them later, once", async () => {
      const held: (() => void)[] = [];
      const r = await receiver((_req, res) => held.push(() => res.writeHead(200).end()));
      cleanups.push(r.close);
      // The held request stays in flight (deadline 10 s) while the other two wait past 2 s.
      const limits = { connectTimeoutMs: 1_000, deadlineMs: 10_000, maxResponseBytes: 20 * 1024 };
      const { choose } = await wired(h, r.url, { perEndpoint: 1, limits });
      await Promise.all([choose(), choose(), choose()]);
      await until(() => held.length === 1);
      // Two went back untried: pending, no attempt counted.
      await until(async () => (await h.db.prisma.delivery.count({ where: { status: "pending", attempts: 0 } })) === 2);
      while ((await h.db.prisma.delivery.count({ where: { status: "delivered" } })) < 3) {
        held.shift()?.();
        await new Promise((r) => setTimeout(r, 20));
      }
      const deliveries = await h.db.prisma.delivery.findMany();
      expect(deliveries.map((x) => x.attempts)).toEqual([1, 1, 1]);
      expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(3);
      expect(r.received).toHaveLength(3);
    });

    it("are not sent to a disabled endpoint: handed back, then cancelled", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { choose } = await wired(h, r.url);
      await h.db.prisma.webhook.updateMany({ data: { disabledAt: new Date(), disabledReason: "test" } });
      await choose();
      await until(async () => (await h.db.prisma.delivery.count({ where: { status: "cancelled" } })) === 1);
      expect(r.received).toHaveLength(0);
      expect(await h.db.prisma.deliveryAttempt.count()).toBe(0);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
