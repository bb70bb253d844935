import { FLOW_FORMAT } from "@switchboard/domain/conversation/flow-format";
import { expect, it, vi } from "vitest";
import { AppError } from "../src/errors/app-error";
import { RuntimeStore } from "../src/runtime/runtime-store";
import { createSender, describeEachDatabase, type Harness } from "./harness";

const hooks = "https://hooks.example.com/elipackage";
const phone = "+525500000000";

/** The seed's two chatbots on one SMS sender: a name question (STREAMNAME) and the streaming menu (STREAM). */
async function seed(h: Harness) {
  const sender = await createSender(h, { address: "+525511111111" });
  const create = async (body: Record<string, unknown>) => {
    const res = await h.api
      .post("/api/v1/campaigns")
      .send({ type: "chatbot", channel: "sms", senderId: sender.id, status: "active", ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const flow = (await h.api.get(`/api/v1/campaigns/${res.body.id}/flow`)).body;
    return {
      id: res.body.id as number,
      base: `/api/v1/campaigns/${res.body.id}`,
      nodes: flow.nodes as { id: string }[],
    };
  };
  const ok = async (req: PromiseLike<{ status: number; body: unknown }>, status = 200) => {
    const res = await req;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as { id: string };
  };

  const name = await create({ name: "Name question", triggerKeywords: ["NAME"] });
  const [nameWelcome, ...nameRest] = name.nodes;
  await ok(
    h.api.patch(`${name.base}/nodes/${nameWelcome?.id}`).send({
      message: "Welcome to EliPackage, can you enter your name, please?",
      confirmationText: "Thanks! We got it.",
    }),
  );
  for (const n of nameRest) await ok(h.api.delete(`${name.base}/nodes/${n.id}`), 204);
  await ok(
    h.api
      .post(`${name.base}/nodes/${nameWelcome?.id}/entries`)
      .send({ keyword: "1", redirectType: "webhook", webhook: { url: hooks, body: { source: "chatbot" } } }),
    201,
  );
  await ok(h.api.post(`${name.base}/publish`), 201);

  const streaming = await create({ name: "Streaming", triggerKeywords: ["STREAM"] });
  const [welcome, month, six, year] = streaming.nodes;
  await ok(
    h.api
      .patch(`${streaming.base}/nodes/${welcome?.id}`)
      .send({ message: "Welcome to EliPackage, enter the best option for streaming membership:" }),
  );
  await ok(
    h.api
      .patch(`${streaming.base}/nodes/${month?.id}`)
      .send({ label: "One month", message: "One month it is. What is your email?" }),
  );
  await ok(
    h.api.patch(`${streaming.base}/nodes/${six?.id}`).send({ label: "Six months", message: "Six months, {{email}}." }),
  );
  await ok(h.api.patch(`${streaming.base}/nodes/${year?.id}`).send({ label: "One year", message: "A whole year!" }));
  const entries = `${streaming.base}/nodes/${welcome?.id}/entries`;
  await ok(
    h.api.post(entries).send({
      keyword: "1",
      menuText: "One month",
      redirectType: "interaction",
      redirectTo: month?.id,
      webhookEnabled: true,
      webhook: { url: hooks, headers: [{ name: "Authorization", value: "Bearer sk_live_0123456789", secret: true }] },
    }),
    201,
  );
  await ok(
    h.api
      .post(entries)
      .send({ keyword: "2", menuText: "Six months", redirectType: "interaction", redirectTo: six?.id }),
    201,
  );
  await ok(
    h.api.post(entries).send({ keyword: "3", menuText: "One year", redirectType: "interaction", redirectTo: year?.id }),
    201,
  );
  await ok(
    h.api
      .post(`${streaming.base}/nodes/${month?.id}/entries`)
      .send({ keyword: "E", redirectType: "attribute", attribute: "email", redirectTo: six?.id }),
    201,
  );
  await ok(h.api.post(`${streaming.base}/publish`), 201);
  return { sender, name, streaming, nodes: { welcome, month, six, year } };
}

const inbound = (h: Harness, text: string, extra: Record<string, unknown> = {}) =>
  h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from: phone, to: "+525511111111", text, ...extra });

describeEachDatabase("the conversation runtime", (h) => {
  it("runs the name question: the answer becomes the response webhook, in the outbox", async () => {
    const { name } = await seed(h);
    h.clock.now = new Date("2024-06-18T23:22:00.000Z");
    const start = await inbound(h, "name");
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({
      campaignId: name.id,
      duplicate: false,
      replies: [{ text: "Welcome to EliPackage, can you enter your name, please?", options: [] }],
    });

    h.clock.now = new Date("2024-06-18T23:22:36.560Z");
    const answer = await inbound(h, "John Doe");
    expect(answer.body.replies).toEqual([{ text: "Thanks! We got it.", options: [], style: "text" }]);
    const deliveries = await h.db.prisma.delivery.findMany();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      campaignId: name.id,
      mode: "response",
      url: hooks,
      status: "pending",
      test: false,
    });
    expect(deliveries[0]?.payload).toBe(
      `{"campaignId":"${name.id}","label":"Welcome Message","phoneNumber":"+525500000000","date":"2024-06-18T23:22:36.560Z","response":"John Doe","source":"chatbot"}`,
    );
  });

  it("runs the streaming menu: choosing the toggled entry queues the option/keyword webhook with its headers", async () => {
    const { streaming } = await seed(h);
    h.clock.now = new Date("2024-06-18T23:26:00.000Z");
    const menu = await inbound(h, "STREAM");
    expect(menu.body.replies[0].text).toBe(
      "Welcome to EliPackage, enter the best option for streaming membership:\n1. One month\n2. Six months\n3. One year",
    );
    h.clock.now = new Date("2024-06-18T23:26:14.206Z");
    const chosen = await inbound(h, "1");
    expect(chosen.body.replies.map((r: { text: string }) => r.text)).toEqual(["One month it is. What is your email?"]);
    const [delivery] = await h.db.prisma.delivery.findMany();
    expect(delivery?.payload).toBe(
      `{"campaignId":"${streaming.id}","label":"Welcome Message","option":"One month","keyword":1,"phoneNumber":"+525500000000","date":"2024-06-18T23:26:14.206Z"}`,
    );
    // The queued delivery holds the secret sealed, as the webhook does: only the sender opens it.
    const [header] = (delivery?.headers ?? []) as { name: string; value: string; secret: boolean }[];
    expect(header).toMatchObject({ name: "Authorization", secret: true });
    expect(header?.value).not.toContain("sk_live");
    expect(h.secretBox.open(header?.value as string)).toBe("Bearer sk_live_0123456789");

    // The Attribute question saves the answer and fills {{email}} in the next message.
    const email = await inbound(h, "john@example.com");
    expect(email.body.replies.map((r: { text: string }) => r.text)).toEqual(["Six months, john@example.com."]);
    const contact = await h.db.prisma.contact.findFirst({ where: { phoneNumber: phone } });
    expect(contact?.attributes).toEqual({ email: "john@example.com" });

    // Everything is in the transcript, in order.
    const sessions = (await h.api.get(`${streaming.base}/sessions`)).body;
    expect(sessions.total).toBe(1);
    const transcript = (await h.api.get(`/api/v1/sessions/${sessions.items[0].id}`)).body;
    expect(
      transcript.messages.map((m: { direction: string; text: string }) => `${m.direction[0]}:${m.text.split("\n")[0]}`),
    ).toEqual([
      "i:STREAM",
      "o:Welcome to EliPackage, enter the best option for streaming membership:",
      "i:1",
      "o:One month it is. What is your email?",
      "i:john@example.com",
      "o:Six months, john@example.com.",
    ]);
  });

  it("chooses by Menu Text in any case and accents, and asks again for anything else", async () => {
    await seed(h);
    await inbound(h, "STREAM");
    const again = await inbound(h, "maybe later");
    expect(again.body.replies[0].text.split("\n")).toEqual([
      "Please choose one of the options.",
      "1. One month",
      "2. Six months",
      "3. One year",
    ]);
    const byText = await inbound(h, "  ONE YÉAR ");
    expect(byText.body.replies[0].text).toBe("A whole year!");
  });

  it("refuses bad input precisely and changes nothing", async () => {
    await seed(h);
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { from: "5500000000" },
        "body.from",
        "Must be a phone number in international (E.164) format, such as +525500000000.",
      ],
      [{ text: "x".repeat(4097) }, "body.text", "Messages are at most 4096 characters."],
      [{ channel: "fax" }, "body.channel", "Channel must be sms or whatsapp."],
      [{ to: "+19999999999" }, "body.to", "No SMS sender has the address +19999999999."],
      [{ channel: "whatsapp" }, "body.to", "No WhatsApp sender has the address +525511111111."],
    ];
    for (const [override, path, message] of cases) {
      const res = await h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: phone, to: "+525511111111", text: "STREAM", ...override });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path, message })]);
    }
    expect(await h.db.prisma.conversationMessage.count()).toBe(0);
    expect(await h.db.prisma.conversationSession.count()).toBe(0);
  });

  it("expires a session after the campaign's inactivity time, and a trigger keyword always restarts", async () => {
    const { streaming } = await seed(h);
    await h.api.patch(streaming.base).send({ sessionTimeoutMinutes: 30 });
    h.clock.now = new Date("2026-03-01T10:00:00Z");
    await inbound(h, "STREAM");
    h.clock.now = new Date("2026-03-01T10:29:00Z");
    expect((await inbound(h, "maybe")).body.replies).toHaveLength(1);
    h.clock.now = new Date("2026-03-01T11:00:00Z");
    const late = await inbound(h, "2");
    expect(late.body).toMatchObject({ sessionId: null, campaignId: null, replies: [] });
    const restarted = await inbound(h, "stream");
    expect(restarted.body.replies[0].text).toMatch(/^Welcome to EliPackage/);
    const mid = await inbound(h, "Stream");
    expect(mid.body.sessionId).not.toBe(restarted.body.sessionId);
  });

  it("answers an ended or expired campaign with its closing text", async () => {
    const { streaming } = await seed(h);
    await inbound(h, "STREAM");
    await h.api.patch(streaming.base).send({ status: "ended", closingText: "The streaming offer has ended." });
    const res = await inbound(h, "1");
    expect(res.body.replies.map((r: { text: string }) => r.text)).toEqual(["The streaming offer has ended."]);
    expect(await h.db.prisma.delivery.count()).toBe(0);
  });

  it("answers a provider's retry with the original result and processes it once", async () => {
    await seed(h);
    await inbound(h, "STREAM", { messageId: "SM1" });
    const first = await inbound(h, "1", { messageId: "SM2" });
    const retry = await inbound(h, "1", { messageId: "SM2" });
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    const concurrent = await Promise.all([
      inbound(h, "x", { messageId: "SM3" }),
      inbound(h, "x", { messageId: "SM3" }),
    ]);
    expect(concurrent.map((r) => r.body.duplicate).sort()).toEqual([false, true]);
    expect(await h.db.prisma.conversationMessage.count({ where: { direction: "inbound" } })).toBe(3);
    expect(await h.db.prisma.delivery.count()).toBe(1);
    // Only a provider message id makes a retry recognizable: without one, no answer is kept for it.
    await inbound(h, "STREAM");
    const kept = await h.db.prisma.conversationMessage.findMany({ where: { direction: "inbound" } });
    expect(kept.map((m) => [m.providerMessageId, m.result !== null]).sort()).toEqual([
      [null, false],
      ["SM1", true],
      ["SM2", true],
      ["SM3", true],
    ]);
  });

  it("refuses a provider message id already received from another phone number, and changes nothing", async () => {
    await seed(h);
    const first = await inbound(h, "STREAM", { messageId: "SM9" });
    expect(first.status).toBe(200);
    const before = await h.db.prisma.conversationMessage.count();
    const other = await inbound(h, "STREAM", { messageId: "SM9", from: "+525500009999" });
    expect(other.status).toBe(409);
    expect(other.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(other.body.detail).toMatch(/SM9 was already received by this sender from another phone number/);
    // Not answered with the first number's reply, and nothing written for the second.
    expect(other.body.replies).toBeUndefined();
    expect(await h.db.prisma.conversationMessage.count()).toBe(before);
    expect(await h.db.prisma.conversationSession.count({ where: { phoneNumber: "+525500009999" } })).toBe(0);
    // The first number's retry is still answered once.
    expect((await inbound(h, "STREAM", { messageId: "SM9" })).body).toEqual({ ...first.body, duplicate: true });
  });

  it("applies two messages from one phone number arriving together one after the other", async () => {
    const { nodes } = await seed(h);
    await inbound(h, "STREAM");
    // Both say "1". Applied in turn: the first chooses One month (its question), the second answers that question.
    const [a, b] = await Promise.all([inbound(h, "1"), inbound(h, "1")]);
    const texts = [a.body.replies[0]?.text, b.body.replies[0]?.text].sort();
    expect(texts).toEqual(["One month it is. What is your email?", "Six months, 1."]);
    expect(await h.db.prisma.delivery.count()).toBe(1);
    const session = await h.db.prisma.conversationSession.findFirst();
    expect(session?.nodeId).toBe(nodes.six?.id);
  });

  it("goes on when the pool replaces its connection (the embedded database keeps one session for all of them)", async () => {
    await seed(h);
    expect((await inbound(h, "STREAM")).body.replies).toHaveLength(1);
    // Every pooled connection is closed, as an idle timeout or a failed rollback would: the next turn opens a new one.
    const clients = await Promise.all(Array.from({ length: h.db.pool.totalCount }, () => h.db.pool.connect()));
    for (const client of clients) client.release(true);
    const again = await inbound(h, "STREAM");
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.replies).toHaveLength(1);
  });

  it("runs many conversations at once, each on its own state, sharing transactions", async () => {
    const { nodes } = await seed(h);
    const phones = Array.from({ length: 12 }, (_, i) => `+5255000100${String(i).padStart(2, "0")}`);
    const say = (from: string, text: string) =>
      h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from, to: "+525511111111", text });
    const last = await Promise.all(
      phones.map(async (from, i) => {
        for (const text of ["STREAM", "1"]) expect((await say(from, text)).status).toBe(200);
        return (await say(from, `fan${i}@example.com`)).body.replies[0]?.text;
      }),
    );
    expect(last).toEqual(phones.map((_, i) => `Six months, fan${i}@example.com.`));
    expect(await h.db.prisma.delivery.count()).toBe(12);
    const sessions = await h.db.prisma.conversationSession.findMany();
    expect(sessions.map((s) => s.nodeId)).toEqual(phones.map(() => nodes.six?.id));
    const contacts = await h.db.prisma.contact.findMany({ orderBy: { phoneNumber: "asc" } });
    expect(contacts.map((c) => (c.attributes as { email: string }).email)).toEqual(
      phones.map((_, i) => `fan${i}@example.com`),
    );
    expect(await h.db.prisma.conversationMessage.count()).toBe(12 * 6);
  });

  it("keeps running conversations on the version they started with", async () => {
    const { streaming, nodes } = await seed(h);
    await inbound(h, "STREAM");
    await h.api.patch(`${streaming.base}/nodes/${nodes.year?.id}`).send({ message: "Twelve months!" });
    const publication = (await h.api.get(`${streaming.base}/publication`)).body;
    expect(publication).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: true });
    expect((await h.api.post(`${streaming.base}/publish`)).body).toMatchObject({
      publishedVersion: 2,
      hasUnpublishedChanges: false,
    });
    expect((await inbound(h, "3")).body.replies[0].text).toBe("A whole year!");
    expect((await inbound(h, "STREAM")).body.replies).toHaveLength(1);
    expect((await inbound(h, "3")).body.replies[0].text).toBe("Twelve months!");
  });

  it("stores published versions with their format, and runs one published before formats were numbered", async () => {
    const { streaming } = await seed(h);
    const stored = await h.db.prisma.flowVersion.findFirstOrThrow({ where: { campaignId: streaming.id } });
    expect(JSON.parse(stored.snapshot)).toMatchObject({ format: FLOW_FORMAT, version: 1 });
    // As an earlier release wrote it: the same document without a format.
    const { format: _format, ...unnumbered } = JSON.parse(stored.snapshot) as Record<string, unknown>;
    await h.db.prisma.flowVersion.update({ where: { id: stored.id }, data: { snapshot: JSON.stringify(unnumbered) } });
    expect((await inbound(h, "STREAM")).body.replies[0].text).toContain("streaming membership");
    expect((await h.api.get(`${streaming.base}/publication`)).body).toMatchObject({ hasUnpublishedChanges: false });
  });

  it("refuses to publish an incomplete flow, naming each problem", async () => {
    const sender = await createSender(h);
    const created = (
      await h.api
        .post("/api/v1/campaigns")
        .send({ name: "Draft", type: "chatbot", channel: "sms", senderId: sender.id })
    ).body;
    const flow = (await h.api.get(`/api/v1/campaigns/${created.id}/flow`)).body;
    await h.api
      .post(`/api/v1/campaigns/${created.id}/nodes/${flow.nodes[0].id}/entries`)
      .send({ keyword: "1", menuText: "Go" });
    const res = await h.api.post(`/api/v1/campaigns/${created.id}/publish`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`)).toEqual([
      "nodes.0.message: Welcome Message has no message: write what the bot says there.",
      "nodes.0.entries.0.redirectType: Welcome Message › 1: choose a Redirect Type.",
      "nodes.1.message: Interaction 1 has no message: write what the bot says there.",
      "nodes.2.message: Interaction 2 has no message: write what the bot says there.",
      "nodes.3.message: Interaction 3 has no message: write what the bot says there.",
    ]);
    expect((await h.api.get(`/api/v1/campaigns/${created.id}/publication`)).body.publishedVersion).toBeNull();
  });

  it("hands the conversation to another chatbot, which answers with its Welcome Message", async () => {
    const { name, streaming, nodes } = await seed(h);
    await h.api
      .post(`${streaming.base}/nodes/${nodes.welcome?.id}/entries`)
      .send({ keyword: "4", menuText: "Tell us your name", redirectType: "campaign", redirectTo: String(name.id) })
      .expect(201);
    await h.api.post(`${streaming.base}/publish`).expect(201);
    await inbound(h, "STREAM");
    const handed = await inbound(h, "4");
    expect(handed.body).toMatchObject({
      campaignId: name.id,
      replies: [{ text: "Welcome to EliPackage, can you enter your name, please?" }],
    });
    await inbound(h, "Jane");
    const [delivery] = await h.db.prisma.delivery.findMany();
    expect(JSON.parse(delivery?.payload ?? "{}")).toMatchObject({ campaignId: String(name.id), response: "Jane" });
  });

  it("lets the marketer chat with the draft in the simulator, marked test and kept out of the transcripts", async () => {
    const { streaming, nodes } = await seed(h);
    await h.api.patch(`${streaming.base}/nodes/${nodes.year?.id}`).send({ message: "Draft text for a year" });
    const sim = (text: string) => h.api.post(`${streaming.base}/simulator`).send({ text });
    const first = await sim("hello");
    expect(first.status).toBe(200);
    expect(first.body.replies[0].text).toMatch(/^Welcome to EliPackage/);
    const chosen = await sim("1");
    expect(chosen.body.webhooks).toEqual([
      expect.objectContaining({
        mode: "option",
        url: hooks,
        payload: expect.stringContaining('"option":"One month","keyword":1'),
      }),
    ]);
    await sim("STREAM");
    expect((await sim("3")).body.replies[0].text).toBe("Draft text for a year");
    expect((await h.api.get(`${streaming.base}/sessions`)).body.total).toBe(0);
    expect((await h.api.get(`${streaming.base}/sessions?test=true`)).body.total).toBe(2);
    const deliveries = await h.db.prisma.delivery.findMany();
    expect(deliveries.map((d) => d.test)).toEqual([true]);
    // Real traffic is untouched by the simulator's contact.
    expect(await h.db.prisma.contact.count({ where: { test: false } })).toBe(0);
  });

  it("stores whatever an end user types verbatim, quotes, backslashes and all", async () => {
    await seed(h);
    await inbound(h, "NAME");
    const hostile = "O'Brien \\'; DROP TABLE campaign; -- \u0000\u2028 \"x\" $1 $$";
    const res = await inbound(h, hostile.replace("\u0000", ""), { messageId: "it's-\\1" });
    expect(res.status).toBe(200);
    const [delivery] = await h.db.prisma.delivery.findMany();
    expect(JSON.parse(delivery?.payload ?? "{}").response).toBe(hostile.replace("\u0000", "").trim());
    expect((await inbound(h, "again", { messageId: "it's-\\1" })).body.duplicate).toBe(true);
    expect(await h.db.prisma.campaign.count()).toBe(2);
  });

  it("leaves texts no campaign claims unanswered, but on record", async () => {
    await seed(h);
    const res = await inbound(h, "hello?");
    expect(res.body).toMatchObject({ sessionId: null, campaignId: null, replies: [] });
    expect(await h.db.prisma.conversationMessage.count()).toBe(1);
  });
});

describeEachDatabase("turns arriving together", (h) => {
  /** A store whose second and later turns wait for the first, so they share one transaction. */
  async function setup() {
    const sender = await createSender(h);
    const store = new RuntimeStore(h.db.pool, { maxBatch: 8, maxConcurrent: 1 });
    const connect = vi.spyOn(h.db.pool, "connect");
    const turn = (phoneNumber: string, providerMessageId: string | null, refuse = false) =>
      store.inConversation(
        { channel: "sms", address: sender.address, phoneNumber, test: false, providerMessageId },
        async (tx, loaded) => {
          if (!loaded) throw new Error("the sender was not found");
          if (refuse) throw new AppError("validation_failed", `refused ${phoneNumber}`);
          tx.addMessages([{ sessionId: null, direction: "inbound", text: phoneNumber, providerMessageId }], new Date());
          return phoneNumber;
        },
      );
    const stored = async () =>
      (await h.db.prisma.conversationMessage.findMany({ orderBy: { text: "asc" } })).map((m) => m.text);
    return { turn, stored, transactions: () => connect.mock.calls.length, restore: () => connect.mockRestore() };
  }

  it("shares one transaction, and a refused turn is refused alone", async () => {
    const { turn, stored, transactions, restore } = await setup();
    try {
      const results = await Promise.allSettled(
        ["+1", "+2", "+3", "+4", "+5"].map((phone) => turn(phone, null, phone === "+3")),
      );
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
      expect((results[2] as PromiseRejectedResult).reason.message).toBe("refused +3");
      // The first ran alone at once; the other four waited for it and went together.
      expect(transactions()).toBe(2);
      expect(await stored()).toEqual(["+1", "+2", "+4", "+5"]);
    } finally {
      restore();
    }
  });

  it("runs the turns again one by one when their shared commit fails, so only the culprit fails", async () => {
    const { turn, stored, transactions, restore } = await setup();
    try {
      // +2 and +3 carry one provider message id: together they break its unique index at the commit.
      const results = await Promise.allSettled([
        turn("+1", null),
        turn("+2", "SM-DUP"),
        turn("+3", "SM-DUP"),
        turn("+4", null),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect((results[2] as PromiseRejectedResult).reason.code).toBe("23505");
      // One alone, one shared that failed, then three alone.
      expect(transactions()).toBe(5);
      expect(await stored()).toEqual(["+1", "+2", "+4"]);
    } finally {
      restore();
    }
  });
});
