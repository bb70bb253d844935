import { expect, it } from "vitest";
import { createCampaign, createSender, describeEachDatabase } from "./harness";

describeEachDatabase("campaigns", (h) => {
  it("creates a chatbot with its Welcome Message and 3 Interactions on SMS", async () => {
    const campaign = await createCampaign(h);
    expect(campaign.id).toBeGreaterThanOrEqual(10000);
    const flow = await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`);
    expect(flow.body.nodes.map((n: { label: string }) => n.label)).toEqual([
      "Welcome Message",
      "Interaction 1",
      "Interaction 2",
      "Interaction 3",
    ]);
  });

  it("creates 5 Interactions on WhatsApp", async () => {
    const campaign = await createCampaign(h, { channel: "whatsapp" });
    const flow = await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`);
    expect(flow.body.nodes).toHaveLength(6);
  });

  it("creates other campaign types without Interactions", async () => {
    const raffle = await createCampaign(h, { type: "raffle_giveaway", name: "Raffle" });
    const flow = await h.api.get(`/api/v1/campaigns/${raffle.id}/flow`);
    expect(flow.status).toBe(409);
    expect(flow.body.detail).toBe(
      `Only chatbots have Interactions; campaign ${raffle.id} is a Raffle Giveaway campaign.`,
    );
  });

  it("enforces 30 trigger keywords of at most 29 characters", async () => {
    const sender = await createSender(h);
    const base = { name: "x", type: "chatbot", channel: "sms", senderId: sender.id };
    const tooMany = await h.api
      .post("/api/v1/campaigns")
      .send({ ...base, triggerKeywords: Array.from({ length: 31 }, (_, i) => `K${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { path: "body.triggerKeywords", code: "too_big", message: "A campaign can have at most 30 trigger keywords." },
    ]);
    const tooLong = await h.api.post("/api/v1/campaigns").send({ ...base, triggerKeywords: ["x".repeat(30)] });
    expect(tooLong.body.errors[0]).toMatchObject({
      path: "body.triggerKeywords.0",
      message: "Trigger keywords are at most 29 characters.",
    });
    const repeated = await h.api.post("/api/v1/campaigns").send({ ...base, triggerKeywords: ["JOIN", "join"] });
    expect(repeated.body.errors[0]).toMatchObject({ path: "body.triggerKeywords.1", code: "duplicate_keyword" });
    expect((await h.api.get("/api/v1/campaigns")).body.total).toBe(0);
  });

  it("names the active campaign that already holds a trigger keyword or the Auto-Reply", async () => {
    const sender = await createSender(h);
    const summer = await createCampaign(h, {
      senderId: sender.id,
      name: "Summer Sale",
      status: "active",
      triggerKeywords: ["PROMO"],
      autoReply: true,
    });
    const res = await h.api.post("/api/v1/campaigns").send({
      name: "Winter",
      type: "chatbot",
      channel: "sms",
      senderId: sender.id,
      status: "active",
      triggerKeywords: ["winter", "promo"],
      autoReply: true,
    });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([
      {
        path: "body.triggerKeywords.1",
        code: "keyword_taken",
        message: `Trigger keyword "promo" is already used by the active campaign "Summer Sale" (${summer.id}) on this SMS sender.`,
      },
      {
        path: "body.autoReply",
        code: "auto_reply_taken",
        message: `Auto-Reply is already on for the active campaign "Summer Sale" (${summer.id}) on this SMS sender.`,
      },
    ]);
    // A draft may hold them; activating it is what is refused.
    const draft = await createCampaign(h, { senderId: sender.id, name: "Winter", triggerKeywords: ["promo"] });
    const activate = await h.api.patch(`/api/v1/campaigns/${draft.id}`).send({ status: "active" });
    expect(activate.status).toBe(409);
    expect(activate.body.errors[0].code).toBe("keyword_taken");
    // Once Summer Sale ends, the keyword is free.
    await h.api.patch(`/api/v1/campaigns/${summer.id}`).send({ status: "ended" });
    const again = await h.api.patch(`/api/v1/campaigns/${draft.id}`).send({ status: "active" });
    expect(again.status).toBe(200);
    expect(again.body.activatedAt).not.toBeNull();
  });

  it("lets two campaigns racing for one keyword not both win", async () => {
    const sender = await createSender(h);
    const body = (name: string) => ({
      name,
      type: "chatbot",
      channel: "sms",
      senderId: sender.id,
      status: "active",
      triggerKeywords: ["RACE"],
    });
    const results = await Promise.all([
      h.api.post("/api/v1/campaigns").send(body("A")),
      h.api.post("/api/v1/campaigns").send(body("B")),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("requires a sender of the campaign's channel", async () => {
    const whatsapp = await createSender(h, { channel: "whatsapp" });
    const res = await h.api
      .post("/api/v1/campaigns")
      .send({ name: "x", type: "chatbot", channel: "sms", senderId: whatsapp.id });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: "body.senderId",
        code: "sender_channel_mismatch",
        message: "This sender is for WhatsApp; a SMS campaign needs a SMS sender.",
      },
    ]);
    const unknown = await h.api
      .post("/api/v1/campaigns")
      .send({ name: "x", type: "chatbot", channel: "sms", senderId: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.body.errors[0].code).toBe("unknown_sender");
  });

  it("refuses an expiry in the past and both kinds of expiry at once", async () => {
    const sender = await createSender(h);
    const base = { name: "x", type: "chatbot", channel: "sms", senderId: sender.id };
    const past = await h.api.post("/api/v1/campaigns").send({ ...base, expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.body.errors[0]).toMatchObject({
      path: "body.expiresAt",
      message: "The expiry date must be in the future.",
    });
    const both = await h.api
      .post("/api/v1/campaigns")
      .send({ ...base, expiresAt: "2099-01-01T00:00:00Z", expiresAfterHours: 5 });
    expect(both.body.errors[0].code).toBe("expiry_conflict");
  });

  it("fixes type and channel at creation", async () => {
    const campaign = await createCampaign(h);
    const res = await h.api
      .patch(`/api/v1/campaigns/${campaign.id}`)
      .send({ channel: "whatsapp", type: "raffle_giveaway" });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["body.channel", "body.type"]);
  });

  it("refuses a change made from a stale revision", async () => {
    const campaign = await createCampaign(h);
    const first = await h.api
      .patch(`/api/v1/campaigns/${campaign.id}`)
      .send({ name: "One", revision: campaign.revision });
    expect(first.body.revision).toBe(campaign.revision + 1);
    const second = await h.api
      .patch(`/api/v1/campaigns/${campaign.id}`)
      .send({ name: "Two", revision: campaign.revision });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe("/api/problems#stale_revision");
    expect((await h.api.get(`/api/v1/campaigns/${campaign.id}`)).body.name).toBe("One");
  });

  it("lists with search and filters, newest first", async () => {
    const sms = await createSender(h);
    const wa = await createSender(h, { channel: "whatsapp" });
    const a = await createCampaign(h, { senderId: sms.id, name: "Streaming offers" });
    const b = await createCampaign(h, {
      senderId: wa.id,
      channel: "whatsapp",
      name: "Raffle",
      type: "raffle_giveaway",
      status: "active",
    });
    const all = await h.api.get("/api/v1/campaigns");
    expect(all.body.items.map((c: { id: number }) => c.id)).toEqual([b.id, a.id]);
    expect((await h.api.get("/api/v1/campaigns?q=STREAM")).body.items.map((c: { id: number }) => c.id)).toEqual([a.id]);
    expect((await h.api.get(`/api/v1/campaigns?q=${b.id}`)).body.items.map((c: { id: number }) => c.id)).toEqual([
      b.id,
    ]);
    expect((await h.api.get("/api/v1/campaigns?channel=whatsapp&status=active&type=raffle_giveaway")).body.total).toBe(
      1,
    );
    expect((await h.api.get("/api/v1/campaigns?channel=sms&status=active")).body.total).toBe(0);
    const bad = await h.api.get("/api/v1/campaigns?channel=fax&limit=0");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.channel", "query.limit"]);
  });

  it("refuses to delete a campaign other chatbots redirect to, listing the entries", async () => {
    const target = await createCampaign(h, { name: "Raffle", type: "raffle_giveaway" });
    const bot = await createCampaign(h, { name: "EliPackage" });
    const flow = await h.api.get(`/api/v1/campaigns/${bot.id}/flow`);
    const welcome = flow.body.nodes[0];
    await h.api
      .post(`/api/v1/campaigns/${bot.id}/nodes/${welcome.id}/entries`)
      .send({ keyword: "2", menuText: "Win a prize", redirectType: "campaign", redirectTo: String(target.id) })
      .expect(201);
    const refused = await h.api.delete(`/api/v1/campaigns/${target.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(
      'Campaign "Raffle" cannot be deleted: 1 menu entry points at it ("EliPackage" › Welcome Message › 2. Win a prize). Change their Redirect To first.',
    );
    expect(refused.body.references).toEqual([
      expect.objectContaining({
        campaignId: String(bot.id),
        nodeLabel: "Welcome Message",
        keyword: "2",
        menuText: "Win a prize",
      }),
    ]);
    // The chatbot itself goes, with its nodes and entries; then the raffle can go too.
    expect((await h.api.delete(`/api/v1/campaigns/${bot.id}`)).status).toBe(204);
    expect((await h.api.delete(`/api/v1/campaigns/${target.id}`)).status).toBe(204);
  });
});
