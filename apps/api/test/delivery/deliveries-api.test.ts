import { Webhook } from "standardwebhooks";
import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../harness";
import { chatbotPointingAt, dispatcherFor, run } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describeEachDatabase(
  "the Deliveries API",
  (h) => {
    it("records on each delivery the X-Request-Id of the inbound message that queued it", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await choose("inbound-trace.42");
      await choose();
      const list = await h.api.get("/api/v1/deliveries");
      expect(list.status).toBe(200);
      const [made, given] = list.body.items;
      expect(given.requestId).toBe("inbound-trace.42");
      // Without one, the id the API made for the request (a UUID) is recorded, not nothing.
      expect(made.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await h.api.get(`/api/v1/deliveries/${given.id}`)).body.requestId).toBe("inbound-trace.42");
      const stored = await h.db.prisma.delivery.findUniqueOrThrow({ where: { id: given.id } });
      expect(stored.requestId).toBe("inbound-trace.42");
    });

    it("lists deliveries with their progress and shows one with its attempts", async () => {
      const r = await receiver((_req, res) => res.writeHead(500).end("down for maintenance"));
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      await run(dispatcherFor(h, clock));
      const next = new Date(clock.now.getTime() + 5_000).toISOString().slice(11, 16);

      const list = await h.api.get("/api/v1/deliveries?status=pending");
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        status: "pending",
        attempts: 1,
        maxAttempts: 10,
        lastStatus: 500,
        progress: `pending: attempt 1 of 10, next at ${next}`,
      });
      const detail = await h.api.get(`/api/v1/deliveries/${list.body.items[0].id}`);
      expect(detail.body.attemptLog).toEqual([
        expect.objectContaining({
          number: 1,
          status: 500,
          responseExcerpt: "down for maintenance",
          errorClass: "http_status",
        }),
      ]);
      expect(detail.body.attemptLog[0].requestHeaders.Authorization).toBe("••••6789");
      expect(JSON.stringify(detail.body)).not.toContain("sk_live_0123456789");
      expect((await h.api.get("/api/v1/deliveries?status=bogus")).status).toBe(400);
    });

    it("resends a failed delivery with the same webhook-id", async () => {
      let answer = 410;
      const r = await receiver((_req, res) => res.writeHead(answer).end());
      cleanups.push(r.close);
      await (await chatbotPointingAt(h, r.url))();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock);
      await run(d);
      const [failed] = (await h.api.get("/api/v1/deliveries?status=failed")).body.items;
      answer = 200;
      // 410 disabled the endpoint as well: it must be re-enabled before anything reaches it again.
      const entry = await h.db.prisma.menuEntry.findFirstOrThrow({ include: { node: true } });
      await h.api
        .post(`/api/v1/campaigns/${entry.node.campaignId}/nodes/${entry.nodeId}/entries/${entry.id}/webhook/enable`)
        .expect(200);
      const resent = await h.api.post(`/api/v1/deliveries/${failed.id}/resend`);
      expect(resent.body).toMatchObject({ status: "pending", attempts: 0 });
      clock.now = new Date();
      await run(d);
      expect((await h.api.get(`/api/v1/deliveries/${failed.id}`)).body).toMatchObject({
        status: "delivered",
        attempts: 1,
      });
      expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([failed.id, failed.id]);
      expect((await h.api.post("/api/v1/deliveries/00000000-0000-4000-8000-000000000000/resend")).status).toBe(404);
    });

    it("shows the whole URL, the option and the phone number (last four digits unless admin), and a Resend's attempts apart", async () => {
      let answer = 500;
      const r = await receiver((_req, res) => res.writeHead(answer).end());
      cleanups.push(r.close);
      const url = new URL("/hooks/crm?source=switchboard", r.url).toString();
      await (await chatbotPointingAt(h, url))();
      const clock = { now: new Date() };
      const d = dispatcherFor(h, clock);
      await run(d);
      const row = await h.db.prisma.delivery.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
      const phone = JSON.parse(row.payload).phoneNumber as string;
      expect(phone).toMatch(/\d{4}$/);
      // First delivery: one failed attempt. Resend: a round of its own, numbered from 1 again.
      answer = 200;
      await h.api.post(`/api/v1/deliveries/${row.id}/resend`).expect(200);
      clock.now = new Date();
      await run(d);

      const admin = (await h.api.get(`/api/v1/deliveries/${row.id}`)).body;
      expect(admin).toMatchObject({ url, option: "One month", phoneNumber: phone, status: "delivered" });
      expect(
        admin.attemptLog.map((a: { round: number; number: number; status: number }) => [a.round, a.number, a.status]),
      ).toEqual([
        [1, 1, 500],
        [2, 1, 200],
      ]);
      expect(admin.payload).toContain(phone);

      const viewer = await h.as("viewer");
      const masked = `••••${phone.slice(-4)}`;
      const listed = (await viewer.get("/api/v1/deliveries")).body.items.find((x: { id: string }) => x.id === row.id);
      expect(listed).toMatchObject({ url, option: "One month", phoneNumber: masked });
      const detail = (await viewer.get(`/api/v1/deliveries/${row.id}`)).body;
      expect(detail.phoneNumber).toBe(masked);
      expect(JSON.parse(detail.payload).phoneNumber).toBe(masked);
      expect(JSON.stringify(detail)).not.toContain(phone);
      const marketer = await h.as("marketer");
      expect(JSON.stringify((await marketer.get("/api/v1/deliveries")).body)).not.toContain(phone);
    });

    it("recovers every failed delivery since a moment, within 30 days", async () => {
      const r = await receiver((_req, res) => res.writeHead(410).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      await choose();
      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      const recovered = await h.api
        .post("/api/v1/deliveries/recover")
        .send({ since: new Date(Date.now() - 3_600_000).toISOString() });
      expect(recovered.body).toEqual({ recovered: 2, remaining: 0 });
      expect((await h.api.get("/api/v1/deliveries?status=pending")).body.total).toBe(2);
      const tooOld = await h.api.post("/api/v1/deliveries/recover").send({ since: "2020-01-01T00:00:00Z" });
      expect(tooOld.status).toBe(400);
      expect(tooOld.body.errors[0]).toMatchObject({ path: "body.since", code: "too_old" });
    });

    it("reports per entry the success rate, latency and failing after the fourth consecutive failure", async () => {
      const r = await receiver((_req, res) => res.writeHead(503).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      for (let i = 0; i < 4; i++) await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      const campaignId = (await h.db.prisma.delivery.findFirstOrThrow()).campaignId;
      const stats = (await h.api.get(`/api/v1/campaigns/${campaignId}/webhook-stats`)).body.items;
      expect(stats).toHaveLength(1);
      expect(stats[0]).toMatchObject({ total: 4, pending: 4, delivered: 0, consecutiveFailures: 4, failing: true });
      expect(stats[0].latencyMs.p50).toEqual(expect.any(Number));
    });

    it("sends a test through the same sender, signed and labelled test, and shows the receiver's answer", async () => {
      const r = await receiver((_req, res) => res.writeHead(202).end("accepted"));
      cleanups.push(r.close);
      await chatbotPointingAt(h, r.url);
      const entry = await h.db.prisma.menuEntry.findFirstOrThrow({ include: { node: true } });
      const res = await h.api.post(
        `/api/v1/campaigns/${entry.node.campaignId}/nodes/${entry.nodeId}/entries/${entry.id}/webhook/test`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, status: 202, responseExcerpt: "accepted" });
      expect(JSON.parse(res.body.payload)).toMatchObject({
        label: "Welcome Message",
        option: "One month",
        keyword: 1,
        phoneNumber: "+525500000000",
      });
      const [got] = r.received;
      expect(got?.headers["webhook-test"]).toBe("true");
      expect(got?.headers.authorization).toBe("Bearer sk_live_0123456789");
      const secret = h.secretBox.open((await h.db.prisma.webhook.findFirstOrThrow()).signingSecret as string);
      expect(new Webhook(secret).verify(got?.body ?? "", got?.headers as Record<string, string>)).toBeTruthy();
      expect((await h.api.get("/api/v1/deliveries?test=true")).body.items[0]).toMatchObject({
        status: "delivered",
        test: true,
      });
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);

describeEachDatabase("retention", (h) => {
  it("clears payloads after 30 days, deletes deliveries with their attempts after 90 (never pending ones) and the inbox's non-system events after 7", async () => {
    const { purgeOld } = await import("../../src/dispatch/retention");
    const now = new Date("2026-06-01T00:00:00Z");
    const day = 24 * 3_600_000;
    const insert = async (ageDays: number, status: string) => {
      const { rows } = await h.db.pool.query(
        `INSERT INTO delivery (id, campaign_id, entry_id, node_id, mode, url, headers, payload, status, created_at)
         VALUES (gen_random_uuid(), 1, 'e', 'n', 'option', 'https://x.example', '[]', '{"a":1}', $1::"DeliveryStatus", $2) RETURNING id`,
        [status, new Date(now.getTime() - ageDays * day)],
      );
      await h.db.pool.query(
        `INSERT INTO delivery_attempt (id, delivery_id, number, started_at, duration_ms, request_headers) VALUES (gen_random_uuid(), $1, 1, $2, 5, '{}')`,
        [rows[0].id, now],
      );
      return rows[0].id as string;
    };
    const fresh = await insert(1, "delivered");
    const month = await insert(31, "failed");
    const old = await insert(91, "delivered");
    const oldPending = await insert(91, "pending");
    // The inbox's event log: a week-old message event goes, a fresh one and every system item (the transcript) stay.
    const event = async (ageDays: number, item: object | null) => {
      const { rows } = await h.db.pool.query(
        `INSERT INTO inbox_event (type, conversation_id, item, at) VALUES ('message.created', gen_random_uuid(), $1, $2)
         RETURNING id::text`,
        [item === null ? null : JSON.stringify(item), new Date(now.getTime() - ageDays * day)],
      );
      return rows[0].id as string;
    };
    const oldMessage = await event(8, { kind: "user", text: "hi" });
    const oldBare = await event(8, null);
    const oldSystem = await event(8, { kind: "system", text: "Taken by Ana" });
    const freshMessage = await event(6, { kind: "user", text: "hello" });
    expect(await purgeOld(h.db.pool, now)).toEqual({ payloadsCleared: 1, deliveriesDeleted: 1, inboxEventsDeleted: 2 });
    const kept = (await h.db.pool.query("SELECT id::text FROM inbox_event")).rows.map((r) => r.id);
    expect(kept).toEqual(expect.arrayContaining([oldSystem, freshMessage]));
    expect(kept).not.toContain(oldMessage);
    expect(kept).not.toContain(oldBare);
    const rows = await h.db.prisma.delivery.findMany({ select: { id: true, payload: true } });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.payload]));
    expect(byId[fresh]).toBe('{"a":1}');
    expect(byId[month]).toBe("");
    expect(byId[old]).toBeUndefined();
    expect(byId[oldPending]).toBe('{"a":1}');
    expect(await h.db.prisma.deliveryAttempt.count()).toBe(3);
  });
});
