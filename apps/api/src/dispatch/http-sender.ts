import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { parseRetryAfter } from "@switchboard/domain/delivery/retry-schedule";
import { type Redact, secretRedactor } from "../secrets/redact-secrets";
import { sign } from "../secrets/signature";
import { type AddressPolicy, resolveSafely } from "./address-policy";

export interface OutgoingWebhook {
  /** The delivery's id: the `webhook-id`, the same on every attempt. */
  id: string;
  url: string;
  body: string;
  /**
   * The customer's headers, values in clear (decrypted only now, at send time). The values of secret ones are hidden
   * from the outcome, wherever the receiver's answer echoes them.
   */
  headers: { name: string; value: string; secret: boolean }[];
  /** The endpoint's signing secrets: two during a rotation (hidden from the outcome too). */
  secrets: string[];
  /** Simulator traffic: receivers are told with `webhook-test: true`. */
  test: boolean;
  /**
   * An outbound message to a provider: its stored headers (content type, authorization) and body go as they are,
   * without the Standard Webhooks headers.
   */
  plain?: boolean;
}

export interface SendLimits {
  connectTimeoutMs: number;
  /** A hard deadline for the whole attempt: a receiver trickling bytes cannot hold a sender longer. */
  deadlineMs: number;
  /** How much of the response body is kept; no more is read. */
  maxResponseBytes: number;
}

export const defaultLimits: SendLimits = { connectTimeoutMs: 5_000, deadlineMs: 15_000, maxResponseBytes: 20 * 1024 };

export type ErrorClass =
  | "secret"
  /** Refused before sending: a secret it carries may not go to the URL's host (decision 0021). */
  | "host_not_allowed"
  /** Refused before sending: a WhatsApp message outside the user's 24-hour window (no templates yet). */
  | "outside_window"
  | "dns"
  | "ssrf_refused"
  | "connect"
  | "timeout"
  | "reset"
  | "tls"
  | "redirect"
  | "http_status";

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  durationMs: number;
  /** The first bytes of the response body (at most maxResponseBytes), the secrets sent hidden. */
  responseExcerpt: string;
  /** The secrets sent hidden, as in the excerpt and the message. */
  responseHeaders: Record<string, string>;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  retryAfterMs: number | null;
  /** The headers sent, for the attempt log (the caller masks secret values). */
  requestHeaders: Record<string, string>;
}

export const USER_AGENT = "Switchboard-Webhooks/0.1";

/**
 * Keep-alive connection pools, one per endpoint and checked address: a connection is reused only towards the address
 * that was checked when it was opened, so reuse cannot bypass the address policy.
 */
const agents = new Map<string, http.Agent>();
function agentFor(url: URL, address: string, family: 4 | 6): http.Agent {
  const key = `${url.protocol}//${url.host}|${address}`;
  let agent = agents.get(key);
  if (!agent) {
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const options = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 30_000, lookup };
    agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** One attempt: POST the payload to the checked address, within the limits, never following a redirect. */
export async function sendWebhook(
  webhook: OutgoingWebhook,
  policy: AddressPolicy,
  limits: SendLimits = defaultLimits,
  now: () => Date = () => new Date(),
): Promise<AttemptOutcome> {
  const started = performance.now();
  // A receiver may echo what it was sent (httpbin does): the secrets are hidden before the outcome leaves the sender.
  const redact = secretRedactor([...webhook.headers.filter((h) => h.secret).map((h) => h.value), ...webhook.secrets]);
  const timestamp = Math.floor(now().getTime() / 1000);
  const requestHeaders: Record<string, string> = {};
  for (const h of webhook.headers) requestHeaders[h.name] = h.value;
  if (webhook.plain) requestHeaders["user-agent"] = USER_AGENT;
  else
    Object.assign(requestHeaders, {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": webhook.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": sign(webhook.secrets, webhook.id, timestamp, webhook.body),
      ...(webhook.test ? { "webhook-test": "true" } : {}),
    });
  const failed = (errorClass: ErrorClass, message: string, status: number | null = null): AttemptOutcome => ({
    ok: false,
    status,
    durationMs: Math.round(performance.now() - started),
    responseExcerpt: "",
    responseHeaders: {},
    errorClass,
    errorMessage: message,
    retryAfterMs: null,
    requestHeaders,
  });

  const url = new URL(webhook.url);
  let target: Awaited<ReturnType<typeof resolveSafely>>;
  try {
    target = await resolveSafely(url, policy);
  } catch (error) {
    const e = error as Error & { errorClass?: ErrorClass };
    const outcome = failed(e.errorClass ?? "dns", e.message);
    return redact ? withoutSecrets(outcome, redact, false) : outcome;
  }
  // The connection goes to the address just checked, whatever DNS would answer a second time.
  const agent = agentFor(url, target.address, target.family);

  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome, cut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(redact ? withoutSecrets(outcome, redact, cut) : outcome);
    };
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      headers: { ...requestHeaders, "content-length": Buffer.byteLength(webhook.body) },
      agent,
    });
    const deadline = setTimeout(() => {
      finish(failed("timeout", `No complete answer within ${limits.deadlineMs / 1000} s.`));
      request.destroy();
    }, limits.deadlineMs);
    const connectTimer = setTimeout(() => {
      finish(failed("timeout", `Could not connect within ${limits.connectTimeoutMs / 1000} s.`));
      request.destroy();
    }, limits.connectTimeoutMs);
    request.on("socket", (socket) => {
      // A kept-alive socket is connected already; only a new one has a connect to wait for (and to listen to once).
      if (!socket.connecting) {
        clearTimeout(connectTimer);
        return;
      }
      const connected = () => clearTimeout(connectTimer);
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", connected);
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      const code = error.code ?? "";
      const errorClass: ErrorClass =
        code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH"
          ? "connect"
          : code === "ECONNRESET" || code === "EPIPE" || code === "ERR_STREAM_PREMATURE_CLOSE"
            ? "reset"
            : code.startsWith("ERR_TLS") || code.includes("CERT") || code === "EPROTO"
              ? "tls"
              : "connect";
      finish(failed(errorClass, `${code || "error"}: ${error.message}`));
    });
    request.on("response", (response) => {
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      let kept = 0;
      const status = response.statusCode ?? 0;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      /** `cut`: the body was not read to its end (the size cap, a dropped connection). */
      const done = (cut: boolean) => {
        const ok = status >= 200 && status < 300;
        const redirect = status >= 300 && status < 400;
        finish(
          {
            ok,
            status,
            durationMs: Math.round(performance.now() - started),
            responseExcerpt: Buffer.concat(chunks).toString("utf8"),
            responseHeaders: headers,
            errorClass: ok ? null : redirect ? "redirect" : "http_status",
            errorMessage: ok
              ? null
              : redirect
                ? `The receiver answered ${status} (a redirect${headers.location ? ` to ${headers.location}` : ""}); redirects are never followed.`
                : `The receiver answered ${status}.`,
            retryAfterMs: parseRetryAfter(headers["retry-after"], now()),
            requestHeaders,
          },
          cut,
        );
      };
      response.on("data", (chunk: Buffer) => {
        if (kept < limits.maxResponseBytes) {
          const slice = chunk.subarray(0, limits.maxResponseBytes - kept);
          chunks.push(slice);
          kept += slice.length;
        }
        // Enough kept: stop reading rather than let a huge or endless body grow memory or hold the attempt.
        if (kept >= limits.maxResponseBytes) {
          done(true);
          response.destroy();
          request.destroy();
        }
      });
      response.on("end", () => done(false));
      response.on("error", () => done(true));
    });
    request.end(webhook.body);
  });
}

/** The outcome with every secret sent hidden from what the receiver answered and what we say of the attempt. */
function withoutSecrets(outcome: AttemptOutcome, redact: Redact, cut: boolean): AttemptOutcome {
  const responseHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(outcome.responseHeaders)) responseHeaders[name] = redact(value);
  return {
    ...outcome,
    responseExcerpt: redact(outcome.responseExcerpt, cut),
    responseHeaders,
    errorMessage: outcome.errorMessage === null ? null : redact(outcome.errorMessage),
  };
}
