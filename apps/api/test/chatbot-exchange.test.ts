import { expect, it } from "vitest";
import { createCampaign, createSender, describeEachDatabase, type Harness } from "./harness";

/** A chatbot with a node redirect, a campaign hand-off, a webhook with an inline secret and a plain header. */
async function richChatbot(h: Harness) {
  const sender = await createSender(h, { name: "Main line" });
  const raffle = await createCampaign(h, { name: "Raffle", senderId: sender.id });
  const campaign = await createCampaign(h, { name: "EliPackage", senderId: sender.id });
  const base = `/api/v1/campaigns/${campaign.id}`;
  const [welcome, second, ...rest] = (await h.api.get(`${base}/flow`)).body.nodes;
  for (const n of rest) await h.api.delete(`${base}/nodes/${n.id}`).expect(204);
  await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose" }).expect(200);
  await h.api
    .patch(`${base}/nodes/${second.id}`)
    .send({ message: "Your name?", confirmationText: "Thanks" })
    .expect(200);
  await h.api
    .post(`${base}/nodes/${welcome.id}/entries`)
    .send({
      keyword: "1",
      menuText: "One month",
      redirectType: "interaction",
      redirectTo: second.id,
      webhookEnabled: true,
      webhook: {
        url: "https://crm.example.com/hook",
        body: { source: "acceptance", tier: 2 },
        headers: [
          { name: "X-Team", value: "growth" },
          { name: "X-Api-Key", value: "sk_live_very_secret_1234", secret: true },
        ],
      },
    })
    .expect(201);
  await h.api
    .post(`${base}/nodes/${welcome.id}/entries`)
    .send({ keyword: "2", menuText: "Raffle", redirectType: "campaign", redirectTo: String(raffle.id) })
    .expect(201);
  return { sender, raffle, campaign, base };
}

describeEachDatabase("chatbots as files", (h) => {
  it("exports without secret values, and export → import → export gives the same document", async () => {
    const { base, raffle, sender } = await richChatbot(h);
    const exported = (await h.api.get(`${base}/export`).expect(200)).body;
    const text = JSON.stringify(exported);
    expect(text).not.toContain("sk_live_very_secret_1234");
    expect(text).not.toContain("1234");
    expect(text).not.toContain("whsec_");
    expect(exported).toMatchObject({ kind: "switchboard/chatbot", format: 1, name: "EliPackage", channel: "sms" });
    expect(exported.nodes[0].entries[0].webhook.headers).toEqual([
      { name: "X-Team", value: "growth" },
      { name: "X-Api-Key", secret: true },
    ]);
    expect(JSON.stringify(exported.nodes[0].entries[0].webhook.body)).toBe('{"source":"acceptance","tier":2}');
    expect(exported.nodes[0].entries[1].redirectTo).toEqual({ campaign: { id: String(raffle.id), name: "Raffle" } });

    const plan = (await h.api.post("/api/v1/campaign-imports/plan").send({ document: exported }).expect(200)).body;
    expect(plan.valid).toBe(false);
    expect(plan.needs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "sender", suggestion: sender.id, mapped: true }),
        expect.objectContaining({
          kind: "campaign",
          key: String(raffle.id),
          suggestion: String(raffle.id),
          mapped: true,
        }),
        expect.objectContaining({
          kind: "secret_value",
          key: "X-Api-Key",
          mapped: false,
          paths: ["document.nodes.0.entries.0.webhook.headers.1"],
        }),
      ]),
    );
    expect(plan.problems).toEqual([
      expect.objectContaining({ path: "document.nodes.0.entries.0.webhook.headers.1", code: "unmapped" }),
    ]);
    // Refused while something is unmapped, and nothing is created.
    const before = (await h.api.get("/api/v1/campaigns")).body.total;
    const refused = await h.api.post("/api/v1/campaign-imports").send({ document: exported });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].path).toBe("document.nodes.0.entries.0.webhook.headers.1");
    expect((await h.api.get("/api/v1/campaigns")).body.total).toBe(before);

    const mapping = { secretValues: { "X-Api-Key": { value: "sk_live_other_5678" } } };
    const imported = (await h.api.post("/api/v1/campaign-imports").send({ document: exported, mapping }).expect(201))
      .body;
    expect(imported).toMatchObject({ name: "EliPackage", status: "draft", senderId: sender.id });
    const again = (await h.api.get(`/api/v1/campaigns/${imported.id}/export`).expect(200)).body;
    expect(again).toEqual(exported);
    const flow = (await h.api.get(`/api/v1/campaigns/${imported.id}/flow`)).body;
    expect(flow.nodes[0].entries[0].webhook.headers[1]).toMatchObject({
      name: "X-Api-Key",
      secret: true,
      value: "••••5678",
    });
    expect(flow.nodes[0].entries[0].redirectTo).toBe(flow.nodes[1].id);
  });

  it("maps what the target lacks, or leaves it out, and reports each problem with its path", async () => {
    const { base } = await richChatbot(h);
    const exported = (await h.api.get(`${base}/export`).expect(200)).body;
    exported.nodes[0].entries[1].redirectTo = { campaign: { id: "999999", name: "Gone" } };
    exported.nodes[0].entries.push({ ...exported.nodes[0].entries[1], keyword: "3", redirectTo: { node: "n9" } });
    const plan = (
      await h.api
        .post("/api/v1/campaign-imports/plan")
        .send({ document: exported, mapping: { integrations: {}, campaigns: { "123": 424242 } } })
        .expect(200)
    ).body;
    expect(plan.problems.map((p: { path: string; code: string }) => [p.path, p.code])).toEqual(
      expect.arrayContaining([
        ["document.nodes.0.entries.2.redirectTo", "unknown_node"],
        ["document.nodes.0.entries.1.redirectTo", "unmapped"],
        ["document.nodes.0.entries.0.webhook.headers.1", "unmapped"],
      ]),
    );
    exported.nodes[0].entries.pop();
    const imported = (
      await h.api
        .post("/api/v1/campaign-imports")
        .send({
          document: exported,
          name: "Copy",
          mapping: { campaigns: { "999999": null }, secretValues: { "X-Api-Key": null } },
        })
        .expect(201)
    ).body;
    const flow = (await h.api.get(`/api/v1/campaigns/${imported.id}/flow`)).body;
    expect(flow.nodes[0].entries[1]).toMatchObject({ redirectType: "campaign", redirectTo: null });
    expect(flow.nodes[0].entries[0].webhook.headers.map((x: { name: string }) => x.name)).toEqual(["X-Team"]);
  });

  it("refuses a secret value typed by a marketer, and a file of another kind", async () => {
    const { base } = await richChatbot(h);
    const exported = (await h.api.get(`${base}/export`).expect(200)).body;
    const marketer = await h.as("marketer");
    const plan = (
      await marketer
        .post("/api/v1/campaign-imports/plan")
        .send({ document: exported, mapping: { secretValues: { "X-Api-Key": { value: "typed" } } } })
        .expect(200)
    ).body;
    expect(plan.problems).toEqual([expect.objectContaining({ path: "mapping.secretValues.X-Api-Key" })]);
    const wrong = await h.api.post("/api/v1/campaign-imports/plan").send({ document: { ...exported, kind: "other" } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe("body.document.kind");
  });

  it("makes new chatbots from templates, handing off to a Raffle when there is one", async () => {
    const sender = await createSender(h);
    const templates = (await h.api.get("/api/v1/chatbot-templates").expect(200)).body.items;
    expect(templates.map((t: { id: string }) => t.id)).toEqual(["elipackage-streaming", "customer-survey"]);
    const made = (
      await h.api
        .post("/api/v1/chatbot-templates/campaigns")
        .send({ templateId: "elipackage-streaming", senderId: sender.id })
        .expect(201)
    ).body;
    const flow = (await h.api.get(`/api/v1/campaigns/${made.id}/flow`)).body;
    expect(flow.nodes[0].entries.map((e: { menuText: string }) => e.menuText)).toEqual([
      "One month",
      "Six months",
      "One year",
    ]);
    expect(flow.nodes[0].entries[0]).toMatchObject({ webhookEnabled: true, redirectTo: flow.nodes[1].id });
    expect(flow.nodes[1].entries[0]).toMatchObject({ redirectType: "webhook" });
    // No Raffle here: the hand-off waits for the marketer, and Publish says so.
    expect(flow.nodes[2].entries[0]).toMatchObject({ redirectType: "campaign", redirectTo: null });
    const refused = await h.api.post(`/api/v1/campaigns/${made.id}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        target: { nodeId: flow.nodes[2].id, entryId: flow.nodes[2].entries[0].id, field: "redirectTo" },
      }),
    ]);

    const raffle = await createCampaign(h, { name: "Raffle", senderId: sender.id });
    const second = (
      await h.api
        .post("/api/v1/chatbot-templates/campaigns")
        .send({ templateId: "elipackage-streaming", senderId: sender.id, name: "Streaming 2" })
        .expect(201)
    ).body;
    const handedOff = (await h.api.get(`/api/v1/campaigns/${second.id}/flow`)).body.nodes[2].entries[0];
    expect(handedOff.redirectTo).toBe(String(raffle.id));
    await h.api.post(`/api/v1/campaigns/${second.id}/publish`).expect(201);

    const survey = (
      await h.api
        .post("/api/v1/chatbot-templates/campaigns")
        .send({ templateId: "customer-survey", senderId: sender.id })
        .expect(201)
    ).body;
    await h.api.post(`/api/v1/campaigns/${survey.id}/publish`).expect(201);
    expect(
      (await h.api.post("/api/v1/chatbot-templates/campaigns").send({ templateId: "nope", senderId: sender.id }))
        .status,
    ).toBe(404);
  });
});
