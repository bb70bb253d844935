import type { RedirectType } from "./redirect-type";

/** The diagram's view of a chatbot: computed from the same data as the Interactions table, never stored. */
export type GraphNodeKind = "welcome" | "interaction" | "campaign" | "webhook";

/** stay: the entry keeps the user in this chatbot (blue); campaign: it hands off (red); webhook: it calls out (black). */
export type GraphEdgeKind = "stay" | "campaign" | "webhook";

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** The chatbot node a Welcome/Interaction graph node stands for; for a webhook, the node holding its entry. */
  nodeId: string | null;
  /** The menu entry a webhook graph node belongs to. */
  entryId: string | null;
}

export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  source: string;
  target: string;
  /** The table row this arrow comes from: clicking the arrow selects it. */
  nodeId: string;
  entryId: string;
  label: string;
}

export interface GraphInput {
  nodes: readonly {
    id: string;
    kind: "welcome" | "interaction";
    label: string;
    entries: readonly {
      id: string;
      keyword: string;
      redirectType: RedirectType | null;
      redirectTo: string | null;
      webhookEnabled: boolean;
      webhook: { url: string } | null;
    }[];
  }[];
}

export interface CampaignName {
  id: number | string;
  name: string;
}

export const campaignGraphId = (campaignId: string) => `campaign:${campaignId}`;
export const webhookGraphId = (entryId: string) => `webhook:${entryId}`;

/** A webhook node is labelled by where it goes, without the scheme: people recognise their own hosts. */
export function webhookLabel(url: string): string {
  const trimmed = url.trim().replace(/^https?:\/\//i, "");
  return trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed || "(no URL yet)";
}

export function flowGraph(
  flow: GraphInput,
  campaigns: readonly CampaignName[],
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const names = new Map(campaigns.map((c) => [String(c.id), c.name]));
  const nodeIds = new Set(flow.nodes.map((n) => n.id));
  const nodes: GraphNode[] = flow.nodes.map((n) => ({
    id: n.id,
    kind: n.kind,
    label: n.label,
    nodeId: n.id,
    entryId: null,
  }));
  const campaignNodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];

  for (const node of flow.nodes) {
    for (const entry of node.entries) {
      const base = { nodeId: node.id, entryId: entry.id, label: entry.keyword };
      const target = entry.redirectTo;
      if (
        (entry.redirectType === "interaction" || entry.redirectType === "attribute") &&
        target &&
        nodeIds.has(target)
      ) {
        edges.push({ ...base, id: `stay:${entry.id}`, kind: "stay", source: node.id, target });
      } else if (entry.redirectType === "campaign" && target) {
        const id = campaignGraphId(target);
        if (!campaignNodes.has(id)) {
          campaignNodes.set(id, {
            id,
            kind: "campaign",
            label: names.get(target) ?? `Campaign ${target}`,
            nodeId: null,
            entryId: null,
          });
        }
        edges.push({ ...base, id: `campaign:${entry.id}`, kind: "campaign", source: node.id, target: id });
      }
      if ((entry.redirectType === "webhook" || entry.webhookEnabled) && entry.webhook) {
        const id = webhookGraphId(entry.id);
        nodes.push({ id, kind: "webhook", label: webhookLabel(entry.webhook.url), nodeId: node.id, entryId: entry.id });
        edges.push({ ...base, id: `webhook:${entry.id}`, kind: "webhook", source: node.id, target: id });
      }
    }
  }
  return { nodes: [...nodes, ...campaignNodes.values()], edges };
}
