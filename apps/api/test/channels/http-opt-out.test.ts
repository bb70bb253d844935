import { DEFAULT_HELP_TEXT, DEFAULT_OPT_IN_TEXT, DEFAULT_OPT_OUT_TEXT } from "@switchboard/domain/messaging/opt-out";
import { expect, it } from "vitest";
import { createSender, describeEachDatabase } from "../harness";

const USER = "+5215512345678";
const OTHER = "+5215587654321";

// The generic POST /api/v1/messages/inbound honours a sender's opt-outs as the providers' routes do (decision 0024):
// the confirmation is in the response's replies (and POSTed to a gateway's outbound URL when the sender has one).
describeEachDatabase("channels: opt-out on the generic HTTP inbound route", (h) => {
  /** A published chatbot on the sender, started by GO: "Choose a plan", whose entry 1 fires a webhook and says Thanks. */
  async function chatbot(senderId: string) {
    const created = await h.api
      .post("/api/v1/campaigns")
      .send({ name: "Plans", type: "chatbot", channel: "sms", senderId, status: "active", triggerKeywords: ["GO"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const path = `/api/v1/campaigns/${created.body.id}`;
    const [welcome, next, ...rest] = (await h.api.get(`${path}/flow`)).body.nodes;
    for (const n of rest) await h.api.delete(`${path}/nodes/${n.id}`).expect(204);
    await h.api.patch(`${path}/nodes/${welcome.id}`).send({ message: "Choose a plan" }).expect(200);
    await h.api.patch(`${path}/nodes/${next.id}`).send({ message: "Thanks" }).expect(200);
    await h.api
      .post(`${path}/nodes/${welcome.id}/entries`)
      .send({
        keyword: "1",
        menuText: "Gold",
        redirectType: "interaction",
        redirectTo: next.id,
        webhookEnabled: true,
        webhook: { url: "https://hooks.example.com/plans", body: { plan: "gold" } },
      })
      .expect(201);
    await h.api.post(`${path}/publish`).expect(201);
  }

  const say = async (to: string, text: string, from = USER, messageId?: string) => {
    const res = await h.api
      .post("/api/v1/messages/inbound")
      .send({ channel: "sms", from, to, text, ...(messageId ? { messageId } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as {
      messageId: string;
      sessionId: string | null;
      replies: { text: string; options: unknown[]; style: string }[];
      duplicate: boolean;
    };
  };
  const texts = (answer: { replies: { text: string }[] }) => answer.replies.map((r) => r.text);
  const optOuts = async () =>
    (await h.api.get("/api/v1/opt-outs").expect(200)).body as { items: unknown[]; total: number };
  const webhooks = () => h.db.prisma.delivery.count({ where: { kind: "webhook" } });

  it("opts a number out on STOP (confirmation in the response, once), silences the chatbot, and START opts it back in", async () => {
    const sender = await createSender(h);
    await chatbot(sender.id);
    expect(texts(await say(sender.address, "GO"))[0]).toContain("Choose a plan");

    const stop = await say(sender.address, "Stop.", USER, "gw-1");
    expect(stop).toMatchObject({ sessionId: null, campaignId: null, duplicate: false });
    expect(stop.replies).toEqual([{ text: DEFAULT_OPT_OUT_TEXT, options: [], style: "text" }]);
    expect((await optOuts()).items).toEqual([
      expect.objectContaining({ senderId: sender.id, phoneNumber: USER, keyword: "STOP." }),
    ]);
    // The keyword is in the transcript with the gateway's id; a retry gets the first answer and changes nothing.
    const retry = await say(sender.address, "Stop.", USER, "gw-1");
    expect(retry).toEqual({ ...stop, duplicate: true });
    expect(
      await h.db.prisma.conversationMessage.count({ where: { senderId: sender.id, providerMessageId: "gw-1" } }),
    ).toBe(1);
    expect((await optOuts()).total).toBe(1);

    // Opted out: a second STOP is silent, the conversation does not move, no webhook is queued.
    const sessions = await h.db.prisma.conversationSession.count();
    expect(texts(await say(sender.address, "STOP"))).toEqual([]);
    expect(await say(sender.address, "1")).toMatchObject({ replies: [], sessionId: null });
    expect(await say(sender.address, "GO")).toMatchObject({ replies: [], sessionId: null });
    expect(await h.db.prisma.conversationSession.count()).toBe(sessions);
    expect(await webhooks()).toBe(0);
    // HELP is answered even now; another number on the same sender is not affected.
    expect(texts(await say(sender.address, "help"))).toEqual([DEFAULT_HELP_TEXT]);
    expect(texts(await say(sender.address, "GO", OTHER))[0]).toContain("Choose a plan");

    expect(texts(await say(sender.address, "START"))).toEqual([DEFAULT_OPT_IN_TEXT]);
    expect((await optOuts()).total).toBe(0);
    expect(texts(await say(sender.address, "GO"))[0]).toContain("Choose a plan");
    expect(texts(await say(sender.address, "1"))).toEqual(["Thanks"]);
    expect(await webhooks()).toBe(1);
    // Nothing was queued as an outbound message: this sender has no outbound URL.
    expect(await h.db.prisma.delivery.count({ where: { kind: "message" } })).toBe(0);
  });

  it("uses the sender's own keywords, and a START from a number that never opted out is an ordinary text", async () => {
    const sender = await createSender(h, {
      optOut: {
        optOutKeywords: ["BASTA"],
        optInKeywords: ["SIGUE"],
        helpKeywords: ["AYUDA"],
        optOutText: "Listo, no más mensajes.",
        optInText: "De vuelta.",
        helpText: "Escribe BASTA o SIGUE.",
      },
    });
    await chatbot(sender.id);
    expect(texts(await say(sender.address, "SIGUE"))).toEqual([]);
    expect((await optOuts()).total).toBe(0);
    // STOP is not this sender's keyword: an ordinary text (no chatbot answers it, no Auto-Reply).
    expect(texts(await say(sender.address, "STOP"))).toEqual([]);
    expect((await optOuts()).total).toBe(0);
    expect(texts(await say(sender.address, "basta"))).toEqual(["Listo, no más mensajes."]);
    expect(texts(await say(sender.address, "GO"))).toEqual([]);
    expect(texts(await say(sender.address, "Ayuda"))).toEqual(["Escribe BASTA o SIGUE."]);
    expect(texts(await say(sender.address, "sigue"))).toEqual(["De vuelta."]);
    expect(texts(await say(sender.address, "GO"))[0]).toContain("Choose a plan");
  });

  it("also queues the confirmation to an HTTP sender's outbound URL, and then nothing more", async () => {
    const sender = await createSender(h, { settings: { outboundUrl: "https://gateway.example.com/out" } });
    await chatbot(sender.id);
    expect(texts(await say(sender.address, "STOP"))).toEqual([DEFAULT_OPT_OUT_TEXT]);
    const queued = () => h.db.prisma.delivery.findMany({ where: { kind: "message" }, orderBy: { seq: "asc" } });
    expect(await queued()).toEqual([
      expect.objectContaining({
        url: "https://gateway.example.com/out",
        senderId: sender.id,
        phoneNumber: USER,
        messageText: DEFAULT_OPT_OUT_TEXT,
        status: "pending",
      }),
    ]);
    expect(texts(await say(sender.address, "GO"))).toEqual([]);
    expect(await queued()).toHaveLength(1);
    expect(texts(await say(sender.address, "START"))).toEqual([DEFAULT_OPT_IN_TEXT]);
    expect(texts(await say(sender.address, "GO"))[0]).toContain("Choose a plan");
    expect((await queued()).map((m) => m.messageText)).toEqual([
      DEFAULT_OPT_OUT_TEXT,
      DEFAULT_OPT_IN_TEXT,
      expect.stringContaining("Choose a plan"),
    ]);
  });

  it("refuses a message to an unknown address as before, and opts nobody out", async () => {
    const res = await h.api
      .post("/api/v1/messages/inbound")
      .send({ channel: "sms", from: USER, to: "+15550000000", text: "STOP" });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.code).toBe("unknown_sender");
    expect((await optOuts()).total).toBe(0);
  });
});
