import { createServer, Agent as HttpAgent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { Role } from "@switchboard/domain/role";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { type Access, type Actor, allows } from "../src/auth/actor";
import { chatbotPointingAt } from "./delivery/fixtures";
import { receiver } from "./delivery/receivers";
import { createCampaign, describeEachDatabase, type Harness, TEST_PASSWORD } from "./harness";
import {
  type BodyInput,
  bodyInput,
  cookieInput,
  csrfInput,
  extraHeaders,
  type JsonSchema,
  Nested,
  nearExamples,
  pathParams,
  queryString,
  type RequestInput,
  renderBody,
  type Seeds,
  shapedLike,
  toJson,
} from "./route-inputs";

// Every route of the route table, as every kind of caller, with generated bodies, headers, cookies, query strings and
// path parameters: no answer is a 5xx, every refusal is problem+json, and a refused change leaves the database as it
// was. The seed makes a run reproducible: ROUTE_PROPERTIES_SEED=<n> runs another sequence.
const SEED = Number(process.env.ROUTE_PROPERTIES_SEED ?? 14);
/**
 * Requests per route: this many from the callers that pass its access check (shared among them: an admin-only route
 * gets them all from the admin), and a few from each caller that is refused.
 */
const RUNS = { allowedChange: 40, allowedRead: 20, perRefusedCaller: 2 };

type CallerName =
  | "anonymous"
  | "agent"
  | "viewer"
  | "marketer"
  | "admin"
  | "token:read"
  | "token:write"
  | "token:inbound"
  | "token:metrics"
  | "token:garbage";

const CALLERS: CallerName[] = [
  "anonymous",
  "agent",
  "viewer",
  "marketer",
  "admin",
  "token:read",
  "token:write",
  "token:inbound",
  "token:metrics",
  "token:garbage",
];

interface Caller {
  name: CallerName;
  session: { token: string; csrf: string } | null;
  bearer: string | null;
}

interface Operation {
  method: string;
  /** OpenAPI form: /api/v1/campaigns/{campaignId} */
  path: string;
  access: Access;
  query: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
}

const MUTATING = new Set(["post", "put", "patch", "delete"]);

/**
 * Columns that change on a refused request by design, left out of the tables' digests: authenticating slides a
 * session's expiry and a token's last use (at most once a minute), whatever the route then answers. A user's lockout
 * columns get a digest of their own (LOCKOUT).
 */
const SLIDING_COLUMNS: Record<string, string[]> = {
  user_session: ["last_seen_at", "expires_at"],
  api_token: ["last_used_at"],
  app_user: ["failed_sign_ins", "locked_until", "updated_at"],
};
/** A wrong password is refused (401) and counted towards the lockout: those columns may change on sign-in only. */
const LOCKOUT = "app_user lockout";
const ALLOWED_CHANGES: Record<string, string[]> = { "post /api/v1/auth/sign-in": [LOCKOUT] };

describeEachDatabase(
  "every route under generated input",
  (h) => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it("answers a path that is not valid percent-encoding with 404 problem+json, on every kind of route", async () => {
      for (const path of [
        "/api/v1/campaigns/%E0%A4%A",
        "/api/v1/sessions/%",
        "/api/v1/auth/links/%zz",
        "/api/v1/campaigns/1/nodes/%ED%A0%80/entries",
      ]) {
        const res = await h.api.get(path);
        expect(res.status, path).toBe(404);
        expect(res.type).toBe("application/problem+json");
        expect(res.body).toMatchObject({ type: "/api/problems#not_found", instance: path });
      }
      const refused = await h.api.delete("/api/v1/senders/%C0%AF");
      expect(refused.status).toBe(404);
    });

    it("refuses a campaign id beyond PostgreSQL's integer, in a path, a query and a body", async () => {
      const big = 2 ** 31;
      for (const path of [`/api/v1/campaigns/${big}`, `/api/v1/campaigns/${big}/sessions`]) {
        const res = await h.api.get(path);
        expect(res.status, path).toBeLessThan(500);
        expect(res.type).toBe("application/problem+json");
      }
      const query = await h.api.get(`/api/v1/deliveries?campaignId=${big}`);
      expect(query.status).toBe(400);
      const body = await h.api
        .post("/api/v1/deliveries/recover")
        .send({ since: new Date().toISOString(), campaignId: big });
      expect(body.status).toBe(400);
      expect(body.body.errors).toEqual([expect.objectContaining({ path: "body.campaignId" })]);
      // An import's mapping names campaigns by id too: one beyond the integer is refused beside it, not dropped.
      const c = await createCampaign(h, { name: "Exported" });
      const document = (await h.api.get(`/api/v1/campaigns/${c.id}/export`)).body;
      const plan = await h.api
        .post("/api/v1/campaign-imports/plan")
        .send({ document, mapping: { campaigns: { [String(big)]: big } } });
      expect(plan.status).toBe(400);
      expect(plan.body.errors).toEqual([
        expect.objectContaining({ path: `body.mapping.campaigns.${big}`, message: "No campaign has this id." }),
      ]);
    });

    it("never answers 5xx, and a refused change changes nothing", { timeout: 480_000 }, async () => {
      const sink = await receiver((_req, res) => res.writeHead(200).end("ok"));
      cleanups.push(sink.close);
      const server = createServer(h.app);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
      cleanups.push(async () => {
        agent.destroy();
        await new Promise<void>((r) => server.close(() => r()));
      });
      const client = new Client((server.address() as AddressInfo).port, agent);

      const { operations, components } = await routeTable(client);
      const seeds = await seed(h, sink.url);
      const callers = await makeCallers(h, client);
      const fingerprint = await fingerprinter(h);
      await expectFingerprintSeesChanges(h, fingerprint);
      const failures: Failure[] = [];
      /** Routes that accepted a generated request at least once: the input reached past validation. */
      const succeeded = new Set<string>();
      let sent = 0;
      let logOffset = h.logs().length;
      const started = Date.now();

      for (const [index, op] of operations.entries()) {
        const inputs = requestInputs(op, components, seeds);
        const mutating = MUTATING.has(op.method);
        const allowedCallers = CALLERS.filter((caller) => allows(actorOf(caller), op.access)).length;
        for (const [c, caller] of CALLERS.entries()) {
          const numRuns = allows(actorOf(caller), op.access)
            ? Math.ceil((mutating ? RUNS.allowedChange : RUNS.allowedRead) / allowedCallers)
            : RUNS.perRefusedCaller;
          const seedOfPair = (SEED * 7919 + index * 31 + c) | 0;
          for (const input of fc.sample(inputs, { seed: seedOfPair, numRuns })) {
            const who = callers[caller] as Caller;
            const request = build(op, input, who);
            const before = mutating ? await fingerprint.now() : null;
            const res = await client.send(request);
            sent++;
            if (res.status < 300) succeeded.add(`${op.method} ${op.path}`);
            const logged = h.logs().slice(logOffset);
            logOffset = h.logs().length;
            const at = { op, caller, seed: seedOfPair, request, res };
            if (res.status >= 500) {
              failures.push({ ...at, kind: `${res.status}`, reason: unhandledError(logged) ?? problemDetail(res) });
            } else if (res.status >= 400) {
              const type = String(res.headers["content-type"] ?? "none");
              // 431 comes from Node's HTTP parser (headers over 16 KB), before the app sees the request.
              if (!type.startsWith("application/problem+json") && res.status !== 431) {
                failures.push({ ...at, kind: "not problem+json", reason: type });
              }
              if (before) {
                const after = await fingerprint.now();
                const allowedChanges = ALLOWED_CHANGES[`${op.method} ${op.path}`] ?? [];
                const changed = [...after.keys()].filter(
                  (t) => after.get(t) !== before.get(t) && !allowedChanges.includes(t),
                );
                if (changed.length > 0) {
                  failures.push({ ...at, kind: "changed on 4xx", reason: changed.join(", ") });
                }
              }
            }
            // A caller that signed itself out signs in again (its lockout cleared) for the requests that follow.
            if (op.path === "/api/v1/auth/sign-out" && res.status < 300 && who.session) {
              callers[caller] = await signIn(h, client, caller as Role);
            }
          }
        }
      }

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const groups = groupFailures(failures);
      console.log(
        `route properties [${h.databaseUrl ? "postgres" : "pglite"}]: ${sent.toLocaleString("en")} requests over ${operations.length} routes × ${CALLERS.length} callers in ${seconds} s (seed ${SEED}; ${succeeded.size} routes accepted some), ` +
          (failures.length === 0
            ? "no 5xx, no change on a refusal"
            : `${failures.length} failures of ${groups.length} kinds`),
      );
      expect(groups, `seed ${SEED}; run again with ROUTE_PROPERTIES_SEED=${SEED}`).toEqual([]);
      // Requests that are all refused at validation would prove little: most routes must have done their work.
      expect(succeeded.size).toBeGreaterThan(operations.length * 0.8);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);

// --- the route table, from the OpenAPI document the API serves ---

interface OpenApiOperation {
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

async function routeTable(client: Client) {
  const res = await client.send({ method: "get", path: "/api/openapi.json", headers: {}, body: null });
  const doc = JSON.parse(res.body) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(methods)) {
      operations.push({
        method,
        path,
        access: accessOf(o),
        query: (o.parameters ?? []).filter((p) => p.in === "query"),
        body: o.requestBody?.content["application/json"]?.schema ?? null,
      });
    }
  }
  expect(operations.length).toBeGreaterThan(60);
  // Served by the app itself, outside the route table.
  for (const path of ["/metrics", "/api/openapi.json", "/api/docs", "/api/problems"]) {
    operations.push({ method: "get", path, access: path === "/metrics" ? "metrics" : "public", query: [], body: null });
  }
  // Deletions last, the deepest first, so that they do not take the seeded objects from the routes before them.
  const rank = (o: Operation) => (o.method === "delete" ? 1_000 - o.path.length : 0);
  operations.sort((a, b) => rank(a) - rank(b));
  return { operations, components: doc.components.schemas };
}

/** The access level, from the "Who:" line that the OpenAPI document writes for each route. */
function accessOf(o: OpenApiOperation): Access {
  const who = o.description ?? "";
  if (o.security?.length === 0 || who.includes("**Who:** anyone")) return "public";
  if (who.includes("`inbound` scope")) return "inbound";
  if (who.includes("**Who:** admins")) return "admin";
  if (who.includes("**Who:** marketers")) return "marketer";
  return "viewer";
}

function requestInputs(op: Operation, components: Record<string, JsonSchema>, seeds: Seeds) {
  const generated = shapedLike(op.body ?? {}, components, seeds);
  const examples = seeds.examples[`${op.method} ${op.path}`];
  const shape = examples ? fc.oneof(generated, nearExamples(examples, generated)) : generated;
  return fc.record<RequestInput>({
    params: pathParams(op.path, seeds),
    query: seeds.queries[`${op.method} ${op.path}`]
      ? fc.oneof(
          queryString(op.query, components, seeds),
          fc.constantFrom(...(seeds.queries[`${op.method} ${op.path}`] as string[])),
        )
      : queryString(op.query, components, seeds),
    body: bodyInput(shape, op.body !== null),
    headers: extraHeaders,
    cookie: cookieInput,
    csrf: csrfInput,
  });
}

// --- callers ---

function actorOf(name: CallerName): Actor | null {
  if (name === "anonymous" || name === "token:garbage") return null;
  if (name.startsWith("token:")) {
    return { kind: "token", id: name, name, scopes: [name.slice(6) as "read"] };
  }
  return {
    kind: "user",
    id: name,
    email: `${name}@example.com`,
    name,
    role: name as Role,
    sessionId: "",
    csrfToken: "",
    expiresAt: new Date(),
  };
}

async function makeCallers(h: Harness, client: Client): Promise<Record<CallerName, Caller>> {
  const callers = {
    anonymous: { name: "anonymous", session: null, bearer: null },
    "token:garbage": { name: "token:garbage", session: null, bearer: "sbt_not-a-token" },
  } as Record<CallerName, Caller>;
  for (const role of ["agent", "viewer", "marketer", "admin"] as const) callers[role] = await signIn(h, client, role);
  for (const scope of ["read", "write", "inbound", "metrics"] as const) {
    const res = await h.api
      .post("/api/v1/tokens")
      .send({ name: `caller ${scope}`, scopes: [scope] })
      .expect(answers(201));
    callers[`token:${scope}`] = { name: `token:${scope}`, session: null, bearer: res.body.secret };
  }
  return callers;
}

/** A session of its own for the role's user (made by the harness), after clearing any lockout the run caused. */
async function signIn(h: Harness, client: Client, role: Role): Promise<Caller> {
  await h.as(role);
  const email = `${role}@example.com`;
  await h.db.prisma.user.update({ where: { email }, data: { failedSignIns: 0, lockedUntil: null } });
  const res = await client.send({
    method: "post",
    path: "/api/v1/auth/sign-in",
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ email, password: TEST_PASSWORD })),
  });
  const cookie = /sb_session=([^;]+)/.exec(String(res.headers["set-cookie"] ?? ""))?.[1];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in as ${role} failed: ${res.status} ${res.body}`);
  return { name: role, session: { token: cookie, csrf: JSON.parse(res.body).csrfToken }, bearer: null };
}

// --- seeded objects: real ids for the path parameters and text fields ---

/** A supertest check that says what the API answered when a seeding step fails. */
const answers = (status: number) => (res: { status: number; body: unknown }) => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
};

async function seed(h: Harness, sinkUrl: string): Promise<Seeds> {
  const choose = await chatbotPointingAt(h, sinkUrl);
  await choose();
  const second = await createCampaign(h, { name: "Second" });
  const secretHeader = await h.api
    .post("/api/v1/secret-headers")
    .send({ label: "CRM key", name: "X-Api-Key", value: "crm_live_0123456789wxyz", allowedHosts: ["127.0.0.1"] })
    .expect(answers(201));
  const integration = await h.api
    .post("/api/v1/integrations")
    .send({
      alias: "CRM",
      url: sinkUrl,
      headers: [{ name: "Authorization", value: "Bearer crm_0123456789", secret: true }],
    })
    .expect(answers(201));
  const entry = await h.db.prisma.menuEntry.findFirstOrThrow({ include: { node: true } });
  const webhookPath = `/api/v1/campaigns/${entry.node.campaignId}/nodes/${entry.nodeId}/entries/${entry.id}/webhook`;
  const inline = (await h.api.get(webhookPath).expect(answers(200))).body.headers[0];
  await h.api
    .put(webhookPath)
    .send({
      url: sinkUrl,
      headers: [
        { id: inline.id, name: inline.name, secret: true },
        { name: "", secret: true, secretHeaderId: secretHeader.body.id },
      ],
    })
    .expect(answers(200));
  await h.api.post(`${webhookPath}/test`).expect(answers(200));
  const target = await h.api
    .post("/api/v1/users")
    .send({ email: "target@example.com", name: "Target", role: "viewer" })
    .expect(answers(201));
  const linkToken = String(target.body.link.url).split("#token=")[1] ?? "";
  const targetToken = await h.api
    .post("/api/v1/tokens")
    .send({ name: "target", scopes: ["read"] })
    .expect(answers(201));

  // A published version of the chatbot (versions, compare, restore) and of the second one (an export to import).
  const chatbotId = entry.node.campaignId;
  await h.api.post(`/api/v1/campaigns/${chatbotId}/publish`).send({ note: "First" }).expect(answers(201));
  const exported = (await h.api.get(`/api/v1/campaigns/${second.id}/export`).expect(answers(200))).body;
  const template = (await h.api.get("/api/v1/chatbot-templates").expect(answers(200))).body.items[0];
  // Hand-off campaigns with their settings and a webhook, so that their settings, results and exports answer.
  const handoffSettings = {
    raffle_giveaway: {
      type: "raffle_giveaway",
      prizes: [{ name: "T-shirt", quantity: 5 }],
      draw: { mode: "instant", winProbability: 0.25 },
      messages: { win: "You won {{prize}}!", lose: "Not this time.", alreadyEntered: "Already in.", over: "Over." },
      webhook: { url: sinkUrl },
    },
    polls_surveys: {
      type: "polls_surveys",
      questions: [
        { key: "colour", type: "single_choice", text: "Favourite colour?", choices: ["Red", "Blue"] },
        { key: "age", type: "number", text: "Your age?", min: 18, max: 120, integer: true },
      ],
      messages: { closing: "Thanks!", alreadyAnswered: "You answered already." },
      webhook: { url: sinkUrl },
    },
  };
  const handoffIds: string[] = [];
  for (const [type, settings] of Object.entries(handoffSettings)) {
    const made = await createCampaign(h, { type, name: type });
    handoffIds.push(String(made.id));
    await h.api.put(`/api/v1/campaigns/${made.id}/handoff`).send(settings).expect(answers(200));
  }

  // A Live Chat team with an agent in it, so that the teams' routes reach past "not found".
  await h.as("agent");
  const teamAgent = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
  const team = await h.api.post("/api/v1/teams").send({ name: "Sales" }).expect(answers(201));
  await h.api.post(`/api/v1/teams/${team.body.id}/members`).send({ userId: teamAgent.id }).expect(answers(201));

  const p = h.db.prisma;
  const campaigns = await p.campaign.findMany();
  const nodes = await p.node.findMany();
  const entries = await p.menuEntry.findMany({ include: { node: true } });
  const senders = await p.sender.findMany();
  const sessions = await p.conversationSession.findMany();
  const deliveries = await p.delivery.findMany();
  const webhookHeaders = await p.webhookHeader.findMany();
  // A Live Chat conversation waiting in the inbox, so that its routes reach past "not found".
  const handedOver = sessions[0];
  const liveChats = handedOver
    ? [
        await p.liveChatConversation.create({
          data: {
            senderId: handedOver.senderId,
            phoneNumber: handedOver.phoneNumber,
            sessionId: handedOver.id,
            campaignId: handedOver.campaignId,
            entryId: entries[0]?.id ?? "",
            state: "waiting",
            settings: { timeoutMinutes: 10, openingHours: null, onTimeout: { action: "end", message: "Bye." } },
            waitingSince: new Date(),
            updatedAt: new Date(),
          },
        }),
      ]
    : [];
  const params: Record<string, string[]> = {
    campaignId: campaigns.map((c) => String(c.id)),
    nodeId: nodes.map((n) => n.id),
    entryId: entries.map((e) => e.id),
    senderId: senders.map((s) => s.id),
    sessionId: sessions.map((s) => s.id),
    deliveryId: deliveries.map((d) => d.id),
    conversationId: liveChats.map((c) => c.id),
    version: ["1"],
    token: [linkToken],
    // Only the target user and token: the callers' own must stay usable through the run.
    users: [target.body.user.id],
    tokens: [targetToken.body.token.id],
    "secret-headers": [secretHeader.body.id],
    "webhook-headers": webhookHeaders.map((w) => w.id),
    integrations: [integration.body.id],
    teamId: [team.body.id],
    userId: [teamAgent.id],
  };
  const uuids = Object.entries(params)
    .filter(([k]) => k !== "campaignId" && k !== "token")
    .flatMap(([, v]) => v);
  const campaignIds = campaigns.map((c) => String(c.id));
  const phones = [...senders.map((s) => s.address), "+525500001000", "+14155550100"];
  const urls = [
    sinkUrl,
    `${sinkUrl}?q=😀`,
    "https://example.com/hook",
    "http://10.0.0.1/hook",
    "http://[::127.0.0.1]/",
    "http://127.0.0.1:1/",
    "javascript:alert(1)",
  ];
  const keywords = ["1", "2", "GO", "STOP", "*", "go "];
  const fields: Record<string, string[]> = {
    email: ["admin@example.com", "target@example.com", " ADMIN@example.com ", "new@example.com", "a@b"],
    password: [TEST_PASSWORD, "another long passphrase", "short"],
    token: [linkToken],
    url: urls,
    from: phones,
    to: phones,
    address: phones,
    redirectTo: [...(params.nodeId ?? []), ...campaignIds, ...(params.integrations ?? [])],
    keyword: keywords,
    triggerKeywords: keywords,
    name: ["Authorization", "X-Api-Key", "Host", "Content-Length", "X-Team", "Main line"],
    value: ["Bearer sk_live_0123456789", "growth", "snow☃man", "\u200b"],
    allowedHosts: ["127.0.0.1", "*.example.com", "example.com"],
    senderId: params.senderId ?? [],
    secretHeaderId: params["secret-headers"] ?? [],
    // A webhook header's own id, in a webhook's headers.
    id: params["webhook-headers"] ?? [],
    entryId: params.entryId ?? [],
    actor: ["admin@example.com"],
  };
  const chatbot = entry.node.campaignId;
  const nextNode = nodes.find((n) => n.campaignId === chatbot && n.id !== entry.nodeId)?.id ?? entry.nodeId;
  const hooked = { url: sinkUrl, body: { plan: "gold" }, headers: [{ name: "X-Team", value: "growth" }] };
  const senderPhone = senders[0]?.address ?? "";
  const flow = "/api/v1/campaigns/{campaignId}/nodes/{nodeId}/entries";
  const examples: Record<string, Record<string, unknown>[]> = {
    "post /api/v1/senders": [{ name: "Second line", channel: "sms", address: "+525511112222" }],
    "patch /api/v1/senders/{senderId}": [{ name: "Renamed" }, { address: "+525533334444" }],
    "post /api/v1/campaigns": [{ name: "New", type: "chatbot", channel: "sms", senderId: senders[0]?.id }],
    "patch /api/v1/campaigns/{campaignId}": [
      { name: "Renamed" },
      { triggerKeywords: ["HELLO"] },
      { closingText: "Bye" },
    ],
    "post /api/v1/campaigns/{campaignId}/nodes": [{ label: "Third", message: "Hello" }],
    [`post ${flow}`]: [
      { keyword: "3", menuText: "Three", redirectType: "interaction", redirectTo: nextNode },
      { keyword: "4", redirectType: "webhook", webhook: hooked },
      {
        keyword: "5",
        menuText: "Five",
        redirectType: "interaction",
        redirectTo: nextNode,
        webhookEnabled: true,
        webhook: hooked,
      },
    ],
    [`patch ${flow}/{entryId}`]: [{ menuText: "Renamed" }, { keyword: "7" }, { webhookEnabled: false }],
    // A Body nested deeper than anything stores (the contracts set the limit) must be refused, not crash the store.
    [`put ${flow}/{entryId}/webhook`]: [hooked, { ...hooked, body: { plan: new Nested(3_000, true) } }],
    "post /api/v1/messages/inbound": [
      { channel: "sms", from: "+525500009999", to: senderPhone, text: "GO" },
      { channel: "sms", from: "+525500001000", to: senderPhone, text: "1", messageId: "m-1" },
    ],
    "post /api/v1/campaigns/{campaignId}/simulator": [{ text: "GO" }, { text: "1" }],
    "post /api/v1/secret-headers": [{ label: "Other key", name: "X-Other", value: "v", allowedHosts: ["127.0.0.1"] }],
    "patch /api/v1/secret-headers/{id}": [{ label: "Renamed" }, { value: "rotated-value" }],
    "post /api/v1/integrations": [{ alias: "Other", url: sinkUrl, allowedHosts: ["127.0.0.1"] }],
    "patch /api/v1/integrations/{id}": [{ alias: "Renamed" }, { url: `${sinkUrl}/v2` }],
    "post /api/v1/users": [{ email: "new@example.com", name: "New", role: "viewer" }],
    "patch /api/v1/users/{id}": [{ name: "Renamed" }, { role: "marketer" }],
    "post /api/v1/tokens": [{ name: "Another", scopes: ["read"] }],
    "post /api/v1/auth/sign-in": [{ email: "target@example.com", password: "not the password" }],
    "post /api/v1/auth/set-password": [{ token: linkToken, password: "a new long passphrase" }],
    "put /api/v1/campaigns/{campaignId}/handoff": Object.values(handoffSettings),
    "post /api/v1/campaigns/{campaignId}/versions/{version}/restore": [{}],
    "post /api/v1/campaign-imports/plan": [{ document: exported, mapping: {} }],
    "post /api/v1/campaign-imports": [{ document: exported, name: "Imported", senderId: senders[0]?.id, mapping: {} }],
    "post /api/v1/chatbot-templates/campaigns": [{ templateId: template?.id, senderId: senders[0]?.id }],
    "post /api/v1/teams": [{ name: "Support" }],
    "patch /api/v1/teams/{teamId}": [{ name: "Renamed" }],
    "post /api/v1/teams/{teamId}/members": [{ userId: teamAgent.id }, { userId: target.body.user.id }],
  };
  // Query strings that pass the routes' own rules (a range of days, two versions), beside the generated ones.
  const queries: Record<string, string[]> = {
    "get /api/v1/campaigns/{campaignId}/report": ["from=2024-06-18&to=2024-06-24", "granularity=hour"],
    "get /api/v1/campaigns/{campaignId}/report/answers": entries.map((e) => `entryId=${e.id}`),
    "get /api/v1/campaigns/{campaignId}/versions/compare": ["from=0&to=1", "from=1&to=0"],
  };
  // A flow edit with a generated ?revision= is nearly always stale (409): the same edits also go without it.
  const node = "/api/v1/campaigns/{campaignId}/nodes/{nodeId}";
  for (const path of [node, `${node}/entries`, `${node}/entries/{entryId}`, `${node}/entries/{entryId}/webhook`]) {
    for (const method of ["post", "patch", "put", "delete"]) queries[`${method} ${path}`] = [""];
  }
  return {
    params,
    examples,
    queries,
    nested: [
      ...entries.map((e) => ({ campaignId: String(e.node.campaignId), nodeId: e.nodeId, entryId: e.id })),
      ...nodes.map((n) => ({ campaignId: String(n.campaignId), nodeId: n.id })),
      // The hand-off campaigns as often as the chatbots, for the routes of a campaign alone.
      ...handoffIds.flatMap((campaignId) => [{ campaignId }, { campaignId }]),
    ],
    uuids,
    integers: campaigns.map((c) => c.id),
    fields,
    strings: [...Object.values(fields).flat(), "interaction", ...campaignIds, ...uuids],
  };
}

// --- the database's fingerprint ---

/**
 * Per table: its row count and the MD5 of its rows (as JSON, sorted), without the columns that slide on their own.
 * Sequences are not tables: a refused insert may use up an id, and gaps are how PostgreSQL sequences work.
 */
async function fingerprinter(h: Harness) {
  const { rows } = await h.db.pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const digest = (name: string, table: string, row: string) =>
    `SELECT '${name}' AS name, count(*)::text || ' ' || md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS digest FROM (SELECT ${row} AS r FROM "${table}" t) s`;
  const parts = rows.map(({ tablename }) => {
    const dropped = (SLIDING_COLUMNS[tablename] ?? []).map((c) => ` - '${c}'`).join("");
    return digest(tablename, tablename, `(to_jsonb(t)${dropped})::text`);
  });
  parts.push(
    digest(
      LOCKOUT,
      "app_user",
      "jsonb_build_object('id', id, 'failed', failed_sign_ins, 'locked', locked_until, 'updated', updated_at)::text",
    ),
  );
  const sql = parts.join(" UNION ALL ");
  let last: { xid: string; digests: Map<string, string> } | null = null;
  return {
    /**
     * The digests as of now. Every write takes a transaction id, so while the next one to be assigned has not moved
     * (requests run one at a time, and nothing else writes) the last digests still hold and are not computed again.
     */
    async now(): Promise<Map<string, string>> {
      const xid = (
        await h.db.pool.query<{ xid: string }>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid")
      ).rows[0]?.xid as string;
      if (last?.xid === xid) return last.digests;
      const result = await h.db.pool.query<{ name: string; digest: string }>(sql);
      last = { xid, digests: new Map(result.rows.map((r) => [r.name, r.digest])) };
      return last.digests;
    },
  };
}

/** The fingerprint changes with a row, and not with a session's sliding expiry: else every comparison would pass. */
async function expectFingerprintSeesChanges(h: Harness, fingerprint: Awaited<ReturnType<typeof fingerprinter>>) {
  const before = await fingerprint.now();
  const sender = await h.db.prisma.sender.findFirstOrThrow();
  await h.db.prisma.sender.update({ where: { id: sender.id }, data: { name: `${sender.name}!` } });
  const changed = await fingerprint.now();
  expect(changed.get("sender")).not.toBe(before.get("sender"));
  await h.db.prisma.sender.update({
    where: { id: sender.id },
    data: { name: sender.name, updatedAt: sender.updatedAt },
  });
  expect((await fingerprint.now()).get("sender")).toBe(before.get("sender"));
  await h.db.prisma.userSession.updateMany({ data: { lastSeenAt: new Date() } });
  expect(await fingerprint.now()).toEqual(before);
}

// --- sending ---

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function build(op: Operation, input: RequestInput, caller: Caller): Sent & { input: RequestInput } {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => input.params[name] ?? "x");
  const { bytes, headers } = renderBody(input.body);
  const all: Record<string, string> = { ...input.headers, ...headers };
  if (caller.bearer) all.authorization = `Bearer ${caller.bearer}`;
  const { session, before, after } = input.cookie;
  const own =
    session.kind === "replace"
      ? [`sb_session=${session.value}`]
      : session.kind === "keep" && caller.session
        ? [`sb_session=${caller.session.token}`]
        : [];
  const cookies = [...before, ...own, ...after];
  if (cookies.length > 0) all.cookie = cookies.join("; ");
  if (caller.session && input.csrf !== "missing") {
    all["x-csrf-token"] = input.csrf === "session" ? caller.session.csrf : "not-the-token";
  }
  return { method: op.method, path: input.query ? `${path}?${input.query}` : path, headers: all, body: bytes, input };
}

class Client {
  constructor(
    private readonly port: number,
    private readonly agent: HttpAgent,
  ) {}

  send(sent: Sent): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: this.port,
          method: sent.method.toUpperCase(),
          path: sent.path,
          headers: { ...sent.headers, ...(sent.body ? { "content-length": String(sent.body.length) } : {}) },
          agent: this.agent,
          timeout: 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer to ${sent.method} ${sent.path} within 20 s`)));
      req.on("error", reject);
      req.end(sent.body ?? undefined);
    });
  }
}

// --- failures ---

interface Failure {
  op: Operation;
  caller: CallerName;
  seed: number;
  request: Sent & { input: RequestInput };
  res: Answer;
  kind: string;
  reason: string;
}

function unhandledError(logged: string): string | null {
  for (const line of logged.split("\n")) {
    if (!line.includes("unhandled error")) continue;
    try {
      // Prisma's messages start with where the call was made and end with what the database said.
      const lines = String(JSON.parse(line).err?.message ?? "")
        .split("\n")
        .filter((l) => l.trim() !== "");
      return (lines[0]?.startsWith("Invalid `") ? lines.at(-1) : lines[0]) ?? "";
    } catch {
      return line.slice(0, 200);
    }
  }
  return null;
}

function problemDetail(res: Answer): string {
  try {
    return String(JSON.parse(res.body).detail);
  } catch {
    return res.body.slice(0, 200);
  }
}

/** One line per kind of failure (status and cause), with how often and where it happened and one request that shows it. */
function groupFailures(failures: Failure[]): string[] {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    // Ids and numbers vary between requests of one kind.
    const reason = f.reason
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>")
      .replace(/\d+/g, "<n>")
      .slice(0, 160);
    const key = `${f.kind}: ${reason}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, list]) => {
    const routes = new Set(list.map((f) => `${f.op.method.toUpperCase()} ${f.op.path}`));
    const callers = new Set(list.map((f) => f.caller));
    const first = list[0] as Failure;
    return [
      `${key} — ${list.length}× on ${routes.size} routes (${[...routes].slice(0, 3).join(", ")}${routes.size > 3 ? ", …" : ""}) as ${[...callers].join(", ")}`,
      `    e.g. as ${first.caller} (seed ${first.seed}): ${describeRequest(first.request)}`,
      `    → ${first.res.status} ${first.res.body.slice(0, 200)}`,
    ].join("\n");
  });
}

function describeRequest(r: Sent & { input: RequestInput }): string {
  const headers = Object.entries(r.headers)
    .filter(([k]) => k !== "authorization" && k !== "content-length")
    .map(([k, v]) => `${k}: ${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v)}`)
    .join("; ");
  return `${r.method.toUpperCase()} ${r.path.slice(0, 200)} [${headers}] body ${describeBody(r.input.body)}`;
}

function describeBody(body: BodyInput): string {
  const text =
    body.kind === "none"
      ? "none"
      : body.kind === "raw"
        ? `raw ${JSON.stringify(body.bytes.subarray(0, 120).toString("utf8"))} (${body.bytes.length} bytes)`
        : `${body.kind === "encoded" ? `${body.encoding}${body.compressed ? "" : " (not compressed)"} ` : ""}${toJson(body.value)}`;
  return text.length > 400 ? `${text.slice(0, 400)}…(${text.length})` : text;
}
