import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase, TEST_PASSWORD } from "./harness";

// A customer's developer's path: generate a typed client from the served document, compile a program with it under
// --strict, and run it against a started API; the same document passes Redocly's recommended lint.

const run = promisify(execFile);
const apiRoot = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(apiRoot, "node_modules/.bin", name);
// Inside the package, so the program's types (@types/node) resolve.
const cache = path.join(apiRoot, "node_modules/.cache");
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(path.join(cache, "openapi-client-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The whole setup as a new developer does it: sign in as an admin (the session cookie and its CSRF token), create a
 * sender, a campaign, publish it, make an API token with the inbound scope, then POST an inbound message with the
 * token as a channel provider would; prints the reply.
 */
const program = `import type { components, paths } from "./api.js";

type Schemas = components["schemas"];
type Body<P extends keyof paths> = paths[P] extends { post: { requestBody: { content: { "application/json": infer B } } } }
  ? B
  : never;
type InboundReply = paths["/api/v1/messages/inbound"]["post"]["responses"]["200"]["content"]["application/json"];
type TokenCreated = paths["/api/v1/tokens"]["post"]["responses"]["201"]["content"]["application/json"];

const base = process.env.API_URL ?? "";
const session: Record<string, string> = {};

async function call<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = session,
): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(\`\${method} \${path}: \${res.status} \${await res.text()}\`);
  const cookie = res.headers.get("set-cookie");
  if (cookie) session.cookie = cookie.split(";")[0] ?? "";
  return (res.status === 204 ? undefined : await res.json()) as T;
}
const post = <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>("POST", path, body, headers);

const credentials: Body<"/api/v1/auth/sign-in"> = { email: process.env.ADMIN_EMAIL ?? "", password: process.env.ADMIN_PASSWORD ?? "" };
const me = await post<Schemas["CurrentUser"]>("/api/v1/auth/sign-in", credentials);
session["x-csrf-token"] = me.csrfToken;

const senderInput: Schemas["SenderInput"] = { name: "Main line", channel: "sms", address: "+15551230000" };
const sender = await post<Schemas["Sender"]>("/api/v1/senders", senderInput);
const campaignInput: Schemas["CampaignInput"] = {
  name: "Typed client",
  type: "chatbot",
  channel: "sms",
  senderId: sender.id,
  status: "active",
  triggerKeywords: ["HELLO"],
};
const campaign = await post<Schemas["Campaign"]>("/api/v1/campaigns", campaignInput);
// A new chatbot comes with a welcome and three interactions: say something in the welcome, drop the rest.
const flow = await call<Schemas["Flow"]>("GET", \`/api/v1/campaigns/\${campaign.id}/flow\`);
const [welcome, ...rest] = flow.nodes;
if (!welcome) throw new Error("a new campaign has a welcome node");
const welcomePatch: Schemas["NodePatch"] = { message: "Hello from the typed client!" };
await call<Schemas["Node"]>("PATCH", \`/api/v1/campaigns/\${campaign.id}/nodes/\${welcome.id}\`, welcomePatch);
for (const node of rest) await call<void>("DELETE", \`/api/v1/campaigns/\${campaign.id}/nodes/\${node.id}\`);
await post<Schemas["Publication"]>(\`/api/v1/campaigns/\${campaign.id}/publish\`, {});
const tokenInput: Body<"/api/v1/tokens"> = { name: "SMS provider", scopes: ["inbound"] };
const { secret } = await post<TokenCreated>("/api/v1/tokens", tokenInput);

const message: Schemas["InboundMessage"] = {
  channel: "sms",
  from: "+15559870000",
  to: sender.address,
  text: "hello",
  messageId: "SM-typed-client-1",
};
const reply = await post<InboundReply>("/api/v1/messages/inbound", message, { authorization: \`Bearer \${secret}\` });
const firstText: string = reply.replies[0]?.text ?? "";
console.log(JSON.stringify({ campaignId: campaign.id, replyCampaignId: reply.campaignId, firstText }));
`;

let prepared: Promise<void> | null = null;

/** Generates and compiles once, from the first database's served document (the document does not depend on it). */
function prepare(doc: unknown): Promise<void> {
  prepared ??= (async () => {
    const docFile = path.join(work, "openapi.json");
    writeFileSync(docFile, JSON.stringify(doc));
    writeFileSync(path.join(work, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(path.join(work, "program.ts"), program);
    // By default openapi-typescript makes every property with a default required, request bodies' too; the API
    // fills those defaults in, so a client may leave them out.
    await run(bin("openapi-typescript"), [
      docFile,
      "--default-non-nullable",
      "false",
      "-o",
      path.join(work, "api.d.ts"),
    ]);
    const tsc = [
      ...["--strict", "--noEmit", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"],
      ...["--types", "node", path.join(work, "program.ts")],
    ];
    await run(bin("tsc"), tsc, { cwd: work }).catch((e: { stdout?: string }) => {
      throw new Error(`the generated client does not compile:\n${e.stdout}`);
    });
  })();
  return prepared;
}

describeEachDatabase("a typed client generated from the served document", (h) => {
  it("passes Redocly's recommended lint with no problem", async () => {
    const doc = (await h.api.get("/api/openapi.json")).body;
    const file = path.join(work, `lint-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(doc));
    const { stdout } = await run(bin("redocly"), ["lint", file, "--format=json"], {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      maxBuffer: 32 * 1024 * 1024,
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { problems: { message: string }[] };
    expect(report.problems.map((p) => p.message)).toEqual([]);
  }, 120_000);

  it("compiles under --strict and runs the setup-to-inbound flow against a started API", async () => {
    await prepare((await h.api.get("/api/openapi.json")).body);
    const server = h.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { stdout } = await run(bin("tsx"), [path.join(work, "program.ts")], {
        cwd: work,
        env: {
          ...process.env,
          API_URL: `http://127.0.0.1:${port}`,
          ADMIN_EMAIL: "admin@example.com",
          ADMIN_PASSWORD: TEST_PASSWORD,
        },
      });
      const result = JSON.parse(stdout.trim().split("\n").at(-1) as string);
      expect(result.replyCampaignId).toBe(result.campaignId);
      expect(result.firstText).toBe("Hello from the typed client!");
      const stored = await h.api.get(`/api/v1/campaigns/${result.campaignId}`);
      expect(stored.body).toMatchObject({ name: "Typed client", status: "active" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
});
