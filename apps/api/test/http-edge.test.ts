import zlib from "node:zlib";
import supertest from "supertest";
import { afterEach, expect, it } from "vitest";
import { authService } from "../src/auth/auth-service";
import { prismaAuthStore } from "../src/auth/auth-store";
import { describeEachDatabase, TEST_PASSWORD } from "./harness";

const tokenOf = (url: string) => new URL(url, "http://x").hash.replace("#token=", "");

describeEachDatabase("the request log", (h) => {
  afterEach(async () => {
    await h.forgetSessions();
  });

  it("never writes a one-time link's token: invite, reset and first-admin setup", async () => {
    const anonymous = supertest(h.app);
    const tokens: string[] = [];
    /** What the SPA and a curious visitor do with a link: read it, and a few wrong ways, before and after using it. */
    const probe = async (token: string) => {
      await anonymous.get(`/api/v1/auth/links/${token}`).expect(200);
      await anonymous.get(`/api/v1/auth/links/${token}?from=email`).expect(200);
      await anonymous.get(`/api/v1/auth/links/${token}/more`).expect(404);
      await anonymous.post(`/api/v1/auth/links/${token}`).expect(404);
      await anonymous.get(`/api/v1/auth/link/${token}`).expect(404);
      await anonymous.get(`/api/v1/${token}`).expect(404);
      await anonymous.get(`/${token}`).expect(404);
      await anonymous.get(`/api/v1/auth/links/${encodeURIComponent(`${token}\u0000`)}`).expect(404);
    };

    const invited = await h.api.post("/api/v1/users").send({ email: "ana@example.com", name: "Ana", role: "marketer" });
    const invite = tokenOf(invited.body.link.url);
    tokens.push(invite);
    await probe(invite);
    await anonymous.post("/api/v1/auth/set-password").send({ token: invite, password: "a long enough passphrase" });
    await anonymous.get(`/api/v1/auth/links/${invite}`).expect(404);

    const reset = await h.api.post(`/api/v1/users/${invited.body.user.id}/password-reset`).expect(201);
    const resetToken = tokenOf(reset.body.url);
    tokens.push(resetToken);
    await probe(resetToken);
    await anonymous.post("/api/v1/auth/set-password").send({ token: resetToken, password: "another long passphrase" });

    await h.db.prisma.user.deleteMany();
    const { setupPath } = await authService({
      store: prismaAuthStore(h.db.prisma),
      now: () => new Date(),
    }).ensureFirstAdmin({});
    const setup = tokenOf(setupPath as string);
    tokens.push(setup);
    await probe(setup);
    await anonymous
      .post("/api/v1/auth/setup")
      .send({ token: setup, email: "owner@example.com", name: "Owner", password: "the owner's passphrase" })
      .expect(200);
    await anonymous.get(`/api/v1/auth/links/${setup}`).expect(404);

    const logs = h.logs();
    const lines = logs.split("\n").filter(Boolean);
    for (const token of tokens) {
      expect(token).toMatch(/^[\w-]{40,}$/);
      for (const form of [token, token.slice(0, 16), token.slice(-16)]) expect(logs).not.toContain(form);
    }
    // Every request above was logged, by its route where one matched.
    expect(lines.filter((l) => l.includes('"path":"/api/v1/auth/links/:token"')).length).toBe(3 * 3 + 2);
    expect(lines.filter((l) => l.includes('"status":404')).length).toBe(3 * 6 + 2);
  });

  it("logs a path no route matched with only the words of its routes", async () => {
    await supertest(h.app).get("/api/v1/auth/links/abc/def").expect(404);
    await supertest(h.app).get("/api/v1/campaigns/13010/nodes/n1/entries/e1/secret-thing").expect(404);
    const paths = h
      .logs()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l).path);
    expect(paths).toEqual(["/api/v1/auth/links/*/*", "/api/v1/campaigns/*/nodes/*/entries/*/*"]);
  });
});

describeEachDatabase("cookies", (h) => {
  it.each([
    ["a broken percent-encoding", "sb_session=%E0%A4%A"],
    ["a lone percent sign", "sb_session=%"],
    ["an encoded NUL", "sb_session=%00"],
    ["an unterminated quote", 'sb_session="abc'],
    ["no value", "sb_session="],
    ["no name", "=%E0%A4%A"],
    ["a broken cookie of someone else's", "theirs=%E0%A4%A"],
    ["only separators", ";;;=;"],
  ])("takes a session cookie with %s for no session, on every route", async (_, cookie) => {
    const anonymous = supertest(h.app);
    const health = await anonymous.get("/api/health").set("Cookie", cookie);
    expect(health.status).toBe(200);
    const list = await anonymous.get("/api/v1/campaigns").set("Cookie", cookie);
    expect(list.status).toBe(401);
    expect(list.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const inbound = await anonymous
      .post("/api/v1/messages/inbound")
      .set("Cookie", cookie)
      .send({ channel: "sms", from: "+5215512345678", to: "+525511111111", text: "hi" });
    expect(inbound.status).toBe(401);
    const links = await anonymous.get("/api/v1/auth/links/nothing-here").set("Cookie", cookie);
    expect(links.status).toBe(404);
  });

  it("finds the session next to a malformed cookie of someone else's", async () => {
    await h.as("admin");
    const signedIn = await supertest(h.app)
      .post("/api/v1/auth/sign-in")
      .send({ email: "admin@example.com", password: TEST_PASSWORD });
    const session = ((signedIn.headers["set-cookie"] as unknown as string[])[0] ?? "").split(";")[0];
    const res = await supertest(h.app).get("/api/v1/auth/me").set("Cookie", `theirs=%E0%A4%A; ${session}; other=%`);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe("admin");
  });
});

describeEachDatabase("compressed request bodies", (h) => {
  const sender = { name: "Main line", channel: "sms", address: "+525512345678" };
  const post = (encoding: string, body: Buffer | string) =>
    h.api
      .post("/api/v1/senders")
      .set("Content-Type", "application/json")
      .set("Content-Encoding", encoding)
      .serialize((b) => b)
      .send(body);
  const senders = async () => (await h.api.get("/api/v1/senders")).body.total as number;

  it.each([
    ["gzip", "a plain body", JSON.stringify(sender)],
    ["br", "a plain body", JSON.stringify(sender)],
    ["deflate", "a plain body", JSON.stringify(sender)],
    ["gzip", "a cut-short body", zlib.gzipSync(JSON.stringify(sender)).subarray(0, 20)],
    ["br", "a gzip body", zlib.gzipSync(JSON.stringify(sender))],
    ["gzip", "an empty body", Buffer.alloc(0)],
  ])("answers Content-Encoding %s with %s by 400, changing nothing", async (encoding, _, body) => {
    const res = await post(encoding, body);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      detail: expect.stringContaining(`Content-Encoding: ${encoding}`),
      errors: [{ path: "headers.content-encoding", code: "decompression_failed" }],
    });
    expect(await senders()).toBe(0);
  });

  it.each([
    ["compress"],
    ["gzip, br"],
    ["x-custom"],
    // Node 22.15 decompresses zstd; the Node 20 this product runs on does not.
    ...("createZstdDecompress" in zlib ? [] : [["zstd"]]),
  ])("answers Content-Encoding %s, which it cannot decompress, by 415", async (encoding) => {
    const res = await post(encoding, JSON.stringify(sender));
    expect(res.status).toBe(415);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toBe(
      `Content-Encoding "${encoding}" is not supported: send the body uncompressed, or compressed with gzip, deflate or br.`,
    );
    expect(await senders()).toBe(0);
  });

  it("reads a body that is compressed as it says", async () => {
    const gzip = await post("gzip", zlib.gzipSync(JSON.stringify(sender)));
    expect(gzip.status).toBe(201);
    const br = await post("br", zlib.brotliCompressSync(JSON.stringify({ ...sender, address: "+525512345679" })));
    expect(br.status).toBe(201);
    expect(await senders()).toBe(2);
  });
});
