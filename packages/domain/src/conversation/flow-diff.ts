import { redirectTypeLabels } from "../redirect-type";
import type { FlowSnapshot, PublishedEntry, PublishedNode } from "./flow-snapshot";

export type FlowChangeKind =
  | "node_added"
  | "node_removed"
  | "node_renamed"
  | "node_moved"
  | "message_changed"
  | "confirmation_changed"
  | "entry_added"
  | "entry_removed"
  | "entry_moved"
  | "keyword_changed"
  | "menu_text_changed"
  | "redirect_type_changed"
  | "redirect_to_changed"
  | "attribute_changed"
  | "live_chat_changed"
  | "webhook_toggled"
  | "webhook_added"
  | "webhook_removed"
  | "webhook_url_changed"
  | "webhook_body_changed"
  | "header_added"
  | "header_removed"
  | "header_changed";

/** One difference between two versions of a chatbot, where it is (by id and by name) and its sentence. */
export interface FlowChange {
  kind: FlowChangeKind;
  nodeId: string;
  entryId?: string;
  /** Where, in the marketer's words: "Welcome Message › 3 One year". */
  where: string;
  /** What changed, in the marketer's words: "Redirect To changed from Interaction 2 to Raffle". */
  what: string;
}

/** Names for what a Redirect To points at outside the flow: campaigns and integrations by id. */
export interface DiffNames {
  campaigns?: ReadonlyMap<string, string>;
  integrations?: ReadonlyMap<string, string>;
  /** Live Chat teams by id. */
  teams?: ReadonlyMap<string, string>;
}

/**
 * The changes from one version of a chatbot to another, node by node and entry by entry (matched by id, which
 * survives edits and restores), in the order the newer version shows them. Pure: names come in, nothing is read.
 */
export function diffFlows(from: FlowSnapshot, to: FlowSnapshot, names: DiffNames = {}): FlowChange[] {
  const changes: FlowChange[] = [];
  const before = new Map(from.nodes.map((n, i) => [n.id, { node: n, index: i }]));
  const after = new Set(to.nodes.map((n) => n.id));
  const target = (flow: FlowSnapshot, e: PublishedEntry) => redirectTargetName(flow, e, names);

  to.nodes.forEach((node, index) => {
    const old = before.get(node.id);
    const add = (kind: FlowChangeKind, what: string, entryId?: string, where = node.label) =>
      changes.push({ kind, nodeId: node.id, ...(entryId ? { entryId } : {}), where, what });
    if (!old) {
      add("node_added", `${node.label} added`);
      return;
    }
    if (old.node.label !== node.label) add("node_renamed", `renamed from ${quote(old.node.label)}`);
    if (old.index !== index) add("node_moved", `moved from position ${old.index + 1} to ${index + 1}`);
    if (old.node.message !== node.message) add("message_changed", "message changed");
    if (old.node.confirmationText !== node.confirmationText) {
      add("confirmation_changed", changedText("confirmation text", old.node.confirmationText, node.confirmationText));
    }
    diffEntries(
      old.node,
      node,
      (kind, what, entryId, where) => add(kind, what, entryId, where),
      (e, flow) => target(flow === "from" ? from : to, e),
      (a, b) => liveChatChanges(a, b, from, to, names),
    );
  });
  for (const { node } of before.values()) {
    if (!after.has(node.id)) {
      changes.push({ kind: "node_removed", nodeId: node.id, where: node.label, what: `${node.label} removed` });
    }
  }
  return changes;
}

/** The changes as one sentence per place: "Welcome Message › 3 One year: Redirect To changed …; header X added". */
export function describeChanges(changes: FlowChange[]): string[] {
  const byPlace = new Map<string, string[]>();
  for (const c of changes) byPlace.set(c.where, [...(byPlace.get(c.where) ?? []), c.what]);
  return [...byPlace].map(([where, whats]) => `${where}: ${whats.join("; ")}`);
}

function diffEntries(
  oldNode: PublishedNode,
  node: PublishedNode,
  add: (kind: FlowChangeKind, what: string, entryId: string, where: string) => void,
  target: (e: PublishedEntry, flow: "from" | "to") => string | null,
  liveChat: (from: PublishedEntry, to: PublishedEntry) => string[],
) {
  const before = new Map(oldNode.entries.map((e, i) => [e.id, { entry: e, index: i }]));
  const after = new Set(node.entries.map((e) => e.id));
  node.entries.forEach((entry, index) => {
    const where = `${node.label} › ${entryName(entry)}`;
    const found = before.get(entry.id);
    const put = (kind: FlowChangeKind, what: string) => add(kind, what, entry.id, where);
    if (!found) {
      put("entry_added", `${entryName(entry)} added`);
      return;
    }
    const old = found.entry;
    if (found.index !== index) put("entry_moved", `moved from row ${found.index + 1} to ${index + 1}`);
    if (old.keyword !== entry.keyword) put("keyword_changed", changedText("Keyword", old.keyword, entry.keyword));
    if (old.menuText !== entry.menuText)
      put("menu_text_changed", changedText("Menu Text", old.menuText, entry.menuText));
    if (old.redirectType !== entry.redirectType) {
      put(
        "redirect_type_changed",
        `Redirect Type changed from ${redirectTypeLabels[old.redirectType]} to ${redirectTypeLabels[entry.redirectType]}`,
      );
    }
    const oldTarget = target(old, "from");
    const newTarget = target(entry, "to");
    if (oldTarget !== newTarget) put("redirect_to_changed", changedText("Redirect To", oldTarget, newTarget, false));
    if (old.attribute !== entry.attribute) {
      put("attribute_changed", changedText("attribute", old.attribute, entry.attribute));
    }
    for (const what of liveChat(old, entry)) put("live_chat_changed", what);
    if (old.webhookEnabled !== entry.webhookEnabled) {
      put("webhook_toggled", entry.webhookEnabled ? "webhook toggle turned on" : "webhook toggle turned off");
    }
    const ow = old.webhook;
    const nw = entry.webhook;
    if (!ow && nw) put("webhook_added", "webhook added");
    else if (ow && !nw) put("webhook_removed", "webhook removed");
    else if (ow && nw) {
      if (ow.url !== nw.url) put("webhook_url_changed", "webhook URL changed");
      if (JSON.stringify(ow.body) !== JSON.stringify(nw.body)) put("webhook_body_changed", "webhook Body changed");
      const oldHeaders = new Map(ow.headers.map((h) => [h.name.toLowerCase(), h]));
      const newHeaders = new Map(nw.headers.map((h) => [h.name.toLowerCase(), h]));
      for (const [key, h] of newHeaders) {
        const was = oldHeaders.get(key);
        if (!was) put("header_added", `header ${h.name} added`);
        else if (
          was.value !== h.value ||
          was.secret !== h.secret ||
          (was.secretHeaderId ?? null) !== (h.secretHeaderId ?? null)
        ) {
          // Secret values are never quoted: only that the value changed.
          put("header_changed", `header ${h.name} changed`);
        }
      }
      for (const [key, h] of oldHeaders) if (!newHeaders.has(key)) put("header_removed", `header ${h.name} removed`);
    }
  });
  for (const { entry } of before.values()) {
    if (!after.has(entry.id)) {
      add("entry_removed", `${entryName(entry)} removed`, entry.id, `${node.label} › ${entryName(entry)}`);
    }
  }
}

/** What changed in an entry's Live Chat settings, one phrase per setting (absent settings read as none). */
function liveChatChanges(
  old: PublishedEntry,
  entry: PublishedEntry,
  from: FlowSnapshot,
  to: FlowSnapshot,
  names: DiffNames,
): string[] {
  const a = old.liveChat;
  const b = entry.liveChat;
  if (!a && !b) return [];
  // A change of Redirect Type already says the settings came or went.
  if (!a || !b)
    return old.redirectType === entry.redirectType ? [b ? "Live Chat settings set" : "Live Chat settings cleared"] : [];
  const out: string[] = [];
  const team = (id: string | null) => (id === null ? "every agent" : (names.teams?.get(id) ?? `team ${id}`));
  if (a.handoverMessage !== b.handoverMessage) out.push("Live Chat hand-over message changed");
  if (a.teamId !== b.teamId) out.push(`Live Chat team changed from ${team(a.teamId)} to ${team(b.teamId)}`);
  if (a.timeoutMinutes !== b.timeoutMinutes) {
    out.push(`Live Chat timeout changed from ${a.timeoutMinutes} to ${b.timeoutMinutes} minutes`);
  }
  if (JSON.stringify(a.openingHours) !== JSON.stringify(b.openingHours)) out.push("Live Chat opening hours changed");
  const onTimeout = (flow: FlowSnapshot, t: typeof a.onTimeout) =>
    t.action === "end" ? "end" : `back to ${flow.nodes.find((n) => n.id === t.nodeId)?.label ?? t.nodeId}`;
  const [wasAction, isAction] = [onTimeout(from, a.onTimeout), onTimeout(to, b.onTimeout)];
  if (wasAction !== isAction) out.push(`Live Chat on timeout changed from ${wasAction} to ${isAction}`);
  if (a.onTimeout.message !== b.onTimeout.message) out.push("Live Chat timeout message changed");
  return out;
}

function entryName(e: PublishedEntry): string {
  return e.menuText ? `${e.keyword} ${e.menuText}` : e.keyword;
}

function quote(text: string | null): string {
  return text === null || text === "" ? "nothing" : `“${text}”`;
}

function changedText(field: string, from: string | null, to: string | null, quoted = true): string {
  const show = (v: string | null) => (quoted ? quote(v) : (v ?? "nothing"));
  if (from === null || from === "") return `${field} set to ${show(to)}`;
  if (to === null || to === "") return `${field} cleared (was ${show(from)})`;
  return `${field} changed from ${show(from)} to ${show(to)}`;
}

/** Redirect To by name: an Interaction's label in that version, a campaign's or integration's name when known. */
function redirectTargetName(flow: FlowSnapshot, e: PublishedEntry, names: DiffNames): string | null {
  if (!e.redirectTo) return null;
  switch (e.redirectType) {
    case "interaction":
    case "attribute":
      return flow.nodes.find((n) => n.id === e.redirectTo)?.label ?? e.redirectTo;
    case "campaign":
      return names.campaigns?.get(e.redirectTo) ?? `campaign ${e.redirectTo}`;
    case "integration":
      return names.integrations?.get(e.redirectTo) ?? `integration ${e.redirectTo}`;
    default:
      return e.redirectTo;
  }
}
