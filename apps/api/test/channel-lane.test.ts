import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCampaign, describeEachDatabase } from "./harness";

// POST /api/v1/messages/inbound has a lane of its own through the app (decision 0044). The same path with a query
// string takes the general way (router, express.json), so each case here is sent both ways and must be answered alike.
const LANE = "/api/v1/messages/inbound";
const ROUTER = "/api/v1/messages/inbound?via=router";
/** Headers whose values differ between any two responses. */
const VARYING = new Set(["date", "x-request-id", "content-length", "etag", "connection", "keep-alive"]);

describeEachDatabase("channel traffic's lane", (h) => {
  let server: ReturnType<typeof h.app.listen>;
  let base = "";
  let bearer = "";
  let to = "";
  let n = 0;
  const message = (text = "JOIN") => ({ channel: "sms", from: "+525500000001", to, text, messageId: `m-${++n}` });

  beforeAll(async () => {
    server = h.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** A sender, a live chatbot on it started by JOIN, and a token of the inbound scope (the database is emptied before every test). */
  async function chatbot() {
    const campaign = await createCampaign(h, { triggerKeywords: ["JOIN"], status: "active" });
    const path = `/api/v1/campaigns/${campaign.id}`;
    to = ((await h.api.get(`/api/v1/senders/${campaign.senderId}`)).body as { address: string }).address;
    const [welcome, next, ...rest] = (await h.api.get(`${path}/flow`)).body.nodes;
    for (const node of rest) await h.api.delete(`${path}/nodes/${node.id}`).expect(204);
    await h.api.patch(`${path}/nodes/${welcome.id}`).send({ message: "Choose a plan" }).expect(200);
    await h.api.patch(`${path}/nodes/${next.id}`).send({ message: "Thanks" }).expect(200);
    await h.api
      .post(`${path}/nodes/${welcome.id}/entries`)
      .send({ keyword: "1", menuText: "Gold", redirectType: "interaction", redirectTo: next.id })
      .expect(201);
    await h.api.post(`${path}/publish`).expect(201);
    bearer = `Bearer ${(await h.api.post("/api/v1/tokens").send({ name: "SMS", scopes: ["inbound"] })).body.secret}`;
  }

  /** One request both ways; returns the two answers. */
  async function bothWays(init: (path: string) => RequestInit & { headers?: Record<string, string> }) {
    const answers = [];
    for (const path of [LANE, ROUTER]) {
      const given = init(path);
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        ...given,
        headers: { Authorization: bearer, ...given.headers },
      });
      const text = await res.text();
      answers.push({ status: res.status, headers: Object.fromEntries(res.headers), text });
    }
    return answers as [(typeof answers)[0], (typeof answers)[0]];
  }

  const sameHeaders = (a: Record<string, string>, b: Record<string, string>) => {
    const strip = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).filter(([k]) => !VARYING.has(k)));
    expect(strip(a)).toEqual(strip(b));
  };

  it("answers a message as the general route does: status, security headers, request id, replies", async () => {
    await chatbot();
    const [lane, router] = await bothWays(() => ({
      headers: { "Content-Type": "application/json", "X-Request-Id": "provider-req-1" },
      body: JSON.stringify(message()),
    }));
    expect(lane.status).toBe(200);
    expect(router.status).toBe(200);
    sameHeaders(lane.headers, router.headers);
    expect(lane.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(lane.headers["x-content-type-options"]).toBe("nosniff");
    expect(lane.headers["x-request-id"]).toBe("provider-req-1");
    const body = JSON.parse(lane.text);
    expect(body).toMatchObject({ duplicate: false, replies: [{ text: expect.any(String) }] });
    // Each was a turn of its own, and both are in the transcript.
    expect(await h.db.prisma.conversationMessage.count({ where: { direction: "inbound" } })).toBe(2);
  });

  it.each([
    ["JSON with charset=utf-8 and a byte order mark", "application/json; charset=utf-8", "\ufeff", 200],
    ["JSON in upper case", "APPLICATION/JSON", "", 200],
    ["JSON in another charset", "application/json; charset=latin1", "", 415],
    ["text", "text/plain", "", 415],
  ] as const)("answers %s alike", async (_, type, prefix, status) => {
    await chatbot();
    const [lane, router] = await bothWays(() => ({
      headers: { "Content-Type": type },
      body: `${prefix}${JSON.stringify(message())}`,
    }));
    expect(lane.status).toBe(status);
    expect(router.status).toBe(status);
    sameHeaders(lane.headers, router.headers);
    if (status !== 200) expect(JSON.parse(lane.text).type).toBe(JSON.parse(router.text).type);
  });

  it("answers bodies that are not JSON, empty, too large or without a caller alike, and stores nothing", async () => {
    await chatbot();
    const cases: [string, RequestInit & { headers: Record<string, string> }, number, string][] = [
      ["malformed", { headers: { "Content-Type": "application/json" }, body: '{"channel": ' }, 400, "malformed_json"],
      ["empty", { headers: { "Content-Type": "application/json" }, body: "" }, 400, "validation_failed"],
      ["not an object", { headers: { "Content-Type": "application/json" }, body: "42" }, 400, "validation_failed"],
      [
        "over 1 MB",
        {
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ ...message(), text: "x".repeat(1_100_000) }),
        },
        413,
        "payload_too_large",
      ],
      [
        "without a caller",
        { headers: { "Content-Type": "application/json", Authorization: "" }, body: JSON.stringify(message()) },
        401,
        "unauthorized",
      ],
    ];
    for (const [name, init, status, type] of cases) {
      const [lane, router] = await bothWays(() => init);
      expect({ name, status: lane.status }).toEqual({ name, status });
      expect({ name, status: router.status }).toEqual({ name, status });
      expect(lane.headers["content-type"]).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(lane.text);
      expect(problem.type).toBe(`/api/problems#${type}`);
      expect(problem).toEqual({ ...JSON.parse(router.text), instance: LANE });
      sameHeaders(lane.headers, router.headers);
    }
    expect(await h.db.prisma.conversationMessage.count()).toBe(0);
  });

  it("takes a compressed or chunked body through the general parser", async () => {
    await chatbot();
    const [gzip] = await bothWays(() => ({
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body: zlib.gzipSync(JSON.stringify(message())),
    }));
    expect(gzip.status).toBe(200);
    const text = JSON.stringify(message());
    const chunked = await fetch(`${base}${LANE}`, {
      method: "POST",
      headers: { Authorization: bearer, "Content-Type": "application/json" },
      // A stream has no length: it goes chunked.
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text.slice(0, 10)));
          controller.enqueue(new TextEncoder().encode(text.slice(10)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(200);
    expect(((await chunked.json()) as { replies: unknown[] }).replies.length).toBeGreaterThan(0);
  });

  it("leaves other methods on the path to the general routes", async () => {
    const res = await fetch(`${base}${LANE}`, { method: "GET", headers: { Authorization: bearer } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
