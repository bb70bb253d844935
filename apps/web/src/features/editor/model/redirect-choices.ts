import type { Campaign } from "@switchboard/contracts/campaigns";
import type { FlowNode } from "@switchboard/contracts/flow";
import { campaignTypeLabels } from "@switchboard/domain/campaign";
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

/** The account's other campaigns: a chatbot never hands off to itself. */
export const campaignTargets = (campaigns: readonly Pick<Campaign, "id" | "name" | "type">[], self: number): Choice[] =>
  campaigns
    .filter((c) => c.id !== self)
    .map((c) => ({ value: String(c.id), label: `${c.name} (${campaignTypeLabels[c.type]})` }));

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
