import { pino } from "pino";
import supertest from "supertest";
import { afterEach, expect, it } from "vitest";
import { createApp } from "../src/app";
import { authService } from "../src/auth/auth-service";
import { prismaAuthStore } from "../src/auth/auth-store";
import { hashCredential } from "../src/auth/credentials";
import { describeEachDatabase, TEST_PASSWORD } from "./harness";

const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers["set-cookie"] as string[] | undefined) ?? [])[0] ?? "";

describeEachDatabase("accounts and sessions", (h) => {
  afterEach(async () => {
    await h.forgetSessions();
  });

  const signIn = (email: string, password: string) =>
    supertest(h.app).post("/api/v1/auth/sign-in").send({ email, password });

  it("signs in with an HttpOnly SameSite cookie, answers /me with the CSRF token, and signs out", async () => {
    await h.as("marketer");
    const res = await signIn("Marketer@Example.com", TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: "marketer@example.com", role: "marketer", csrfToken: expect.any(String) });
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^sb_session=[\w-]+; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    // Only the token's hash is stored.
    const token = /^sb_session=([^;]+)/.exec(cookie)?.[1] as string;
    expect(await h.db.prisma.userSession.findUnique({ where: { id: token } })).toBeNull();
    expect(await h.db.prisma.userSession.findUnique({ where: { id: hashCredential(token) } })).not.toBeNull();

    const session = cookie.split(";")[0] as string;
    const me = await supertest(h.app).get("/api/v1/auth/me").set("Cookie", session);
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
    const out = await supertest(h.app)
      .post("/api/v1/auth/sign-out")
      .set("Cookie", session)
      .set("X-CSRF-Token", res.body.csrfToken);
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/sb_session=;/);
    expect((await supertest(h.app).get("/api/v1/auth/me").set("Cookie", session)).status).toBe(401);
  });

  it("marks the cookie Secure when served over https (behind a trusted proxy)", async () => {
    await h.as("viewer");
    const app = createApp({
      config: {
        env: "test",
        webhookPolicy: { allowHttp: false },
        webhookAllowedCidrs: [],
        webDist: null,
        trustProxy: "loopback",
      },
      db: h.db,
      logger: pino({ level: "silent" }),
      secretBox: h.secretBox,
    });
    const res = await supertest(app)
      .post("/api/v1/auth/sign-in")
      .set("X-Forwarded-Proto", "https")
      .send({ email: "viewer@example.com", password: TEST_PASSWORD });
    expect(cookieOf(res)).toMatch(/; Secure/);
  });

  it("answers a wrong password and an unknown email alike, and locks the account after five wrong passwords", async () => {
    await h.as("viewer");
    h.clock.now = new Date("2026-11-25T10:00:00Z");
    const unknown = await signIn("nobody@example.com", "whatever password");
    const wrong = await signIn("viewer@example.com", "wrong password!");
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    for (let i = 0; i < 4; i++) expect((await signIn("viewer@example.com", "wrong password!")).status).toBe(401);
    const locked = await signIn("viewer@example.com", TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(800);
    expect(locked.body.detail).toMatch(/locked/);
    h.clock.now = new Date("2026-11-25T10:16:00Z");
    expect((await signIn("viewer@example.com", TEST_PASSWORD)).status).toBe(200);
  });

  it("rate-limits sign-in attempts from one address", async () => {
    const app = createApp({
      config: { env: "test", webhookPolicy: { allowHttp: false }, webhookAllowedCidrs: [], webDist: null },
      db: h.db,
      logger: pino({ level: "silent" }),
      secretBox: h.secretBox,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await supertest(app)
        .post("/api/v1/auth/sign-in")
        .send({ email: `x${i}@example.com`, password: "whatever password" });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("ends a session 12 hours after its last use", async () => {
    await h.as("viewer");
    h.clock.now = new Date("2026-11-25T08:00:00Z");
    const res = await signIn("viewer@example.com", TEST_PASSWORD);
    const session = cookieOf(res).split(";")[0] as string;
    h.clock.now = new Date("2026-11-25T19:00:00Z");
    expect((await supertest(h.app).get("/api/v1/auth/me").set("Cookie", session)).status).toBe(200);
    h.clock.now = new Date("2026-11-26T06:30:00Z");
    expect((await supertest(h.app).get("/api/v1/auth/me").set("Cookie", session)).status).toBe(200);
    h.clock.now = new Date("2026-11-26T18:31:00Z");
    expect((await supertest(h.app).get("/api/v1/auth/me").set("Cookie", session)).status).toBe(401);
  });

  it("invites a user by a one-time link that sets their password and signs them in", async () => {
    const created = await h.api.post("/api/v1/users").send({ email: "Ana@Example.com", name: "Ana", role: "marketer" });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: "ana@example.com", role: "marketer", hasPassword: false });
    const token = new URL(created.body.link.url).hash.replace("#token=", "");
    expect((await supertest(h.app).get(`/api/v1/auth/links/${token}`)).body).toMatchObject({
      purpose: "invite",
      email: "ana@example.com",
    });
    const weak = await supertest(h.app).post("/api/v1/auth/set-password").send({ token, password: "short" });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0]).toMatchObject({ path: "body.password" });
    const set = await supertest(h.app)
      .post("/api/v1/auth/set-password")
      .send({ token, password: "a long enough passphrase" });
    expect(set.status).toBe(200);
    expect(set.body.role).toBe("marketer");
    expect(
      (await supertest(h.app).post("/api/v1/auth/set-password").send({ token, password: "another passphrase" })).status,
    ).toBe(404);
    expect((await signIn("ana@example.com", "a long enough passphrase")).status).toBe(200);
    const again = await h.api.post("/api/v1/users").send({ email: "ana@example.com", name: "Ana", role: "viewer" });
    expect(again.status).toBe(409);
  });

  it("lets a link set a password once, even when two requests race with it", async () => {
    const created = await h.api.post("/api/v1/users").send({ email: "race@example.com", name: "Race", role: "viewer" });
    const token = new URL(created.body.link.url).hash.replace("#token=", "");
    const attempts = await Promise.all(
      ["first passphrase here", "second passphrase here"].map((password) =>
        supertest(h.app).post("/api/v1/auth/set-password").send({ token, password }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 404]);
    const winner = attempts.findIndex((r) => r.status === 200);
    const password = winner === 0 ? "first passphrase here" : "second passphrase here";
    expect((await signIn("race@example.com", password)).status).toBe(200);
  });

  it("resets a password: the old one and every session stop working, the link sets a new one", async () => {
    const agent = await h.as("marketer");
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "marketer@example.com" } });
    const reset = await h.api.post(`/api/v1/users/${user.id}/password-reset`);
    expect(reset.status).toBe(201);
    expect((await agent.get("/api/v1/campaigns")).status).toBe(401);
    expect((await signIn("marketer@example.com", TEST_PASSWORD)).status).toBe(401);
    const token = new URL(reset.body.url).hash.replace("#token=", "");
    await supertest(h.app)
      .post("/api/v1/auth/set-password")
      .send({ token, password: "a brand new passphrase" })
      .expect(200);
    expect((await signIn("marketer@example.com", "a brand new passphrase")).status).toBe(200);
  });

  it("disables a user at once, and never demotes or disables the last admin", async () => {
    const agent = await h.as("viewer");
    const viewer = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } });
    await h.api.patch(`/api/v1/users/${viewer.id}`).send({ disabled: true }).expect(200);
    expect((await agent.get("/api/v1/campaigns")).status).toBe(401);
    expect((await signIn("viewer@example.com", TEST_PASSWORD)).status).toBe(403);
    const admin = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const demoted = await h.api.patch(`/api/v1/users/${admin.id}`).send({ role: "marketer" });
    expect(demoted.status).toBe(409);
    expect(demoted.body.detail).toMatch(/last admin/);
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
  });

  it("deletes a user with their sessions, audited, and never your own account", async () => {
    const agent = await h.as("viewer");
    const viewer = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } });
    const admin = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const users = await h.db.prisma.user.count();
    // Yourself: refused with the reason, and nothing changes.
    const self = await h.api.delete(`/api/v1/users/${admin.id}`);
    expect(self.status).toBe(409);
    expect(self.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(self.body.detail).toBe("You cannot delete your own account.");
    expect(await h.db.prisma.user.count()).toBe(users);
    // Another user: gone, signed out at once, and the audit log says who did it.
    await h.api.delete(`/api/v1/users/${viewer.id}`).expect(204);
    expect(await h.db.prisma.user.findUnique({ where: { id: viewer.id } })).toBeNull();
    expect((await agent.get("/api/v1/campaigns")).status).toBe(401);
    const audit = (await h.api.get("/api/v1/audit")).body.items[0];
    expect(audit).toMatchObject({ action: expect.stringMatching(/^Delete a user/) });
    expect((await h.api.delete(`/api/v1/users/${viewer.id}`)).status).toBe(404);
  });

  it("creates the first admin from a one-time setup link when the installation has no user", async () => {
    await h.db.prisma.user.deleteMany();
    const auth = authService({ store: prismaAuthStore(h.db.prisma), now: () => new Date() });
    const { setupPath } = await auth.ensureFirstAdmin({});
    const token = (setupPath as string).replace("/set-password#token=", "");
    expect((await supertest(h.app).get(`/api/v1/auth/links/${token}`)).body.purpose).toBe("setup");
    const res = await supertest(h.app)
      .post("/api/v1/auth/setup")
      .send({ token, email: "owner@example.com", name: "Owner", password: "the owner's passphrase" });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe("admin");
    const second = await supertest(h.app)
      .post("/api/v1/auth/setup")
      .send({ token, email: "intruder@example.com", name: "X", password: "the intruder's passphrase" });
    expect(second.status).toBe(404);
    expect(await auth.ensureFirstAdmin({})).toEqual({});
    expect(await h.db.prisma.user.count()).toBe(1);
  });

  it("issues API tokens shown once, stored hashed, scoped, revocable, with their last use", async () => {
    const created = await h.api.post("/api/v1/tokens").send({ name: "SMS provider", scopes: ["inbound"] });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^sbt_/);
    const row = await h.db.prisma.apiToken.findFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.tokenHash).toBe(hashCredential(secret));
    expect(JSON.stringify((await h.api.get("/api/v1/tokens")).body)).not.toContain(secret);
    const bearer = `Bearer ${secret}`;
    const inbound = await supertest(h.app)
      .post("/api/v1/messages/inbound")
      .set("Authorization", bearer)
      .send({ channel: "sms", from: "+525500000001", to: "+525599999999", text: "hi" });
    expect(inbound.status).not.toBe(401);
    expect(inbound.status).not.toBe(403);
    expect((await supertest(h.app).get("/api/v1/campaigns").set("Authorization", bearer)).status).toBe(403);
    expect((await h.db.prisma.apiToken.findFirstOrThrow()).lastUsedAt).not.toBeNull();
    await h.api.delete(`/api/v1/tokens/${row.id}`).expect(200);
    const after = await supertest(h.app)
      .post("/api/v1/messages/inbound")
      .set("Authorization", bearer)
      .send({ channel: "sms", from: "+525500000001", to: "+525599999999", text: "hi" });
    expect(after.status).toBe(401);
  });

  it("records who changed what in the audit log, filterable by an admin", async () => {
    const marketer = await h.as("marketer");
    const sender = (
      await h.api.post("/api/v1/senders").send({ name: "Main", channel: "sms", address: "+525512345678" })
    ).body;
    const campaign = await marketer
      .post("/api/v1/campaigns")
      .send({ name: "Audit me", type: "chatbot", channel: "sms", senderId: sender.id });
    expect(campaign.status).toBe(201);
    const log = (await h.api.get("/api/v1/audit?actor=marketer")).body;
    expect(log.items).toEqual([
      expect.objectContaining({
        actor: "marketer@example.com",
        action: "Create a campaign",
        targetType: "Campaigns",
        targetId: String(campaign.body.id),
      }),
    ]);
    expect((await h.api.get("/api/v1/audit?targetType=Senders")).body.items[0]).toMatchObject({
      actor: "admin@example.com",
      action: "Add a sender",
    });
    expect((await marketer.get("/api/v1/audit")).status).toBe(403);
  });

  it("sends security headers, no CORS permission and no stack traces", async () => {
    const res = await supertest(h.app).get("/api/health").set("Origin", "https://evil.example");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    const bad = await h.api.post("/api/v1/senders").set("Content-Type", "application/json").send("{not json");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(|node_modules/);
  });
});
