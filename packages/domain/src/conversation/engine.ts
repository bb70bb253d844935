import { whatsappMenuStyle } from "../channel-limits";
import type { JsonObject } from "../json";
import { defaultLiveChatSettings, type LiveChatEntrySettings } from "../live-chat/settings";
import { normalizeKeyword } from "../menu-entry";
import { buildPayload, type Payload } from "../payload";
import type { WebhookConfig } from "../webhook";
import {
  type CampaignRuntime,
  type FlowSnapshot,
  optionsOf,
  type PublishedEntry,
  type PublishedNode,
  questionEntryOf,
  welcomeOf,
} from "./flow-snapshot";
import { type ConversationState, isRunning } from "./session";
import { fillAttributes, foldText } from "./text-match";

export const PLEASE_CHOOSE = "Please choose one of the options.";
export const LIVE_CHAT_WAIT = "Thanks! An agent will be with you shortly.";

export interface InboundText {
  phoneNumber: string;
  text: string;
  /** When the platform received it: the payloads' `date`. */
  receivedAt: Date;
  /** A WhatsApp list or button reply: the id of the option chosen. */
  replyId?: string | null;
}

export interface ReplyOption {
  /** The entry's id: what a WhatsApp list or button reply sends back. */
  id: string;
  keyword: string;
  title: string;
}

export interface Reply {
  text: string;
  options: ReplyOption[];
  /** How a channel should present the options: as text lines (SMS), WhatsApp buttons or a WhatsApp list. */
  style: "text" | "buttons" | "list";
}

export type ConversationEvent =
  | {
      kind: "webhook";
      mode: "response" | "option";
      entryId: string;
      nodeId: string;
      webhook: WebhookConfig;
      /** Set for an Integration entry: the integration's URL, headers and secrets are read when it is sent. */
      integrationId?: string;
      /** The exact payload, fields in order. */
      payload: Payload;
    }
  | { kind: "attribute"; name: string; value: string }
  | {
      kind: "handoff";
      to:
        | {
            type: "campaign";
            campaignId: number;
            /** "When finished, continue at": the node of this flow to go on at when that campaign finishes. */
            continueAt: string | null;
          }
        | {
            type: "live_chat";
            /** The Live Chat entry picked: the runtime queues the conversation with its settings. */
            entryId: string;
            settings: LiveChatEntrySettings;
          };
    };

export interface Turn {
  replies: Reply[];
  events: ConversationEvent[];
  state: ConversationState;
  /** The contact's attributes after this turn. */
  attributes: Record<string, string>;
  /** What the text did at the node it reached: chose one of its entries, or answered its question (the reports). */
  acted?: { kind: "chosen" | "answered"; nodeId: string; entryId: string };
}

interface Context {
  flow: FlowSnapshot;
  campaign: CampaignRuntime;
  inbound: InboundText;
  attributes: Record<string, string>;
}

/** Starts (or restarts) a chatbot: the Welcome Message and its menu. */
export function startConversation(
  flow: FlowSnapshot,
  campaign: CampaignRuntime,
  inbound: InboundText,
  attributes: Readonly<Record<string, string>> = {},
): Turn {
  const ctx: Context = { flow, campaign, inbound, attributes: { ...attributes } };
  const welcome = welcomeOf(flow);
  const base: ConversationState = {
    campaignId: flow.campaignId,
    version: flow.version,
    nodeId: welcome.id,
    awaitingEntryId: null,
    status: "active",
    lastActivityAt: inbound.receivedAt,
  };
  if (!isRunning(campaign, inbound.receivedAt)) return closed(ctx, base);
  return enter(ctx, base, welcome, [], []);
}

/**
 * Goes on at a node after a hand-off campaign finished ("When finished, continue at"): its message and menu. A node
 * that is gone, or a campaign no longer running, ends the conversation without a word.
 */
export function resumeAt(
  flow: FlowSnapshot,
  campaign: CampaignRuntime,
  nodeId: string,
  inbound: InboundText,
  attributes: Readonly<Record<string, string>> = {},
): Turn {
  const ctx: Context = { flow, campaign, inbound, attributes: { ...attributes } };
  const node = flow.nodes.find((n) => n.id === nodeId);
  const base: ConversationState = {
    campaignId: flow.campaignId,
    version: flow.version,
    nodeId,
    awaitingEntryId: null,
    status: "ended",
    lastActivityAt: inbound.receivedAt,
  };
  if (!node || !isRunning(campaign, inbound.receivedAt)) return end(ctx, base, [], []);
  return enter(ctx, base, node, [], []);
}

/** Applies one text to a live conversation. */
export function continueConversation(
  flow: FlowSnapshot,
  campaign: CampaignRuntime,
  state: ConversationState,
  inbound: InboundText,
  attributes: Readonly<Record<string, string>> = {},
): Turn {
  const ctx: Context = { flow, campaign, inbound, attributes: { ...attributes } };
  const now = { ...state, lastActivityAt: inbound.receivedAt };
  if (!isRunning(campaign, inbound.receivedAt)) return closed(ctx, now);
  const node = flow.nodes.find((n) => n.id === state.nodeId);
  // A node missing from its own version cannot happen with published snapshots; start over rather than fail.
  if (!node) return enter(ctx, now, welcomeOf(flow), [], []);

  const chosen = choose(node, inbound);
  if (chosen) return acted(pick(ctx, now, node, chosen), "chosen", node, chosen);

  const question = state.awaitingEntryId ? node.entries.find((e) => e.id === state.awaitingEntryId) : null;
  if (question) return acted(answer(ctx, now, node, question), "answered", node, question);

  return {
    replies: [render(ctx, node, PLEASE_CHOOSE)],
    events: [],
    state: now,
    attributes: ctx.attributes,
  };
}

function acted(turn: Turn, kind: "chosen" | "answered", node: PublishedNode, entry: PublishedEntry): Turn {
  turn.acted = { kind, nodeId: node.id, entryId: entry.id };
  return turn;
}

/** The option a text names: its keyword, its Menu Text (any case or accents), or a WhatsApp reply id. */
export function choose(node: PublishedNode, inbound: Pick<InboundText, "text" | "replyId">): PublishedEntry | null {
  const options = optionsOf(node);
  if (inbound.replyId) {
    const byId = options.find((e) => e.id === inbound.replyId);
    if (byId) return byId;
  }
  const keyword = normalizeKeyword(inbound.text);
  const byKeyword = options.find((e) => normalizeKeyword(e.keyword) === keyword);
  if (byKeyword) return byKeyword;
  const folded = foldText(inbound.text);
  if (!folded) return null;
  return options.find((e) => e.menuText && foldText(e.menuText) === folded) ?? null;
}

function pick(ctx: Context, state: ConversationState, node: PublishedNode, entry: PublishedEntry): Turn {
  const events: ConversationEvent[] = [];
  if (entry.webhookEnabled && entry.webhook) {
    events.push(
      webhookEvent(ctx, node, entry, "option", {
        kind: "option",
        option: entry.menuText ?? entry.keyword,
        keyword: entry.keyword,
      }),
    );
  }
  switch (entry.redirectType) {
    case "interaction": {
      const target = ctx.flow.nodes.find((n) => n.id === entry.redirectTo);
      if (!target) return end(ctx, state, events, []);
      return enter(ctx, state, target, events, []);
    }
    case "campaign": {
      const campaignId = Number(entry.redirectTo);
      events.push({ kind: "handoff", to: { type: "campaign", campaignId, continueAt: entry.continueAt ?? null } });
      return {
        replies: [],
        events,
        state: { ...state, awaitingEntryId: null, status: "handed_off" },
        attributes: ctx.attributes,
      };
    }
    case "live_chat": {
      // Entries published before Live Chat had settings hand over to every agent with the old wording.
      const settings = entry.liveChat ?? { ...defaultLiveChatSettings, handoverMessage: LIVE_CHAT_WAIT };
      events.push({ kind: "handoff", to: { type: "live_chat", entryId: entry.id, settings } });
      return {
        replies: [plain(settings.handoverMessage)],
        events,
        state: { ...state, awaitingEntryId: null, status: "live_chat" },
        attributes: ctx.attributes,
      };
    }
    case "integration": {
      // The integration is called as a webhook with the option's payload; the conversation ends here.
      if (entry.redirectTo) {
        events.push({
          ...webhookEvent(ctx, node, { ...entry, webhook: integrationWebhook(entry.redirectTo) }, "option", {
            kind: "option",
            option: entry.menuText ?? entry.keyword,
            keyword: entry.keyword,
          }),
          integrationId: entry.redirectTo,
        } as ConversationEvent);
      }
      return end(ctx, state, events, []);
    }
    default:
      return end(ctx, state, events, []);
  }
}

/** Free text answering the node's question: a Webhook entry fires `response`; an Attribute entry saves it. */
function answer(ctx: Context, state: ConversationState, node: PublishedNode, entry: PublishedEntry): Turn {
  const text = ctx.inbound.text.trim();
  const events: ConversationEvent[] = [];
  const fires = entry.redirectType === "webhook" || entry.webhookEnabled;
  if (fires && entry.webhook) {
    events.push(webhookEvent(ctx, node, entry, "response", { kind: "response", response: text }));
  }
  if (entry.redirectType === "attribute" && entry.attribute) {
    ctx.attributes[entry.attribute] = text;
    events.push({ kind: "attribute", name: entry.attribute, value: text });
    const next = ctx.flow.nodes.find((n) => n.id === entry.redirectTo);
    if (next) return enter(ctx, state, next, events, []);
  }
  const replies = node.confirmationText ? [plain(fillAttributes(node.confirmationText, ctx.attributes))] : [];
  return end(ctx, state, events, replies);
}

/** Sends a node; a node with a question waits for its answer, a node with no entries ends the conversation. */
function enter(
  ctx: Context,
  state: ConversationState,
  node: PublishedNode,
  events: ConversationEvent[],
  before: Reply[],
): Turn {
  const reply = render(ctx, node);
  const question = questionEntryOf(node);
  const next: ConversationState = {
    ...state,
    nodeId: node.id,
    awaitingEntryId: question?.id ?? null,
    status: node.entries.length === 0 ? "ended" : "active",
  };
  return { replies: [...before, reply], events, state: next, attributes: ctx.attributes };
}

function end(ctx: Context, state: ConversationState, events: ConversationEvent[], replies: Reply[]): Turn {
  return { replies, events, state: { ...state, awaitingEntryId: null, status: "ended" }, attributes: ctx.attributes };
}

function closed(ctx: Context, state: ConversationState): Turn {
  const replies = ctx.campaign.closingText ? [plain(fillAttributes(ctx.campaign.closingText, ctx.attributes))] : [];
  return end(ctx, state, [], replies);
}

function plain(text: string): Reply {
  return { text, options: [], style: "text" };
}

/** A node's message with {{attributes}} filled in, and its options: as text lines on SMS, as buttons or a list on WhatsApp. */
function render(ctx: Context, node: PublishedNode, lead?: string): Reply {
  const options = optionsOf(node).map((e) => ({ id: e.id, keyword: e.keyword, title: e.menuText ?? e.keyword }));
  const message = lead ?? fillAttributes(node.message, ctx.attributes);
  if (ctx.flow.channel === "whatsapp") {
    const style = options.length === 0 ? "text" : whatsappMenuStyle(options.map((o) => o.title));
    return { text: message, options, style };
  }
  const lines = options.map((o) => `${o.keyword}. ${o.title}`);
  return { text: [message, ...lines].filter((l) => l.length > 0).join("\n"), options, style: "text" };
}

/** Where an integration's event is addressed until the sender reads the integration's current URL. */
export const integrationWebhook = (integrationId: string): WebhookConfig => ({
  url: `integration:${integrationId}`,
  body: {},
  headers: [],
});

type EventFields = { kind: "response"; response: string } | { kind: "option"; option: string; keyword: string };

function webhookEvent(
  ctx: Context,
  node: PublishedNode,
  entry: PublishedEntry,
  mode: "response" | "option",
  fields: EventFields,
): ConversationEvent {
  const webhook = entry.webhook as WebhookConfig;
  const common = {
    campaignId: ctx.flow.campaignId,
    label: node.label,
    phoneNumber: ctx.inbound.phoneNumber,
    receivedAt: ctx.inbound.receivedAt,
  };
  const payload = buildPayload({ ...common, ...fields }, webhook.body as JsonObject);
  return { kind: "webhook", mode, entryId: entry.id, nodeId: node.id, webhook, payload };
}
