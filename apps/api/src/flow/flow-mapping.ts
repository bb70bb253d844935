import type { FlowNode, MenuEntry, Webhook } from "@switchboard/contracts/flow";
import type { Channel } from "@switchboard/domain/campaign";
import { messageStats } from "@switchboard/domain/channel-limits";
import { diffFlows } from "@switchboard/domain/conversation/flow-diff";
import { readFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import type { FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import { type DraftFlow, sameFlow, toSnapshot } from "@switchboard/domain/conversation/publish";
import type { JsonObject } from "@switchboard/domain/json";
import type { LiveChatEntrySettings } from "@switchboard/domain/live-chat/settings";
import { type MenuEntry as DomainEntry, entryHasWebhook } from "@switchboard/domain/menu-entry";
import { SecretBox } from "../secrets/secret-box";
import type { EntryData, EntryRow, NodeRow } from "./flow-store";

/** Redirect To as the API speaks it: one string whatever the type. */
export function redirectToOf(
  e: Pick<EntryRow, "redirectType" | "redirectNodeId" | "redirectCampaignId" | "redirectIntegrationId">,
): string | null {
  switch (e.redirectType) {
    case "interaction":
    case "attribute":
      return e.redirectNodeId;
    case "campaign":
      return e.redirectCampaignId === null ? null : String(e.redirectCampaignId);
    case "integration":
      return e.redirectIntegrationId;
    default:
      return null;
  }
}

/** Redirect To as the database stores it: one typed column per kind of target. */
export function redirectColumns(
  type: DomainEntry["redirectType"],
  to: string | null,
): Pick<EntryData, "redirectNodeId" | "redirectCampaignId" | "redirectIntegrationId"> {
  return {
    redirectNodeId: to && (type === "interaction" || type === "attribute") ? to : null,
    redirectCampaignId: to && type === "campaign" && /^\d{1,9}$/.test(to) ? Number(to) : null,
    redirectIntegrationId: to && type === "integration" ? to : null,
  };
}

/** The fields an entry has in every shape: the table's columns, Redirect To as one string. */
function entryFields(e: EntryRow) {
  return {
    keyword: e.keyword,
    menuText: e.menuText,
    redirectType: e.redirectType,
    redirectTo: redirectToOf(e),
    attribute: e.attribute,
    continueAt: e.continueAtNodeId,
    // Written only through the contracts' liveChatSettings, so the stored value has its shape.
    liveChat: (e.liveChat ?? null) as LiveChatEntrySettings | null,
    webhookEnabled: e.webhookEnabled,
  };
}

export function toDomainEntry(e: EntryRow): DomainEntry {
  return {
    ...entryFields(e),
    webhook: e.webhook
      ? {
          url: e.webhook.url,
          body: JSON.parse(e.webhook.body) as JsonObject,
          headers: e.webhook.headers.map((h) => ({
            name: h.name,
            value: h.value,
            secret: h.secret,
            ...(h.secretHeaderId ? { secretHeaderId: h.secretHeaderId } : {}),
          })),
          signingSecret: e.webhook.signingSecret,
        }
      : null,
  };
}

/** Secret header values never leave the API unmasked. */
export function toWebhook(w: NonNullable<EntryRow["webhook"]>): Webhook {
  return {
    url: w.url,
    body: JSON.parse(w.body) as JsonObject,
    headers: w.headers.map((h) => ({
      id: h.id,
      name: h.name,
      // Masked for everyone, admins included: an admin reads a value only through the audited reveal.
      value: h.secretHeader ? SecretBox.mask(h.secretHeader.value) : h.secret ? SecretBox.mask(h.value) : h.value,
      secret: h.secret || h.secretHeaderId !== null,
      secretHeaderId: h.secretHeaderId,
    })),
    disabledAt: w.disabledAt?.toISOString() ?? null,
    disabledReason: w.disabledReason,
  };
}

export function toMenuEntry(e: EntryRow): MenuEntry {
  return {
    id: e.id,
    nodeId: e.nodeId,
    position: e.position,
    ...entryFields(e),
    liveChat: (e.liveChat ?? null) as MenuEntry["liveChat"],
    hasWebhook: entryHasWebhook(e),
    webhook: e.webhook ? toWebhook(e.webhook) : null,
  };
}

export function toFlowNode(n: NodeRow, channel: Channel): FlowNode {
  return {
    id: n.id,
    kind: n.kind,
    label: n.label,
    message: n.message,
    confirmationText: n.confirmationText,
    position: n.position,
    messageStats: messageStats(channel, n.message),
    entries: n.entries.map(toMenuEntry),
  };
}

/** The draft as the domain's publish checks and the simulator see it. */
export function toDraftFlow(campaignId: number, channel: Channel, nodes: NodeRow[]): DraftFlow {
  return {
    campaignId,
    channel,
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.label,
      message: n.message,
      confirmationText: n.confirmationText,
      entries: n.entries.map((e) => ({ id: e.id, ...toDomainEntry(e) })),
    })),
  };
}

/**
 * How many changes the draft has since the published version: counted by the diff the comparison shows (not by
 * revisions: an edit undone is no change); a difference the diff has no words for still counts as one. Null when
 * never published.
 */
export function changesSincePublish(live: FlowSnapshot | null, draft: FlowSnapshot): number | null {
  if (live === null) return null;
  return sameFlow(live, draft) ? 0 : Math.max(1, diffFlows(live, draft).length);
}

/** The same, from a stored snapshot and the draft's rows, as a campaign list has them. */
export function storedChangesSincePublish(
  campaignId: number,
  channel: Channel,
  nodes: NodeRow[],
  stored: string | null,
): number | null {
  const draft = toSnapshot(toDraftFlow(campaignId, channel, nodes), 0);
  return changesSincePublish(stored === null ? null : readFlowSnapshot(stored), draft);
}
