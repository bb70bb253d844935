export const redirectTypes = ["interaction", "campaign", "webhook", "attribute", "live_chat", "integration"] as const;
export type RedirectType = (typeof redirectTypes)[number];

export const redirectTypeLabels: Record<RedirectType, string> = {
  interaction: "Interaction",
  campaign: "Campaign",
  webhook: "Webhook",
  attribute: "Attribute",
  live_chat: "Live Chat",
  integration: "Integration",
};

/** What Redirect To holds for each type; null where the type has no Redirect To. */
export const redirectTargetKind: Record<RedirectType, "node" | "campaign" | "integration" | null> = {
  interaction: "node",
  campaign: "campaign",
  webhook: null,
  attribute: "node",
  live_chat: null,
  integration: "integration",
};
