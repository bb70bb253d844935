import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import supertest from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppDeps, createApp } from "../src/app";
import { type SharedCounts, sharedCounts } from "../src/http/rate-limit";
import { freePort } from "./free-port";
import { describeEachDatabase, type Harness } from "./harness";

const silent = pino({ level: "silent" });
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** An app of its own, with a small limit, behind a trusted proxy so that a test can choose the client's address. */
function limitedApp(h: Harness, limit: number, rateLimitCounts?: SharedCounts) {
  const deps: AppDeps = {
    config: {
      env: "test",
      webhookPolicy: { allowHttp: false },
      webhookAllowedCidrs: [],
      webDist: null,
      trustProxy: "loopback",
      authAttemptsPerMinute: limit,
    },
    db: h.db,
    logger: silent,
    secretBox: h.secretBox,
    rateLimitCounts,
  };
  return createApp(deps);
}

const signIn = (app: ReturnType<typeof createApp>, from: string) =>
  supertest(app)
    .post("/api/v1/auth/sign-in")
    .set("X-Forwarded-For", from)
    .send({ email: "nobody@example.com", password: "whatever password" });

describeEachDatabase("rate limits", (h) => {
  it("tells the client its budget in the standard RateLimit and RateLimit-Policy headers", async () => {
    const app = limitedApp(h, 5);
    const first = await signIn(app, "203.0.113.7");
    expect(first.status).toBe(401);
    expect(first.headers["ratelimit-policy"]).toMatch(/^"sign-in-and-links"; q=5; w=60; pk=:[\w+/=]+:$/);
    expect(first.headers.ratelimit).toMatch(/^"sign-in-and-links"; r=4; t=(60|59)$/);
    expect((await signIn(app, "203.0.113.7")).headers.ratelimit).toMatch(/; r=3; /);
    // Another address has a budget of its own.
    expect((await signIn(app, "203.0.113.8")).headers.ratelimit).toMatch(/; r=4; /);
  });

  it("refuses past the limit with a 429 problem and Retry-After, on every entry point that takes a secret", async () => {
    const app = limitedApp(h, 3);
    const from = "198.51.100.23";
    expect((await signIn(app, from)).status).toBe(401);
    expect((await supertest(app).get("/api/v1/auth/links/no-such-link").set("X-Forwarded-For", from)).status).toBe(404);
    expect(
      (
        await supertest(app)
          .post("/api/v1/auth/set-password")
          .set("X-Forwarded-For", from)
          .send({ token: "no-such-link", password: "a long enough passphrase" })
      ).status,
    ).toBe(404);
    const refused = await signIn(app, from);
    expect(refused.status).toBe(429);
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: "/api/problems#too_many_requests", status: 429 });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(55);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(refused.headers.ratelimit).toMatch(/; r=0; /);
    const setup = await supertest(app)
      .post("/api/v1/auth/setup")
      .set("X-Forwarded-For", from)
      .send({ token: "x", email: "a@example.com", name: "A", password: "a long enough passphrase" });
    expect(setup.status).toBe(429);
    // Other routes are not limited.
    expect((await supertest(app).get("/api/health").set("X-Forwarded-For", from)).status).toBe(200);
  });

  it("counts IPv6 clients by /56, the allocation of one customer", async () => {
    const app = limitedApp(h, 2);
    expect((await signIn(app, "2001:db8:abcd:1201::1")).status).toBe(401);
    expect((await signIn(app, "2001:db8:abcd:12ff:1234:5678:9abc:def0")).status).toBe(401);
    // Same /56 (2001:db8:abcd:1200::/56), another address: the same budget, spent.
    expect((await signIn(app, "2001:db8:abcd:1234::99")).status).toBe(429);
    // The next /56, and IPv4 clients, count apart.
    expect((await signIn(app, "2001:db8:abcd:1300::1")).status).toBe(401);
    expect((await signIn(app, "192.0.2.1")).status).toBe(401);
  });
});

// Scale-out (REDIS_URL) needs PostgreSQL and Redis: it runs wherever the PostgreSQL suites run (always in CI).
describeEachDatabase(
  "rate limits shared through Redis",
  (h) => {
    const prefix = `switchboard-test:${randomBytes(6).toString("hex")}:`;
    const clients: SharedCounts[] = [];
    const counts = (url = redisUrl) => {
      const c = sharedCounts(url, silent, prefix);
      clients.push(c);
      return c;
    };
    let ownRedis: ChildProcess | null = null;

    afterAll(async () => {
      const keys = clients[0] ? await clients[0].redis.keys(`${prefix}*`) : [];
      if (keys.length) await clients[0]?.redis.del(...keys);
      for (const c of clients) c.redis.disconnect();
      ownRedis?.kill("SIGKILL");
    });

    beforeAll(async () => {
      await counts().redis.ping();
    });

    it("counts a client's attempts once for every process", async () => {
      const one = limitedApp(h, 3, counts());
      const two = limitedApp(h, 3, counts());
      const from = "198.51.100.77";
      expect((await signIn(one, from)).status).toBe(401);
      expect((await signIn(two, from)).status).toBe(401);
      const third = await signIn(one, from);
      expect(third.status).toBe(401);
      expect(third.headers.ratelimit).toMatch(/; r=0; /);
      const refused = await signIn(two, from);
      expect(refused.status).toBe(429);
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(await clients[0]?.redis.get(`${prefix}198.51.100.77`)).toBe("4");
      expect((await signIn(one, "198.51.100.78")).status).toBe(401);
    });

    it("lets attempts through uncounted while Redis is away, and counts again once it is back", async () => {
      const port = await freePort();
      const app = limitedApp(h, 2, counts(`redis://127.0.0.1:${port}`));
      const from = "198.51.100.99";
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        const res = await signIn(app, from);
        expect(res.status).toBe(401);
        expect(res.headers.ratelimit).toBeUndefined();
      }
      expect(Date.now() - started).toBeLessThan(15_000);
      ownRedis = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      const back = Date.now();
      let statuses: number[] = [];
      while (Date.now() - back < 20_000) {
        const res = await signIn(app, from);
        statuses.push(res.status);
        if (res.headers.ratelimit) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      statuses = [];
      for (let i = 0; i < 2; i++) statuses.push((await signIn(app, from)).status);
      expect(statuses).toEqual([401, 429]);
    });
  },
  { only: "postgres" },
);
