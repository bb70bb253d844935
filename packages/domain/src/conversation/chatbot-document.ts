import type { Channel } from "../campaign";
import type { JsonObject } from "../json";
import type { OpeningPeriod } from "../live-chat/opening-hours";
import type { NodeKind } from "../node";
import type { RedirectType } from "../redirect-type";
import { FLOW_FORMAT } from "./flow-format";

/**
 * A chatbot as a file, to move between installations: the draft's nodes, entries and webhooks, with what points
 * outside the chatbot (campaigns, integrations, admin-made secret headers, the sender) named so the target can map
 * it. Nodes are referred to by position (`n1` is the first), never by database id, so export → import → export gives
 * the same document. Secret values are never in it: an inline secret header is exported by name only, and signing
 * secrets not at all (the target makes its own).
 */
export const CHATBOT_DOCUMENT_KIND = "switchboard/chatbot";

export type DocumentTarget =
  | { node: string }
  | { campaign: { id: string; name: string | null } }
  | { integration: { id: string; name: string | null } };

export type DocumentHeader =
  | { name: string; value: string }
  | { name: string; secret: true }
  | { name: string; secretHeader: { id: string; label: string } };

/** A Live Chat entry's settings in a file: its team by id and name (mapped on import), the timeout's node by ref. */
export interface DocumentLiveChat {
  handoverMessage: string;
  team: { id: string; name: string | null } | null;
  timeoutMinutes: number;
  openingHours: { timeZone: string; days: OpeningPeriod[] } | null;
  onTimeout: { action: "bot"; message: string; node: string } | { action: "end"; message: string };
}

export interface DocumentEntry {
  keyword: string;
  menuText: string | null;
  redirectType: RedirectType | null;
  redirectTo: DocumentTarget | null;
  attribute: string | null;
  webhookEnabled: boolean;
  webhook: { url: string; body: JsonObject; headers: DocumentHeader[] } | null;
  /** Redirect Type Live Chat; absent in files written before Live Chat had settings. */
  liveChat?: DocumentLiveChat | null;
}

export interface DocumentNode {
  ref: string;
  kind: NodeKind;
  label: string;
  message: string;
  confirmationText: string | null;
  entries: DocumentEntry[];
}

export interface ChatbotDocument {
  kind: typeof CHATBOT_DOCUMENT_KIND;
  /** The flow format (flow-format.ts) the nodes and entries are written in. */
  format: number;
  name: string;
  channel: Channel;
  sender: { name: string; address: string } | null;
  nodes: DocumentNode[];
}

/** What the target installation must provide before a document can be imported. */
export type NeedKind = "campaign" | "integration" | "secret_header" | "secret_value" | "team";

export interface DocumentNeed {
  kind: NeedKind;
  /** The key the mapping answers under: a campaign's or integration's id, a secret header's id, a header's name. */
  key: string;
  /** In the marketer's words: "Campaign 13011 (Raffle)". */
  label: string;
  /** Where the document uses it: `nodes.0.entries.2.redirectTo`. */
  paths: string[];
}

/** A node's reference in a document: its position, from 1. */
export const nodeRef = (index: number) => `n${index + 1}`;

/** Everything a document points at outside itself, each with every place it is used. Pure. */
export function documentNeeds(doc: ChatbotDocument): DocumentNeed[] {
  const needs = new Map<string, DocumentNeed>();
  const need = (kind: NeedKind, key: string, label: string, path: string) => {
    const id = `${kind}:${key}`;
    const found = needs.get(id) ?? { kind, key, label, paths: [] };
    found.paths.push(path);
    needs.set(id, found);
  };
  doc.nodes.forEach((node, i) => {
    node.entries.forEach((entry, j) => {
      const at = `nodes.${i}.entries.${j}`;
      const to = entry.redirectTo;
      if (to && "campaign" in to) {
        need("campaign", to.campaign.id, named("Campaign", to.campaign.id, to.campaign.name), `${at}.redirectTo`);
      }
      if (to && "integration" in to) {
        need(
          "integration",
          to.integration.id,
          named("Integration", to.integration.id, to.integration.name),
          `${at}.redirectTo`,
        );
      }
      const team = entry.liveChat?.team;
      if (team) need("team", team.id, named("Team", team.id, team.name), `${at}.liveChat.team`);
      entry.webhook?.headers.forEach((header, k) => {
        const path = `${at}.webhook.headers.${k}`;
        if ("secretHeader" in header) {
          need("secret_header", header.secretHeader.id, `Secret header ${header.secretHeader.label}`, path);
        } else if ("secret" in header) {
          need("secret_value", header.name, `Secret value of header ${header.name}`, path);
        }
      });
    });
  });
  return [...needs.values()];
}

/** The problems of a document's own structure: its kind and format, and node references that lead nowhere. */
export function documentProblems(doc: ChatbotDocument): { path: string; code: string; message: string }[] {
  const problems: { path: string; code: string; message: string }[] = [];
  if (doc.format > FLOW_FORMAT) {
    problems.push({
      path: "format",
      code: "format_too_new",
      message: `This file was written by a newer Switchboard (format ${doc.format}; this one reads up to ${FLOW_FORMAT}).`,
    });
  }
  const refs = new Set(doc.nodes.map((n) => n.ref));
  if (refs.size !== doc.nodes.length) {
    problems.push({ path: "nodes", code: "duplicate_ref", message: "Two nodes have the same ref." });
  }
  const welcomes = doc.nodes.filter((n) => n.kind === "welcome").length;
  if (welcomes !== 1 || doc.nodes[0]?.kind !== "welcome") {
    problems.push({
      path: "nodes",
      code: "no_welcome",
      message: "The first node, and only it, is the Welcome Message.",
    });
  }
  doc.nodes.forEach((node, i) => {
    node.entries.forEach((entry, j) => {
      const to = entry.redirectTo;
      if (to && "node" in to && !refs.has(to.node)) {
        problems.push({
          path: `nodes.${i}.entries.${j}.redirectTo`,
          code: "unknown_node",
          message: `${node.label} › ${entry.keyword}: Redirect To names node ${to.node}, which is not in the file.`,
        });
      }
      const onTimeout = entry.liveChat?.onTimeout;
      if (onTimeout?.action === "bot" && !refs.has(onTimeout.node)) {
        problems.push({
          path: `nodes.${i}.entries.${j}.liveChat.onTimeout.node`,
          code: "unknown_node",
          message: `${node.label} › ${entry.keyword}: on timeout, Live Chat goes back to node ${onTimeout.node}, which is not in the file.`,
        });
      }
    });
  });
  return problems;
}

function named(kind: string, id: string, name: string | null) {
  return name ? `${kind} ${id} (${name})` : `${kind} ${id}`;
}
