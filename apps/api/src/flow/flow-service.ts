import type { MenuEntryPatch, menuEntryInput, NodePatch, nodeInput } from "@switchboard/contracts/flow";
import type { publishInput } from "@switchboard/contracts/messages";
import { campaignTypeLabels } from "@switchboard/domain/campaign";
import { validateChannelLimits } from "@switchboard/domain/channel-limits";
import { describeChanges, diffFlows } from "@switchboard/domain/conversation/flow-diff";
import { readFlowSnapshot, serializeFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import { checkPublishable, type DraftFlow, toSnapshot } from "@switchboard/domain/conversation/publish";
import type { RuleIssue } from "@switchboard/domain/issue";
import { type MenuEntry as DomainEntry, validateMenuEntry, validateNodeKeywords } from "@switchboard/domain/menu-entry";
import { nextInteractionLabels, validateNode } from "@switchboard/domain/node";
import { webhookMode } from "@switchboard/domain/payload";
import { deletionBlockers } from "@switchboard/domain/references";
import type { WebhookConfig, WebhookPolicy } from "@switchboard/domain/webhook";
import type { z } from "zod";
import { AppError, assertRules, type FieldError } from "../errors/app-error";
import { mergeHeaders, referencedSecretHeaders, type Writer } from "../secrets/header-merge";
import { newSealedSigningSecret } from "../secrets/signing-secrets";
import {
  changesSincePublish,
  redirectColumns,
  toDomainEntry,
  toDraftFlow,
  toFlowNode,
  toMenuEntry,
} from "./flow-mapping";
import type { ChatbotRow, EntryRow, FlowStore, NodeRow, WebhookData } from "./flow-store";

type EntryInput = z.output<typeof menuEntryInput>;
type PublishInput = z.output<typeof publishInput>;

/** How a publish makes a Draft campaign Active: `check` throws what would refuse it, before anything is published. */
export interface Activation {
  check(campaignId: number): Promise<void>;
  activate(campaignId: number): Promise<void>;
}

const NO_ACTIVATION: Activation = {
  check: async () => {
    throw new AppError("conflict", "Activating a campaign is not available here.");
  },
  activate: async () => {},
};

/**
 * A refused publish: every broken rule, its path under the draft (`nodes.2.entries.0.redirectTo`) and its target by
 * id, which stays right while the marketer edits (positions move, ids do not).
 */
export function publishRefusal(issues: RuleIssue[], draft: DraftFlow): AppError {
  const error = AppError.rules(issues, []);
  error.errors.forEach((e, i) => {
    const target = targetOf((issues[i] as RuleIssue).path, draft);
    if (target) e.target = target;
  });
  return error;
}

function targetOf(path: (string | number)[], draft: DraftFlow): FieldError["target"] | undefined {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return undefined;
  const node = draft.nodes[path[1]];
  if (!node) return undefined;
  if (path[2] === "entries" && typeof path[3] === "number") {
    const entry = node.entries[path[3]];
    if (entry) {
      const field = path.slice(4).join(".");
      return { nodeId: node.id, entryId: entry.id, ...(field ? { field } : {}) };
    }
  }
  const field = path.slice(2).join(".");
  return { nodeId: node.id, ...(field ? { field } : {}) };
}

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
  /** Making a Draft campaign Active when a publish asks for it (the campaigns feature's rules). */
  activation?: Activation;
}) {
  const { flows, policy, seal } = deps;
  const activation = deps.activation ?? NO_ACTIVATION;
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

  const flowOf = (campaign: { id: number; channel: "sms" | "whatsapp"; flowRevision: number }, nodes: NodeRow[]) => ({
    campaignId: campaign.id,
    channel: campaign.channel,
    revision: campaign.flowRevision,
    nodes: nodes.map((n) => toFlowNode(n, campaign.channel)),
  });

  /**
   * One change of a chatbot's draft, under its lock: refused when made from a revision older than the one saved (the
   * newer draft goes back with the refusal, so nothing is silently overwritten), and counted as a new revision.
   */
  const edit = <T>(
    campaignId: number,
    revision: number | undefined,
    work: (store: FlowStore, chatbot: { campaign: ChatbotRow; nodes: NodeRow[] }) => Promise<T>,
  ) =>
    flows.lockedOnCampaign(campaignId, async (store) => {
      const loaded = await chatbot(store, campaignId);
      const saved = loaded.campaign.flowRevision;
      if (revision !== undefined && revision !== saved) {
        throw AppError.staleRevision(
          `This chatbot was changed since you loaded it (revision ${saved}, yours ${revision}); nothing was saved. Review the newer version and apply your change to it.`,
          { revision: saved, current: flowOf(loaded.campaign, loaded.nodes) },
        );
      }
      const result = await work(store, loaded);
      await store.bumpFlowRevision(campaignId);
      return result;
    });

  /** The whole-flow rules a publish applies, with what they need from the installation. */
  const checkDraft = async (store: FlowStore, campaignId: number, draft: DraftFlow) => {
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
    return checkPublishable(draft, {
      campaignIds: new Set(statuses.map((c) => String(c.id))),
      activeCampaignIds: new Set(statuses.filter((c) => c.status === "active").map((c) => String(c.id))),
      integrationIds: new Set(integrationIds),
      teamIds: new Set(await store.existingTeams(liveChatTeams(draft.nodes.flatMap((n) => n.entries)))),
      policy,
    });
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
      // As text: JSON.stringify keeps the keys in the order they were typed (a jsonb column would sort them).
      data: { url, body: JSON.stringify(body), headers: saved, signingSecret: newSealedSigningSecret(seal) },
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
    /** The team the entry had: kept unchanged, it is not checked again (a team deleted since is publish's to refuse). */
    storedTeamId: string | null = null,
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
      teamIds: new Set([
        ...(await store.existingTeams(liveChatTeams([entry]))),
        ...(storedTeamId === null ? [] : [storedTeamId]),
      ]),
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

    /**
     * Checks the whole draft and makes it the version end users talk to; with `activate`, a Draft campaign becomes
     * Active too (checked before anything is published, so a refused activation publishes nothing).
     */
    async publish(campaignId: number, input: PublishInput = { note: null, activate: false }, publishedBy?: string) {
      const before = await flows.campaign(campaignId);
      const activating = input.activate && before?.status === "draft";
      if (activating) await activation.check(campaignId);
      const published = await flows.lockedOnCampaign(campaignId, async (store) => {
        const { campaign, nodes } = await chatbot(store, campaignId);
        const draft = toDraftFlow(campaignId, campaign.channel, nodes);
        const check = await checkDraft(store, campaignId, draft);
        if (check.errors.length > 0) throw publishRefusal(check.errors, draft);
        const version = ((await store.latestVersion(campaignId))?.version ?? 0) + 1;
        const warnings = check.warnings.map((w) => ({ path: w.path.join("."), code: w.code, message: w.message }));
        const row = await store.publish(campaignId, {
          version,
          snapshot: serializeFlowSnapshot(toSnapshot(draft, version)),
          warnings,
          publishedBy: publishedBy ?? null,
          note: input.note || null,
          flowRevision: campaign.flowRevision,
        });
        return { row, warnings, status: campaign.status };
      });
      if (activating) await activation.activate(campaignId);
      return {
        publishedVersion: published.row.version,
        publishedAt: published.row.publishedAt.toISOString(),
        hasUnpublishedChanges: false,
        changesSincePublish: 0,
        campaignStatus: activating ? ("active" as const) : published.status,
        activated: activating,
        warnings: published.warnings,
      };
    },

    /** Draft vs published: which version runs, and whether the draft has changed since. */
    async publication(campaignId: number) {
      const { campaign, nodes } = await chatbot(flows, campaignId);
      const latest = await flows.latestVersion(campaignId);
      const draft = toSnapshot(toDraftFlow(campaignId, campaign.channel, nodes), 0);
      const live = latest ? readFlowSnapshot(latest.snapshot) : null;
      const changes = changesSincePublish(live, draft);
      return {
        publishedVersion: latest?.version ?? null,
        publishedAt: latest?.publishedAt.toISOString() ?? null,
        hasUnpublishedChanges: changes !== 0,
        changesSincePublish: changes,
        campaignStatus: campaign.status,
        activated: false,
        warnings: (latest?.warnings ?? []) as { path: string; code: string; message: string }[],
      };
    },

    /** Every published version, newest first, and which one is live. */
    async versions(campaignId: number) {
      const { campaign } = await chatbot(flows, campaignId);
      const rows = await flows.versions(campaignId);
      return {
        items: rows.map((r) => ({
          version: r.version,
          publishedAt: r.publishedAt.toISOString(),
          publishedBy: r.publishedBy,
          note: r.note,
          live: r.version === campaign.publishedVersion,
        })),
      };
    },

    /** The changes from one version to another (0 is the current draft), in the marketer's words. */
    async compare(campaignId: number, from: number, to: number) {
      const { campaign, nodes } = await chatbot(flows, campaignId);
      const load = async (version: number) => {
        if (version === 0) return toSnapshot(toDraftFlow(campaignId, campaign.channel, nodes), 0);
        const row = await flows.version(campaignId, version);
        if (!row) throw AppError.notFound(`Version ${version} of this chatbot`);
        return readFlowSnapshot(row.snapshot);
      };
      const [a, b] = [await load(from), await load(to)];
      const targets = [a, b].flatMap((f) => f.nodes.flatMap((n) => n.entries));
      const ids = (type: string) => [
        ...new Set(targets.filter((e) => e.redirectType === type && e.redirectTo).map((e) => e.redirectTo as string)),
      ];
      const changes = diffFlows(a, b, {
        campaigns: await flows.campaignNames(
          ids("campaign")
            .filter((id) => /^\d{1,9}$/.test(id))
            .map(Number),
        ),
        integrations: await flows.integrationNames(ids("integration").filter((id) => UUID.test(id))),
        teams: await flows.teamNames(liveChatTeams(targets)),
      });
      return { from, to, changes, sentences: describeChanges(changes) };
    },

    /**
     * Makes a published version the draft again (then it is published like any draft). What no longer exists in the
     * installation is left for the marketer: a Redirect To to a deleted campaign or integration is emptied, a deleted
     * secret header dropped; a webhook keeps its current signing secret (a rotated one is never brought back).
     */
    restore(campaignId: number, version: number, revision?: number) {
      return edit(campaignId, revision, async (store, { campaign, nodes }) => {
        const row = await store.version(campaignId, version);
        if (!row) throw AppError.notFound(`Version ${version} of this chatbot`);
        const snapshot = readFlowSnapshot(row.snapshot);
        const entries = snapshot.nodes.flatMap((n) => n.entries);
        const campaignIds = new Set(
          (
            await store.campaignStatuses(
              entries.flatMap((e) =>
                e.redirectType === "campaign" && /^\d{1,9}$/.test(e.redirectTo ?? "") ? [Number(e.redirectTo)] : [],
              ),
            )
          ).map((c) => String(c.id)),
        );
        const integrationIds = new Set(
          await store.existingIntegrations(
            entries.flatMap((e) =>
              e.redirectType === "integration" && e.redirectTo && UUID.test(e.redirectTo) ? [e.redirectTo] : [],
            ),
          ),
        );
        const secretIds = new Set(
          (
            await store.secretHeaders([
              ...new Set(entries.flatMap((e) => e.webhook?.headers.flatMap((h) => h.secretHeaderId ?? []) ?? [])),
            ])
          ).map((h) => h.id),
        );
        const currentSecrets = new Map(
          nodes.flatMap((n) => n.entries.flatMap((e) => (e.webhook ? [[e.id, e.webhook.signingSecret]] : []))),
        );
        const exists = (e: (typeof entries)[number]) =>
          e.redirectType === "campaign"
            ? campaignIds.has(e.redirectTo ?? "")
            : e.redirectType === "integration"
              ? integrationIds.has(e.redirectTo ?? "")
              : true;
        await store.replaceDraft(
          campaignId,
          snapshot.nodes.map((n) => ({
            id: n.id,
            kind: n.kind,
            label: n.label,
            message: n.message,
            confirmationText: n.confirmationText,
            entries: n.entries.map((e) => ({
              id: e.id,
              keyword: e.keyword,
              menuText: e.menuText,
              redirectType: e.redirectType,
              ...redirectColumns(e.redirectType, exists(e) ? e.redirectTo : null),
              attribute: e.attribute,
              continueAtNodeId: e.redirectType === "campaign" ? (e.continueAt ?? null) : null,
              // A team deleted since stays named: publishing refuses it until the marketer chooses another.
              liveChat: e.redirectType === "live_chat" ? (e.liveChat ?? null) : null,
              webhookEnabled: e.webhookEnabled,
              webhook: e.webhook
                ? {
                    url: e.webhook.url,
                    body: JSON.stringify(e.webhook.body),
                    headers: e.webhook.headers
                      .filter((h) => !h.secretHeaderId || secretIds.has(h.secretHeaderId))
                      .map((h) => ({
                        name: h.name,
                        value: h.value,
                        secret: h.secret,
                        secretHeaderId: h.secretHeaderId ?? null,
                      })),
                    signingSecret: currentSecrets.get(e.id) ?? newSealedSigningSecret(seal),
                  }
                : null,
            })),
          })),
        );
        return flowOf({ ...campaign, flowRevision: campaign.flowRevision + 1 }, await store.nodes(campaignId));
      });
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
      return flowOf(campaign, nodes);
    },

    addNode(campaignId: number, input: z.output<typeof nodeInput>, revision?: number) {
      return edit(campaignId, revision, async (store, { campaign, nodes }) => {
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

    updateNode(campaignId: number, nodeId: string, patch: NodePatch, revision?: number) {
      return edit(campaignId, revision, async (store, { campaign, nodes }) => {
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

    deleteNode(campaignId: number, nodeId: string, revision?: number) {
      return edit(campaignId, revision, async (store, { nodes }) => {
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

    addEntry(campaignId: number, nodeId: string, input: EntryInput, writer: Writer = MARKETER, revision?: number) {
      return edit(campaignId, revision, async (store, { campaign, nodes }) => {
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

    updateEntry(
      campaignId: number,
      nodeId: string,
      entryId: string,
      patch: MenuEntryPatch,
      writer: Writer = MARKETER,
      revision?: number,
    ) {
      return edit(campaignId, revision, async (store, { campaign, nodes }) => {
        const node = findNode(nodes, nodeId);
        const current = findEntry(node, entryId);
        const { position, webhook: webhookInput, ...changes } = patch;
        const resolved =
          webhookInput === undefined ? null : await resolveWebhook(store, webhookInput, current.webhook, writer);
        const base = toDomainEntry(current);
        const entry: DomainEntry = {
          ...base,
          ...changes,
          // Leaving Redirect Type Campaign drops its "When finished, continue at" unless the change sets one itself.
          ...(changes.redirectType !== undefined &&
          changes.redirectType !== "campaign" &&
          changes.continueAt === undefined
            ? { continueAt: null }
            : {}),
          // Likewise leaving Live Chat drops its settings.
          ...(changes.redirectType !== undefined &&
          changes.redirectType !== "live_chat" &&
          changes.liveChat === undefined
            ? { liveChat: null }
            : {}),
          ...(changes.keyword !== undefined ? { keyword: changes.keyword.trim() } : {}),
          webhook: resolved ? resolved.config : base.webhook,
        };
        const index = node.entries.indexOf(current);
        const siblings = node.entries.map((e, i) => (i === index ? entry : e));
        assertRules([
          ...(resolved?.issues ?? []),
          ...(await entryRules(
            store,
            campaignId,
            campaign.channel,
            node,
            nodes,
            entry,
            index,
            siblings,
            changes.liveChat === undefined ? (base.liveChat?.teamId ?? null) : null,
          )),
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

    deleteEntry(campaignId: number, nodeId: string, entryId: string, revision?: number) {
      return edit(campaignId, revision, async (store, { nodes }) => {
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
    continueAtNodeId: entry.redirectType === "campaign" ? (entry.continueAt ?? null) : null,
    liveChat: entry.redirectType === "live_chat" ? (entry.liveChat ?? null) : null,
    webhookEnabled: entry.webhookEnabled,
  };
}

/** The teams Live Chat entries name (well-formed ids only: anything else cannot exist). */
function liveChatTeams(entries: Pick<DomainEntry, "redirectType" | "liveChat">[]): string[] {
  return [
    ...new Set(
      entries.flatMap((e) =>
        e.redirectType === "live_chat" && e.liveChat?.teamId && UUID.test(e.liveChat.teamId) ? [e.liveChat.teamId] : [],
      ),
    ),
  ];
}
