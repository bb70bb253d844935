// A fake WhatsApp Cloud API on 127.0.0.1, for the API's tests, the channels benchmark and the e2e server. Plain ESM with
// no test-runner imports, so that Node runs it as it is. It accepts what Meta documents for
// POST /{version}/{phone-number-id}/messages (Bearer token, JSON, messaging_product "whatsapp", text / interactive
// button / interactive list within Meta's limits) and sends notifications shaped as Meta's examples, signed with
// X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret).
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";

const LIMITS = { buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, listButton: 20, body: 4096 };

function graphError(res, status, code, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(
    JSON.stringify({ error: { message, type: "OAuthException", code, fbtrace_id: randomBytes(8).toString("hex") } }),
  );
}

/** What is wrong with a messages request body by Meta's rules, or null. */
export function whatsappRequestFlaw(body) {
  if (body?.messaging_product !== "whatsapp") return "messaging_product must be whatsapp";
  if (typeof body.to !== "string" || !/^[0-9]{7,15}$/.test(body.to)) return "to must be the user's number in digits";
  if (body.type === "text") {
    const text = body.text?.body;
    return typeof text === "string" && text.length > 0 && text.length <= LIMITS.body ? null : "text.body is required";
  }
  if (body.type !== "interactive") return `unsupported type ${body.type}`;
  const i = body.interactive;
  if (typeof i?.body?.text !== "string" || i.body.text === "") return "interactive.body.text is required";
  if (i.type === "button") {
    const buttons = i.action?.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > LIMITS.buttons) return "1 to 3 buttons";
    for (const b of buttons) {
      if (b.type !== "reply" || typeof b.reply?.id !== "string" || typeof b.reply?.title !== "string")
        return "buttons are { type: reply, reply: { id, title } }";
      if ([...b.reply.title].length > LIMITS.buttonTitle) return "button titles are at most 20 characters";
    }
    return null;
  }
  if (i.type === "list") {
    const button = i.action?.button;
    if (typeof button !== "string" || [...button].length > LIMITS.listButton) return "action.button ≤ 20 characters";
    const rows = (i.action?.sections ?? []).flatMap((s) => s.rows ?? []);
    if (rows.length < 1 || rows.length > LIMITS.rows) return "1 to 10 rows";
    for (const r of rows)
      if (typeof r.id !== "string" || [...(r.title ?? "")].length > LIMITS.rowTitle) return "row titles ≤ 24";
    return null;
  }
  return `unsupported interactive type ${i.type}`;
}

/**
 * Starts the fake. `behave(request)` may answer instead (return { status, headers?, body? }) to simulate an outage or a
 * rate limit; otherwise valid requests get Meta's 200 answer and bad ones Meta's error shape.
 *
 * @param {{ port?: number, accessToken?: string, appSecret?: string, phoneNumberId?: string, businessAccountId?: string,
 *   behave?: (r: { path: string, body: any }) => ({ status: number, headers?: Record<string,string>, body?: string } | null) }} [options]
 */
export async function startFakeWhatsapp(options = {}) {
  const accessToken = options.accessToken ?? "EAAG-fake-access-token";
  const appSecret = options.appSecret ?? "fake-app-secret";
  const phoneNumberId = options.phoneNumberId ?? "106540352242922";
  const businessAccountId = options.businessAccountId ?? "102290129340398";
  const state = { behave: options.behave ?? null, webhookUrl: null, autoStatuses: false };
  /** Every message accepted, in the order accepted: { path, body, id, at }. */
  const received = [];
  /** Every request, accepted or not. */
  const requests = [];
  const listeners = new Set();
  const sockets = new Set();
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "").split("?")[0];
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {}
      requests.push({ method: req.method, path, headers: req.headers, body });
      // For a test in another process (the e2e specs): what the fake accepted, and a way to start over.
      if (req.method === "GET" && path === "/__fake/messages") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify(received));
      }
      if (req.method === "DELETE" && path === "/__fake/messages") {
        received.length = 0;
        res.writeHead(204);
        return res.end();
      }
      const match = /^\/v[0-9]+\.[0-9]+\/([0-9]+)\/messages$/.exec(path);
      if (req.method !== "POST" || !match) return graphError(res, 404, 803, "Unknown path components");
      if (req.headers.authorization !== `Bearer ${accessToken}`)
        return graphError(res, 401, 190, "Invalid OAuth access token - Cannot parse access token");
      if (match[1] !== phoneNumberId) return graphError(res, 400, 100, "Invalid phone number id");
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json") || body === null)
        return graphError(res, 400, 100, "Invalid parameter: the body must be JSON");
      const custom = state.behave?.({ path, body });
      if (custom) {
        res.writeHead(custom.status, { "content-type": "application/json", ...(custom.headers ?? {}) });
        return res.end(custom.body ?? JSON.stringify({ error: { message: "Temporarily unavailable", code: 2 } }));
      }
      const flaw = whatsappRequestFlaw(body);
      if (flaw) return graphError(res, 400, 100, `(#100) Invalid parameter: ${flaw}`);
      const id = `wamid.${Buffer.from(`fake-${++seq}-${randomBytes(6).toString("hex")}`).toString("base64")}`;
      const entry = { path, body, id, at: Date.now() };
      received.push(entry);
      for (const l of listeners) l(entry);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id }],
        }),
      );
      if (state.autoStatuses && state.webhookUrl)
        void fake.status(state.webhookUrl, {
          id,
          to: body.to,
          status: "delivered",
          callbackData: body.biz_opaque_callback_data,
        });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const { port } = server.address();

  const notification = (value) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: businessAccountId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  });
  const post = async (url, payload, secret = appSecret) => {
    const raw = JSON.stringify(payload);
    const signature = `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: raw,
    });
    return { status: res.status, body: await res.text() };
  };
  const timestamp = () => String(Math.floor(Date.now() / 1000));

  const fake = {
    url: `http://127.0.0.1:${port}`,
    port,
    accessToken,
    appSecret,
    phoneNumberId,
    businessAccountId,
    received,
    requests,
    /** Answers requests its own way until set back to null (an outage: () => ({ status: 503 })). */
    behave(fn) {
      state.behave = fn;
    },
    /** Where statuses go when `autoStatuses` is on: each accepted message is reported delivered. */
    statusesTo(webhookUrl, on = true) {
      state.webhookUrl = webhookUrl;
      state.autoStatuses = on;
    },
    /** Resolves with the next `count` messages accepted (those already received count). */
    async waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return received.slice(0, count);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`fake WhatsApp: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(received.slice(0, count));
        };
        listeners.add(check);
      });
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** An end user's text, as Meta notifies it. */
    text(webhookUrl, from, body, id = `wamid.in-${++seq}`, secret) {
      return post(
        webhookUrl,
        notification({
          contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
          messages: [{ from, id, timestamp: timestamp(), type: "text", text: { body } }],
        }),
        secret,
      );
    },
    /** A tap on a reply button (`button_reply`) or a list row (`list_reply`). */
    reply(webhookUrl, from, kind, choice, id = `wamid.in-${++seq}`) {
      return post(
        webhookUrl,
        notification({
          contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
          messages: [
            {
              context: { from: "15550783881", id: "wamid.context" },
              from,
              id,
              timestamp: timestamp(),
              type: "interactive",
              interactive: { type: kind, [kind]: choice },
            },
          ],
        }),
      );
    },
    /** Any `value` (several messages, statuses, other types), wrapped and signed as Meta sends it. */
    notify(webhookUrl, value, secret) {
      return post(webhookUrl, notification(value), secret);
    },
    /** A status of a message we accepted (sent, delivered, read, failed with an error). */
    status(webhookUrl, { id, to, status, callbackData, error }) {
      return post(
        webhookUrl,
        notification({
          statuses: [
            {
              id,
              status,
              timestamp: timestamp(),
              recipient_id: to,
              ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
              ...(error ? { errors: [error] } : {}),
            },
          ],
        }),
      );
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
  return fake;
}
