import type { AddressInfo } from "node:net";
import supertest from "supertest";
import { expect, it } from "vitest";
import type { InboxStream } from "../src/live-chat/inbox-stream";
import type { LiveChatService } from "../src/live-chat/live-chat-service";
import { describeEachDatabase, type Harness, signedInAgent, TEST_PASSWORD } from "./harness";

const MINUTE = 60_000;

/**
 * A chatbot on an HTTP sender with an outbound URL (so agents' replies have a way out) whose Welcome Message offers
 * 1: Live Chat (with `liveChat` settings) and 2: an Interaction. Trigger keyword HI.
 */
async function supportBot(h: Harness, liveChat: Record<string, unknown> | null = null) {
  const address = `+5255${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const sender = (
    await h.api
      .post("/api/v1/senders")
      .send({
        name: "Support line",
        channel: "sms",
        address,
        provider: "http",
        settings: { outboundUrl: "http://127.0.0.1:9/gateway" },
      })
      .expect(201)
  ).body as { id: string };
  const campaign = (
    await h.api
      .post("/api/v1/campaigns")
      .send({ name: "Support", type: "chatbot", channel: "sms", senderId: sender.id, triggerKeywords: ["HI"] })
      .expect(201)
  ).body as { id: number };
  const base = `/api/v1/campaigns/${campaign.id}`;
  const [welcome, other, ...rest] = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
  for (const n of rest) await h.api.delete(`${base}/nodes/${n.id}`).expect(204);
  await h.api.patch(`${base}/nodes/${welcome?.id}`).send({ message: "Welcome to support:" }).expect(200);
  await h.api.patch(`${base}/nodes/${other?.id}`).send({ message: "Our menu again:" }).expect(200);
  await h.api
    .post(`${base}/nodes/${other?.id}/entries`)
    .send({ keyword: "9", menuText: "Start over", redirectType: "interaction", redirectTo: welcome?.id })
    .expect(201);
  await h.api
    .post(`${base}/nodes/${welcome?.id}/entries`)
    .send({
      keyword: "1",
      menuText: "Talk to a person",
      redirectType: "live_chat",
      ...(liveChat ? { liveChat } : {}),
    })
    .expect(201);
  await h.api
    .post(`${base}/nodes/${welcome?.id}/entries`)
    .send({ keyword: "2", menuText: "Menu", redirectType: "interaction", redirectTo: other?.id })
    .expect(201);
  await h.api.post(`${base}/publish`).expect(201);
  await h.api.patch(base).send({ status: "active" });
  return { sender, address, campaign, nodes: { welcome: welcome?.id as string, other: other?.id as string } };
}

const say = (h: Harness, to: string, from: string, text: string) =>
  h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from, to, text }).expect(200);

const inbox = async (h: Harness, view = "waiting", as = h.api) =>
  (
    await as.get(`/api/v1/inbox?view=${view}`).expect((r) => {
      if (r.status !== 200) throw new Error(JSON.stringify(r.body) + h.logs().slice(-2000));
    })
  ).body.items as {
    id: string;
    state: string;
    unread: number;
    lastMessage: string | null;
    agent: { name: string } | null;
  }[];

const service = (h: Harness) => h.app.locals.liveChat as LiveChatService;

describeEachDatabase("Live Chat", (h) => {
  it("queues the hand-over with its transcript, keeps the user's messages from the bot, and the bot answers after close", async () => {
    const bot = await supportBot(h);
    const phone = "+525500001001";
    await say(h, bot.address, phone, "HI");
    const handed = await say(h, bot.address, phone, "1");
    expect(handed.body.replies.map((r: { text: string }) => r.text)).toEqual([
      "Thanks! An agent will be with you shortly.",
    ]);
    const [waiting] = await inbox(h);
    expect(waiting).toMatchObject({ state: "waiting", lastMessage: "1", agent: null });

    // Even the trigger keyword goes to the inbox now: no bot answer.
    const held = await say(h, bot.address, phone, "HI");
    expect(held.body.replies).toEqual([]);
    expect((await inbox(h))[0]).toMatchObject({ unread: 1, lastMessage: "HI" });

    const id = waiting?.id as string;
    await h.api.post(`/api/v1/inbox/${id}/take`).expect(200);
    const reply = await h.api.post(`/api/v1/inbox/${id}/reply`).send({ text: "Hello, I am Ana." }).expect(201);
    expect(reply.body).toMatchObject({ kind: "agent", text: "Hello, I am Ana.", delivery: { state: "queued" } });
    const queued = await h.db.prisma.delivery.findUniqueOrThrow({ where: { id: reply.body.delivery.id } });
    expect(queued).toMatchObject({ kind: "message", phoneNumber: phone, messageText: "Hello, I am Ana." });
    await say(h, bot.address, phone, "My order is late");

    const conversation = (await h.api.get(`/api/v1/inbox/${id}`).expect(200)).body;
    expect(conversation.transcript.map((t: { kind: string; text: string }) => `${t.kind}: ${t.text}`)).toEqual([
      "user: HI",
      expect.stringMatching(/^bot: Welcome to support:/),
      "user: 1",
      "bot: Thanks! An agent will be with you shortly.",
      "system: The chatbot handed the conversation over to Live Chat.",
      "user: HI",
      "system: admin took the conversation.",
      "agent: Hello, I am Ana.",
      "user: My order is late",
    ]);
    expect(conversation.replyMax).toBe(1024);

    await h.api.post(`/api/v1/inbox/${id}/close`).send({ message: "Bye!" }).expect(200);
    expect(await inbox(h, "closed")).toHaveLength(1);
    const report = (await h.api.get(`/api/v1/campaigns/${bot.campaign.id}/report`).expect(200)).body;
    expect(report.liveChat).toMatchObject({ conversations: 1, answered: 1 });
    expect(report.liveChat.firstReplySeconds).toBeGreaterThanOrEqual(0);
    expect(report.liveChat.closeSeconds).toBeGreaterThanOrEqual(report.liveChat.firstReplySeconds);
    const after = await say(h, bot.address, phone, "HI");
    expect(after.body.replies[0].text).toMatch(/^Welcome to support:/);
    const actions = (await h.db.prisma.auditEvent.findMany({ where: { targetType: "Live Chat" } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "Hand the conversation over to Live Chat",
        "Take a waiting conversation",
        "Close a conversation, with an optional closing message",
      ]),
    );
  });

  it("lets exactly one of two agents take a conversation at once, and tells the other who has it", async () => {
    const bot = await supportBot(h);
    await say(h, bot.address, "+525500001002", "HI");
    await say(h, bot.address, "+525500001002", "1");
    const [waiting] = await inbox(h);
    const ana = await signedInAgent(h.app, h.db, "agent", "ana@example.com");
    const ben = await signedInAgent(h.app, h.db, "agent", "ben@example.com");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? ana : ben).post(`/api/v1/inbox/${waiting?.id}/take`)),
    );
    const wins = results.filter((r) => r.status === 200);
    const losses = results.filter((r) => r.status === 409);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(5);
    expect(losses[0]?.body.type).toMatch(/live_chat_taken$/);
    expect(losses[0]?.body.detail).toMatch(/^agent has already taken this conversation\.$/);
    const events = await h.db.prisma.inboxEvent.count({ where: { type: "conversation.taken" } });
    expect(events).toBe(1);
  });

  it("keeps agents to their teams' conversations and lets the holder transfer to an agent or a team", async () => {
    const sales = await h.db.prisma.team.create({ data: { name: "Sales" } });
    const bot = await supportBot(h, {
      handoverMessage: "Sales will answer.",
      teamId: sales.id,
      timeoutMinutes: 10,
      openingHours: null,
      onTimeout: { action: "end", message: "Nobody is here." },
    });
    await say(h, bot.address, "+525500001003", "HI");
    const handed = await say(h, bot.address, "+525500001003", "1");
    const outsider = await signedInAgent(h.app, h.db, "agent", "outsider@example.com");
    const seller = await signedInAgent(h.app, h.db, "agent", "seller@example.com");
    const sellerUser = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "seller@example.com" } });
    await h.db.prisma.teamMember.create({ data: { teamId: sales.id, userId: sellerUser.id } });

    expect(handed.body.replies[0].text).toBe("Sales will answer.");
    expect(await inbox(h, "waiting", outsider)).toEqual([]);
    const [waiting] = await inbox(h, "waiting", seller);
    const id = waiting?.id as string;
    await outsider.get(`/api/v1/inbox/${id}`).expect(404);
    await outsider.post(`/api/v1/inbox/${id}/take`).expect(404);
    await h.api.get("/api/v1/campaigns").expect(200);
    await seller.get("/api/v1/campaigns").expect(403);

    await seller.post(`/api/v1/inbox/${id}/take`).expect(200);
    const notYours = await h.api.post(`/api/v1/inbox/${id}/reply`).send({ text: "Hi" }).expect(409);
    expect(notYours.body.type).toMatch(/live_chat_not_yours$/);
    const adminUser = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    await seller.post(`/api/v1/inbox/${id}/transfer`).send({ userId: adminUser.id }).expect(200);
    expect((await inbox(h, "mine"))[0]?.id).toBe(id);
    await h.api.post(`/api/v1/inbox/${id}/transfer`).send({ teamId: sales.id }).expect(200);
    expect((await inbox(h, "waiting", seller))[0]).toMatchObject({ id, state: "waiting", agent: null });
    // Its agent deleted, an assigned conversation is nobody's: another agent takes it.
    await seller.post(`/api/v1/inbox/${id}/take`).expect(200);
    await h.api.delete(`/api/v1/users/${sellerUser.id}`).expect(204);
    await h.api.post(`/api/v1/inbox/${id}/take`).expect(200);
    expect((await inbox(h, "mine"))[0]?.id).toBe(id);
  });

  it("times out a conversation nobody took: the message, then the bot at the chosen node, or the end", async () => {
    const start = new Date("2026-11-27T10:00:00Z");
    h.clock.now = start;
    const bot = await supportBot(h);
    await say(h, bot.address, "+525500001004", "HI");
    await say(h, bot.address, "+525500001004", "1");
    h.clock.now = new Date(start.getTime() + 9 * MINUTE);
    expect(await service(h).sweep("http://127.0.0.1")).toBe(0);
    h.clock.now = new Date(start.getTime() + 10 * MINUTE);
    expect(await service(h).sweep("http://127.0.0.1")).toBe(1);
    expect(await service(h).sweep("http://127.0.0.1")).toBe(0);
    const [closed] = await inbox(h, "closed");
    expect(closed).toMatchObject({ state: "closed" });
    const texts = (
      await h.db.prisma.delivery.findMany({ where: { phoneNumber: "+525500001004" }, orderBy: { seq: "asc" } })
    ).map((d) => d.messageText);
    expect(texts.at(-1)).toBe("Sorry, no agent is available right now. Please try again later.");
    // Back to the bot: the next message is the chatbot's again.
    const next = await say(h, bot.address, "+525500001004", "HI");
    expect(next.body.replies[0].text).toMatch(/^Welcome to support:/);
  });

  it("resumes the bot at the entry's node after a timeout", async () => {
    const start = new Date("2026-11-27T10:00:00Z");
    h.clock.now = start;
    const bot = await supportBot(h);
    const flow = (await h.api.get(`/api/v1/campaigns/${bot.campaign.id}/flow`)).body;
    const entry = flow.nodes[0].entries.find((e: { redirectType: string }) => e.redirectType === "live_chat");
    const patched = await h.api
      .patch(`/api/v1/campaigns/${bot.campaign.id}/nodes/${bot.nodes.welcome}/entries/${entry.id}`)
      .send({
        liveChat: {
          handoverMessage: "Wait a moment.",
          teamId: null,
          timeoutMinutes: 2,
          openingHours: null,
          onTimeout: { action: "bot", message: "Nobody is free.", nodeId: bot.nodes.other },
        },
      });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.liveChat.onTimeout).toMatchObject({ action: "bot", nodeId: bot.nodes.other });
    await h.api.post(`/api/v1/campaigns/${bot.campaign.id}/publish`).expect(201);
    await say(h, bot.address, "+525500001005", "HI");
    expect((await say(h, bot.address, "+525500001005", "1")).body.replies[0].text).toBe("Wait a moment.");
    h.clock.now = new Date(start.getTime() + 2 * MINUTE);
    expect(await service(h).sweep("http://127.0.0.1")).toBe(1);
    const texts = (
      await h.db.prisma.delivery.findMany({ where: { phoneNumber: "+525500001005" }, orderBy: { seq: "asc" } })
    ).map((d) => d.messageText);
    expect(texts.slice(-2)).toEqual(["Nobody is free.", expect.stringMatching(/^Our menu again:/)]);
    // The user answers the node's menu: 9 starts over.
    const next = await say(h, bot.address, "+525500001005", "9");
    expect(next.body.replies[0].text).toMatch(/^Welcome to support:/);
  });

  it("refuses a reply to an opted-out number, over the channel's length, or before taking, changing nothing", async () => {
    const bot = await supportBot(h);
    const phone = "+525500001006";
    await say(h, bot.address, phone, "HI");
    await say(h, bot.address, phone, "1");
    const [waiting] = await inbox(h);
    const id = waiting?.id as string;
    const early = await h.api.post(`/api/v1/inbox/${id}/reply`).send({ text: "Hi" }).expect(409);
    expect(early.body.type).toMatch(/live_chat_not_taken$/);
    await h.api.post(`/api/v1/inbox/${id}/take`).expect(200);
    const long = await h.api
      .post(`/api/v1/inbox/${id}/reply`)
      .send({ text: "x".repeat(1025) })
      .expect(400);
    expect(long.body.errors[0]).toMatchObject({ path: "body.text" });
    await h.db.prisma.optOut.create({
      data: { senderId: bot.sender.id, phoneNumber: phone, keyword: "STOP", optedOutAt: new Date() },
    });
    const stopped = await h.api.post(`/api/v1/inbox/${id}/reply`).send({ text: "Hi" }).expect(409);
    expect(stopped.body.type).toMatch(/recipient_opted_out$/);
    expect((await h.api.get(`/api/v1/inbox/${id}`)).body.optedOut).toBe(true);
    expect(await h.db.prisma.delivery.count({ where: { phoneNumber: phone, messageText: "Hi" } })).toBe(0);
  });

  it("streams inbox events live, and replays what a reconnecting browser missed", async () => {
    const server = h.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const bot = await supportBot(h);
      const cookie = await sessionCookie(h);
      const first = await openStream(port, cookie, null);
      await say(h, bot.address, "+525500001007", "HI");
      await say(h, bot.address, "+525500001007", "1");
      const queued = await first.next((e) => e.event === "conversation.queued");
      first.close();
      // While away: a message arrives. Reconnecting with the last id seen replays it.
      await say(h, bot.address, "+525500001007", "Anyone there?");
      const second = await openStream(port, cookie, queued.id);
      const missed = await second.next((e) => e.event === "message.created");
      expect(JSON.parse(missed.data).item).toMatchObject({ kind: "user", text: "Anyone there?" });
      second.close();
    } finally {
      (h.app.locals.inboxStream as InboxStream).stop();
      await new Promise((r) => server.close(r));
    }
  });
});

/** A session cookie of the harness's admin, for a client other than supertest. */
async function sessionCookie(h: Harness): Promise<string> {
  await h.as("admin");
  const res = await supertest(h.app)
    .post("/api/v1/auth/sign-in")
    .send({ email: "admin@example.com", password: TEST_PASSWORD })
    .expect(200);
  return (res.headers["set-cookie"] as unknown as string[])[0]?.split(";")[0] as string;
}

interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Opens the inbox's stream over HTTP and hands out its events as they come. */
async function openStream(port: number, cookie: string, lastEventId: string | null) {
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/inbox/events`, {
    headers: { Cookie: cookie, ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const seen: SseEvent[] = [];
  return {
    async next(match: (e: SseEvent) => boolean, timeoutMs = 5_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = seen.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching event; saw ${seen.map((e) => e.event).join(", ")}`);
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          const event = field("event");
          if (event) seen.push({ id: field("id") ?? "", event, data: field("data") ?? "" });
          end = buffer.indexOf("\n\n");
        }
      }
    },
    close: () => controller.abort(),
  };
}
