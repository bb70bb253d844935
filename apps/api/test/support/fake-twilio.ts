// A fake Twilio Messaging API on 127.0.0.1. It accepts what Twilio documents for Create Message
// (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with the Account SID and auth token, form
// fields To, From, Body, StatusCallback), answers with a Message resource, and posts the documented status callbacks,
// signed by the official `twilio` package. Inbound messages are posted the same way, as Twilio's webhook does.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import twilio from "twilio";

export interface TwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | null;

const sidOf = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}) {
  const accountSid = options.accountSid ?? `AC${"0123456789abcdef".repeat(2)}`;
  const authToken = options.authToken ?? "fake-twilio-auth-token";
  const received: TwilioMessage[] = [];
  const requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  const listeners = new Set<() => void>();
  const sockets = new Set<Socket>();
  let behave: ((m: Record<string, string>) => Answer) | null = null;
  let autoStatuses = true;

  const problem = (code: number, message: string, status: number) =>
    JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "").split("?")[0] ?? "";
      requests.push({ method: req.method ?? "", path, headers: req.headers, body: raw });
      const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(body);
      };
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
      if (req.method !== "POST" || !match)
        return answer(404, problem(20404, "The requested resource was not found", 404));
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
      if (req.headers.authorization !== expected || match[1] !== accountSid)
        return answer(401, problem(20003, "Authentication Error - invalid username", 401));
      if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
        return answer(400, problem(20001, "Content-Type must be application/x-www-form-urlencoded", 400));
      const fields = Object.fromEntries(new URLSearchParams(raw));
      const custom = behave?.(fields);
      if (custom)
        return answer(
          custom.status,
          custom.body ?? problem(20500, "Internal Server Error", custom.status),
          custom.headers,
        );
      if (!fields.To) return answer(400, problem(21604, "A 'To' phone number is required.", 400));
      if (!fields.From) return answer(400, problem(21603, "A 'From' phone number is required.", 400));
      if (!fields.Body) return answer(400, problem(21602, "Message body is required.", 400));
      const message: TwilioMessage = {
        sid: sidOf("SM"),
        accountSid,
        to: fields.To,
        from: fields.From,
        body: fields.Body,
        statusCallback: fields.StatusCallback ?? null,
        at: Date.now(),
      };
      received.push(message);
      for (const l of listeners) l();
      answer(
        201,
        JSON.stringify({
          account_sid: accountSid,
          api_version: "2010-04-01",
          body: message.body,
          date_created: new Date().toUTCString(),
          direction: "outbound-api",
          from: message.from,
          num_segments: "1",
          sid: message.sid,
          status: "queued",
          to: message.to,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
        }),
      );
      if (autoStatuses && message.statusCallback) void fake.status(message, "sent");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  /** A form POST signed as Twilio signs its webhooks (X-Twilio-Signature, by the twilio package). */
  const signedPost = async (url: string, params: Record<string, string>, token = authToken) => {
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text(), contentType: res.headers.get("content-type") };
  };

  const fake = {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    received,
    requests,
    behave(fn: ((m: Record<string, string>) => Answer) | null) {
      behave = fn;
    },
    autoStatuses(on: boolean) {
      autoStatuses = on;
    },
    async waitFor(count: number, timeoutMs = 10_000): Promise<TwilioMessage[]> {
      if (received.length >= count) return received.slice(0, count);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`fake Twilio: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
      });
    },
    /** An end user's SMS or WhatsApp message, as Twilio's incoming-message webhook posts it. */
    inbound(url: string, p: { from: string; to: string; body: string; sid?: string }, token?: string) {
      return signedPost(
        url,
        {
          ToCountry: "MX",
          SmsMessageSid: p.sid ?? sidOf("SM"),
          NumMedia: "0",
          SmsSid: p.sid ?? sidOf("SM"),
          SmsStatus: "received",
          Body: p.body,
          To: p.to,
          NumSegments: "1",
          MessageSid: p.sid ?? sidOf("SM"),
          AccountSid: accountSid,
          From: p.from,
          ApiVersion: "2010-04-01",
        },
        token,
      );
    },
    signedPost,
    /** A status callback for a message it accepted: sent, delivered, read, undelivered or failed (with ErrorCode). */
    status(message: TwilioMessage, status: string, errorCode?: string) {
      if (!message.statusCallback) throw new Error("This message has no StatusCallback.");
      return signedPost(message.statusCallback, {
        AccountSid: accountSid,
        ApiVersion: "2010-04-01",
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(errorCode ? { ErrorCode: errorCode } : {}),
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}
export type FakeTwilio = Awaited<ReturnType<typeof startFakeTwilio>>;
