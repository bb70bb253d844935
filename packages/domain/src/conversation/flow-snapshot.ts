import type { CampaignStatus, CampaignType, Channel } from "../campaign";
import type { LiveChatEntrySettings } from "../live-chat/settings";
import type { RedirectType } from "../redirect-type";
import type { WebhookConfig } from "../webhook";

/** A menu entry as published: everything the engine needs, nothing it does not. */
export interface PublishedEntry {
  id: string;
  keyword: string;
  menuText: string | null;
  redirectType: RedirectType;
  redirectTo: string | null;
  attribute: string | null;
  /** Redirect Type Campaign: the node the conversation continues at when that campaign finishes (absent: it ends). */
  continueAt?: string;
  /** Redirect Type Live Chat: its settings (absent in flows published before they existed: the defaults apply). */
  liveChat?: LiveChatEntrySettings;
  webhookEnabled: boolean;
  webhook: WebhookConfig | null;
}

export interface PublishedNode {
  id: string;
  kind: "welcome" | "interaction";
  label: string;
  message: string;
  /** Sent after the node's question is answered, ending the conversation. */
  confirmationText: string | null;
  entries: PublishedEntry[];
}

/** An immutable, versioned copy of a chatbot's flow: conversations run on the version they started with. */
export interface FlowSnapshot {
  campaignId: number;
  version: number;
  channel: Channel;
  nodes: PublishedNode[];
}

/** What the engine needs to know of a campaign besides its flow. */
export interface CampaignRuntime {
  id: number;
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  /** When the campaign stops answering with its flow (its expiry), or null. */
  endsAt: Date | null;
  closingText: string | null;
  sessionTimeoutMinutes: number;
}

export function welcomeOf(flow: FlowSnapshot): PublishedNode {
  const welcome = flow.nodes.find((n) => n.kind === "welcome");
  if (!welcome) throw new Error(`Flow ${flow.campaignId} v${flow.version} has no Welcome Message.`);
  return welcome;
}

/** The entry that makes a node a question (Webhook or Attribute redirect type): free text answers it. */
export function questionEntryOf(node: PublishedNode): PublishedEntry | null {
  return node.entries.find((e) => e.redirectType === "webhook" || e.redirectType === "attribute") ?? null;
}

/** The entries the user chooses among: all but the question. */
export function optionsOf(node: PublishedNode): PublishedEntry[] {
  return node.entries.filter((e) => e.redirectType !== "webhook" && e.redirectType !== "attribute");
}
