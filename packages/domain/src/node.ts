import type { Channel } from "./campaign";
import { validateChannelLimits } from "./channel-limits";
import { issue, type RuleIssue } from "./issue";

export const NODE_LABEL_MAX = 60;

export const nodeKinds = ["welcome", "interaction"] as const;
export type NodeKind = (typeof nodeKinds)[number];

/** The Welcome Message or an Interaction: a label (sent in payloads), a message and a menu. */
export interface FlowNode {
  id: string;
  kind: NodeKind;
  label: string;
  message: string;
}

export function validateNode(
  node: Pick<FlowNode, "id" | "label" | "message">,
  siblings: readonly Pick<FlowNode, "id" | "label">[],
  channel: Channel,
  entryCount: number,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const label = node.label.trim();
  if (label.length === 0) {
    issues.push(issue(["label"], "required", "Label is required: it names this node in webhook payloads."));
  } else if (label.length > NODE_LABEL_MAX) {
    issues.push(issue(["label"], "too_long", `Label must be at most ${NODE_LABEL_MAX} characters.`));
  } else {
    const clash = siblings.find((s) => s.id !== node.id && s.label.trim().toLowerCase() === label.toLowerCase());
    if (clash) {
      issues.push(
        issue(
          ["label"],
          "duplicate_label",
          `Another node of this chatbot is already labelled "${clash.label}"; labels tell nodes apart in payloads.`,
        ),
      );
    }
  }
  issues.push(...validateChannelLimits(channel, node.message, entryCount));
  return issues;
}

/** Labels for new Interactions: "Interaction 1", "Interaction 2", … skipping those already taken. */
export function nextInteractionLabels(taken: readonly string[], count: number): string[] {
  const used = new Set(taken.map((l) => l.trim().toLowerCase()));
  const labels: string[] = [];
  for (let n = 1; labels.length < count; n++) {
    const label = `Interaction ${n}`;
    if (!used.has(label.toLowerCase())) labels.push(label);
  }
  return labels;
}
