import { expect, it } from "vitest";
import { createCampaign, describeEachDatabase, type Harness } from "./harness";

async function chatbot(h: Harness, overrides: Record<string, unknown> = {}) {
  const campaign = await createCampaign(h, overrides);
  const flow = (await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`)).body;
  const [welcome, one, two, three] = flow.nodes as { id: string; label: string }[];
  const base = `/api/v1/campaigns/${campaign.id}`;
  return {
    campaign,
    base,
    welcome: welcome as { id: string },
    nodes: { one, two, three } as Record<string, { id: string }>,
    entries: `${base}/nodes/${welcome?.id}/entries`,
  };
}

const webhook = {
  url: "https://hooks.example.com/streaming",
  body: { source: "chatbot" },
  headers: [
    { name: "Authorization", value: "Bearer sk_live_0123456789abcd", secret: true },
    { name: "X-Team", value: "growth" },
  ],
};

describeEachDatabase("the Interactions of a chatbot", (h) => {
  it("lets a save wait for a busy database instead of failing after Prisma's default 2 s", async () => {
    const bot = await chatbot(h);
    // Every connection of the pool is taken for 2.5 s (the embedded database has one).
    const size = (h.db.pool.options as { max?: number }).max ?? 1;
    const holders = Array.from({ length: size }, () => h.db.pool.query("SELECT pg_sleep(2.5)"));
    await new Promise((r) => setTimeout(r, 100));
    const res = await h.api.post(bot.entries).send({ keyword: "1", menuText: "One month" });
    await Promise.all(holders);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("builds the streaming-membership menu with a toggled webhook and two headers", async () => {
    const bot = await chatbot(h);
    await h.api
      .patch(`${bot.base}/nodes/${bot.welcome.id}`)
      .send({ message: "Welcome to EliPackage, enter the best option for streaming membership:" })
      .expect(200);
    const one = await h.api.post(bot.entries).send({
      keyword: "1",
      menuText: "One month",
      redirectType: "interaction",
      redirectTo: bot.nodes.one?.id,
      webhookEnabled: true,
      webhook,
    });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({
      keyword: "1",
      menuText: "One month",
      redirectTo: bot.nodes.one?.id,
      webhookEnabled: true,
      hasWebhook: true,
    });
    expect(one.body.webhook.headers).toEqual([
      { id: expect.any(String), name: "Authorization", value: "••••abcd", secret: true, secretHeaderId: null },
      { id: expect.any(String), name: "X-Team", value: "growth", secret: false, secretHeaderId: null },
    ]);
    await h.api
      .post(bot.entries)
      .send({ keyword: "2", menuText: "Six months", redirectType: "interaction", redirectTo: bot.nodes.two?.id })
      .expect(201);
    await h.api
      .post(bot.entries)
      .send({ keyword: "3", menuText: "One year", redirectType: "interaction", redirectTo: bot.nodes.three?.id })
      .expect(201);

    const flow = (await h.api.get(`${bot.base}/flow`)).body;
    expect(
      flow.nodes[0].entries.map((e: { keyword: string; hasWebhook: boolean }) => [e.keyword, e.hasWebhook]),
    ).toEqual([
      ["1", true],
      ["2", false],
      ["3", false],
    ]);
    // The stored secret is sealed (AES-256-GCM): ciphertext in the database, the real value inside.
    const stored = await h.db.prisma.webhookHeader.findFirst({ where: { name: "Authorization" } });
    expect(stored?.value).toMatch(/^sb1\./);
    expect(stored?.value).not.toContain("sk_live");
    expect(h.secretBox.open(stored?.value as string)).toBe("Bearer sk_live_0123456789abcd");
    expect(JSON.stringify(flow)).not.toContain("sk_live_0123456789abcd");
  });

  it("edits and deletes a header, keeping a secret it is not shown", async () => {
    const bot = await chatbot(h);
    const entry = (
      await h.api.post(bot.entries).send({
        keyword: "1",
        menuText: "One month",
        redirectType: "interaction",
        redirectTo: bot.nodes.one?.id,
        webhookEnabled: true,
        webhook,
      })
    ).body;
    const [auth, team] = entry.webhook.headers;
    const url = `${bot.entries}/${entry.id}/webhook`;
    const edited = await h.api.put(url).send({
      url: webhook.url,
      body: {},
      headers: [
        { id: auth.id, name: "Authorization", secret: true },
        { id: team.id, name: "X-Team", value: "retention" },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.headers.map((x: { name: string; value: string }) => `${x.name}=${x.value}`)).toEqual([
      "Authorization=••••abcd",
      "X-Team=retention",
    ]);
    const stored = await h.db.prisma.webhookHeader.findFirst({ where: { name: "Authorization" } });
    expect(h.secretBox.open(stored?.value as string)).toBe("Bearer sk_live_0123456789abcd");

    const deleted = await h.api
      .put(url)
      .send({ url: webhook.url, headers: [{ id: auth.id, name: "Authorization", secret: true }] });
    expect(deleted.body.headers.map((x: { name: string }) => x.name)).toEqual(["Authorization"]);
    expect((await h.api.get(url)).body).toEqual(deleted.body);
  });

  it("refuses a header value it cannot resolve", async () => {
    const bot = await chatbot(h);
    const res = await h.api.post(bot.entries).send({
      keyword: "1",
      redirectType: "webhook",
      webhook: { url: webhook.url, headers: [{ name: "X-Key", secret: true }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: "body.webhook.headers.0.value", code: "required", message: "Header value is required." },
    ]);
  });

  it("keeps Menu Text and Redirect To off a Webhook-type entry", async () => {
    const bot = await chatbot(h);
    const res = await h.api.post(bot.entries).send({
      keyword: "3",
      menuText: "Tell us your name",
      redirectType: "webhook",
      redirectTo: bot.nodes.one?.id,
      webhook,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: "body.menuText",
        code: "not_available",
        message: "Menu Text is not available when Redirect Type is Webhook.",
      },
      {
        path: "body.redirectTo",
        code: "not_available",
        message: "Redirect To is not available when Redirect Type is Webhook.",
      },
    ]);
    const ok = await h.api.post(bot.entries).send({ keyword: "3", redirectType: "webhook", webhook });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      redirectType: "webhook",
      menuText: null,
      redirectTo: null,
      hasWebhook: true,
      webhookEnabled: false,
    });
  });

  it("switches an entry to Redirect Type Webhook", async () => {
    const bot = await chatbot(h);
    const entry = (
      await h.api
        .post(bot.entries)
        .send({ keyword: "1", menuText: "One month", redirectType: "interaction", redirectTo: bot.nodes.one?.id })
    ).body;
    const res = await h.api
      .patch(`${bot.entries}/${entry.id}`)
      .send({ redirectType: "webhook", menuText: null, redirectTo: null, webhook });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ redirectType: "webhook", hasWebhook: true });
  });

  it("keeps the webhook toggle off until Redirect Type and Redirect To are set", async () => {
    const bot = await chatbot(h);
    const res = await h.api
      .post(bot.entries)
      .send({ keyword: "1", menuText: "One month", webhookEnabled: true, webhook });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: "body.webhookEnabled",
        code: "toggle_unavailable",
        message: "The webhook can be switched on only once Redirect Type and Redirect To are both set.",
      },
    ]);
    const draft = await h.api.post(bot.entries).send({ keyword: "1", menuText: "One month" });
    expect(draft.body).toMatchObject({ webhookEnabled: false, hasWebhook: false, redirectType: null });
    const noUrl = await h.api
      .patch(`${bot.entries}/${draft.body.id}`)
      .send({ redirectType: "interaction", redirectTo: bot.nodes.one?.id, webhookEnabled: true });
    expect(noUrl.body.errors).toEqual([
      { path: "body.webhook.url", code: "required", message: "URL is required: this entry sends a webhook." },
    ]);
  });

  it("checks the webhook's URL, Body and Headers", async () => {
    const bot = await chatbot(h);
    const res = await h.api.post(bot.entries).send({
      keyword: "1",
      redirectType: "webhook",
      webhook: {
        url: "http://user:pw@hooks.example.com",
        body: { date: "x", ok: 1 },
        headers: [
          { name: "Content-Type", value: "text/plain" },
          { name: "X-A", value: "a\r\nb" },
          { name: "webhook-id", value: "1" },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([
      "body.webhook.url insecure_scheme",
      "body.webhook.body.date reserved_field",
      "body.webhook.headers.0.name reserved_header",
      "body.webhook.headers.1.value line_break",
      "body.webhook.headers.2.name reserved_header",
    ]);
    const notObject = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "webhook", webhook: { url: webhook.url, body: [1] } });
    expect(notObject.body.errors[0]).toMatchObject({ path: "body.webhook.body", code: "not_an_object" });
    expect((await h.api.get(`${bot.base}/flow`)).body.nodes[0].entries).toEqual([]);
  });

  it("keeps keywords unique within a node", async () => {
    const bot = await chatbot(h);
    await h.api.post(bot.entries).send({ keyword: "A", menuText: "x" }).expect(201);
    const dup = await h.api.post(bot.entries).send({ keyword: " a ", menuText: "y" });
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual([
      {
        path: "body.keyword",
        code: "duplicate_keyword",
        message: "Keyword a is already used by entry 1 of this node.",
      },
    ]);
    // Another node may reuse it.
    await h.api
      .post(`${bot.base}/nodes/${bot.nodes.one?.id}/entries`)
      .send({ keyword: "A", menuText: "x" })
      .expect(201);
  });

  it("points Redirect To only at things that exist", async () => {
    const bot = await chatbot(h);
    const other = await chatbot(h, { name: "Other" });
    const foreignNode = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "interaction", redirectTo: other.nodes.one?.id });
    expect(foreignNode.body.errors[0]).toMatchObject({ path: "body.redirectTo", code: "unknown_node" });
    const self = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "interaction", redirectTo: bot.welcome.id });
    expect(self.body.errors[0].code).toBe("self_redirect");
    const missing = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "campaign", redirectTo: "99999999" });
    expect(missing.body.errors[0].message).toBe(
      "Redirect To must be another existing campaign; campaign 99999999 does not exist.",
    );
    const itself = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "campaign", redirectTo: String(bot.campaign.id) });
    expect(itself.body.errors[0].code).toBe("self_redirect");
    const integration = await h.api
      .post(bot.entries)
      .send({ keyword: "1", redirectType: "integration", redirectTo: "00000000-0000-4000-8000-000000000000" });
    expect(integration.body.errors[0].code).toBe("unknown_integration");
    await h.api
      .post(bot.entries)
      .send({ keyword: "1", menuText: "Other bot", redirectType: "campaign", redirectTo: String(other.campaign.id) })
      .expect(201);
  });

  it("refuses to delete a node that is a target, listing the entries, and never the Welcome Message", async () => {
    const bot = await chatbot(h);
    await h.api
      .post(bot.entries)
      .send({ keyword: "1", menuText: "One month", redirectType: "interaction", redirectTo: bot.nodes.one?.id })
      .expect(201);
    const refused = await h.api.delete(`${bot.base}/nodes/${bot.nodes.one?.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(
      'Interaction 1 cannot be deleted: 1 menu entry points at it ("EliPackage" › Welcome Message › 1. One month). Change their Redirect To first.',
    );
    expect(refused.body.references).toHaveLength(1);
    const welcome = await h.api.delete(`${bot.base}/nodes/${bot.welcome.id}`);
    expect(welcome.status).toBe(409);
    expect((await h.api.delete(`${bot.base}/nodes/${bot.nodes.two?.id}`)).status).toBe(204);
    const flow = (await h.api.get(`${bot.base}/flow`)).body;
    expect(flow.nodes.map((n: { label: string; position: number }) => `${n.position}:${n.label}`)).toEqual([
      "0:Welcome Message",
      "1:Interaction 1",
      "2:Interaction 3",
    ]);
  });

  it("adds, renames and reorders Interactions, the Welcome Message staying first", async () => {
    const bot = await chatbot(h);
    const added = await h.api.post(`${bot.base}/nodes`).send({ message: "Tell us your name" });
    expect(added.body.label).toBe("Interaction 4");
    const moved = await h.api.patch(`${bot.base}/nodes/${added.body.id}`).send({ label: "Name question", position: 1 });
    expect(moved.body).toMatchObject({ label: "Name question", position: 1 });
    expect(moved.body.messageStats).toEqual({ characters: 17, segments: 1, encoding: "GSM-7", limit: 1600 });
    const clash = await h.api.patch(`${bot.base}/nodes/${added.body.id}`).send({ label: "welcome message" });
    expect(clash.body.errors[0].code).toBe("duplicate_label");
    const labels = (await h.api.get(`${bot.base}/flow`)).body.nodes.map((n: { label: string }) => n.label);
    expect(labels).toEqual(["Welcome Message", "Name question", "Interaction 1", "Interaction 2", "Interaction 3"]);
  });

  it("reorders and deletes menu entries", async () => {
    const bot = await chatbot(h);
    const ids: string[] = [];
    for (const k of ["1", "2", "3"])
      ids.push((await h.api.post(bot.entries).send({ keyword: k, menuText: `Option ${k}` })).body.id);
    await h.api.patch(`${bot.entries}/${ids[2]}`).send({ position: 0 }).expect(200);
    await h.api.delete(`${bot.entries}/${ids[1]}`).expect(204);
    const entries = (await h.api.get(`${bot.base}/flow`)).body.nodes[0].entries;
    expect(entries.map((e: { keyword: string; position: number }) => `${e.position}:${e.keyword}`)).toEqual([
      "0:3",
      "1:1",
    ]);
  });

  it("holds WhatsApp to its limits", async () => {
    const bot = await chatbot(h, { channel: "whatsapp" });
    const long = await h.api.patch(`${bot.base}/nodes/${bot.welcome.id}`).send({ message: "x".repeat(1025) });
    expect(long.body.errors).toEqual([
      {
        path: "body.message",
        code: "too_long",
        message: "WhatsApp messages are limited to 1024 characters (this one has 1025).",
      },
    ]);
    for (let i = 0; i < 10; i++)
      await h.api
        .post(bot.entries)
        .send({ keyword: String(i), menuText: `Option ${i}` })
        .expect(201);
    const eleventh = await h.api.post(bot.entries).send({ keyword: "A", menuText: "One too many" });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.errors[0].message).toBe("A WhatsApp menu can list at most 10 options (this one has 11).");
  });

  it("refuses at publish a WhatsApp option titled over 24 characters, pointing at its Menu Text", async () => {
    const bot = await chatbot(h, { channel: "whatsapp" });
    const entry = (
      await h.api.post(bot.entries).send({ keyword: "1", menuText: "Thirty-two characters of a title" }).expect(201)
    ).body;
    const refused = await h.api.post(`${bot.base}/publish`);
    expect(refused.status).toBe(400);
    const found = refused.body.errors.filter((e: { code: string }) => e.code === "too_long");
    expect(found).toEqual([
      expect.objectContaining({
        message:
          "Welcome Message › 1: WhatsApp shows an option's title in at most 24 characters (this one has 32); shorten the Menu Text.",
        target: { nodeId: bot.welcome.id, entryId: entry.id, field: "menuText" },
      }),
    ]);
    expect((await h.api.get(`${bot.base}/versions`)).body.items).toEqual([]);
  });

  it("answers 404 for entries and nodes of another chatbot", async () => {
    const bot = await chatbot(h);
    const other = await chatbot(h, { name: "Other" });
    const res = await h.api.post(`${bot.base}/nodes/${other.welcome.id}/entries`).send({ keyword: "1" });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(`Node ${other.welcome.id} of this chatbot does not exist.`);
  });

  it("never writes header values into the logs", async () => {
    const bot = await chatbot(h);
    await h.api.post(bot.entries).send({ keyword: "1", redirectType: "webhook", webhook }).expect(201);
    await h.api
      .post(bot.entries)
      .send({ keyword: "2", redirectType: "webhook", webhook: { ...webhook, url: "ftp://x" } })
      .expect(400);
    expect(h.logs()).toContain("/entries");
    expect(h.logs()).not.toContain("sk_live_0123456789abcd");
    expect(h.logs()).not.toContain("growth");
  });
});

describeEachDatabase(
  "plain http webhooks, when the installation allows them",
  (h) => {
    it("refuses internal addresses unless allow-listed, whatever their form", async () => {
      const bot = await chatbot(h);
      for (const url of [
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0x0a.0.0.1/",
        "http://167772161/",
        "http://[::1]/x",
      ]) {
        const res = await h.api.post(bot.entries).send({ keyword: "1", redirectType: "webhook", webhook: { url } });
        expect(res.status, url).toBe(400);
        expect(res.body.errors[0]).toMatchObject({ path: "body.webhook.url", code: "address_refused" });
        expect(res.body.errors[0].message).toMatch(/Webhooks only go to public addresses/);
      }
    });

    it("accepts an http:// URL", async () => {
      const bot = await chatbot(h);
      await h.api
        .post(bot.entries)
        .send({ keyword: "1", redirectType: "webhook", webhook: { url: "http://127.0.0.1:9999/sink" } })
        .expect(201);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
