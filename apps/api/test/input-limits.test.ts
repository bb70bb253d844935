import { expect, it } from "vitest";
import { createCampaign, createSender, describeEachDatabase, type Harness } from "./harness";

// Literal addresses only: nothing here resolves a name or sends anything.
const HOOK = "http://127.0.0.1:9/hook";
// The documented limit of a webhook's Body (BODY_DEPTH_MAX); the Body object itself is level 1.
const DEPTH_MAX = 32;

/** Text PostgreSQL cannot hold (NUL) or that is not Unicode (half of a surrogate pair), inside ordinary text. */
const flaws = { NUL: "a\u0000b", "a lone high surrogate": "a\ud800b", "a lone low surrogate": "\udc00z" };
const flawMessage = /NUL character|unpaired surrogate/;

// Every table a request could write to; sessions (sliding expiry) left out.
const TABLES = [
  "sender",
  "campaign",
  "node",
  "menu_entry",
  "webhook",
  "webhook_header",
  "flow_version",
  "contact",
  "conversation_session",
  "conversation_message",
  "delivery",
  "delivery_attempt",
  "app_user",
  "password_link",
  "api_token",
  "audit_event",
  "secret_header",
  "integration",
];

/** Everything stored, as text: a refused request must leave it exactly as it was. */
async function storedState(h: Harness): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await h.db.prisma.$queryRawUnsafe<{ rows: string }[]>(
      `SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') AS rows FROM ${table} t`,
    );
    state[table] = row?.rows ?? "";
  }
  return state;
}

async function seed(h: Harness) {
  const sender = await createSender(h);
  const campaign = await createCampaign(h, { senderId: sender.id, triggerKeywords: ["JOIN"] });
  const base = `/api/v1/campaigns/${campaign.id}`;
  const nodes = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
  const node = nodes[0] as { id: string };
  const entry = await h.api.post(`${base}/nodes/${node.id}/entries`).send({
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: nodes[1]?.id,
    webhookEnabled: true,
    webhook: { url: HOOK, body: { source: "chatbot" }, headers: [{ name: "X-Team", value: "growth" }] },
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const secret = await h.api
    .post("/api/v1/secret-headers")
    .send({ label: "CRM key", name: "X-Api-Key", value: "crm_live_0123456789wxyz", allowedHosts: ["127.0.0.1"] });
  expect(secret.status, JSON.stringify(secret.body)).toBe(201);
  const integration = await h.api
    .post("/api/v1/integrations")
    .send({ alias: "CRM", url: HOOK, headers: [{ name: "X-Team", value: "growth" }] });
  expect(integration.status, JSON.stringify(integration.body)).toBe(201);
  await h.as("viewer");
  const users = (await h.api.get("/api/v1/users")).body.items as { id: string; email: string }[];
  return {
    sender,
    campaign,
    base,
    node,
    entryPath: `${base}/nodes/${node.id}/entries/${entry.body.id}`,
    entriesPath: `${base}/nodes/${node.id}/entries`,
    secretId: secret.body.id as string,
    integrationId: integration.body.id as string,
    userId: users.find((u) => u.email === "viewer@example.com")?.id as string,
  };
}
type Seed = Awaited<ReturnType<typeof seed>>;

interface Case {
  route: string;
  /** The field named in the problem. */
  field: string | RegExp;
  send(h: Harness, s: Seed, text: string): Promise<{ status: number; body: unknown; type: string }>;
}
const webhookWith = (patch: Record<string, unknown>) => ({
  url: HOOK,
  body: { source: "chatbot" },
  headers: [{ name: "X-Team", value: "growth" }],
  ...patch,
});

const textCases: Case[] = [
  {
    route: "POST /senders",
    field: "body.name",
    send: (h, _s, t) => h.api.post("/api/v1/senders").send({ name: t, channel: "sms", address: "+525511112222" }),
  },
  {
    route: "PATCH /senders/:id",
    field: "body.name",
    send: (h, s, t) => h.api.patch(`/api/v1/senders/${s.sender.id}`).send({ name: t }),
  },
  {
    route: "POST /campaigns",
    field: "body.name",
    send: (h, s, t) =>
      h.api.post("/api/v1/campaigns").send({ name: t, type: "chatbot", channel: "sms", senderId: s.sender.id }),
  },
  {
    route: "PATCH /campaigns/:id",
    field: "body.triggerKeywords.1",
    send: (h, s, t) => h.api.patch(s.base).send({ triggerKeywords: ["JOIN", t] }),
  },
  {
    route: "PATCH /campaigns/:id",
    field: "body.closingText",
    send: (h, s, t) => h.api.patch(s.base).send({ closingText: t }),
  },
  { route: "POST nodes", field: "body.label", send: (h, s, t) => h.api.post(`${s.base}/nodes`).send({ label: t }) },
  { route: "POST nodes", field: "body.message", send: (h, s, t) => h.api.post(`${s.base}/nodes`).send({ message: t }) },
  {
    route: "PATCH nodes/:id",
    field: "body.message",
    send: (h, s, t) => h.api.patch(`${s.base}/nodes/${s.node.id}`).send({ message: t }),
  },
  {
    route: "PATCH nodes/:id",
    field: "body.confirmationText",
    send: (h, s, t) => h.api.patch(`${s.base}/nodes/${s.node.id}`).send({ confirmationText: t }),
  },
  { route: "POST entries", field: "body.keyword", send: (h, s, t) => h.api.post(s.entriesPath).send({ keyword: t }) },
  {
    route: "POST entries",
    field: "body.menuText",
    send: (h, s, t) => h.api.post(s.entriesPath).send({ keyword: "2", menuText: t }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.menuText",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ menuText: t }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.redirectTo",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ redirectTo: t }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.attribute",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ attribute: t }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.webhook.url",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ webhook: webhookWith({ url: `${HOOK}?${t}` }) }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.webhook.headers.0.name",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ webhook: webhookWith({ headers: [{ name: t, value: "v" }] }) }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.webhook.headers.0.value",
    send: (h, s, t) =>
      h.api.patch(s.entryPath).send({ webhook: webhookWith({ headers: [{ name: "X-Team", value: t }] }) }),
  },
  {
    route: "PATCH entries/:id",
    field: "body.webhook.body.source",
    send: (h, s, t) => h.api.patch(s.entryPath).send({ webhook: webhookWith({ body: { source: t } }) }),
  },
  {
    route: "PUT entries/:id/webhook",
    field: "body.body.deep.list.1",
    send: (h, s, t) => h.api.put(`${s.entryPath}/webhook`).send(webhookWith({ body: { deep: { list: ["ok", t] } } })),
  },
  {
    // A flawed key is named by the object that holds it.
    route: "PUT entries/:id/webhook",
    field: "body.body.deep",
    send: (h, s, t) => h.api.put(`${s.entryPath}/webhook`).send(webhookWith({ body: { deep: { [t]: 1 } } })),
  },
  {
    route: "POST /messages/inbound",
    field: "body.text",
    send: (h, s, t) =>
      h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: "+525500000001", to: s.sender.address, text: t }),
  },
  {
    route: "POST /messages/inbound",
    field: "body.to",
    send: (h, _s, t) =>
      h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from: "+525500000001", to: t, text: "JOIN" }),
  },
  {
    route: "POST /messages/inbound",
    field: "body.messageId",
    send: (h, s, t) =>
      h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: "+525500000001", to: s.sender.address, text: "JOIN", messageId: t }),
  },
  {
    route: "POST /messages/inbound",
    field: "body.replyId",
    send: (h, s, t) =>
      h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "whatsapp", from: "+525500000001", to: s.sender.address, text: "JOIN", replyId: t }),
  },
  {
    route: "POST simulator",
    field: "body.text",
    send: (h, s, t) => h.api.post(`${s.base}/simulator`).send({ text: t }),
  },
  {
    route: "POST /users",
    field: "body.name",
    send: (h, _s, t) => h.api.post("/api/v1/users").send({ email: "ana@example.com", name: t, role: "viewer" }),
  },
  {
    route: "PATCH /users/:id",
    field: "body.name",
    send: (h, s, t) => h.api.patch(`/api/v1/users/${s.userId}`).send({ name: t }),
  },
  {
    route: "POST /tokens",
    field: "body.name",
    send: (h, _s, t) => h.api.post("/api/v1/tokens").send({ name: t, scopes: ["read"] }),
  },
  {
    route: "POST /secret-headers",
    field: "body.label",
    send: (h, _s, t) =>
      h.api.post("/api/v1/secret-headers").send({ label: t, name: "X-Key", value: "v", allowedHosts: ["127.0.0.1"] }),
  },
  {
    route: "POST /secret-headers",
    field: "body.value",
    send: (h, _s, t) =>
      h.api
        .post("/api/v1/secret-headers")
        .send({ label: "Other", name: "X-Key", value: t, allowedHosts: ["127.0.0.1"] }),
  },
  {
    route: "PATCH /secret-headers/:id",
    field: "body.value",
    send: (h, s, t) => h.api.patch(`/api/v1/secret-headers/${s.secretId}`).send({ value: t }),
  },
  {
    route: "POST /integrations",
    field: "body.alias",
    send: (h, _s, t) => h.api.post("/api/v1/integrations").send({ alias: t, url: HOOK }),
  },
  {
    route: "PATCH /integrations/:id",
    field: "body.alias",
    send: (h, s, t) => h.api.patch(`/api/v1/integrations/${s.integrationId}`).send({ alias: t }),
  },
  {
    route: "PATCH /integrations/:id",
    field: "body.headers.0.value",
    send: (h, s, t) =>
      h.api.patch(`/api/v1/integrations/${s.integrationId}`).send({ headers: [{ name: "X-Team", value: t }] }),
  },
];

/** Cases grouped by the resource they write, one seed per group: seeding takes most of a case's time. */
function byResource(cases: Case[]): [string, Case[]][] {
  const groups = new Map<string, Case[]>();
  for (const c of cases) {
    const resource = c.route.split(" ")[1]?.split("/").find(Boolean) ?? c.route;
    groups.set(resource, [...(groups.get(resource) ?? []), c]);
  }
  return [...groups];
}

function expectRefused(
  res: { status: number; body: unknown; type: string },
  field: string | RegExp,
  message: RegExp,
  what = "",
) {
  const shown = `${what}: ${JSON.stringify(res.body)}`;
  expect(res.status, shown).toBe(400);
  expect(res.type, shown).toBe("application/problem+json");
  const errors = (res.body as { errors?: { path: string; message: string }[] }).errors ?? [];
  const path = typeof field === "string" ? field : expect.stringMatching(field);
  expect(errors, shown).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }));
}

/** `depth` levels of arrays inside `{"x": …}`, as JSON text: the Body object is level 1. */
const nestedBody = (depth: number) => `{"x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

describeEachDatabase(
  "inputs that PostgreSQL or HTTP cannot carry",
  (h) => {
    it.each(byResource(textCases))(
      "refuses a NUL or an unpaired surrogate in every text field of %s, naming the field, and changes nothing",
      async (_resource, cases) => {
        const s = await seed(h);
        const before = await storedState(h);
        for (const c of cases) {
          for (const [flaw, text] of Object.entries(flaws)) {
            expectRefused(await c.send(h, s, text), c.field, flawMessage, `${c.route} with ${flaw}`);
          }
        }
        expect(await storedState(h)).toEqual(before);
      },
    );

    it.each([
      ["/api/v1/campaigns?q=%00", "query.q"],
      ["/api/v1/audit?actor=a%00b", "query.actor"],
      ["/api/v1/audit?action=%00", "query.action"],
      ["/api/v1/deliveries?entryId=%00", "query.entryId"],
    ])("refuses a NUL in the query %s", async (url, field) => {
      expectRefused(await h.api.get(url), field, /NUL character/);
    });

    it("reports the broken rule's own code, not the schema library's", async () => {
      const res = await h.api.get("/api/v1/campaigns?q=a%00b");
      expect(res.body.errors).toEqual([expect.objectContaining({ path: "query.q", code: "nul_character" })]);
    });

    it("refuses a Body nested 3,000 deep (Prisma's recursion limit) and one past the documented depth; keeps one at it", async () => {
      const s = await seed(h);
      const before = await storedState(h);
      const deep = await h.api
        .post(s.entriesPath)
        .set("Content-Type", "application/json")
        .send(`{"keyword":"2","menuText":"Two","webhook":{"url":"${HOOK}","body":${nestedBody(3000)}}}`);
      expectRefused(deep, `body.webhook.body.x${".0".repeat(DEPTH_MAX - 1)}`, /32 levels/);
      const past = await h.api
        .put(`${s.entryPath}/webhook`)
        .set("Content-Type", "application/json")
        .send(`{"url":"${HOOK}","body":${nestedBody(DEPTH_MAX + 1)}}`);
      expectRefused(past, `body.body.x${".0".repeat(DEPTH_MAX - 1)}`, /32 levels/);
      expect(await storedState(h)).toEqual(before);

      const at = await h.api
        .put(`${s.entryPath}/webhook`)
        .set("Content-Type", "application/json")
        .send(`{"url":"${HOOK}","body":${nestedBody(DEPTH_MAX)}}`);
      expect(at.status, JSON.stringify(at.body)).toBe(200);
      expect(JSON.stringify(at.body.body)).toBe(nestedBody(DEPTH_MAX));
    });

    it("refuses a Body nested as deep as 1 MB allows without overflowing the stack", async () => {
      const s = await seed(h);
      const before = await storedState(h);
      const res = await h.api
        .put(`${s.entryPath}/webhook`)
        .set("Content-Type", "application/json")
        .send(`{"url":"${HOOK}","body":${nestedBody(400_000)}}`);
      expectRefused(res, `body.body.x${".0".repeat(DEPTH_MAX - 1)}`, /32 levels/);
      expect(await storedState(h)).toEqual(before);
    });

    const notLatin1 = { "a snowman": "snow☃man", "an emoji": "party 🎉", "a zero-width space": "zero\u200Bwidth" };
    const headerCases: Case[] = [
      {
        route: "POST entries",
        field: "body.webhook.headers.0.value",
        send: (h, s, v) =>
          h.api.post(s.entriesPath).send({
            keyword: "2",
            menuText: "Two",
            webhook: webhookWith({ headers: [{ name: "X-Team", value: v }] }),
          }),
      },
      {
        // The webhook service reports its rules under the entry (body.webhook.…), though this body is the webhook.
        route: "PUT entries/:id/webhook",
        field: /^body\.(webhook\.)?headers\.1\.value$/,
        send: (h, s, v) =>
          h.api.put(`${s.entryPath}/webhook`).send(
            webhookWith({
              headers: [
                { name: "X-Team", value: "growth" },
                { name: "Authorization", value: v, secret: true },
              ],
            }),
          ),
      },
      {
        route: "POST /secret-headers",
        field: "body.value",
        send: (h, _s, v) =>
          h.api
            .post("/api/v1/secret-headers")
            .send({ label: "Other", name: "X-Key", value: v, allowedHosts: ["127.0.0.1"] }),
      },
      {
        route: "PATCH /secret-headers/:id",
        field: "body.value",
        send: (h, s, v) => h.api.patch(`/api/v1/secret-headers/${s.secretId}`).send({ value: v }),
      },
      {
        route: "POST /integrations",
        field: "body.headers.0.value",
        send: (h, _s, v) =>
          h.api
            .post("/api/v1/integrations")
            .send({ alias: "Other", url: HOOK, headers: [{ name: "X-Key", value: v }] }),
      },
      {
        route: "PATCH /integrations/:id",
        field: "body.headers.0.value",
        send: (h, s, v) =>
          h.api
            .patch(`/api/v1/integrations/${s.integrationId}`)
            .send({ headers: [{ name: "X-Team", value: v, secret: true }] }),
      },
    ];

    it.each(byResource(headerCases))(
      "refuses a header value outside Latin-1 or with a control character when saving %s, and changes nothing",
      async (_resource, cases) => {
        const s = await seed(h);
        const before = await storedState(h);
        for (const c of cases) {
          for (const [what, value] of Object.entries(notLatin1)) {
            expectRefused(await c.send(h, s, value), c.field, /Latin-1/, `${c.route} with ${what}`);
          }
          for (const value of ["line\r\nX-Injected: 1", "tab\u0007bell"]) {
            expectRefused(await c.send(h, s, value), c.field, /line breaks|control characters/, c.route);
          }
        }
        expect(await storedState(h)).toEqual(before);
      },
    );

    it("keeps a header value in Latin-1 beyond ASCII (café)", async () => {
      const s = await seed(h);
      const res = await h.api
        .put(`${s.entryPath}/webhook`)
        .send(webhookWith({ headers: [{ name: "X-Team", value: "café crème" }] }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.headers[0].value).toBe("café crème");
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
