import type { Flow } from "@switchboard/contracts/flow";
import { checkPublishable, type DraftFlow } from "@switchboard/domain/conversation/publish";

/** One problem of the draft, placed on its node, entry and field. */
export interface FlowProblem {
  nodeId: string;
  entryId: string | null;
  /** The field as the editor names it (`message`, `keyword`, `redirectTo`…), or null for the node or entry itself. */
  field: string | null;
  message: string;
}

/** Places a publish problem's path (`nodes.1.entries.0.redirectTo`) on the flow it was found in; null if it is gone. */
export function placeProblem(flow: Flow, path: string, message: string): FlowProblem | null {
  const match = /^(?:body\.)?nodes\.(\d+)(?:\.entries\.(\d+))?(?:\.(\w+))?/.exec(path);
  if (!match) return null;
  const node = flow.nodes[Number(match[1])];
  if (!node) return null;
  const entry = match[2] === undefined ? undefined : node.entries[Number(match[2])];
  const field = match[3] ?? null;
  return { nodeId: node.id, entryId: entry?.id ?? null, field: field === "entries" ? null : field, message };
}

export interface OutlineContext {
  campaignIds: ReadonlySet<string>;
  integrationIds: ReadonlySet<string>;
  allowHttp: boolean;
}

/** What Publish would refuse, checked here by the domain's own rule as the marketer edits. */
export function draftProblems(flow: Flow, ctx: OutlineContext): FlowProblem[] {
  const check = checkPublishable(flow as unknown as DraftFlow, {
    campaignIds: ctx.campaignIds,
    // Only errors are counted: an inactive target is a warning.
    activeCampaignIds: ctx.campaignIds,
    integrationIds: ctx.integrationIds,
    policy: { allowHttp: ctx.allowHttp },
  });
  return check.errors.flatMap((e) => placeProblem(flow, e.path.join("."), e.message) ?? []);
}

/** One place where the searched text was found. */
export interface SearchHit {
  nodeId: string;
  entryId: string | null;
  /** Where it was found, in the editor's words: "Interaction 2 › Message", "Welcome Message › 1 › Webhook URL". */
  where: string;
  text: string;
}

/** Finds the text (case-insensitive) in messages, menu texts and webhook URLs. */
export function searchFlow(flow: Flow, query: string, limit = 50): SearchHit[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return [];
  const hits: SearchHit[] = [];
  const found = (text: string | null | undefined) => !!text && text.toLocaleLowerCase().includes(q);
  for (const node of flow.nodes) {
    if (found(node.message))
      hits.push({ nodeId: node.id, entryId: null, where: `${node.label} › Message`, text: node.message });
    for (const entry of node.entries) {
      if (found(entry.menuText)) {
        hits.push({
          nodeId: node.id,
          entryId: entry.id,
          where: `${node.label} › ${entry.keyword} › Menu Text`,
          text: entry.menuText ?? "",
        });
      }
      if (found(entry.webhook?.url)) {
        hits.push({
          nodeId: node.id,
          entryId: entry.id,
          where: `${node.label} › ${entry.keyword} › Webhook URL`,
          text: entry.webhook?.url ?? "",
        });
      }
      if (hits.length >= limit) return hits;
    }
  }
  return hits;
}
