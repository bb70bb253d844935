import { expect, it } from "vitest";
import { createSender, describeEachDatabase, type Harness } from "./harness";

// Every route, and who may call it. A new route must be added here (the last test fails otherwise): its access level is
// a decision, not a default.
type Level = "public" | "agent" | "viewer" | "marketer" | "admin" | "inbound" | "session" | "signing";
const C = 999_999;
const U = "00000000-0000-4000-8000-000000000000";
const flow = `/api/v1/campaigns/${C}`;
const entry = `${flow}/nodes/${U}/entries/${U}`;
const matrix: [string, string, Level][] = [
  ["get", "/api/health", "public"],
  ["get", "/api/health/live", "public"],
  ["get", "/api/health/ready", "public"],
  ["get", "/api/v1/settings", "viewer"],
  ["post", "/api/v1/auth/sign-in", "public"],
  ["post", "/api/v1/auth/sign-out", "session"],
  ["get", "/api/v1/auth/me", "session"],
  ["get", `/api/v1/auth/links/${U}`, "public"],
  ["post", "/api/v1/auth/setup", "public"],
  ["post", "/api/v1/auth/set-password", "public"],
  ["get", "/api/v1/users", "admin"],
  ["post", "/api/v1/users", "admin"],
  ["patch", `/api/v1/users/${U}`, "admin"],
  ["delete", `/api/v1/users/${U}`, "admin"],
  ["post", `/api/v1/users/${U}/password-reset`, "admin"],
  ["get", "/api/v1/audit", "admin"],
  ["get", "/api/v1/tokens", "admin"],
  ["post", "/api/v1/tokens", "admin"],
  ["delete", `/api/v1/tokens/${U}`, "admin"],

  ["get", "/api/v1/secret-headers", "viewer"],
  ["post", "/api/v1/secret-headers", "admin"],
  ["patch", `/api/v1/secret-headers/${U}`, "admin"],
  ["post", `/api/v1/secret-headers/${U}/reveal`, "admin"],
  ["post", `/api/v1/webhook-headers/${U}/reveal`, "admin"],
  ["delete", `/api/v1/secret-headers/${U}`, "admin"],
  ["get", "/api/v1/integrations", "admin"],
  ["get", "/api/v1/integration-choices", "viewer"],
  ["post", "/api/v1/integrations", "admin"],
  ["patch", `/api/v1/integrations/${U}`, "admin"],
  ["delete", `/api/v1/integrations/${U}`, "admin"],
  ["post", `/api/v1/integrations/${U}/signing-secret`, "signing"],
  ["post", `${entry}/webhook/signing-secret`, "signing"],
  ["post", `/api/v1/integrations/${U}/signing-secret/reveal`, "admin"],
  ["post", `${entry}/webhook/signing-secret/reveal`, "admin"],
  ["get", "/api/v1/senders", "viewer"],
  ["post", "/api/v1/senders", "admin"],
  ["get", `/api/v1/senders/${U}`, "viewer"],
  ["patch", `/api/v1/senders/${U}`, "admin"],
  ["delete", `/api/v1/senders/${U}`, "admin"],
  ["post", `/api/v1/senders/${U}/credentials/reveal`, "admin"],
  ["get", "/api/v1/opt-outs", "admin"],
  ["get", `/api/v1/sessions/${U}/outbound-messages`, "viewer"],
  ["get", "/api/v1/campaigns", "viewer"],
  ["post", "/api/v1/campaigns", "marketer"],
  ["get", flow, "viewer"],
  ["patch", flow, "marketer"],
  ["delete", flow, "marketer"],
  ["post", `${flow}/publish`, "marketer"],
  ["get", `${flow}/publication`, "viewer"],
  ["get", `${flow}/versions`, "viewer"],
  ["get", `${flow}/versions/compare`, "viewer"],
  ["post", `${flow}/versions/${U}/restore`, "marketer"],
  ["get", `${flow}/export`, "viewer"],
  ["post", "/api/v1/campaign-imports/plan", "marketer"],
  ["post", "/api/v1/campaign-imports", "marketer"],
  ["get", "/api/v1/chatbot-templates", "viewer"],
  ["post", "/api/v1/chatbot-templates/campaigns", "marketer"],
  ["get", `${flow}/flow`, "viewer"],
  ["post", `${flow}/nodes`, "marketer"],
  ["patch", `${flow}/nodes/${U}`, "marketer"],
  ["delete", `${flow}/nodes/${U}`, "marketer"],
  ["post", `${flow}/nodes/${U}/entries`, "marketer"],
  ["patch", entry, "marketer"],
  ["delete", entry, "marketer"],
  ["get", `${entry}/webhook`, "viewer"],
  ["put", `${entry}/webhook`, "marketer"],
  ["post", `${entry}/webhook/enable`, "marketer"],
  ["delete", `${entry}/webhook`, "marketer"],
  ["post", `${entry}/webhook/test`, "marketer"],
  ["get", `${flow}/webhook-stats`, "viewer"],
  ["get", `${flow}/report`, "viewer"],
  ["get", `${flow}/report/answers`, "viewer"],
  ["get", "/api/v1/deliveries", "viewer"],
  ["get", `/api/v1/deliveries/${U}`, "viewer"],
  ["post", `/api/v1/deliveries/${U}/resend`, "marketer"],
  ["post", "/api/v1/deliveries/recover", "marketer"],
  ["post", "/api/v1/messages/inbound", "inbound"],
  ["post", `${flow}/simulator`, "marketer"],
  ["get", `${flow}/sessions`, "viewer"],
  ["get", `/api/v1/sessions/${U}`, "viewer"],
  ["get", `${flow}/handoff`, "viewer"],
  ["put", `${flow}/handoff`, "marketer"],
  ["post", `${flow}/handoff/webhook/signing-secret`, "marketer"],
  ["post", `${flow}/handoff/webhook/test`, "marketer"],
  ["get", `${flow}/raffle/results`, "viewer"],
  ["get", `${flow}/raffle/entries`, "viewer"],
  ["get", `${flow}/raffle/entries.csv`, "viewer"],
  ["get", `${flow}/survey/results`, "viewer"],
  ["get", `${flow}/survey/responses`, "viewer"],
  ["get", `${flow}/survey/responses.csv`, "viewer"],
  // The providers' routes: public, authenticated by the provider's signature (an unknown sender is a 404 first).
  ["post", `/api/v1/providers/twilio/${U}/inbound`, "public"],
  ["post", `/api/v1/providers/twilio/${U}/status`, "public"],
  ["get", `/api/v1/providers/whatsapp/${U}`, "public"],
  ["post", `/api/v1/providers/whatsapp/${U}`, "public"],
  // Live Chat's inbox: agents (their teams' conversations), marketers and admins; signed-in people only.
  ["get", "/api/v1/inbox", "agent"],
  ["get", "/api/v1/inbox/agents", "agent"],
  ["get", `/api/v1/inbox/${U}`, "agent"],
  ["post", `/api/v1/inbox/${U}/take`, "agent"],
  ["post", `/api/v1/inbox/${U}/transfer`, "agent"],
  ["post", `/api/v1/inbox/${U}/reply`, "agent"],
  ["post", `/api/v1/inbox/${U}/close`, "agent"],
  ["post", `/api/v1/inbox/${U}/read`, "agent"],
  // Live Chat's teams: everyone signed in reads them (an agent transfers, a marketer picks an entry's team); admins change them.
  ["get", "/api/v1/teams", "session"],
  ["post", "/api/v1/teams", "admin"],
  ["patch", `/api/v1/teams/${U}`, "admin"],
  ["delete", `/api/v1/teams/${U}`, "admin"],
  ["post", `/api/v1/teams/${U}/members`, "admin"],
  ["delete", `/api/v1/teams/${U}/members/${U}`, "admin"],
];

type Caller = "anonymous" | "agent" | "viewer" | "marketer" | "admin" | "token:inbound" | "token:read" | "token:write";
const callers: Caller[] = [
  "anonymous",
  "agent",
  "viewer",
  "marketer",
  "admin",
  "token:inbound",
  "token:read",
  "token:write",
];

function allowed(level: Level, caller: Caller): boolean {
  const rank = { viewer: 1, marketer: 2, admin: 3 } as Record<string, number>;
  switch (level) {
    case "public":
      return true;
    case "session":
      return !caller.startsWith("token") && caller !== "anonymous";
    case "inbound":
      return caller === "token:inbound" || caller === "marketer" || caller === "admin";
    case "signing":
      return caller === "admin";
    case "agent":
      return caller === "agent" || caller === "marketer" || caller === "admin";
    default:
      // Agents work the inbox and nothing else.
      if (caller === "agent") return false;
      if (caller === "anonymous") return false;
      if (caller === "token:read") return level === "viewer";
      if (caller === "token:write") return level === "viewer" || level === "marketer";
      if (caller === "token:inbound") return false;
      return (rank[caller] ?? 0) >= (rank[level] ?? 9);
  }
}

async function request(h: Harness, caller: Caller, tokens: Record<string, string>, method: string, path: string) {
  const agent = await h.as(caller.startsWith("token") || caller === "anonymous" ? null : (caller as "admin"));
  // biome-ignore lint/suspicious/noExplicitAny: supertest's method table
  let req = (agent as any)[method](path);
  if (caller.startsWith("token")) req = req.set("Authorization", `Bearer ${tokens[caller]}`);
  return method === "get" || method === "delete" ? req : req.send({});
}

describeEachDatabase("who may call what", (h) => {
  for (const caller of callers) {
    it(`answers ${caller} with 401/403 exactly where the role matrix says, on every route`, async () => {
      const tokens: Record<string, string> = {};
      for (const scope of ["inbound", "read", "write"]) {
        const res = await h.api
          .post("/api/v1/tokens")
          .send({ name: scope, scopes: [scope] })
          .expect(201);
        tokens[`token:${scope}`] = res.body.secret;
      }
      const wrong: string[] = [];
      for (const [method, path, level] of matrix) {
        // Signing out would end the session the next rows use; its refusals are still checked.
        if (path.endsWith("/sign-out") && allowed(level, caller)) continue;
        const res = await request(h, caller, tokens, method, path);
        const refused = res.status === 401 || res.status === 403;
        const expected = !allowed(level, caller);
        if (refused !== expected) wrong.push(`${method.toUpperCase()} ${path}: ${res.status}`);
        if (refused && caller === "anonymous") expect(res.status, path).toBe(401);
        if (refused && caller !== "anonymous") expect(res.headers["content-type"]).toMatch(/problem\+json/);
      }
      expect(wrong).toEqual([]);
    });
  }

  it("refuses a marketer's change with 403 and changes nothing", async () => {
    const marketer = await h.as("marketer");
    const res = await marketer
      .post("/api/v1/senders")
      .send({ name: "Side line", channel: "sms", address: "+525511112222" });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/admins/);
    expect(await h.db.prisma.sender.count()).toBe(0);
    const viewer = await h.as("viewer");
    const sender = await createSender(h);
    const refused = await viewer
      .post("/api/v1/campaigns")
      .send({ name: "X", type: "chatbot", channel: "sms", senderId: sender.id });
    expect(refused.status).toBe(403);
    expect(await h.db.prisma.campaign.count()).toBe(0);
  });

  it("refuses a session's change without its CSRF token", async () => {
    const agent = await h.as("admin");
    const res = await agent
      .post("/api/v1/senders")
      .set("X-CSRF-Token", "forged")
      .send({ name: "Main", channel: "sms", address: "+525511113333" });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/csrf_failed/);
    expect(await h.db.prisma.sender.count()).toBe(0);
  });

  it("classifies every route of the API", async () => {
    const doc = (await h.api.get("/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const template = (p: string) => p.replace(/\{(?!campaignId\})[^}]+\}/g, "{x}");
    const known = new Set(matrix.map(([m, p]) => `${m} ${p.replace(String(C), "{campaignId}").replaceAll(U, "{x}")}`));
    const missing = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((method) => `${method} ${template(path)}`)
        .filter((key) => !known.has(key)),
    );
    expect(missing).toEqual([]);
    // The reference says who may call each operation, and documents the refusals.
    const signIn = (doc.paths["/api/v1/auth/sign-in"] as Record<string, { security?: unknown[] }>).post;
    expect(signIn?.security).toEqual([]);
    const reveal = (
      doc.paths["/api/v1/secret-headers/{id}/reveal"] as Record<
        string,
        { description: string; responses: Record<string, unknown> }
      >
    ).post;
    expect(reveal?.description).toMatch(/\*\*Who:\*\* admins/);
    expect(Object.keys(reveal?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
  });
});
