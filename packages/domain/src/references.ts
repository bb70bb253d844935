import { issue, type RuleIssue } from "./issue";

/** A menu entry that names a node or campaign in its Redirect To. */
export interface EntryReference {
  campaignId: string;
  campaignName: string;
  nodeId: string;
  nodeLabel: string;
  entryId: string;
  keyword: string;
  menuText: string | null;
}

export function describeReference(ref: EntryReference): string {
  const option = ref.menuText ? `${ref.keyword}. ${ref.menuText}` : ref.keyword;
  return `"${ref.campaignName}" › ${ref.nodeLabel} › ${option}`;
}

/** Something that is a Redirect To target cannot be deleted: the entries pointing at it would dangle. */
export function deletionBlockers(what: string, references: readonly EntryReference[]): RuleIssue[] {
  if (references.length === 0) return [];
  const count = references.length === 1 ? "1 menu entry points" : `${references.length} menu entries point`;
  const list = references.map(describeReference).join("; ");
  return [
    issue(
      [],
      "still_referenced",
      `${what} cannot be deleted: ${count} at it (${list}). Change their Redirect To first.`,
    ),
  ];
}

/**
 * A campaign that active, published chatbots hand conversations to cannot be ended: their end users would be sent to
 * a campaign that only answers its closing text.
 */
export function endingBlockers(what: string, references: readonly EntryReference[]): RuleIssue[] {
  if (references.length === 0) return [];
  const count =
    references.length === 1
      ? "1 menu entry of a published chatbot points"
      : `${references.length} menu entries of published chatbots point`;
  const list = references.map(describeReference).join("; ");
  return [
    issue(
      ["status"],
      "still_referenced",
      `${what} cannot be ended: ${count} at it (${list}). Change their Redirect To and publish first.`,
    ),
  ];
}
