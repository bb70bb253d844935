import type { Channel } from "../campaign";
import { validateWhatsappOptionTitle } from "../channel-limits";
import { issue, type RuleIssue, under } from "../issue";
import { type EntryContext, type MenuEntry, validateMenuEntry, validateNodeKeywords } from "../menu-entry";
import { validateNode } from "../node";
import { redirectTargetKind, redirectTypeLabels } from "../redirect-type";
import type { FlowSnapshot, PublishedEntry } from "./flow-snapshot";

export interface DraftEntry extends MenuEntry {
  id: string;
}

export interface DraftNode {
  id: string;
  kind: "welcome" | "interaction";
  label: string;
  message: string;
  confirmationText: string | null;
  entries: DraftEntry[];
}

export interface DraftFlow {
  campaignId: number;
  channel: Channel;
  nodes: DraftNode[];
}

export interface PublishCheck {
  /** Anything here refuses the publication. */
  errors: RuleIssue[];
  /** Published anyway, but worth the marketer's attention (e.g. unreachable nodes). */
  warnings: RuleIssue[];
}

/** Checks a whole draft before it becomes the version end users talk to. */
export function checkPublishable(
  flow: DraftFlow,
  ctx: Pick<EntryContext, "campaignIds" | "integrationIds" | "teamIds" | "policy"> & {
    activeCampaignIds: ReadonlySet<string>;
  },
): PublishCheck {
  const errors: RuleIssue[] = [];
  const warnings: RuleIssue[] = [];
  const nodeIds = new Set(flow.nodes.map((n) => n.id));
  const welcome = flow.nodes.find((n) => n.kind === "welcome");
  if (!welcome) errors.push(issue(["nodes"], "no_welcome", "The chatbot has no Welcome Message."));

  flow.nodes.forEach((node, i) => {
    const at = ["nodes", i];
    errors.push(...under(at, validateNode(node, flow.nodes, flow.channel, node.entries.length)));
    if (!node.message.trim()) {
      errors.push(
        issue([...at, "message"], "required", `${node.label} has no message: write what the bot says there.`),
      );
    }
    errors.push(...under(at, validateNodeKeywords(node.entries)));
    const questions = node.entries.filter((e) => e.redirectType === "webhook" || e.redirectType === "attribute");
    if (questions.length > 1) {
      errors.push(
        issue(
          [...at, "entries"],
          "several_questions",
          `${node.label} asks more than one question (Webhook or Attribute entries); keep one.`,
        ),
      );
    }
    node.entries.forEach((entry, j) => {
      const where = [...at, "entries", j];
      const name = `${node.label} › ${entry.keyword}`;
      const entryCtx = { ...ctx, nodeId: node.id, nodeIds };
      errors.push(
        ...under(where, validateMenuEntry(entry, entryCtx)).map((e) => ({ ...e, message: `${name}: ${e.message}` })),
      );
      if (entry.redirectType !== "webhook" && entry.redirectType !== "attribute") {
        errors.push(
          ...under(where, validateWhatsappOptionTitle(flow.channel, entry)).map((e) => ({
            ...e,
            message: `${name}: ${e.message}`,
          })),
        );
      }
      if (!entry.redirectType) {
        errors.push(issue([...where, "redirectType"], "required", `${name}: choose a Redirect Type.`));
      } else if (redirectTargetKind[entry.redirectType] && !entry.redirectTo) {
        errors.push(
          issue(
            [...where, "redirectTo"],
            "required",
            `${name}: choose where Redirect Type ${redirectTypeLabels[entry.redirectType]} goes (Redirect To).`,
          ),
        );
      }
      if (
        entry.redirectType === "campaign" &&
        entry.redirectTo &&
        ctx.campaignIds.has(entry.redirectTo) &&
        !ctx.activeCampaignIds.has(entry.redirectTo)
      ) {
        warnings.push(
          issue(
            [...where, "redirectTo"],
            "target_inactive",
            `${name}: campaign ${entry.redirectTo} is not active; end users sent there get its closing text.`,
          ),
        );
      }
    });
  });

  if (welcome) {
    const reachable = reachableFrom(flow, welcome.id);
    flow.nodes.forEach((node, i) => {
      if (!reachable.has(node.id)) {
        warnings.push(
          issue(
            ["nodes", i],
            "unreachable",
            `${node.label} cannot be reached from the Welcome Message: no entry redirects to it.`,
          ),
        );
      }
    });
  }
  return { errors, warnings };
}

function reachableFrom(flow: DraftFlow, start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const node = flow.nodes.find((n) => n.id === queue.shift());
    for (const entry of node?.entries ?? []) {
      const kind = entry.redirectType ? redirectTargetKind[entry.redirectType] : null;
      if (kind === "node" && entry.redirectTo && !seen.has(entry.redirectTo)) {
        seen.add(entry.redirectTo);
        queue.push(entry.redirectTo);
      }
    }
  }
  return seen;
}

/** The immutable copy conversations run on. Only call it on a flow that passed checkPublishable. */
export function toSnapshot(flow: DraftFlow, version: number): FlowSnapshot {
  return {
    campaignId: flow.campaignId,
    version,
    channel: flow.channel,
    nodes: flow.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.label.trim(),
      message: n.message,
      confirmationText: n.confirmationText,
      entries: n.entries.map(
        (e): PublishedEntry => ({
          id: e.id,
          keyword: e.keyword.trim(),
          menuText: e.menuText,
          redirectType: e.redirectType as PublishedEntry["redirectType"],
          redirectTo: e.redirectTo,
          attribute: e.attribute,
          ...(e.redirectType === "campaign" && e.continueAt ? { continueAt: e.continueAt } : {}),
          ...(e.redirectType === "live_chat" && e.liveChat ? { liveChat: e.liveChat } : {}),
          webhookEnabled: e.webhookEnabled,
          webhook: e.webhook,
        }),
      ),
    })),
  };
}

/** Whether the draft differs from what is published (so the editor can say "unpublished changes"). */
export function sameFlow(a: FlowSnapshot, b: FlowSnapshot): boolean {
  // Stored snapshots come back from jsonb with their keys reordered: compare content, not key order.
  return canonical({ ...a, version: 0 }) === canonical({ ...b, version: 0 });
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
