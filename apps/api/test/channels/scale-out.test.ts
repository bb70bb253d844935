import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { Database } from "../../src/db/database";
import { AddressPolicy } from "../../src/dispatch/address-policy";
import { type DeliveryWorker, startDeliveryWorker } from "../../src/dispatch/delivery-worker";
import { DeliveryQueue, queueHandoff, redisConnection } from "../../src/dispatch/queue";
import { sendTimeSecrets } from "../../src/dispatch/send-time-secrets";
import { SecretBox } from "../../src/secrets/secret-box";
import { openThrowawayPostgres, testDatabases } from "../databases";
import { until } from "../delivery/fixtures";
import { signedInAgent } from "../harness";
import { type FakeWhatsapp, startFakeWhatsapp } from "../support/fake-whatsapp.mjs";

// Scale-out mode (REDIS_URL) for outbound messages: the API only inserts them and enqueues their ids; BullMQ workers
// (here two, in this process, on the Redis of the PostgreSQL suites) claim and send them to a fake WhatsApp Cloud API.
// A server suite (server-suites.ts): it needs PostgreSQL and Redis.
const postgres = testDatabases().find((t) => t.name === "postgres");
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const silent = pino({ level: "silent" });

/** What each end user says, one after the other, and what the chatbot answers each time. */
const SCRIPT = ["GO", "1", "GO", "2"] as const;
const ANSWERS = ["Choose a plan", "Thanks", "Choose a plan", "Thanks"];

if (postgres) {
  describe("channels in scale-out mode: outbound messages sent by BullMQ workers, in conversation order [postgres]", () => {
    const box = new SecretBox(randomBytes(32));
    let db: Database;
    let wa: FakeWhatsapp;
    let server: Server;
    let base: string;
    let admin: Awaited<ReturnType<typeof signedInAgent>>;
    let prefix = "";
    let queue: DeliveryQueue;
    /** What the API does with the ids a commit queued (a test may lose them, as a Redis restart would). */
    let enqueue: (ids: readonly string[]) => void = () => {};
    const cleanups: (() => Promise<unknown>)[] = [];

    beforeAll(async () => {
      db = await openThrowawayPostgres(adminUrl);
      wa = await startFakeWhatsapp();
      const app = createApp({
        config: {
          env: "test",
          webhookPolicy: { allowHttp: true },
          webhookAllowedCidrs: ["127.0.0.1/32"],
          webDist: null,
          authAttemptsPerMinute: 100_000,
          channels: {
            publicUrl: null,
            twilioApiBaseUrl: "http://127.0.0.1:9",
            whatsappApiBaseUrl: wa.url,
            whatsappApiVersion: "v23.0",
          },
        },
        db,
        logger: silent,
        secretBox: box,
        handoff: queueHandoff({ enqueueCommitted: (ids) => enqueue(ids), close: async () => {} }),
      });
      server = app.listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      admin = await signedInAgent(app, db, "admin", "scale-out-admin@example.com");
    });
    beforeEach(async () => {
      prefix = `sbtest-${randomBytes(4).toString("hex")}`;
      queue = new DeliveryQueue(redisConnection(redisUrl), silent, prefix);
      enqueue = (ids) => queue.enqueueCommitted(ids);
      await db.prisma.$executeRawUnsafe(
        "TRUNCATE delivery_attempt, delivery, conversation_message, conversation_session, contact, flow_version, menu_entry, node, campaign, sender CASCADE",
      );
    });
    afterEach(async () => {
      wa.behave(null);
      wa.received.length = 0;
      wa.requests.length = 0;
      for (const c of cleanups.splice(0).reverse()) await c();
      await queue.queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    });
    afterAll(async () => {
      await new Promise((r) => server?.close(r));
      await wa?.close();
      await db?.close();
    });

    const worker = async (extra: { sweepMs?: number } = {}): Promise<DeliveryWorker> => {
      const w = await startDeliveryWorker({
        pool: db.pool,
        redisUrl,
        policy: new AddressPolicy(["127.0.0.1/32"]),
        logger: silent,
        concurrency: 8,
        perEndpoint: 8,
        leaseMs: 30_000,
        prefix,
        secrets: sendTimeSecrets(db.pool, box),
        sweepMs: extra.sweepMs ?? 60_000,
        sweepGraceMs: 200,
        dispatcher: { limits: { connectTimeoutMs: 1_000, deadlineMs: 2_000, maxResponseBytes: 20 * 1024 } },
      });
      cleanups.push(() => w.close());
      return w;
    };

    /** A WhatsApp Cloud sender whose chatbot (GO) offers two buttons, each leading to Thanks; its webhook URL. */
    async function whatsappBot(): Promise<string> {
      const sender = await admin.post("/api/v1/senders").send({
        name: "WhatsApp line",
        channel: "whatsapp",
        address: "+15550783881",
        provider: "whatsapp_cloud",
        settings: { phoneNumberId: wa.phoneNumberId, businessAccountId: wa.businessAccountId, verifyToken: "tok" },
        credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      });
      expect(sender.status, JSON.stringify(sender.body)).toBe(201);
      const campaign = await admin.post("/api/v1/campaigns").send({
        name: "Plans",
        type: "chatbot",
        channel: "whatsapp",
        senderId: sender.body.id,
        status: "active",
        triggerKeywords: ["GO"],
      });
      expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
      const path = `/api/v1/campaigns/${campaign.body.id}`;
      const [welcome, next, ...rest] = (await admin.get(`${path}/flow`)).body.nodes;
      for (const n of rest) await admin.delete(`${path}/nodes/${n.id}`).expect(204);
      await admin.patch(`${path}/nodes/${welcome.id}`).send({ message: "Choose a plan" }).expect(200);
      await admin.patch(`${path}/nodes/${next.id}`).send({ message: "Thanks" }).expect(200);
      for (const [i, title] of ["Gold", "Silver"].entries())
        await admin
          .post(`${path}/nodes/${welcome.id}/entries`)
          .send({ keyword: String(i + 1), menuText: title, redirectType: "interaction", redirectTo: next.id })
          .expect(201);
      await admin.post(`${path}/publish`).expect(201);
      return `${base}/api/v1/providers/whatsapp/${sender.body.id}`;
    }

    /** Every user says the script, each without waiting for the answers; the users at once. */
    async function converse(hook: string, users: string[]) {
      await Promise.all(
        users.map(async (user, u) => {
          for (const [i, text] of SCRIPT.entries())
            expect((await wa.text(hook, user, text, `wamid.in-${u}-${i}`)).status).toBe(200);
        }),
      );
    }

    /**
     * Every message row was delivered once, and each user received theirs in the order the outbox holds them (its
     * `seq`, which is the order the turns wrote them), which is the order of the conversation.
     */
    async function expectDeliveredInOrder(users: string[]) {
      const rows = await db.prisma.delivery.findMany({ where: { kind: "message" }, orderBy: { seq: "asc" } });
      expect(rows).toHaveLength(users.length * SCRIPT.length);
      expect(rows.every((r) => r.status === "delivered")).toBe(true);
      const sentIds = wa.received.map((m) => m.body.biz_opaque_callback_data as string);
      // None lost, none doubled.
      expect(new Set(sentIds).size).toBe(sentIds.length);
      expect([...sentIds].sort()).toEqual(rows.map((r) => r.id).sort());
      for (const user of users) {
        const received = wa.received.filter((m) => m.body.to === user);
        expect(received.map((m) => m.body.biz_opaque_callback_data)).toEqual(
          rows.filter((r) => r.phoneNumber === `+${user}`).map((r) => r.id),
        );
        expect(received.map((m) => m.body.interactive?.body?.text ?? m.body.text?.body)).toEqual(ANSWERS);
      }
    }

    const users = (n: number) => Array.from({ length: n }, (_, i) => `52155${String(10_000_000 + i)}`);

    it("two workers send every user's replies once and in order, through a provider refusing some at first", async () => {
      const hook = await whatsappBot();
      await Promise.all([worker(), worker()]);
      // One message in four is refused once (503, retried about 5 s later): the later messages of its conversation
      // wait behind it, the other conversations go on.
      let n = 0;
      const refused = new Set<string>();
      wa.behave(({ body }) => {
        const id = String((body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data);
        if (refused.has(id) || ++n % 4 !== 0) return null;
        refused.add(id);
        return { status: 503 };
      });
      const everyone = users(10);
      await converse(hook, everyone);
      await until(
        async () =>
          (await db.prisma.delivery.count({ where: { kind: "message", status: { not: "delivered" } } })) === 0,
        60_000,
        "every message delivered",
      );
      expect(wa.requests.length).toBeGreaterThan(wa.received.length);
      await expectDeliveredInOrder(everyone);
      expect(
        (await db.prisma.delivery.findMany({ where: { kind: "message" }, select: { attempts: true } })).some(
          (r) => r.attempts > 1,
        ),
      ).toBe(true);
    }, 120_000);

    it("loses nothing when the jobs are lost: a worker started later sweeps the outbox and sends it in order", async () => {
      const hook = await whatsappBot();
      // As if Redis had lost every job: the rows alone say what is due.
      enqueue = () => {};
      const everyone = users(6);
      await converse(hook, everyone);
      expect(await db.prisma.delivery.count({ where: { kind: "message", status: "pending" } })).toBe(
        everyone.length * SCRIPT.length,
      );
      expect(wa.received).toHaveLength(0);
      await worker({ sweepMs: 200 });
      await until(
        async () =>
          (await db.prisma.delivery.count({ where: { kind: "message", status: { not: "delivered" } } })) === 0,
        60_000,
        "every message delivered",
      );
      await expectDeliveredInOrder(everyone);
    }, 120_000);
  });
}
