import type { MenuEntryPatch, menuEntryInput, NodePatch, nodeInput } from "@switchboard/contracts/flow";
import { campaignTypeLabels } from "@switchboard/domain/campaign";
import { validateChannelLimits } from "@switchboard/domain/channel-limits";
import { readFlowSnapshot, toStoredSnapshot } from "@switchboard/domain/conversation/flow-format";
import { checkPublishable, sameFlow, toSnapshot } from "@switchboard/domain/conversation/publish";
import type { RuleIssue } from "@switchboard/domain/issue";
import { type MenuEntry as DomainEntry, validateMenuEntry, validateNodeKeywords } from "@switchboard/domain/menu-entry";
import { nextInteractionLabels, validateNode } from "@switchboard/domain/node";
import { webhookMode } from "@switchboard/domain/payload";
import { deletionBlockers } from "@switchboard/domain/references";
import type { WebhookConfig, WebhookPolicy } from "@switchboard/domain/webhook";
import type { z } from "zod";
import { AppError, assertRules } from "../errors/app-error";
import type { Prisma } from "../generated/prisma/client";
import { mergeHeaders, referencedSecretHeaders, type Writer } from "../secrets/header-merge";
import { newSealedSigningSecret } from "../secrets/signing-secrets";
import { redirectColumns, toDomainEntry, toDraftFlow, toFlowNode, toMenuEntry } from "./flow-mapping";
import type { EntryRow, FlowStore, NodeRow, WebhookData } from "./flow-store";

type EntryInput = z.output<typeof menuEntryInput>;

/** Who saves when no one says: someone who may not write secret values. */
export const MARKETER: Writer = { mayWriteSecrets: false };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function flowService(deps: {
  flows: FlowStore;
  policy: WebhookPolicy;
  /** Why a webhook URL's host may not be reached (a non-public address), or null; checked again at send time. */
  checkAddress?: (url: string) => Promise<string | null>;
  /** Seals secret values before they are stored. */
  seal: (plain: string) => string;
}) {
  const { flows, policy, seal } = deps;
  const checkAddress = deps.checkAddress ?? (async () => null);

  /** Loads a chatbot's nodes under its lock; refuses campaigns that are not chatbots. */
  const chatbot = async (store: FlowStore, campaignId: number) => {
    const campaign = await store.campaign(campaignId);
    if (!campaign) throw AppError.notFound(`Campaign ${campaignId}`);
    if (campaign.type !== "chatbot") {
      throw new AppError(
        "conflict",
        `Only chatbots have Interactions; campaign ${campaignId} is a ${campaignTypeLabels[campaign.type]} campaign.`,
      );
    }
    return { campaign, nodes: await store.nodes(campaignId) };
  };

  const findNode = (nodes: NodeRow[], nodeId: string) => {
    const node = nodes.find((n) => n.id === nodeId);
    if (!node) throw AppError.notFound(`Node ${nodeId} of this chatbot`);
    return node;
  };

  const findEntry = (node: NodeRow, entryId: string) => {
    const entry = node.entries.find((e) => e.id === entryId);
    if (!entry) throw AppError.notFound(`Menu entry ${entryId} of ${node.label}`);
    return entry;
  };

  /**
   * Resolves the headers of a webhook input against what is stored (secrets/header-merge.ts): `config` holds what the
   * rules check, `data` what is stored (secret values sealed, and the signing secret the webhook gets if it is new).
   */
  const resolveWebhook = async (
    store: FlowStore,
    input: z.output<typeof menuEntryInput>["webhook"],
    stored: EntryRow["webhook"],
    writer: Writer,
  ): Promise<{ config: WebhookConfig | null; data: WebhookData | null; issues: RuleIssue[] }> => {
    if (!input) return { config: null, data: null, issues: [] };
    const storedHeaders = stored?.headers ?? [];
    const library = await store.secretHeaders(referencedSecretHeaders(input.headers, storedHeaders));
    const { checked, saved, issues } = mergeHeaders({
      incoming: input.headers,
      stored: storedHeaders,
      paths: { headers: ["webhook", "headers"], url: ["webhook", "url"] },
      url: input.url,
      storedUrl: stored?.url ?? null,
      writer,
      secretHeaders: new Map(library.map((r) => [r.id, r])),
      seal,
    });
    const url = input.url.trim();
    const body = input.body as WebhookConfig["body"];
    return {
      config: { url, body, headers: checked },
      data: { url, body: body as Prisma.InputJsonObject, headers: saved, signingSecret: newSealedSigningSecret(seal) },
      issues,
    };
  };

  const entryRules = async (
    store: FlowStore,
    campaignId: number,
    channel: "sms" | "whatsapp",
    node: NodeRow,
    nodes: NodeRow[],
    entry: DomainEntry,
    index: number,
    siblings: { keyword: string }[],
  ) => {
    const target =
      entry.redirectType === "campaign" && entry.redirectTo && /^\d{1,9}$/.test(entry.redirectTo)
        ? Number(entry.redirectTo)
        : null;
    const campaignIds = new Set<string>();
    // This campaign counts as existing here, so that pointing at it is reported as what it is: a self-redirect.
    if (target !== null && (target === campaignId || (await store.campaignExists(target)))) {
      campaignIds.add(String(target));
    }
    const issues = validateMenuEntry(entry, {
      nodeId: node.id,
      nodeIds: new Set(nodes.map((n) => n.id)),
      campaignIds,
      integrationIds: new Set(
        entry.redirectType === "integration" && entry.redirectTo
          ? await store.existingIntegrations([entry.redirectTo].filter((id) => UUID.test(id)))
          : [],
      ),
      policy,
    });
    if (target === campaignId) {
      issues.push({
        path: ["redirectTo"],
        code: "self_redirect",
        message: "Redirect To must be another campaign, not this one.",
      });
    }
    const keywordIssues = validateNodeKeywords(siblings).filter((i) => i.path[1] === index);
    issues.push(...keywordIssues.map((i) => ({ ...i, path: ["keyword"] })));
    issues.push(
      ...validateChannelLimits(channel, node.message, siblings.length)
        .filter((i) => i.path[0] === "entries")
        .map((i) => ({ ...i, path: [] as (string | number)[] })),
    );
    if (entry.webhook && !issues.some((i) => i.path[0] === "webhook" && i.path[1] === "url")) {
      const refusal = await checkAddress(entry.webhook.url);
      if (refusal) issues.push({ path: ["webhook", "url"], code: "address_refused", message: refusal });
    }
    return issues;
  };

  return {
    /** The draft as a snapshot (version 0): what the simulator plays. */
    async draftSnapshot(campaignId: number) {
      const campaign = await flows.campaign(campaignId);
      if (campaign?.type !== "chatbot") return null;
      return toSnapshot(toDraftFlow(campaignId, campaign.channel, await flows.nodes(campaignId)), 0);
    },

    /** Checks the whole draft and makes it the version end users talk to. */
    publish(campaignId: number) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const draft = toDraftFlow(campaignId, campaign.channel, nodes);
        const referenced = [
          ...new Set(
            draft.nodes.flatMap((n) =>
              n.entries
                .filter((e) => e.redirectType === "campaign" && /^\d{1,9}$/.test(e.redirectTo ?? ""))
                .map((e) => Number(e.redirectTo)),
            ),
          ),
        ].filter((id) => id !== campaignId);
        const statuses = await store.campaignStatuses(referenced);
        const integrationIds = await store.existingIntegrations(
          draft.nodes.flatMap((n) =>
            n.entries.flatMap((e) =>
              e.redirectType === "integration" && e.redirectTo && UUID.test(e.redirectTo) ? [e.redirectTo] : [],
            ),
          ),
        );
        const check = checkPublishable(draft, {
          campaignIds: new Set(statuses.map((c) => String(c.id))),
          activeCampaignIds: new Set(statuses.filter((c) => c.status === "active").map((c) => String(c.id))),
          integrationIds: new Set(integrationIds),
          policy,
        });
        assertRules(check.errors, []);
        const version = ((await store.latestVersion(campaignId))?.version ?? 0) + 1;
        const warnings = check.warnings.map((w) => ({ path: w.path.join("."), code: w.code, message: w.message }));
        const row = await store.publish(
          campaignId,
          version,
          toStoredSnapshot(toSnapshot(draft, version)) as unknown as Prisma.InputJsonValue,
          warnings,
        );
        return {
          publishedVersion: row.version,
          publishedAt: row.publishedAt.toISOString(),
          hasUnpublishedChanges: false,
          warnings,
        };
      });
    },

    /** Draft vs published: which version runs, and whether the draft has changed since. */
    async publication(campaignId: number) {
      const { campaign, nodes } = await chatbot(flows, campaignId);
      const latest = await flows.latestVersion(campaignId);
      const draft = toSnapshot(toDraftFlow(campaignId, campaign.channel, nodes), 0);
      return {
        publishedVersion: latest?.version ?? null,
        publishedAt: latest?.publishedAt.toISOString() ?? null,
        hasUnpublishedChanges: !latest || !sameFlow(readFlowSnapshot(latest.snapshot), draft),
        warnings: (latest?.warnings ?? []) as { path: string; code: string; message: string }[],
      };
    },

    /** An entry's webhook as Send test needs it: its node's label, its mode and sample choice, secrets in clear. */
    async webhookForTest(campaignId: number, nodeId: string, entryId: string) {
      const { nodes } = await chatbot(flows, campaignId);
      const node = findNode(nodes, nodeId);
      const entry = findEntry(node, entryId);
      const domain = toDomainEntry(entry);
      if (!domain.webhook) throw AppError.notFound(`A webhook on entry ${entry.keyword}`);
      return {
        campaignId,
        entryId,
        nodeId,
        label: node.label,
        mode: webhookMode(domain.redirectType),
        option: domain.menuText ?? domain.keyword,
        keyword: domain.keyword,
        config: domain.webhook,
        // During a rotation's overlap Send test signs with the previous secret too, as deliveries do.
        previousSigningSecret: {
          secret: entry.webhook?.previousSigningSecret ?? null,
          until: entry.webhook?.previousSigningSecretUntil ?? null,
        },
      };
    },

    /** Clears a disabled endpoint's state: new deliveries go out again. */
    enableWebhook: (entryId: string) => flows.enableWebhook(entryId),

    async getFlow(campaignId: number) {
      const { campaign, nodes } = await chatbot(flows, campaignId);
      return {
        campaignId: campaign.id,
        channel: campaign.channel,
        nodes: nodes.map((n) => toFlowNode(n, campaign.channel)),
      };
    },

    addNode(campaignId: number, input: z.output<typeof nodeInput>) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const label =
          input.label?.trim() ||
          (nextInteractionLabels(
            nodes.map((n) => n.label),
            1,
          )[0] as string);
        assertRules(validateNode({ id: "", label, message: input.message }, nodes, campaign.channel, 0));
        // The Welcome Message stays first.
        const position = Math.max(1, Math.min(input.position ?? nodes.length, nodes.length));
        const created = await store.createNode(
          campaignId,
          { label, message: input.message, confirmationText: input.confirmationText },
          nodes.length,
        );
        const order = nodes.map((n) => n.id);
        order.splice(position, 0, created.id);
        await store.reorderNodes(order);
        return toFlowNode({ ...created, position, entries: [] }, campaign.channel);
      });
    },

    updateNode(campaignId: number, nodeId: string, patch: NodePatch) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const node = findNode(nodes, nodeId);
        const next = {
          ...node,
          ...(patch.label !== undefined ? { label: patch.label.trim() } : {}),
          ...(patch.message !== undefined ? { message: patch.message } : {}),
          ...(patch.confirmationText !== undefined ? { confirmationText: patch.confirmationText } : {}),
        };
        const issues = validateNode(next, nodes, campaign.channel, node.entries.length);
        if (patch.position !== undefined && node.kind === "welcome" && patch.position !== 0) {
          issues.push({ path: ["position"], code: "welcome_first", message: "The Welcome Message is always first." });
        }
        assertRules(issues);
        await store.updateNode(nodeId, {
          label: next.label,
          message: next.message,
          confirmationText: next.confirmationText,
        });
        let position = node.position;
        if (patch.position !== undefined && node.kind !== "welcome") {
          position = Math.max(1, Math.min(patch.position, nodes.length - 1));
          const order = nodes.map((n) => n.id).filter((id) => id !== nodeId);
          order.splice(position, 0, nodeId);
          await store.reorderNodes(order);
        }
        return toFlowNode({ ...next, position }, campaign.channel);
      });
    },

    deleteNode(campaignId: number, nodeId: string) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { nodes } = await chatbot(store, campaignId);
        const node = findNode(nodes, nodeId);
        if (node.kind === "welcome")
          throw new AppError(
            "conflict",
            "The Welcome Message is where every conversation starts; it cannot be deleted.",
          );
        const references = await store.referencesToNode(nodeId);
        const blockers = deletionBlockers(node.label, references);
        if (blockers.length) throw new AppError("still_referenced", (blockers[0] as RuleIssue).message, [], references);
        await store.deleteNode(nodeId);
        await store.reorderNodes(nodes.filter((n) => n.id !== nodeId).map((n) => n.id));
      });
    },

    addEntry(campaignId: number, nodeId: string, input: EntryInput, writer: Writer = MARKETER) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const node = findNode(nodes, nodeId);
        const resolved = await resolveWebhook(store, input.webhook, null, writer);
        const { config, issues: headerIssues } = resolved;
        const entry: DomainEntry = { ...input, keyword: input.keyword.trim(), webhook: config };
        const index = node.entries.length;
        const siblings = [...node.entries, entry];
        assertRules([
          ...headerIssues,
          ...(await entryRules(store, campaignId, campaign.channel, node, nodes, entry, index, siblings)),
        ]);
        const created = await store.createEntry(nodeId, entryColumns(entry), resolved.data, index);
        if (input.position !== undefined && input.position < index) {
          const order = node.entries.map((e) => e.id);
          order.splice(input.position, 0, created.id);
          await store.reorderEntries(order);
          return toMenuEntry({ ...created, position: input.position });
        }
        return toMenuEntry(created);
      });
    },

    updateEntry(campaignId: number, nodeId: string, entryId: string, patch: MenuEntryPatch, writer: Writer = MARKETER) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const node = findNode(nodes, nodeId);
        const current = findEntry(node, entryId);
        const { position, webhook: webhookInput, ...changes } = patch;
        const resolved =
          webhookInput === undefined ? null : await resolveWebhook(store, webhookInput, current.webhook, writer);
        const base = toDomainEntry(current);
        const entry: DomainEntry = {
          ...base,
          ...changes,
          ...(changes.keyword !== undefined ? { keyword: changes.keyword.trim() } : {}),
          webhook: resolved ? resolved.config : base.webhook,
        };
        const index = node.entries.indexOf(current);
        const siblings = node.entries.map((e, i) => (i === index ? entry : e));
        assertRules([
          ...(resolved?.issues ?? []),
          ...(await entryRules(store, campaignId, campaign.channel, node, nodes, entry, index, siblings)),
        ]);
        const updated = await store.updateEntry(entryId, entryColumns(entry), resolved ? resolved.data : undefined);
        if (position !== undefined && position !== index) {
          const order = node.entries.map((e) => e.id).filter((id) => id !== entryId);
          const at = Math.min(position, order.length);
          order.splice(at, 0, entryId);
          await store.reorderEntries(order);
          return toMenuEntry({ ...updated, position: at });
        }
        return toMenuEntry(updated);
      });
    },

    deleteEntry(campaignId: number, nodeId: string, entryId: string) {
      return flows.lockedOnCampaign(campaignId, async (store) => {
        const { nodes } = await chatbot(store, campaignId);
        const node = findNode(nodes, nodeId);
        findEntry(node, entryId);
        await store.deleteEntry(entryId);
        await store.reorderEntries(node.entries.filter((e) => e.id !== entryId).map((e) => e.id));
      });
    },
  };
}
export type FlowService = ReturnType<typeof flowService>;

/** A domain entry as the store's columns, Redirect To split into its typed reference. */
function entryColumns(entry: DomainEntry) {
  return {
    keyword: entry.keyword,
    menuText: entry.menuText,
    redirectType: entry.redirectType,
    ...redirectColumns(entry.redirectType, entry.redirectTo),
    attribute: entry.attribute,
    webhookEnabled: entry.webhookEnabled,
  };
}
