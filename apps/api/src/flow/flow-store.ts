import type { LiveChatEntrySettings } from "@switchboard/domain/live-chat/settings";
import type { EntryReference } from "@switchboard/domain/references";
import type { Db } from "../db/database";
import { referenceInclude, toEntryReference } from "../db/entry-references";
import {
  type Campaign,
  type MenuEntry,
  type Node,
  Prisma,
  type Webhook,
  type WebhookHeader,
} from "../generated/prisma/client";
import type { SigningSecrets } from "../secrets/signing-secrets";

type Tx = Prisma.TransactionClient;

export type HeaderRow = WebhookHeader & { secretHeader: { label: string; value: string } | null };
export type EntryRow = MenuEntry & { webhook: (Webhook & { headers: HeaderRow[] }) | null };
export type NodeRow = Node & { entries: EntryRow[] };

export type ChatbotRow = Campaign;

export interface WebhookData {
  url: string;
  /** JSON text, keys in the order typed. */
  body: string;
  /** A header with the id of a stored one updates it in place, so ids stay stable across edits. */
  headers: { id?: string; name: string; value: string; secret: boolean; secretHeaderId: string | null }[];
  /** Sealed; written only when the webhook is created (a kept webhook keeps its secret). */
  signingSecret: string;
}

/**
 * The columns of a menu entry, Redirect To already split into its typed reference; `liveChat` as the contracts checked
 * it (null: none).
 */
export type EntryData = Partial<Pick<MenuEntry, "continueAtNodeId">> & {
  liveChat?: LiveChatEntrySettings | null;
} & Pick<
    MenuEntry,
    | "keyword"
    | "menuText"
    | "redirectType"
    | "redirectNodeId"
    | "redirectCampaignId"
    | "redirectIntegrationId"
    | "attribute"
    | "webhookEnabled"
  >;

export type NodeData = Pick<Node, "label" | "message" | "confirmationText">;

/** A node of a draft written whole, with its entries and their webhooks. */
export interface DraftNodeData extends NodeData {
  id: string;
  kind: Node["kind"];
  entries: (EntryData & { id: string; webhook: WebhookData | null })[];
}

export interface PublishedVersion {
  version: number;
  /** The flow document as stored: JSON text in the flow format (domain/conversation/flow-format.ts). */
  snapshot: string;
  warnings: unknown;
  publishedAt: Date;
  publishedBy: string | null;
  note: string | null;
}

export interface NewVersion {
  version: number;
  snapshot: string;
  warnings: Prisma.InputJsonValue;
  publishedBy: string | null;
  note: string | null;
  /** The draft revision it was made from. */
  flowRevision: number;
}

export interface FlowStore {
  /** The newest published version of a chatbot. */
  latestVersion(campaignId: number): Promise<PublishedVersion | null>;
  /** Stores a new version and makes it the one end users talk to. */
  publish(campaignId: number, version: NewVersion): Promise<PublishedVersion>;
  /** Every published version of a chatbot, newest first. */
  versions(campaignId: number): Promise<PublishedVersion[]>;
  version(campaignId: number, version: number): Promise<PublishedVersion | null>;
  /** Campaign names by id (as strings), for a comparison's sentences. */
  campaignNames(ids: number[]): Promise<Map<string, string>>;
  integrationNames(ids: string[]): Promise<Map<string, string>>;
  /** Replaces the whole draft (nodes, entries, webhooks) with these, ids kept: a restore. */
  replaceDraft(campaignId: number, nodes: DraftNodeData[]): Promise<void>;
  /** Counts one more change of the draft. */
  bumpFlowRevision(campaignId: number): Promise<void>;
  /** Of these campaign ids, the ones that exist, with their status. */
  campaignStatuses(ids: number[]): Promise<{ id: number; status: Campaign["status"] }[]>;
  campaign(id: number): Promise<Campaign | null>;
  nodes(campaignId: number): Promise<NodeRow[]>;
  /**
   * For a page of chatbots at once, each one's draft nodes and the snapshot of the version it publishes (two queries
   * whatever the page's size): what a campaign list needs to count changes since publish.
   */
  draftsAndPublished(
    chatbots: readonly { id: number; publishedVersion: number }[],
  ): Promise<Map<number, { nodes: NodeRow[]; snapshot: string | null }>>;
  campaignExists(id: number): Promise<boolean>;
  createNode(campaignId: number, data: NodeData, position: number): Promise<Node>;
  updateNode(id: string, data: Partial<NodeData>): Promise<Node>;
  deleteNode(id: string): Promise<void>;
  /** Rewrites positions to follow `orderedIds` (0, 1, 2, …). */
  reorderNodes(orderedIds: string[]): Promise<void>;
  createEntry(nodeId: string, data: EntryData, webhook: WebhookData | null, position: number): Promise<EntryRow>;
  updateEntry(id: string, data: Partial<EntryData>, webhook: WebhookData | null | undefined): Promise<EntryRow>;
  deleteEntry(id: string): Promise<void>;
  reorderEntries(orderedIds: string[]): Promise<void>;
  referencesToNode(nodeId: string): Promise<EntryReference[]>;
  /** Clears an endpoint's disabled state and failing streak. */
  enableWebhook(entryId: string): Promise<void>;
  /** An entry's webhook's current signing secret (sealed); null when the entry has no webhook. */
  webhookSigningSecret(entryId: string): Promise<{
    signingSecret: string | null;
    previousSigningSecret: string | null;
    previousSigningSecretUntil: Date | null;
  } | null>;
  setWebhookSigningSecrets(entryId: string, secrets: SigningSecrets): Promise<void>;
  /** Admin-made secret headers by id (values sealed), with the hosts they may be sent to. */
  secretHeaders(
    ids: string[],
  ): Promise<{ id: string; label: string; name: string; value: string; allowedHosts: string[] }[]>;
  /** Of these integration ids, the ones that exist. */
  existingIntegrations(ids: string[]): Promise<string[]>;
  /** Of these Live Chat team ids, the ones that exist. */
  existingTeams(ids: string[]): Promise<string[]>;
  /** Live Chat team names by id, for a comparison's sentences. */
  teamNames(ids: string[]): Promise<Map<string, string>>;
  /** Runs `work` in one transaction holding the campaign's row lock: edits of one chatbot apply one at a time. */
  lockedOnCampaign<T>(campaignId: number, work: (store: FlowStore) => Promise<T>): Promise<T>;
}

const versionSelect = {
  version: true,
  snapshot: true,
  warnings: true,
  publishedAt: true,
  publishedBy: true,
  note: true,
} as const;

const entryInclude = {
  webhook: {
    include: {
      headers: { orderBy: { position: "asc" }, include: { secretHeader: { select: { label: true, value: true } } } },
    },
  },
} as const;

export function prismaFlowStore(db: Db): FlowStore {
  return {
    ...queries(db),
    lockedOnCampaign: (campaignId, work) =>
      db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT id FROM campaign WHERE id = ${campaignId} FOR UPDATE`;
        const inner: FlowStore = { ...queries(tx), lockedOnCampaign: (_id, w) => w(inner) };
        return work(inner);
      }),
  };
}

/** An entry's columns as Prisma writes them: a JSON column is emptied with DbNull, not null. */
function entryColumns<T extends Partial<EntryData>>({ liveChat, ...data }: T) {
  return {
    ...data,
    ...(liveChat === undefined
      ? {}
      : { liveChat: liveChat === null ? Prisma.DbNull : (liveChat as unknown as Prisma.InputJsonObject) }),
  };
}

function queries(db: Db | Tx): Omit<FlowStore, "lockedOnCampaign"> {
  const webhookCreate = (w: WebhookData) => ({
    url: w.url,
    body: w.body,
    signingSecret: w.signingSecret,
    headers: { create: w.headers.map(({ id: _id, ...h }, position) => ({ ...h, position })) },
  });
  return {
    latestVersion: (campaignId) =>
      db.flowVersion.findFirst({ where: { campaignId }, orderBy: { version: "desc" }, select: versionSelect }),
    async publish(campaignId, { flowRevision, ...version }) {
      const row = await db.flowVersion.create({ data: { campaignId, ...version }, select: versionSelect });
      await db.campaign.update({
        where: { id: campaignId },
        data: { publishedVersion: version.version, publishedFlowRevision: flowRevision, revision: { increment: 1 } },
      });
      return row;
    },
    versions: (campaignId) =>
      db.flowVersion.findMany({ where: { campaignId }, orderBy: { version: "desc" }, select: versionSelect }),
    version: (campaignId, version) =>
      db.flowVersion.findUnique({ where: { campaignId_version: { campaignId, version } }, select: versionSelect }),
    async campaignNames(ids) {
      const rows = ids.length
        ? await db.campaign.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
        : [];
      return new Map(rows.map((r) => [String(r.id), r.name]));
    },
    async integrationNames(ids) {
      const rows = ids.length
        ? await db.integration.findMany({ where: { id: { in: ids } }, select: { id: true, alias: true } })
        : [];
      return new Map(rows.map((r) => [r.id, r.alias]));
    },
    async replaceDraft(campaignId, nodes) {
      // One statement deletes every node, so references between them are checked once they are all gone.
      await db.node.deleteMany({ where: { campaignId } });
      for (const [position, { entries: _entries, ...node }] of nodes.entries()) {
        await db.node.create({ data: { ...node, campaignId, position } });
      }
      for (const node of nodes) {
        for (const [position, { webhook, ...entry }] of node.entries.entries()) {
          await db.menuEntry.create({
            data: {
              ...entryColumns(entry),
              nodeId: node.id,
              position,
              ...(webhook ? { webhook: { create: webhookCreate(webhook) } } : {}),
            },
          });
        }
      }
    },
    async bumpFlowRevision(campaignId) {
      await db.campaign.update({ where: { id: campaignId }, data: { flowRevision: { increment: 1 } } });
    },
    campaignStatuses: (ids) => db.campaign.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } }),
    campaign: (id) => db.campaign.findUnique({ where: { id } }),
    nodes: (campaignId) =>
      db.node.findMany({
        where: { campaignId },
        orderBy: { position: "asc" },
        include: { entries: { orderBy: { position: "asc" }, include: entryInclude } },
      }),
    async draftsAndPublished(chatbots) {
      const result = new Map<number, { nodes: NodeRow[]; snapshot: string | null }>();
      if (chatbots.length === 0) return result;
      const ids = chatbots.map((c) => c.id);
      const [nodes, versions] = await Promise.all([
        db.node.findMany({
          where: { campaignId: { in: ids } },
          orderBy: [{ campaignId: "asc" }, { position: "asc" }],
          include: { entries: { orderBy: { position: "asc" }, include: entryInclude } },
        }),
        db.flowVersion.findMany({
          where: { OR: chatbots.map((c) => ({ campaignId: c.id, version: c.publishedVersion })) },
          select: { campaignId: true, snapshot: true },
        }),
      ]);
      for (const id of ids) result.set(id, { nodes: [], snapshot: null });
      for (const n of nodes) result.get(n.campaignId)?.nodes.push(n);
      for (const v of versions) {
        const found = result.get(v.campaignId);
        if (found) found.snapshot = v.snapshot;
      }
      return result;
    },
    campaignExists: async (id) => (await db.campaign.count({ where: { id } })) > 0,
    createNode: (campaignId, data, position) =>
      db.node.create({ data: { campaignId, kind: "interaction", ...data, position } }),
    updateNode: (id, data) => db.node.update({ where: { id }, data }),
    async deleteNode(id) {
      await db.node.delete({ where: { id } });
    },
    async reorderNodes(orderedIds) {
      for (const [position, id] of orderedIds.entries()) await db.node.update({ where: { id }, data: { position } });
    },
    createEntry: (nodeId, data, webhook, position) =>
      db.menuEntry.create({
        data: {
          nodeId,
          ...entryColumns(data),
          position,
          ...(webhook ? { webhook: { create: webhookCreate(webhook) } } : {}),
        },
        include: entryInclude,
      }),
    async updateEntry(id, data, webhook) {
      if (webhook === null) await db.webhook.deleteMany({ where: { entryId: id } });
      if (webhook) await saveWebhook(db, id, webhook);
      return db.menuEntry.update({ where: { id }, data: entryColumns(data), include: entryInclude });
    },
    async deleteEntry(id) {
      await db.menuEntry.delete({ where: { id } });
    },
    async reorderEntries(orderedIds) {
      for (const [position, id] of orderedIds.entries())
        await db.menuEntry.update({ where: { id }, data: { position } });
    },
    async enableWebhook(entryId) {
      await db.webhook.update({
        where: { entryId },
        data: { disabledAt: null, disabledReason: null, failingSince: null },
      });
    },
    webhookSigningSecret: (entryId) =>
      db.webhook.findUnique({
        where: { entryId },
        select: { signingSecret: true, previousSigningSecret: true, previousSigningSecretUntil: true },
      }),
    async setWebhookSigningSecrets(entryId, secrets) {
      await db.webhook.update({ where: { entryId }, data: secrets });
    },
    secretHeaders: (ids) =>
      ids.length
        ? db.secretHeader.findMany({
            where: { id: { in: ids } },
            select: { id: true, label: true, name: true, value: true, allowedHosts: true },
          })
        : Promise.resolve([]),
    existingIntegrations: async (ids) =>
      ids.length
        ? (await db.integration.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((i) => i.id)
        : [],
    existingTeams: async (ids) =>
      ids.length ? (await db.team.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((t) => t.id) : [],
    async teamNames(ids) {
      const rows = ids.length
        ? await db.team.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
        : [];
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async referencesToNode(nodeId) {
      const entries = await db.menuEntry.findMany({
        // Redirect To, "When finished, continue at" of a Campaign entry, or where a Live Chat's timeout goes back to.
        where: {
          OR: [
            { redirectNodeId: nodeId },
            { continueAtNodeId: nodeId },
            { liveChat: { path: ["onTimeout", "nodeId"], equals: nodeId } },
          ],
        },
        include: referenceInclude,
        orderBy: [{ node: { position: "asc" } }, { position: "asc" }],
      });
      return entries.map(toEntryReference);
    },
  };
}

/** Writes an entry's webhook, updating kept headers in place, creating new ones and deleting the rest. */
async function saveWebhook(db: Db | Tx, entryId: string, w: WebhookData): Promise<void> {
  const saved = await db.webhook.upsert({
    where: { entryId },
    create: { entryId, url: w.url, body: w.body, signingSecret: w.signingSecret },
    update: { url: w.url, body: w.body },
    include: { headers: { select: { id: true } } },
  });
  const keep = new Set(w.headers.flatMap((h) => (h.id ? [h.id] : [])));
  const stale = saved.headers.filter((h) => !keep.has(h.id)).map((h) => h.id);
  if (stale.length) await db.webhookHeader.deleteMany({ where: { id: { in: stale } } });
  for (const [position, { id, ...header }] of w.headers.entries()) {
    if (id && saved.headers.some((h) => h.id === id)) {
      await db.webhookHeader.update({ where: { id }, data: { ...header, position } });
    } else {
      await db.webhookHeader.create({ data: { ...header, position, webhookId: saved.id } });
    }
  }
}
