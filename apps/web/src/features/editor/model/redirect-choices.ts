import type { Campaign } from "@switchboard/contracts/campaigns";
import type { FlowNode } from "@switchboard/contracts/flow";
import { campaignStatusLabels, campaignTypeLabels } from "@switchboard/domain/campaign";
import { handoffTypes } from "@switchboard/domain/handoff/settings";
import { type RedirectType, redirectTargetKind } from "@switchboard/domain/redirect-type";

export interface Choice {
  value: string;
  label: string;
}

/** Everything Redirect To can point at in one chatbot, prepared once for all its rows. */
export interface Targets {
  nodes: readonly Choice[];
  campaigns: readonly Choice[];
  integrations: readonly Choice[];
}

export const nodeTargets = (nodes: readonly Pick<FlowNode, "id" | "label">[]): Choice[] =>
  nodes.map((n) => ({ value: n.id, label: n.label }));

const handsOffTo: readonly string[] = handoffTypes;

/**
 * The campaigns a conversation can be handed to (Raffle Giveaway, Polls & Surveys, Web Polls & Surveys), each with its
 * status: a draft or ended one answers its closing message only, so the marketer sees why before publishing.
 */
export const campaignTargets = (
  campaigns: readonly Pick<Campaign, "id" | "name" | "type" | "status">[],
  self: number,
): Choice[] =>
  campaigns
    .filter((c) => c.id !== self && handsOffTo.includes(c.type))
    .map((c) => ({
      value: String(c.id),
      label: `${c.name} (${campaignTypeLabels[c.type]}, ${campaignStatusLabels[c.status]})`,
    }));

/**
 * Redirect To's choices depend on the Redirect Type: this chatbot's other nodes (Interaction, and Attribute's next
 * node), the other campaigns, or the saved integrations; nothing for Webhook and Live Chat.
 */
export function redirectToChoices(type: RedirectType | null, targets: Targets, nodeId: string): readonly Choice[] {
  if (type === null) return [];
  switch (redirectTargetKind[type]) {
    case "node":
      return targets.nodes.filter((c) => c.value !== nodeId);
    case "campaign":
      return targets.campaigns;
    case "integration":
      return targets.integrations;
    case null:
      return [];
  }
}
