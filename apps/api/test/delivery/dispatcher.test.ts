import { pino } from "pino";
import { Webhook } from "standardwebhooks";
import { afterEach, expect, it } from "vitest";
import { inThisThread } from "../../src/dispatch/handoff";
import { describeEachDatabase } from "../harness";
import { chatbotPointingAt, dispatcherFor, run, statementsDuring } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describeEachDatabase(
  "webhook delivery",
  (h) => {
    it("delivers the event with a signature the standardwebhooks library verifies, and logs the attempt masked", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end('{"ok":true}'));
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      await run(dispatcherFor(h, clock));
      expect(r.received).toHaveLength(1);
      const [got] = r.received;
      const webhook = await h.db.prisma.webhook.findFirstOrThrow();
      expect(
        new Webhook(h.secretBox.open(webhook.signingSecret as string)).verify(
          got?.body ?? "",
          got?.headers as Record<string, string>,
        ),
      ).toMatchObject({
        option: "One month",
        keyword: 1,
      });
      const delivery = await h.db.prisma.delivery.findFirstOrThrow({ include: { attemptLog: true } });
      expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
      expect(got?.headers["webhook-id"]).toBe(delivery.id);
      expect(delivery.attemptLog[0]?.requestHeaders).toMatchObject({
        Authorization: "••••6789",
        "webhook-id": delivery.id,
      });
      expect(delivery.attemptLog[0]?.responseExcerpt).toBe('{"ok":true}');
    });

    it("delivers just-committed deliveries by id, without searching the table for due rows", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      // No polling at all: only the ids it is told of can be sent.
      const d = dispatcherFor(h, clock, { polling: false });
      d.start();
      cleanups.push(() => d.stop());
      const [delivery] = await h.db.prisma.delivery.findMany();
      inThisThread(d, null).due([delivery?.id as string]);
      await d.deliver(delivery?.id as string);
      await d.idle();
      expect(r.received).toHaveLength(1);
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 1 });
    });

    it("retries a receiver that was down, with the same webhook-id and a fresh signature", async () => {
      let up = false;
      const r = await receiver((_req, res) => (up ? res.writeHead(204).end() : res.writeHead(503).end()));
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock);
      await run(d);
      let delivery = await h.db.prisma.delivery.findFirstOrThrow();
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503 });
      expect(delivery.nextAttemptAt.getTime() - clock.now.getTime()).toBe(5_000);
      await run(d);
      expect(r.received).toHaveLength(1);
      up = true;
      clock.now = new Date(clock.now.getTime() + 5_001);
      await run(d);
      delivery = await h.db.prisma.delivery.findFirstOrThrow();
      expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
      expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([delivery.id, delivery.id]);
      expect(r.received[0]?.headers["webhook-signature"]).not.toBe(r.received[1]?.headers["webhook-signature"]);
    });

    it("gives up on 410 Gone at once", async () => {
      const r = await receiver((_req, res) => res.writeHead(410).end());
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const warned: [Record<string, unknown>, string][] = [];
      const logger = pino({ level: "silent" });
      logger.warn = ((fields: Record<string, unknown>, msg: string) => void warned.push([fields, msg])) as never;
      await run(dispatcherFor(h, { now: new Date() }, { logger }));
      const delivery = await h.db.prisma.delivery.findFirstOrThrow();
      expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatus: 410 });
      // The final outcome reaches the operator at warn, with ids and the host (a URL's path may hold a token).
      expect(warned).toEqual([
        [
          expect.objectContaining({
            delivery: delivery.id,
            host: new URL(r.url).host,
            status: 410,
            endpointDisabled: true,
          }),
          expect.stringMatching(/failed for good.*410 Gone/),
        ],
      ]);
    });

    it("fails a delivery after its tenth attempt", async () => {
      const r = await receiver((_req, res) => res.writeHead(500).end());
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock);
      // Follow the schedule: each time, jump to the moment the next attempt is due.
      for (let i = 0; i < 12; i++) {
        await run(d);
        const { nextAttemptAt } = await h.db.prisma.delivery.findFirstOrThrow();
        clock.now = new Date(Math.max(clock.now.getTime(), nextAttemptAt.getTime()) + 1);
      }
      expect(r.received).toHaveLength(10);
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 10 });
    });

    it("takes back a delivery whose sender died mid-attempt once its lease runs out", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      // A sender claimed it and was killed: the row says "sending", leased for another minute.
      await h.db.pool.query(`UPDATE delivery SET status = 'sending', attempts = 1, lease_until = $1`, [
        new Date(clock.now.getTime() + 60_000),
      ]);
      const d = dispatcherFor(h, clock);
      await run(d);
      expect(r.received).toHaveLength(0);
      clock.now = new Date(clock.now.getTime() + 60_001);
      await run(d);
      expect(r.received).toHaveLength(1);
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 2 });
    });

    it("lets a job for an endpoint at its cap wait in the process for a slot, a bounded number of them", async () => {
      const held: { end(): void }[] = [];
      const r = await receiver((_req, res) => {
        held.push({ end: () => res.writeHead(200).end() });
      });
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      for (let i = 0; i < 3; i++) await choose();
      const ids = (await h.db.prisma.delivery.findMany({ orderBy: { createdAt: "asc" } })).map((d) => d.id);
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock, { polling: false, perEndpoint: 1, maxInFlight: 2 });
      d.start();
      cleanups.push(() => d.stop());
      const first = d.deliver(ids[0] as string);
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const busy = await d.deliver(ids[1] as string);
      expect(busy).toEqual({ kind: "busy", endpoint: r.url });
      const endpoint = (busy as { endpoint: string }).endpoint;
      const waiting = d.waitForSlot(endpoint, 10_000);
      // One may wait per free slot of the other endpoints (here 2 - 1): the next is told no at once.
      expect(await d.waitForSlot(endpoint, 10_000)).toBe(false);
      expect(await d.waitForSlot("http://127.0.0.1:9", 20)).toBe(false);
      held[0]?.end();
      expect(await first).toEqual({ kind: "sent" });
      expect(await waiting).toBe(true);
      const second = d.deliver(ids[1] as string);
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      held[1]?.end();
      expect(await second).toEqual({ kind: "sent" });
      expect(r.received).toHaveLength(2);
    });

    it("keeps a slow endpoint from delaying a healthy one", async () => {
      const slow = await receiver(() => {});
      const healthy = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(slow.close, healthy.close);
      const toSlow = await chatbotPointingAt(h, slow.url, "SLOW");
      const toHealthy = await chatbotPointingAt(h, healthy.url, "FAST");
      for (let i = 0; i < 6; i++) await toSlow();
      await toHealthy();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock, {
        perEndpoint: 2,
        maxInFlight: 4,
        limits: { connectTimeoutMs: 1_000, deadlineMs: 3_000, maxResponseBytes: 1024 },
      });
      const started = Date.now();
      await d.tick();
      await d.tick();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(healthy.received).toHaveLength(1);
      expect(slow.received.length).toBeLessThanOrEqual(2);
      expect(Date.now() - started).toBeLessThan(2_000);
      await d.idle();
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);

describeEachDatabase(
  "disabling an endpoint",
  (h) => {
    it("disables it on 410 Gone, cancels what waited for it, and re-enables on request", async () => {
      const r = await receiver((_req, res) => res.writeHead(410).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await choose();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock, { maxInFlight: 1, perEndpoint: 1 });
      await run(d);
      const webhook = await h.db.prisma.webhook.findFirstOrThrow({ include: { entry: { include: { node: true } } } });
      expect(webhook).toMatchObject({ disabledReason: "The receiver answered 410 Gone." });
      expect(webhook.disabledAt).not.toBeNull();
      // Events keep happening; their deliveries are cancelled, never sent.
      await choose();
      clock.now = new Date();
      await run(d);
      expect(r.received).toHaveLength(1);
      expect((await h.db.prisma.delivery.findMany({ orderBy: { createdAt: "asc" } })).map((x) => x.status)).toEqual([
        "failed",
        "cancelled",
      ]);
      const url = `/api/v1/campaigns/${webhook.entry.node.campaignId}/nodes/${webhook.entry.nodeId}/entries/${webhook.entryId}/webhook`;
      expect((await h.api.get(url)).body).toMatchObject({ disabledReason: "The receiver answered 410 Gone." });
      const enabled = await h.api.post(`${url}/enable`);
      expect(enabled.body).toMatchObject({ disabledAt: null, disabledReason: null });
    });

    it("sends no endpoint update for successes on an endpoint without a failing streak", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await choose();
      await choose();
      const d = dispatcherFor(h, { now: new Date() });
      const sql = await statementsDuring(h, () => run(d));
      expect(sql.filter((q) => q.includes("INSERT INTO delivery_attempt"))).not.toHaveLength(0);
      expect(sql.filter((q) => q.includes("UPDATE webhook"))).toHaveLength(0);
      expect(await h.db.prisma.delivery.count({ where: { status: "delivered" } })).toBe(2);
    });

    it("disables it after five days of nothing but failures, and a success clears the streak", async () => {
      let ok = false;
      const r = await receiver((_req, res) => res.writeHead(ok ? 200 : 500).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await choose();
      const clock = { now: new Date() };
      const warned: [Record<string, unknown>, string][] = [];
      const logger = pino({ level: "silent" });
      logger.warn = ((fields: Record<string, unknown>, msg: string) => void warned.push([fields, msg])) as never;
      const d = dispatcherFor(h, clock, { logger });
      await run(d);
      const started = (await h.db.prisma.webhook.findFirstOrThrow()).failingSince;
      expect(started).not.toBeNull();
      // A success in between clears the streak.
      ok = true;
      clock.now = new Date(clock.now.getTime() + 6_000);
      await run(d);
      expect((await h.db.prisma.webhook.findFirstOrThrow()).failingSince).toBeNull();
      // Then five days of failures.
      ok = false;
      await choose();
      clock.now = new Date(Date.now() + 1_000);
      await run(d);
      const failingSince = (await h.db.prisma.webhook.findFirstOrThrow()).failingSince as Date;
      clock.now = new Date(failingSince.getTime() + 5 * 24 * 3_600_000 + 1_000);
      await run(d);
      expect(await h.db.prisma.webhook.findFirstOrThrow()).toMatchObject({
        disabledReason: "Every attempt failed for five days.",
      });
      // Disabling is a final outcome: logged at warn once, with the delivery, the host and the reason, no secret.
      const last = await h.db.prisma.delivery.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
      const disabling = warned.filter(([, msg]) => /endpoint disabled/.test(msg));
      expect(disabling).toEqual([
        [
          expect.objectContaining({
            delivery: last.id,
            host: new URL(r.url).host,
            reason: "Every attempt failed for five days.",
            endpointDisabled: true,
          }),
          "webhook endpoint disabled: every attempt failed for five days",
        ],
      ]);
      expect(JSON.stringify(disabling)).not.toContain(r.url);
      // Disabling cancels the retry that was still waiting.
      expect((await h.db.prisma.delivery.findMany({ orderBy: { createdAt: "asc" } })).map((x) => x.status)).toEqual([
        "delivered",
        "cancelled",
      ]);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
