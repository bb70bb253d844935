import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SERVICE_WINDOW_MS } from "@switchboard/domain/messaging/window";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { dispatcherFor } from "../delivery/fixtures";
import { describeEachDatabase, signedInAgent } from "../harness";
import { type FakeTwilio, startFakeTwilio } from "../support/fake-twilio";
import { type FakeWhatsapp, startFakeWhatsapp } from "../support/fake-whatsapp.mjs";

const HOUR = 60 * 60 * 1000;

// The app queues replies in the outbox only (no handoff): a dispatcher on a controlled clock sends them, as if they had
// waited there (a provider down, an earlier message ahead) for as long as the test says.
describeEachDatabase("channels: WhatsApp's 24-hour customer-service window at send time", (h) => {
  let wa: FakeWhatsapp;
  let tw: FakeTwilio;
  let server: Server;
  let base: string;
  let admin: Awaited<ReturnType<typeof signedInAgent>>;

  beforeAll(async () => {
    wa = await startFakeWhatsapp();
    tw = await startFakeTwilio();
    const app = createApp({
      config: {
        env: "test",
        webhookPolicy: { allowHttp: true },
        webhookAllowedCidrs: ["127.0.0.1/32"],
        webDist: null,
        authAttemptsPerMinute: 100_000,
        channels: {
          publicUrl: null,
          twilioApiBaseUrl: tw.url,
          whatsappApiBaseUrl: wa.url,
          whatsappApiVersion: "v23.0",
        },
      },
      db: h.db,
      logger: pino({ level: "silent" }),
      secretBox: h.secretBox,
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    admin = await signedInAgent(app, h.db, "admin", "window-admin@example.com");
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await wa?.close();
    await tw?.close();
  });

  /** A WhatsApp Cloud sender whose published chatbot answers GO with "Hello". */
  async function botOnWhatsapp() {
    const sender = await botOn({
      name: "WhatsApp line",
      channel: "whatsapp",
      address: "+15550783881",
      provider: "whatsapp_cloud",
      settings: { phoneNumberId: wa.phoneNumberId, businessAccountId: wa.businessAccountId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
    });
    return { sender, hook: `${base}/api/v1/providers/whatsapp/${sender.id}` };
  }

  /** A sender (`body`, as the senders API takes it) whose published chatbot answers GO with "Hello". */
  async function botOn(body: { name: string; channel: "sms" | "whatsapp"; [field: string]: unknown }) {
    const sender = (await admin.post("/api/v1/senders").send(body).expect(201)).body as { id: string; address: string };
    const campaign = (
      await admin
        .post("/api/v1/campaigns")
        .send({
          name: `Window bot ${body.name}`,
          type: "chatbot",
          channel: body.channel,
          senderId: sender.id,
          status: "active",
          triggerKeywords: ["GO"],
        })
        .expect(201)
    ).body as { id: number };
    const path = `/api/v1/campaigns/${campaign.id}`;
    const [welcome, ...rest] = (await admin.get(`${path}/flow`)).body.nodes;
    for (const n of rest) await admin.delete(`${path}/nodes/${n.id}`).expect(204);
    await admin.patch(`${path}/nodes/${welcome.id}`).send({ message: "Hello" }).expect(200);
    await admin.post(`${path}/publish`).expect(201);
    return sender;
  }

  /** The user writes GO; returns when that message was recorded and the reply's session. */
  async function userWrites(hook: string, user: string) {
    expect((await wa.text(hook, user, "GO")).status).toBe(200);
    const inbound = await h.db.prisma.conversationMessage.findFirstOrThrow({
      where: { phoneNumber: `+${user}`, direction: "inbound" },
    });
    const reply = await h.db.prisma.delivery.findFirstOrThrow({ where: { kind: "message", phoneNumber: `+${user}` } });
    expect(reply.status).toBe("pending");
    return { wroteAt: inbound.createdAt, sessionId: reply.sessionId as string, replyId: reply.id };
  }

  const outbound = async (sessionId: string) =>
    (await admin.get(`/api/v1/sessions/${sessionId}/outbound-messages`).expect(200)).body.items as {
      state: string;
      reason: string | null;
      text: string;
    }[];

  it("sends a message whose send time is inside the window", async () => {
    const { hook } = await botOnWhatsapp();
    const user = "5215500000001";
    const { wroteAt, sessionId } = await userWrites(hook, user);
    const clock = { now: new Date(wroteAt.getTime() + 23 * HOUR) };
    const d = dispatcherFor(h, clock);
    await d.tick();
    await d.idle();
    expect(wa.received.filter((m) => m.body.to === user).map((m) => m.body.text?.body)).toEqual(["Hello"]);
    expect((await outbound(sessionId)).map((m) => [m.state, m.reason])).toEqual([["sent", null]]);
  });

  it("refuses, never sends and never retries a message that waited past the window", async () => {
    const { hook } = await botOnWhatsapp();
    const user = "5215500000002";
    const { wroteAt, sessionId, replyId } = await userWrites(hook, user);
    const clock = { now: new Date(wroteAt.getTime() + HOUR) };
    const d = dispatcherFor(h, clock);
    // Inside the window the provider is down: the reply waits for its retry.
    let tried = 0;
    wa.behave(() => {
      tried += 1;
      return { status: 503 };
    });
    await d.tick();
    await d.idle();
    wa.behave(null);
    expect(tried).toBe(1);
    const waiting = await h.db.prisma.delivery.findUniqueOrThrow({ where: { id: replyId } });
    expect(waiting.status).toBe("pending");

    // The retry falls due after the window closed: refused before anything is sent.
    clock.now = new Date(wroteAt.getTime() + SERVICE_WINDOW_MS + HOUR);
    await d.tick();
    await d.idle();
    expect(wa.received.filter((m) => m.body.to === user)).toEqual([]);
    const reason = `Outside WhatsApp's 24-hour window: the user last wrote at ${wroteAt.toISOString()}; templates are not supported yet.`;
    expect(await outbound(sessionId)).toMatchObject([{ state: "refused", reason, text: "Hello" }]);
    const refused = await h.db.prisma.delivery.findUniqueOrThrow({ where: { id: replyId } });
    expect(refused.status).toBe("failed");

    // Never retried: a later pass finds nothing to send.
    clock.now = new Date(clock.now.getTime() + 7 * 24 * HOUR);
    expect(await d.tick()).toBe(0);
    await d.idle();
    expect(wa.received.filter((m) => m.body.to === user)).toEqual([]);
    expect(tried).toBe(1);
  });

  it("sends again once the user writes again: the window is the last message's", async () => {
    const { hook } = await botOnWhatsapp();
    const user = "5215500000003";
    const { wroteAt, replyId } = await userWrites(hook, user);
    // The first reply was already answered; the user writes again a day and a half later.
    await h.db.prisma.delivery.update({ where: { id: replyId }, data: { status: "delivered" } });
    await h.db.prisma.conversationMessage.updateMany({
      where: { phoneNumber: `+${user}`, direction: "inbound" },
      data: { createdAt: new Date(wroteAt.getTime() - 36 * HOUR) },
    });
    expect((await wa.text(hook, user, "GO", "wamid.window-again")).status).toBe(200);
    const later = await h.db.prisma.delivery.findFirstOrThrow({
      where: { kind: "message", phoneNumber: `+${user}`, status: "pending" },
    });
    const d = dispatcherFor(h, { now: new Date(later.createdAt.getTime() + HOUR) });
    await d.tick();
    await d.idle();
    expect(wa.received.filter((m) => m.body.to === user)).toHaveLength(1);
  });

  it("applies the window to Twilio WhatsApp, and not to Twilio SMS", async () => {
    const lines = {
      whatsapp: await botOn({
        name: "Twilio WhatsApp line",
        channel: "whatsapp",
        address: "whatsapp:+14155238886",
        provider: "twilio_whatsapp",
        settings: { accountSid: tw.accountSid },
        credentials: { authToken: tw.authToken },
      }),
      sms: await botOn({
        name: "Twilio SMS line",
        channel: "sms",
        address: "+15005550006",
        provider: "twilio_sms",
        settings: { accountSid: tw.accountSid },
        credentials: { authToken: tw.authToken },
      }),
    };
    const user = "+5215500000004";
    for (const [kind, line] of Object.entries(lines)) {
      const url = `${base}/api/v1/providers/twilio/${line.id}/inbound`;
      const from = kind === "whatsapp" ? `whatsapp:${user}` : user;
      const res = await tw.inbound(url, { from, to: line.address, body: "GO", sid: `SM${kind}` });
      expect(res.status).toBe(200);
    }
    const replies = await h.db.prisma.delivery.findMany({ where: { kind: "message", phoneNumber: user } });
    expect(replies).toHaveLength(2);
    const latest = Math.max(...replies.map((r) => r.createdAt.getTime()));
    const d = dispatcherFor(h, { now: new Date(latest + SERVICE_WINDOW_MS + HOUR) });
    await d.tick();
    await d.idle();
    expect(tw.received.map((m) => [m.from, m.body])).toEqual([["+15005550006", "Hello"]]);
    const whatsappReply = await h.db.prisma.delivery.findFirstOrThrow({
      where: { kind: "message", senderId: lines.whatsapp.id },
    });
    expect(whatsappReply).toMatchObject({ status: "failed", providerStatus: "refused" });
    expect(whatsappReply.providerError).toMatch(/^Outside WhatsApp's 24-hour window: the user last wrote at /);
  });
});
