import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import twilio from "twilio";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { twilioSignature } from "../../src/channels/provider-signatures";
import type { DeliveryHandoff } from "../../src/dispatch/handoff";
import { startDispatch } from "../../src/dispatch/start-dispatch";
import { receiver } from "../delivery/receivers";
import { describeEachDatabase, signedInAgent } from "../harness";
import { type FakeTwilio, startFakeTwilio } from "../support/fake-twilio";
import { type FakeWhatsapp, startFakeWhatsapp } from "../support/fake-whatsapp.mjs";

const USER = "5215512345678";
const USER_E164 = `+${USER}`;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("provider signatures", () => {
  it("computes X-Twilio-Signature as the official twilio package checks it", () => {
    const url = "https://example.com/api/v1/providers/twilio/abc/inbound?x=1";
    const params = { Body: "Hola ñ", From: "+5215512345678", To: "+15005550006", MessageSid: "SM1", NumMedia: "0" };
    const ours = twilioSignature("token123", url, params);
    expect(twilio.validateRequest("token123", ours, url, params)).toBe(true);
    expect(ours).toBe(twilio.getExpectedTwilioSignature("token123", url, params));
    expect(twilio.validateRequest("other-token", ours, url, params)).toBe(false);
  });
});

describeEachDatabase("channels: Twilio and the WhatsApp Cloud API, in and out", (h) => {
  let wa: FakeWhatsapp;
  let tw: FakeTwilio;
  let server: Server;
  let base: string;
  let handoff: DeliveryHandoff;
  let admin: Awaited<ReturnType<typeof signedInAgent>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    wa = await startFakeWhatsapp();
    tw = await startFakeTwilio();
    handoff = startDispatch({
      config: {
        database: { mode: "embedded", dataDir: "unused" },
        redisUrl: null,
        logLevel: "silent",
        webhookConcurrency: { total: 16, perEndpoint: 8, perHost: 16 },
        deliveryLeaseMs: 30_000,
        webhookAllowedCidrs: ["127.0.0.1/32"],
      },
      pool: h.db.pool,
      secretBox: h.secretBox,
      logger: pino({ level: "silent" }),
    });
    app = createApp({
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
      handoff,
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    admin = await signedInAgent(app, h.db, "admin", "channels-admin@example.com");
  });
  afterEach(async () => {
    wa.behave(null);
    tw.behave(null);
    wa.received.length = 0;
    tw.received.length = 0;
    // Nothing left in flight for the next test's clean database.
    await until(
      async () => (await h.db.prisma.delivery.count({ where: { status: { in: ["pending", "sending"] } } })) === 0,
      "the outbox to empty",
    ).catch(() => h.db.prisma.delivery.deleteMany({}));
  });
  afterAll(async () => {
    await handoff?.stop();
    await new Promise((r) => server?.close(r));
    await wa?.close();
    await tw?.close();
  });

  /** A published chatbot on the sender, started by GO, whose Welcome Message offers `titles`, each leading to Thanks. */
  async function chatbot(senderId: string, channel: "sms" | "whatsapp", titles = ["Yes", "No"]) {
    const campaign = (
      await admin.post("/api/v1/campaigns").send({
        name: `Bot ${senderId.slice(0, 6)}`,
        type: "chatbot",
        channel,
        senderId,
        status: "active",
        triggerKeywords: ["GO"],
      })
    ).body;
    const path = `/api/v1/campaigns/${campaign.id}`;
    const [welcome, next, ...rest] = (await admin.get(`${path}/flow`)).body.nodes;
    for (const n of rest) await admin.delete(`${path}/nodes/${n.id}`).expect(204);
    await admin.patch(`${path}/nodes/${welcome.id}`).send({ message: "Choose a plan" }).expect(200);
    await admin.patch(`${path}/nodes/${next.id}`).send({ message: "Thanks" }).expect(200);
    for (const [i, title] of titles.entries())
      await admin
        .post(`${path}/nodes/${welcome.id}/entries`)
        .send({ keyword: String(i + 1), menuText: title, redirectType: "interaction", redirectTo: next.id })
        .expect(201);
    await admin.post(`${path}/publish`).expect(201);
    return campaign as { id: number };
  }

  async function whatsappSender(overrides: Record<string, unknown> = {}) {
    const res = await admin.post("/api/v1/senders").send({
      name: "WhatsApp line",
      channel: "whatsapp",
      address: "+15550783881",
      provider: "whatsapp_cloud",
      settings: { phoneNumberId: wa.phoneNumberId, businessAccountId: wa.businessAccountId, verifyToken: "tok-verify" },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      ...overrides,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; inboundUrl: string; address: string };
  }

  async function twilioSender(provider: "twilio_sms" | "twilio_whatsapp" = "twilio_sms") {
    const res = await admin.post("/api/v1/senders").send({
      name: "Twilio line",
      channel: provider === "twilio_sms" ? "sms" : "whatsapp",
      address: provider === "twilio_sms" ? "+15005550006" : "whatsapp:+14155238886",
      provider,
      settings: { accountSid: tw.accountSid },
      credentials: { authToken: tw.authToken },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; inboundUrl: string; statusUrl: string; address: string };
  }

  const messages = () => h.db.prisma.delivery.findMany({ where: { kind: "message" }, orderBy: { seq: "asc" } });

  it("keeps credentials sealed: never returned, revealed to admins only, and the reveal is audited", async () => {
    const sender = await whatsappSender();
    const read = await admin.get(`/api/v1/senders/${sender.id}`).expect(200);
    expect(JSON.stringify(read.body)).not.toContain(wa.accessToken);
    expect(read.body.credentialsSet.sort()).toEqual(["accessToken", "appSecret"]);
    expect(read.body.inboundUrl).toMatch(new RegExp(`/api/v1/providers/whatsapp/${sender.id}$`));
    const row = await h.db.prisma.sender.findUniqueOrThrow({ where: { id: sender.id } });
    expect(row.credentials).not.toContain(wa.accessToken);
    const marketer = await signedInAgent(app, h.db, "marketer", "channels-marketer@example.com");
    await marketer.post(`/api/v1/senders/${sender.id}/credentials/reveal`).expect(403);
    const revealed = await admin.post(`/api/v1/senders/${sender.id}/credentials/reveal`).expect(200);
    expect(revealed.body).toEqual({ accessToken: wa.accessToken, appSecret: wa.appSecret });
    const audit = await h.db.prisma.auditEvent.findMany({ where: { targetId: sender.id } });
    expect(audit.map((a) => a.action)).toContain("Reveal a sender's provider credentials");
    // A provider's required credentials are asked for beside their fields.
    const refused = await admin.post("/api/v1/senders").send({
      name: "No token",
      channel: "sms",
      address: "+15005550007",
      provider: "twilio_sms",
      settings: { accountSid: tw.accountSid },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain("body.credentials.authToken");
  });

  it("answers Meta's verification handshake only with the sender's verify token", async () => {
    const sender = await whatsappSender();
    const url = `/api/v1/providers/whatsapp/${sender.id}`;
    const ok = await admin
      .get(url)
      .query({ "hub.mode": "subscribe", "hub.verify_token": "tok-verify", "hub.challenge": "1158201444" });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("1158201444");
    const bad = await admin
      .get(url)
      .query({ "hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444" });
    expect(bad.status).toBe(403);
  });

  it("runs a whole WhatsApp conversation: reply buttons out, a button reply in, statuses recorded", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp");
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    expect((await wa.text(hook, USER, "GO")).status).toBe(200);
    const [first] = await wa.waitFor(1);
    expect(first?.path).toBe(`/v23.0/${wa.phoneNumberId}/messages`);
    expect(first?.body).toMatchObject({
      messaging_product: "whatsapp",
      to: USER,
      type: "interactive",
      interactive: { type: "button", body: { text: "Choose a plan" } },
    });
    const buttons = first?.body.interactive.action.buttons as { reply: { id: string; title: string } }[];
    expect(buttons.map((b) => b.reply.title)).toEqual(["Yes", "No"]);
    expect(wa.requests[0]?.headers.authorization).toBe(`Bearer ${wa.accessToken}`);

    const choice = buttons[0]?.reply as { id: string; title: string };
    expect((await wa.reply(hook, USER, "button_reply", choice)).status).toBe(200);
    const [, second] = await wa.waitFor(2);
    expect(second?.body).toMatchObject({ type: "text", text: { body: "Thanks" }, to: USER });

    // The conversation is the spec's: the end user's number in E.164.
    const session = await h.db.prisma.conversationSession.findFirstOrThrow();
    expect(session.phoneNumber).toBe(USER_E164);
    await until(async () => (await messages()).every((m) => m.status === "delivered"), "both messages accepted");
    for (const status of ["delivered", "read"])
      await wa.status(hook, {
        id: first?.id as string,
        to: USER,
        status,
        callbackData: first?.body.biz_opaque_callback_data,
      });
    await wa.status(hook, {
      id: second?.id as string,
      to: USER,
      status: "failed",
      callbackData: second?.body.biz_opaque_callback_data,
      error: { code: 131047, title: "Re-engagement message", message: "Re-engagement message" },
    });
    const out = await admin.get(`/api/v1/sessions/${session.id}/outbound-messages`).expect(200);
    expect(out.body.items.map((m: { state: string }) => m.state)).toEqual(["read", "failed"]);
    expect(out.body.items[1].reason).toContain("131047");
    expect(out.body.items[0].providerMessageId).toBe(first?.id);
    // A late "delivered" never moves a read message back.
    await wa.status(hook, {
      id: first?.id as string,
      to: USER,
      status: "delivered",
      callbackData: first?.body.biz_opaque_callback_data,
    });
    const again = await admin.get(`/api/v1/sessions/${session.id}/outbound-messages`).expect(200);
    expect(again.body.items[0].state).toBe("read");
    const metrics = await admin.get("/metrics").expect(200);
    expect(metrics.text).toContain('switchboard_outbound_messages{provider="whatsapp_cloud",state="read"} 1');
    expect(metrics.text).toMatch(
      /switchboard_provider_messages_total\{provider="whatsapp_cloud",direction="inbound",outcome="received"\} [1-9]/,
    );
    const filtered = await admin.get("/api/v1/deliveries").query({ kind: "message" }).expect(200);
    expect(filtered.body.total).toBe(2);
    expect((await admin.get("/api/v1/deliveries").query({ kind: "webhook" }).expect(200)).body.total).toBe(0);
  });

  it("sends a list for up to ten entries and numbered text beyond, and maps a list reply to its entry", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp", ["Monthly plan", "Yearly plan", "Family plan", "Student plan"]);
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    await wa.text(hook, USER, "GO");
    const [list] = await wa.waitFor(1);
    expect(list?.body.interactive.type).toBe("list");
    const rows = list?.body.interactive.action.sections[0].rows as { id: string; title: string }[];
    expect(rows.map((r) => r.title)).toEqual(["Monthly plan", "Yearly plan", "Family plan", "Student plan"]);
    await wa.reply(hook, USER, "list_reply", { id: rows[2]?.id as string, title: "Family plan", description: "" });
    const [, thanks] = await wa.waitFor(2);
    expect(thanks?.body.text.body).toBe("Thanks");
  });

  it("answers other message types politely, records them, and takes several messages and statuses in one POST", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp");
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    const res = await wa.notify(hook, {
      contacts: [{ profile: { name: "A" }, wa_id: USER }],
      messages: [
        {
          from: USER,
          id: "wamid.img1",
          timestamp: "1749416383",
          type: "image",
          image: { mime_type: "image/jpeg", sha256: "x", id: "1" },
        },
        { from: "5215500000002", id: "wamid.txt2", timestamp: "1749416384", type: "text", text: { body: "GO" } },
      ],
      statuses: [{ id: "wamid.unknown", status: "delivered", timestamp: "1749416385", recipient_id: USER }],
    });
    expect(res.status).toBe(200);
    const got = await wa.waitFor(2);
    const byUser = Object.fromEntries(got.map((m) => [m.body.to, m.body]));
    expect(byUser[USER].text.body).toMatch(/only read text/);
    expect(byUser["5215500000002"].type).toBe("interactive");
    const recorded = await h.db.prisma.conversationMessage.findFirst({ where: { providerMessageId: "wamid.img1" } });
    expect(recorded?.text).toBe("[image]");
    // The provider's retry of the same POST is answered once.
    await wa.notify(hook, {
      messages: [{ from: USER, id: "wamid.img1", timestamp: "1749416383", type: "image", image: { id: "1" } }],
    });
    expect(await h.db.prisma.delivery.count({ where: { kind: "message" } })).toBe(2);
  });

  it("refuses a bad signature, an unknown number or sender, and a malformed body, and changes nothing", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp");
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    expect((await wa.text(hook, USER, "GO", "wamid.bad", "not-the-app-secret")).status).toBe(403);
    const otherNumber = await fetch(hook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(otherNumber.status).toBe(403);
    expect(
      (await wa.text(`${base}/api/v1/providers/whatsapp/00000000-0000-4000-8000-000000000000`, USER, "GO")).status,
    ).toBe(404);
    const malformed = await wa.notify(hook, { messages: [{ id: "wamid.x", type: "text", text: { body: "GO" } }] });
    expect(malformed.status).toBe(400);
    const twilioLine = await twilioSender();
    const unsigned = await tw.inbound(
      twilioLine.inboundUrl.replace(/^https?:\/\/[^/]+/, base),
      { from: USER_E164, to: twilioLine.address, body: "GO" },
      "wrong-token",
    );
    expect(unsigned.status).toBe(403);
    const wrongTo = await tw.inbound(twilioLine.inboundUrl.replace(/^https?:\/\/[^/]+/, base), {
      from: USER_E164,
      to: "+15005559999",
      body: "GO",
    });
    expect(wrongTo.status).toBe(404);
    expect(await h.db.prisma.conversationMessage.count()).toBe(0);
    expect(await h.db.prisma.delivery.count()).toBe(0);
  });

  it("runs a whole Twilio SMS conversation: empty TwiML, numbered menu by the REST API, status callbacks", async () => {
    const sender = await twilioSender();
    await chatbot(sender.id, "sms");
    const inbound = `${base}/api/v1/providers/twilio/${sender.id}/inbound`;
    const res = await tw.inbound(inbound, { from: USER_E164, to: sender.address, body: "GO", sid: "SMinbound1" });
    expect(res.status).toBe(200);
    expect(res.contentType).toContain("xml");
    expect(res.body).toContain("<Response/>");
    const [menu] = await tw.waitFor(1);
    expect(menu).toMatchObject({ to: USER_E164, from: sender.address, body: "Choose a plan\n1. Yes\n2. No" });
    expect(menu?.statusCallback).toMatch(new RegExp(`/api/v1/providers/twilio/${sender.id}/status\\?message=`));
    // A retry of the same MessageSid is answered once.
    await tw.inbound(inbound, { from: USER_E164, to: sender.address, body: "GO", sid: "SMinbound1" });
    await tw.inbound(inbound, { from: USER_E164, to: sender.address, body: "1", sid: "SMinbound2" });
    const [, thanks] = await tw.waitFor(2);
    expect(thanks?.body).toBe("Thanks");
    await until(async () => (await messages()).every((m) => m.providerStatus === "sent"), "Twilio's sent callbacks");
    expect((await tw.status(menu as NonNullable<typeof menu>, "delivered")).status).toBe(204);
    expect((await tw.status(thanks as NonNullable<typeof thanks>, "undelivered", "30003")).status).toBe(204);
    const session = await h.db.prisma.conversationSession.findFirstOrThrow();
    const out = await admin.get(`/api/v1/sessions/${session.id}/outbound-messages`).expect(200);
    expect(out.body.items.map((m: { state: string }) => m.state)).toEqual(["delivered", "failed"]);
    expect(out.body.items[1].reason).toContain("30003");
    expect(await h.db.prisma.delivery.count({ where: { kind: "message" } })).toBe(2);
  });

  it("talks Twilio WhatsApp with whatsapp: addresses while the conversation keeps E.164 numbers", async () => {
    const sender = await twilioSender("twilio_whatsapp");
    expect(sender.address).toBe("+14155238886");
    await chatbot(sender.id, "whatsapp");
    const inbound = `${base}/api/v1/providers/twilio/${sender.id}/inbound`;
    await tw.inbound(inbound, { from: `whatsapp:${USER_E164}`, to: "whatsapp:+14155238886", body: "GO" });
    const [menu] = await tw.waitFor(1);
    expect(menu).toMatchObject({ to: `whatsapp:${USER_E164}`, from: "whatsapp:+14155238886" });
    expect((await h.db.prisma.conversationSession.findFirstOrThrow()).phoneNumber).toBe(USER_E164);
  });

  it("delivers in order, none lost or doubled, when the provider is down and then up again", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp");
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    wa.behave(() => ({ status: 503 }));
    await wa.text(hook, USER, "GO", "wamid.d1");
    await until(
      async () => (await messages())[0]?.attempts === 1 && (await messages())[0]?.status === "pending",
      "a failed attempt",
    );
    // Meanwhile the user answers: this reply must wait behind the first.
    const menu = JSON.parse((await messages())[0]?.payload as string);
    await wa.reply(hook, USER, "button_reply", menu.interactive.action.buttons[1].reply, "wamid.d2");
    await wa.text(hook, "5215500000003", "GO", "wamid.d3");
    wa.behave(null);
    // Time passes: the retries fall due.
    await h.db.prisma.delivery.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: new Date() } });
    await until(async () => (await messages()).every((m) => m.status === "delivered"), "every message delivered");
    const toUser = wa.received.filter((m) => m.body.to === USER);
    expect(toUser.map((m) => m.body.type)).toEqual(["interactive", "text"]);
    expect(wa.received).toHaveLength(3);
    expect(new Set(wa.received.map((m) => m.body.biz_opaque_callback_data)).size).toBe(3);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    const sender = await whatsappSender();
    await chatbot(sender.id, "whatsapp");
    const hook = `${base}/api/v1/providers/whatsapp/${sender.id}`;
    wa.behave(() => ({ status: 429, headers: { "retry-after": "120" } }));
    const before = Date.now();
    await wa.text(hook, USER, "GO");
    await until(async () => (await messages())[0]?.lastStatus === 429, "the rate-limited attempt");
    const [row] = await messages();
    expect(row?.status).toBe("pending");
    expect((row?.nextAttemptAt.getTime() ?? 0) - before).toBeGreaterThanOrEqual(119_000);
    wa.behave(null);
    await h.db.prisma.delivery.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: new Date() } });
    await wa.waitFor(1);
  });

  it("POSTs an HTTP sender's replies to its gateway's outbound URL, with its sealed headers, besides the response", async () => {
    const gateway = await receiver((_req, res) => res.writeHead(202).end());
    try {
      const created = await admin.post("/api/v1/senders").send({
        name: "Own gateway",
        channel: "sms",
        address: "+15005550111",
        provider: "http",
        settings: { outboundUrl: gateway.url },
        credentials: { outboundHeaders: [{ name: "X-Gateway-Key", value: "gw-secret-123" }] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain("gw-secret-123");
      await chatbot(created.body.id, "sms");
      const answer = await admin
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: USER_E164, to: "+15005550111", text: "GO" })
        .expect(200);
      expect(answer.body.replies[0].text).toContain("Choose a plan");
      await until(async () => gateway.received.length === 1, "the gateway's message");
      const sent = gateway.received[0];
      expect(sent?.headers["x-gateway-key"]).toBe("gw-secret-123");
      expect(JSON.parse(sent?.body ?? "{}")).toMatchObject({ from: "+15005550111", to: USER_E164, style: "text" });
    } finally {
      await gateway.close();
    }
  });

  it("honours STOP (one confirmation, then silence), HELP and START, and lists and exports opt-outs for admins", async () => {
    const sender = await twilioSender();
    await chatbot(sender.id, "sms");
    const inbound = `${base}/api/v1/providers/twilio/${sender.id}/inbound`;
    const say = (body: string) => tw.inbound(inbound, { from: USER_E164, to: sender.address, body });
    await say("stop");
    const [confirmation] = await tw.waitFor(1);
    expect(confirmation?.body).toMatch(/unsubscribed/);
    await say("STOP");
    await say("GO");
    expect(await h.db.prisma.delivery.count({ where: { kind: "message" } })).toBe(1);
    await say("HELP");
    const [, help] = await tw.waitFor(2);
    expect(help?.body).toMatch(/Reply STOP/);

    const list = await admin.get("/api/v1/opt-outs").query({ senderId: sender.id }).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ senderId: sender.id, phoneNumber: USER_E164, keyword: "STOP" }),
    ]);
    const csv = await admin.get("/api/v1/opt-outs.csv").expect(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text).toContain(`${sender.id},Twilio line,${USER_E164},STOP,`);
    const marketer = await signedInAgent(app, h.db, "marketer", "channels-marketer@example.com");
    await marketer.get("/api/v1/opt-outs").expect(403);
    await marketer.get("/api/v1/opt-outs.csv").expect(403);

    await say("START");
    const [, , welcomeBack] = await tw.waitFor(3);
    expect(welcomeBack?.body).toMatch(/subscribed again/);
    await say("GO");
    const [, , , menu] = await tw.waitFor(4);
    expect(menu?.body).toContain("Choose a plan");
    expect((await admin.get("/api/v1/opt-outs").expect(200)).body.total).toBe(0);
  });
});
