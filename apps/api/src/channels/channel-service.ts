import { randomUUID } from "node:crypto";
import type { OptOut, OutboundMessage } from "@switchboard/contracts/channels";
import type { InboundMessage, InboundResult } from "@switchboard/contracts/messages";
import type { ProviderCredentials } from "@switchboard/contracts/senders";
import type { Reply } from "@switchboard/domain/conversation/engine";
import { optOutAnswer, optOutCommand } from "@switchboard/domain/messaging/opt-out";
import { type Provider, providerAddress, toE164 } from "@switchboard/domain/messaging/provider";
import { httpGatewayBody, numberedText, twilioFields, whatsappCloudBody } from "@switchboard/domain/messaging/render";
import { fromTwilioStatus, fromWhatsappStatus, statusAdvances } from "@switchboard/domain/messaging/status";
import type { ChannelsConfig } from "../config";
import type { StoredHeader } from "../dispatch/delivery-rows";
import { AppError } from "../errors/app-error";
import type { Sender as SenderRow } from "../generated/prisma/client";
import type { OutboundPlan, RuntimeService } from "../runtime/runtime-service";
import type { DeliveryRow } from "../runtime/runtime-store";
import type { SecretBox } from "../secrets/secret-box";
import { openCredentials, optOutOf, providerUrls } from "../senders/sender-service";
import type { ChannelStore, OutboundMessageRow, QueuedMessage } from "./channel-store";
import { metaSignatureValid, twilioSignatureValid } from "./provider-signatures";

/** What we answer a WhatsApp message we cannot read (an image, a location…). */
export const UNSUPPORTED_ANSWER = "Sorry, I can only read text messages and button replies. Please reply with text.";

/** An inbound text, whichever provider brought it. */
interface Inbound {
  phoneNumber: string;
  text: string;
  providerMessageId: string;
  replyId?: string | undefined;
}

/** A rendered message: the request its provider expects. */
interface Rendered {
  url: string;
  headers: StoredHeader[];
  payload: string;
}

export function channelService(deps: {
  store: ChannelStore;
  runtime: RuntimeService;
  box: SecretBox;
  config: ChannelsConfig;
  now: () => Date;
  /** Told of every inbound message and of every message queued, by provider, for /metrics. */
  onMessage?: (provider: Provider, direction: "inbound" | "outbound", outcome: string) => void;
}) {
  const { store, runtime, box, config, now } = deps;
  const count = deps.onMessage ?? (() => {});

  // A burst of messages to one sender reads it (and opens its credentials) once a second, not once a message: a
  // change of its credentials reaches inbound checks within that second.
  const senders = new Map<string, { at: number; row: Promise<SenderRow | null> }>();
  const cachedSender = (id: string) => {
    const hit = senders.get(id);
    if (hit && Date.now() - hit.at < 1_000) return hit.row;
    if (senders.size > 1_000) senders.clear();
    const row = store.sender(id).catch(() => null);
    senders.set(id, { at: Date.now(), row });
    return row;
  };
  const opened = new WeakMap<SenderRow, ProviderCredentials>();
  const credentialsOf = (row: SenderRow) => {
    let c = opened.get(row);
    if (!c) {
      c = openCredentials(box, row);
      opened.set(row, c);
    }
    return c;
  };
  const senderOf = async (id: string, provider: Provider | Provider[]) => {
    const row = await cachedSender(id);
    const wanted = Array.isArray(provider) ? provider : [provider];
    if (!row || !wanted.includes(row.provider as Provider)) throw AppError.notFound(`Sender ${id}`);
    return row;
  };
  const base = (origin: string) => config.publicUrl ?? origin;
  const sealed = (name: string, value: string): StoredHeader => ({ name, value: box.seal(value), secret: true });
  const plain = (name: string, value: string): StoredHeader => ({ name, value, secret: false });

  /** The provider request that carries one reply; null for an HTTP sender without an outbound URL (replies in the response). */
  function render(
    sender: SenderRow,
    credentials: ProviderCredentials,
    reply: Pick<Reply, "text" | "options" | "style">,
    phoneNumber: string,
    id: string,
    origin: string,
  ): Rendered | null {
    const settings = sender.settings as Record<string, string | null | undefined>;
    const provider = sender.provider as Provider;
    if (provider === "twilio_sms" || provider === "twilio_whatsapp") {
      const sid = settings.accountSid ?? "";
      const status = `${providerUrls(base(origin), provider, sender.id).statusUrl}?message=${id}`;
      const fields = twilioFields(
        numberedText(reply),
        providerAddress(provider, sender.address),
        providerAddress(provider, phoneNumber),
        status,
      );
      return {
        url: `${config.twilioApiBaseUrl}/2010-04-01/Accounts/${sid}/Messages.json`,
        headers: [
          sealed("Authorization", `Basic ${Buffer.from(`${sid}:${credentials.authToken ?? ""}`).toString("base64")}`),
          plain("Content-Type", "application/x-www-form-urlencoded"),
        ],
        payload: new URLSearchParams(fields).toString(),
      };
    }
    if (provider === "whatsapp_cloud") {
      return {
        url: `${config.whatsappApiBaseUrl}/${config.whatsappApiVersion}/${settings.phoneNumberId ?? ""}/messages`,
        headers: [
          sealed("Authorization", `Bearer ${credentials.accessToken ?? ""}`),
          plain("Content-Type", "application/json"),
        ],
        payload: JSON.stringify(whatsappCloudBody(reply, providerAddress(provider, phoneNumber), id)),
      };
    }
    if (settings.outboundUrl) {
      return {
        url: settings.outboundUrl,
        headers: [
          plain("Content-Type", "application/json"),
          ...(credentials.outboundHeaders ?? []).map((h) => sealed(h.name, h.value)),
        ],
        payload: JSON.stringify(httpGatewayBody(reply, sender.address, phoneNumber, id)),
      };
    }
    return null;
  }

  /** Answers outside a turn: opt-out confirmations, help, polite refusals. */
  const answersTo = (
    sender: SenderRow,
    credentials: ProviderCredentials,
    phoneNumber: string,
    texts: string[],
    origin: string,
    requestId?: string,
  ): QueuedMessage[] =>
    texts.flatMap((text) => {
      const id = randomUUID();
      const r = render(sender, credentials, { text, options: [], style: "text" }, phoneNumber, id, origin);
      return r ? [{ id, senderId: sender.id, phoneNumber, text, at: now(), requestId, ...r }] : [];
    });

  /**
   * An opt-out, opt-in or help keyword (decision 0024), handled outside a turn: recorded, the number opted out or in,
   * the answer queued when `queue` (the sender sends its own messages). Returns the answer's texts, or `"duplicate"`
   * when the provider's message id was seen before; null when the text goes to the conversation.
   */
  async function keyword(
    sender: SenderRow,
    inbound: Omit<Inbound, "providerMessageId"> & { providerMessageId: string | null; id?: string },
    options: { origin: string; requestId?: string | undefined; queue: boolean },
  ): Promise<string[] | "duplicate" | null> {
    const settings = optOutOf(sender);
    const command = optOutCommand(inbound.text, {
      optOut: settings.optOutKeywords,
      optIn: settings.optInKeywords,
      help: settings.helpKeywords,
    });
    if (command === null) return null;
    // Ordinary texts learn whether the number opted out in the turn's own read (runtime.receive with a plan).
    const optedOut = await store.isOptedOut(sender.id, inbound.phoneNumber);
    // START from a number that never opted out is an ordinary text.
    if (command === "opt_in" && !optedOut) return null;
    const texts = { optOut: settings.optOutText, optIn: settings.optInText, help: settings.helpText };
    // One confirmation only: a second STOP from a number already opted out is answered with silence.
    const answer = command === "opt_out" && optedOut ? [] : [optOutAnswer(command, texts)];
    const queued = options.queue
      ? answersTo(sender, credentialsOf(sender), inbound.phoneNumber, answer, options.origin, options.requestId)
      : [];
    // Answered in a response (our id given): kept, so that a retry gets the same answer.
    const result = inbound.id === undefined ? undefined : outsideTurn(inbound.id, answer);
    const done = await store.handled(
      { senderId: sender.id, ...inbound, at: now(), result },
      {
        optOut: command === "opt_out" ? { keyword: inbound.text.trim().toUpperCase() } : undefined,
        optIn: command === "opt_in",
      },
      queued,
    );
    if (!done) return "duplicate";
    runtime.messagesQueued(queued.map((q) => q.id));
    for (const _ of queued) count(sender.provider as Provider, "outbound", "queued");
    return answer;
  }

  /** One end user's text: opt-out keywords first, then the conversation (unless the number opted out). */
  async function receive(sender: SenderRow, inbound: Inbound, origin: string, requestId?: string): Promise<void> {
    const provider = sender.provider as Provider;
    count(provider, "inbound", "received");
    const credentials = credentialsOf(sender);
    if ((await keyword(sender, inbound, { origin, requestId, queue: true })) !== null) return;
    const plan = (replies: readonly Reply[], conversation: { sessionId: string | null; campaignId: number | null }) =>
      replies.flatMap((reply): DeliveryRow[] => {
        const id = randomUUID();
        const r = render(sender, credentials, reply, inbound.phoneNumber, id, origin);
        if (!r) return [];
        count(provider, "outbound", "queued");
        return [messageRow(sender, inbound.phoneNumber, id, r, reply, conversation)];
      });
    await runtime.receive(
      {
        channel: sender.channel,
        from: inbound.phoneNumber,
        to: sender.address,
        text: inbound.text,
        messageId: inbound.providerMessageId,
        ...(inbound.replyId ? { replyId: inbound.replyId } : {}),
      },
      { plan, origin, requestId },
    );
  }

  /** A type we cannot read: recorded, and answered politely once. */
  async function unsupported(sender: SenderRow, inbound: Inbound, origin: string, requestId?: string) {
    const provider = sender.provider as Provider;
    count(provider, "inbound", "unsupported");
    if (await store.isOptedOut(sender.id, inbound.phoneNumber)) return;
    const queued = answersTo(
      sender,
      credentialsOf(sender),
      inbound.phoneNumber,
      [UNSUPPORTED_ANSWER],
      origin,
      requestId,
    );
    if (await store.handled({ senderId: sender.id, ...inbound, at: now() }, {}, queued))
      runtime.messagesQueued(queued.map((q) => q.id));
  }

  const badSignature = (provider: string) =>
    new AppError(
      "bad_signature",
      `The ${provider} signature of this request does not match this sender's credentials.`,
    );
  const malformed = (detail: string) => new AppError("validation_failed", detail);

  const gateways = new Map<string, { at: number; row: Promise<SenderRow | null> }>();
  const gatewayOf = (channel: SenderRow["channel"], address: string) => {
    const key = `${channel}|${address}`;
    const hit = gateways.get(key);
    if (hit && Date.now() - hit.at < 1_000) return hit.row;
    if (gateways.size > 1_000) gateways.clear();
    const row = store.senderByAddress(channel, address).catch(() => null);
    gateways.set(key, { at: Date.now(), row });
    return row;
  };

  return {
    /**
     * `POST /api/v1/messages/inbound`: the replies are in the response; an HTTP sender with an outbound URL also gets
     * them POSTed there from the outbox. Opt-out keywords are honoured as on the providers' routes (decision 0024).
     */
    async httpInbound(message: InboundMessage, origin: string, requestId?: string): Promise<InboundResult> {
      const sender = await gatewayOf(message.channel, message.to);
      // No sender at that address: the runtime refuses the message with its own error.
      if (!sender) return runtime.receive(message, { origin, requestId });
      const outboundUrl = (sender.settings as { outboundUrl?: string | null }).outboundUrl;
      const posts = sender.provider === "http" && !!outboundUrl;
      const inbound = {
        id: randomUUID(),
        phoneNumber: message.from,
        text: message.text,
        providerMessageId: message.messageId ?? null,
      };
      const answers = await keyword(sender, inbound, { origin, requestId, queue: posts });
      if (answers === "duplicate") {
        const replay = await store.replay(sender.id, message.messageId ?? "");
        return { ...((replay as InboundResult | null) ?? outsideTurn(inbound.id, [])), duplicate: true };
      }
      if (answers !== null) return outsideTurn(inbound.id, answers);
      const credentials = posts ? credentialsOf(sender) : null;
      // Always a plan, so that the turn honours an opt-out; it renders nothing for a sender without an outbound URL.
      const plan = (replies: readonly Reply[], conversation: { sessionId: string | null; campaignId: number | null }) =>
        replies.flatMap((reply): DeliveryRow[] => {
          if (!credentials) return [];
          const id = randomUUID();
          const r = render(sender, credentials, reply, message.from, id, origin);
          return r ? [messageRow(sender, message.from, id, r, reply, conversation)] : [];
        });
      return runtime.receive(message, { plan, origin, requestId });
    },

    /** Twilio's incoming-message webhook (form fields), checked with X-Twilio-Signature over `url`. */
    async twilioInbound(
      senderId: string,
      request: {
        url: string;
        origin: string;
        params: Record<string, string | string[]>;
        signature: string | undefined;
        requestId?: string | undefined;
      },
    ) {
      const sender = await senderOf(senderId, ["twilio_sms", "twilio_whatsapp"]);
      const credentials = credentialsOf(sender);
      if (!twilioSignatureValid(credentials.authToken ?? "", request.url, request.params, request.signature))
        throw badSignature("X-Twilio-Signature");
      const field = (name: string) => {
        const v = request.params[name];
        return typeof v === "string" ? v : undefined;
      };
      const sid = field("MessageSid") ?? field("SmsSid");
      const from = toE164(field("From") ?? "");
      if (!sid || from === null || field("Body") === undefined)
        throw malformed("A Twilio message needs MessageSid, From (a phone number) and Body.");
      const to = toE164(field("To") ?? "");
      if (to !== sender.address) throw AppError.notFound(`The number ${field("To")} on this sender`);
      await receive(
        sender,
        { phoneNumber: from, text: field("Body") ?? "", providerMessageId: sid },
        request.origin,
        request.requestId,
      );
    },

    /** Twilio's status callback for a message we sent (our id in the `message` query parameter). */
    async twilioStatus(
      senderId: string,
      request: {
        url: string;
        messageId: string | undefined;
        params: Record<string, string | string[]>;
        signature: string | undefined;
      },
    ) {
      const sender = await senderOf(senderId, ["twilio_sms", "twilio_whatsapp"]);
      const credentials = credentialsOf(sender);
      if (!twilioSignatureValid(credentials.authToken ?? "", request.url, request.params, request.signature))
        throw badSignature("X-Twilio-Signature");
      const reported = typeof request.params.MessageStatus === "string" ? request.params.MessageStatus : "";
      const sid = typeof request.params.MessageSid === "string" ? request.params.MessageSid : null;
      if (!request.messageId || !reported || !sid)
        throw malformed("A status callback needs MessageSid and MessageStatus.");
      const status = fromTwilioStatus(reported);
      if (!status) return;
      const code = typeof request.params.ErrorCode === "string" ? request.params.ErrorCode : null;
      const changed = await store.providerStatus(
        sender.id,
        request.messageId,
        {
          status,
          error: status === "failed" ? `Twilio error ${code ?? "unknown"} (${reported})` : null,
          providerMessageId: sid,
          at: now(),
        },
        (stored) => statusAdvances(stored, status),
      );
      if (changed) count(sender.provider as Provider, "outbound", status);
    },

    /** Meta's verification handshake: the challenge echoed when the verify token matches. */
    async whatsappVerify(senderId: string, query: Record<string, unknown>) {
      const sender = await senderOf(senderId, "whatsapp_cloud");
      const token = (sender.settings as { verifyToken?: string }).verifyToken;
      const challenge = query["hub.challenge"];
      if (query["hub.mode"] !== "subscribe" || typeof challenge !== "string" || challenge === "")
        throw malformed("Expected hub.mode=subscribe with hub.verify_token and hub.challenge.");
      if (!token || query["hub.verify_token"] !== token)
        throw new AppError("forbidden", "hub.verify_token does not match this sender's verify token.");
      return challenge;
    },

    /** Meta's messages webhook: every message and status of every change, after X-Hub-Signature-256. */
    async whatsappInbound(
      senderId: string,
      request: { raw: Buffer; signature: string | undefined; origin: string; requestId?: string | undefined },
    ) {
      const sender = await senderOf(senderId, "whatsapp_cloud");
      const credentials = credentialsOf(sender);
      if (!metaSignatureValid(credentials.appSecret ?? "", request.raw, request.signature))
        throw badSignature("X-Hub-Signature-256");
      const values = whatsappValues(request.raw);
      const phoneNumberId = (sender.settings as { phoneNumberId?: string }).phoneNumberId;
      if (values.some((v) => v.metadata?.phone_number_id !== phoneNumberId))
        throw AppError.notFound(`The phone number id in this notification on this sender`);
      // Checked whole before anything is done: a malformed notification changes nothing.
      for (const m of values.flatMap((v) => v.messages ?? []))
        if (!toE164(String(m.from ?? "")) || typeof m.id !== "string" || m.id === "")
          throw malformed("Each WhatsApp message needs from (a phone number) and id.");
      for (const value of values) {
        for (const m of value.messages ?? []) {
          const inbound = { phoneNumber: toE164(String(m.from)) ?? "", providerMessageId: String(m.id) };
          if (m.type === "text" && typeof m.text?.body === "string") {
            await receive(sender, { ...inbound, text: m.text.body }, request.origin, request.requestId);
          } else if (m.type === "interactive" && (m.interactive?.button_reply || m.interactive?.list_reply)) {
            const choice = m.interactive.button_reply ?? m.interactive.list_reply;
            await receive(
              sender,
              { ...inbound, text: String(choice?.title ?? ""), replyId: String(choice?.id ?? "") },
              request.origin,
              request.requestId,
            );
          } else {
            await unsupported(
              sender,
              { ...inbound, text: `[${String(m.type ?? "unknown")}]` },
              request.origin,
              request.requestId,
            );
          }
        }
        for (const s of value.statuses ?? []) {
          const status = fromWhatsappStatus(String(s.status ?? ""));
          const ours = s.biz_opaque_callback_data;
          if (!status || typeof ours !== "string" || !/^[0-9a-f-]{36}$/.test(ours)) continue;
          const error = s.errors?.[0];
          const changed = await store.providerStatus(
            sender.id,
            ours,
            {
              status,
              error: error ? `WhatsApp error ${error.code ?? "?"}: ${error.title ?? error.message ?? ""}`.trim() : null,
              providerMessageId: typeof s.id === "string" ? s.id : null,
              at: now(),
            },
            (stored) => statusAdvances(stored, status),
          );
          if (changed) count("whatsapp_cloud", "outbound", status);
        }
      }
    },

    async optOuts(query: { senderId?: string | undefined; limit: number; offset: number }) {
      const { items, total } = await store.optOuts(query);
      return { items: items.map(toOptOut), total };
    },

    /** Every opt-out as CSV, for carriers' audits and other tools. */
    async optOutsCsv(): Promise<string> {
      const lines = ["sender_id,sender_name,phone_number,keyword,opted_out_at"];
      for (let offset = 0; ; offset += 500) {
        const { items } = await store.optOuts({ limit: 500, offset });
        for (const o of items)
          lines.push(
            [o.senderId, o.senderName, o.phoneNumber, o.keyword, o.optedOutAt.toISOString()].map(csvCell).join(","),
          );
        if (items.length < 500) break;
      }
      return `${lines.join("\r\n")}\r\n`;
    },

    async outboundOfSession(sessionId: string, provider: (senderId: string) => Promise<Provider>) {
      const rows = await store.outboundOfSession(sessionId);
      const items: OutboundMessage[] = [];
      for (const r of rows) items.push(toOutbound(r, r.senderId ? await provider(r.senderId) : "http"));
      return { items, total: items.length };
    },

    counts: () => store.counts(),

    /**
     * How messages written outside a turn (an agent's reply, a Live Chat timeout) reach a phone number through a
     * sender: its outbound plan, or null when the sender has no way out (HTTP without an outbound URL).
     */
    async planFor(senderId: string, phoneNumber: string, origin: string): Promise<OutboundPlan | null> {
      const sender = await cachedSender(senderId);
      if (!sender) return null;
      const provider = sender.provider as Provider;
      if (provider === "http" && !(sender.settings as { outboundUrl?: string | null }).outboundUrl) return null;
      const credentials = credentialsOf(sender);
      return (replies, conversation) =>
        replies.flatMap((reply): DeliveryRow[] => {
          const id = randomUUID();
          const r = render(sender, credentials, reply, phoneNumber, id, origin);
          if (!r) return [];
          count(provider, "outbound", "queued");
          return [messageRow(sender, phoneNumber, id, r, reply, conversation)];
        });
    },
  };
}
export type ChannelService = ReturnType<typeof channelService>;

/** The answer to a message handled outside a conversation turn (an opt-out keyword): no session, the texts as replies. */
const outsideTurn = (messageId: string, texts: readonly string[]): InboundResult => ({
  messageId,
  sessionId: null,
  campaignId: null,
  replies: texts.map((text) => ({ text, options: [], style: "text" as const })),
  duplicate: false,
});

/** The outbox row of one outbound message (decision 0022). */
function messageRow(
  sender: SenderRow,
  phoneNumber: string,
  id: string,
  rendered: Rendered,
  reply: Pick<Reply, "text" | "options" | "style">,
  conversation: { sessionId: string | null; campaignId: number | null },
): DeliveryRow {
  return {
    id,
    campaignId: conversation.campaignId ?? 0,
    entryId: sender.id,
    nodeId: sender.id,
    sessionId: conversation.sessionId,
    mode: "message",
    ...rendered,
    signingSecret: null,
    integrationId: null,
    message: { senderId: sender.id, phoneNumber, text: numberedText(reply) },
  };
}

/**
 * A CSV cell; a leading =, +, -, @ or tab is quoted away so that spreadsheets do not run it as a formula, except in a
 * phone number (+5255…), which no spreadsheet runs.
 */
const csvCell = (value: string) => {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^\+[0-9]+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const toOptOut = (o: {
  senderId: string;
  senderName: string;
  phoneNumber: string;
  keyword: string;
  optedOutAt: Date;
}): OptOut => ({
  ...o,
  optedOutAt: o.optedOutAt.toISOString(),
});

/** Where a message stands: the outbox's status until the provider took it, then the provider's word. */
export function outboundState(r: Pick<OutboundMessageRow, "status" | "providerStatus">): OutboundMessage["state"] {
  if (r.status === "pending") return "queued";
  if (r.status === "sending") return "sending";
  if (r.status === "cancelled") return "cancelled";
  if (r.status === "failed") return r.providerStatus === "refused" ? "refused" : "failed";
  return (r.providerStatus as OutboundMessage["state"] | null) ?? "sent";
}

function toOutbound(r: OutboundMessageRow, provider: Provider): OutboundMessage {
  const state = outboundState(r);
  return {
    id: r.id,
    sessionId: r.sessionId,
    senderId: r.senderId ?? "",
    provider,
    phoneNumber: r.phoneNumber ?? "",
    text: r.messageText ?? "",
    state,
    reason: state === "failed" || state === "refused" ? (r.providerError ?? r.lastError) : null,
    providerMessageId: r.providerMessageId,
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    updatedAt: (r.providerStatusAt ?? r.deliveredAt)?.toISOString() ?? null,
  };
}

/** The `value` objects of a WhatsApp notification (entry[].changes[].value), or a 400 when it is not one. */
interface WhatsappValue {
  metadata?: { phone_number_id?: string };
  messages?: {
    from?: unknown;
    id?: unknown;
    type?: unknown;
    text?: { body?: unknown };
    interactive?: { button_reply?: { id?: unknown; title?: unknown }; list_reply?: { id?: unknown; title?: unknown } };
  }[];
  statuses?: {
    id?: unknown;
    status?: unknown;
    biz_opaque_callback_data?: unknown;
    errors?: { code?: number; title?: string; message?: string }[];
  }[];
}

function whatsappValues(raw: Buffer): WhatsappValue[] {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AppError("malformed_json", "The notification is not valid JSON.");
  }
  const b = body as { object?: unknown; entry?: { changes?: { field?: unknown; value?: unknown }[] }[] };
  if (b?.object !== "whatsapp_business_account" || !Array.isArray(b.entry))
    throw new AppError("validation_failed", "Expected a whatsapp_business_account notification with entry[].");
  const values: WhatsappValue[] = [];
  for (const entry of b.entry) {
    if (!Array.isArray(entry?.changes)) throw new AppError("validation_failed", "Each entry needs changes[].");
    for (const change of entry.changes) {
      if (change?.field !== "messages" || typeof change.value !== "object" || change.value === null) continue;
      const v = change.value as WhatsappValue;
      if ((v.messages && !Array.isArray(v.messages)) || (v.statuses && !Array.isArray(v.statuses)))
        throw new AppError("validation_failed", "messages and statuses must be arrays.");
      values.push(v);
    }
  }
  return values;
}
