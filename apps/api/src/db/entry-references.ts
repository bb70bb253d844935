import type { EntryReference } from "@switchboard/domain/references";

/** The include that loads what an entry reference shows: the entry's node and campaign. */
export const referenceInclude = { node: { include: { campaign: { select: { id: true, name: true } } } } } as const;

export function toEntryReference(e: {
  id: string;
  nodeId: string;
  keyword: string;
  menuText: string | null;
  node: { label: string; campaign: { id: number; name: string } };
}): EntryReference {
  return {
    campaignId: String(e.node.campaign.id),
    campaignName: e.node.campaign.name,
    nodeId: e.nodeId,
    nodeLabel: e.node.label,
    entryId: e.id,
    keyword: e.keyword,
    menuText: e.menuText,
  };
}
