import { createServer } from "node:net";
import { gzipSync } from "node:zlib";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { AddressPolicy } from "../../src/dispatch/address-policy";
import { type SendLimits, sendWebhook } from "../../src/dispatch/http-sender";
import { REDACTED } from "../../src/secrets/redact-secrets";
import { newSigningSecret } from "../../src/secrets/signature";
import { echoingReceiver } from "./echoing-receiver";
import { receiver } from "./receivers";

const local = new AddressPolicy(["127.0.0.1/32"]);
const limits: SendLimits = { connectTimeoutMs: 1_000, deadlineMs: 800, maxResponseBytes: 20 * 1024 };
const secret = newSigningSecret();
const body =
  '{"campaignId":"13010","label":"Welcome Message","phoneNumber":"+525500000000","date":"2024-06-18T23:22:36.560Z","response":"John Doe"}';
const webhook = (url: string, extra: Partial<Parameters<typeof sendWebhook>[0]> = {}) => ({
  id: "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
  url,
  body,
  headers: [{ name: "Authorization", value: "Bearer sk_live_123", secret: true }],
  secrets: [secret],
  test: false,
  ...extra,
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function open(handle: Parameters<typeof receiver>[0]) {
  const r = await receiver(handle);
  cleanups.push(r.close);
  return r;
}

describe("sending one webhook", () => {
  it("POSTs the exact payload with the customer's headers and a Standard Webhooks signature that verifies", async () => {
    const r = await open((_req, res) => res.writeHead(204).end());
    const outcome = await sendWebhook(webhook(r.url), local, limits);
    expect(outcome).toMatchObject({ ok: true, status: 204, errorClass: null });
    const [got] = r.received;
    expect(got?.body).toBe(body);
    expect(got?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer sk_live_123",
      "webhook-id": "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
    });
    expect(got?.headers["webhook-test"]).toBeUndefined();
    const verified = new Webhook(secret).verify(got?.body ?? "", got?.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(body));
    expect(() =>
      new Webhook(newSigningSecret()).verify(got?.body ?? "", got?.headers as Record<string, string>),
    ).toThrow();
  });

  it("reuses a kept-alive connection for many webhooks without piling up listeners", async () => {
    const r = await open((_req, res) => res.writeHead(200).end());
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      for (let i = 0; i < 15; i++) expect((await sendWebhook(webhook(r.url), local, limits)).ok).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    expect(new Set(r.received.map((x) => x.headers.connection))).toEqual(new Set(["keep-alive"]));
  });

  it("signs with both secrets during a rotation, and labels simulator traffic", async () => {
    const r = await open((_req, res) => res.end("ok"));
    const next = newSigningSecret();
    await sendWebhook(webhook(r.url, { secrets: [secret, next], test: true }), local, limits);
    const headers = r.received[0]?.headers as Record<string, string>;
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    expect(headers["webhook-test"]).toBe("true");
  });

  it.each([
    [500, "http_status"],
    [410, "http_status"],
    [429, "http_status"],
  ])("reports %i as a failure", async (status, errorClass) => {
    const r = await open((_req, res) => res.writeHead(status).end("nope"));
    expect(await sendWebhook(webhook(r.url), local, limits)).toMatchObject({
      ok: false,
      status,
      errorClass,
      responseExcerpt: "nope",
    });
  });

  it("reads Retry-After from a 503", async () => {
    const r = await open((_req, res) => res.writeHead(503, { "retry-after": "120" }).end());
    expect(await sendWebhook(webhook(r.url), local, limits)).toMatchObject({ status: 503, retryAfterMs: 120_000 });
  });

  it("never follows a redirect, even to an address it would refuse", async () => {
    const internal = await open((_req, res) => res.end("secret"));
    const r = await open((_req, res) => res.writeHead(302, { location: `${internal.url}?x=1` }).end());
    const outcome = await sendWebhook(webhook(r.url), local, limits);
    expect(outcome).toMatchObject({ ok: false, status: 302, errorClass: "redirect" });
    expect(internal.received).toHaveLength(0);
  });

  it("cuts a receiver that never answers at the deadline", async () => {
    const r = await open(() => {});
    const outcome = await sendWebhook(webhook(r.url), local, limits);
    expect(outcome).toMatchObject({ ok: false, errorClass: "timeout" });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(700);
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it("cuts a receiver that trickles its answer at the deadline", async () => {
    const r = await open((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write("."), 50);
      res.on("close", () => clearInterval(timer));
    });
    const outcome = await sendWebhook(webhook(r.url), local, limits);
    expect(outcome).toMatchObject({ ok: false, errorClass: "timeout" });
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it("keeps 20 KB of a huge or endless answer and reads no more", async () => {
    const huge = await open((_req, res) => res.end("x".repeat(5_000_000)));
    const endless = await open((_req, res) => {
      res.writeHead(200);
      const chunk = "y".repeat(64 * 1024);
      const pump = () => {
        while (res.write(chunk)) {}
      };
      res.on("drain", pump);
      pump();
    });
    const a = await sendWebhook(webhook(huge.url), local, limits);
    expect(a).toMatchObject({ ok: true, status: 200 });
    expect(a.responseExcerpt).toHaveLength(20 * 1024);
    const b = await sendWebhook(webhook(endless.url), local, limits);
    expect(b.ok).toBe(true);
    expect(b.responseExcerpt).toHaveLength(20 * 1024);
  });

  it("never inflates a compressed answer: a gzip bomb stays 20 KB of compressed bytes", async () => {
    // 64 MB of zeros compress to about 64 KB; inflating them would cost 64 MB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    let acceptEncoding: string | undefined = "unset";
    const r = await open((req, res) => {
      acceptEncoding = req.headers["accept-encoding"];
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" }).end(bomb);
    });
    const before = process.memoryUsage().rss;
    const outcome = await sendWebhook(webhook(r.url), local, limits);
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    // We do not ask for compression, and what came anyway is kept as the raw bytes, cut at 20 KB.
    expect(acceptEncoding).toBeUndefined();
    expect(outcome.responseExcerpt.length).toBeLessThanOrEqual(20 * 1024);
    expect(outcome.responseExcerpt).not.toMatch(/^\0{100}/);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it("reports a connection reset mid-request", async () => {
    const r = await open((req) => req.socket.destroy());
    expect(await sendWebhook(webhook(r.url), local, limits)).toMatchObject({ ok: false, errorClass: "reset" });
  });

  it("reports a receiver that is down", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    expect(await sendWebhook(webhook(`http://127.0.0.1:${port}/hooks`), local, limits)).toMatchObject({
      ok: false,
      errorClass: "connect",
    });
  });

  it("refuses an internal address without connecting to it", async () => {
    const r = await open((_req, res) => res.end());
    const outcome = await sendWebhook(webhook(r.url), new AddressPolicy(), limits);
    expect(outcome).toMatchObject({ ok: false, errorClass: "ssrf_refused" });
    expect(outcome.errorMessage).toContain("127.0.0.1 is a loopback address");
    expect(r.received).toHaveLength(0);
  });

  describe("hides the secrets it sent from what the receiver answered", () => {
    const sent = "Bearer sk_live_0123456789";
    const headers = [
      { name: "Authorization", value: sent, secret: true },
      { name: "X-Team", value: "growth-team", secret: false },
    ];
    /** The clear value and the encodings an echo may use, the signing secret's too. */
    const leaks = [sent, "sk_live_0123456789", Buffer.from(sent).toString("base64"), encodeURIComponent(sent)];
    const signing = [secret, secret.slice("whsec_".length)];

    it("in an echo of the request, in every spelling, and keeps the rest", async () => {
      const r = await echoingReceiver();
      cleanups.push(r.close);
      const outcome = await sendWebhook(webhook(r.url, { headers }), local, limits);
      expect(r.received[0]?.headers.authorization).toBe(sent);
      expect(outcome.ok).toBe(true);
      for (const leak of leaks) expect(outcome.responseExcerpt).not.toContain(leak);
      expect(JSON.parse(outcome.responseExcerpt).headers).toMatchObject({
        Authorization: REDACTED,
        "X-Team": "growth-team",
        "User-Agent": "Switchboard-Webhooks/0.1",
      });
      // The raw request, base64-encoded, still decodes around the hidden value.
      expect(outcome.responseExcerpt).toContain(Buffer.from("POST /hooks HTTP/1.1").toString("base64").slice(0, 24));
    });

    it("in an error message, a response header and a signing secret echoed", async () => {
      const r = await open((_req, res) =>
        res
          .writeHead(302, { location: `https://elsewhere.example/?auth=${encodeURIComponent(sent)}`, "x-echo": secret })
          .end(`your key ${secret.slice("whsec_".length)} is wrong`),
      );
      const outcome = await sendWebhook(webhook(r.url, { headers }), local, limits);
      expect(outcome).toMatchObject({ ok: false, status: 302, errorClass: "redirect" });
      expect(outcome.errorMessage).toContain(`https://elsewhere.example/?auth=${REDACTED}`);
      expect(outcome.responseHeaders["x-echo"]).toBe(REDACTED);
      expect(outcome.responseExcerpt).toBe(`your key ${REDACTED} is wrong`);
      // The headers sent are the caller's to mask (it knows which names are secret); all the rest is checked here.
      const { requestHeaders: _sent, ...answered } = outcome;
      for (const leak of [...leaks, ...signing]) expect(JSON.stringify(answered)).not.toContain(leak);
    });

    it("where the answer is cut at 20 KB halfway through a secret", async () => {
      const before = "x".repeat(20 * 1024 - 12);
      const r = await open((_req, res) => res.end(`${before}${sent}${"y".repeat(100)}`));
      const outcome = await sendWebhook(webhook(r.url, { headers }), local, limits);
      expect(outcome.responseExcerpt).toBe(`${before}${REDACTED}`);
    });

    it("and nothing else when no header is secret", async () => {
      const r = await open((req, res) => res.end(`echo ${req.headers.authorization}`));
      const outcome = await sendWebhook(
        webhook(r.url, { headers: [{ name: "Authorization", value: sent, secret: false }], secrets: [] }),
        local,
        limits,
      );
      expect(outcome.responseExcerpt).toBe(`echo ${sent}`);
    });
  });
});
