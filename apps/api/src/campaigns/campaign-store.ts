import type { CampaignListQuery } from "@switchboard/contracts/campaigns";
import type { EntryReference } from "@switchboard/domain/references";
import type { Db } from "../db/database";
import { referenceInclude, toEntryReference } from "../db/entry-references";
import type { Campaign as CampaignRow, Prisma } from "../generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface NewNode {
  kind: "welcome" | "interaction";
  label: string;
  position: number;
}

export interface CampaignStore {
  list(query: CampaignListQuery): Promise<{ rows: CampaignRow[]; total: number }>;
  get(id: number): Promise<CampaignRow | null>;
  create(data: Prisma.CampaignUncheckedCreateInput, nodes: NewNode[]): Promise<CampaignRow>;
  update(id: number, data: Prisma.CampaignUncheckedUpdateInput): Promise<CampaignRow>;
  delete(id: number): Promise<void>;
  /** Active campaigns on a sender and channel, for the trigger uniqueness rules. */
  activeOn(senderId: string, channel: CampaignRow["channel"]): Promise<CampaignRow[]>;
  /** Entries of other campaigns whose Redirect To is this campaign. */
  referencesTo(id: number): Promise<EntryReference[]>;
  /** The same, of active chatbots that are published: where live conversations are handed over from. */
  liveReferencesTo(id: number): Promise<EntryReference[]>;
  /** Runs `work` in one transaction holding the sender's lock, so two saves cannot both take one trigger keyword. */
  lockedOnSender<T>(senderId: string, work: (store: CampaignStore) => Promise<T>): Promise<T>;
}

export function prismaCampaignStore(db: Db): CampaignStore {
  return {
    ...queries(db),
    lockedOnSender: (senderId, work) =>
      db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${senderId}))`;
        return work({ ...queries(tx), lockedOnSender: (_s, inner) => inner(queries(tx) as CampaignStore) });
      }),
  };
}

function queries(db: Db | Tx): Omit<CampaignStore, "lockedOnSender"> {
  return {
    async list(q) {
      const numeric = q.q && /^\d+$/.test(q.q) ? Number(q.q) : null;
      const where: Prisma.CampaignWhereInput = {
        ...(q.type ? { type: q.type } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.q
          ? { OR: [{ name: { contains: q.q, mode: "insensitive" } }, ...(numeric ? [{ id: numeric }] : [])] }
          : {}),
      };
      const [rows, total] = await Promise.all([
        db.campaign.findMany({ where, orderBy: { id: "desc" }, take: q.limit, skip: q.offset }),
        db.campaign.count({ where }),
      ]);
      return { rows, total };
    },
    get: (id) => db.campaign.findUnique({ where: { id } }),
    create: (data, nodes) =>
      db.campaign.create({ data: { ...data, nodes: { create: nodes } } as Prisma.CampaignUncheckedCreateInput }),
    update: (id, data) => db.campaign.update({ where: { id }, data: { ...data, revision: { increment: 1 } } }),
    async delete(id) {
      await db.campaign.delete({ where: { id } });
    },
    activeOn: (senderId, channel) => db.campaign.findMany({ where: { senderId, channel, status: "active" } }),
    async liveReferencesTo(id) {
      const entries = await db.menuEntry.findMany({
        where: {
          redirectCampaignId: id,
          node: { campaignId: { not: id }, campaign: { status: "active", publishedVersion: { not: null } } },
        },
        include: referenceInclude,
        orderBy: [{ node: { campaignId: "asc" } }, { node: { position: "asc" } }, { position: "asc" }],
      });
      return entries.map(toEntryReference);
    },
    async referencesTo(id) {
      const entries = await db.menuEntry.findMany({
        where: { redirectCampaignId: id, node: { campaignId: { not: id } } },
        include: referenceInclude,
        orderBy: [{ node: { campaignId: "asc" } }, { node: { position: "asc" } }, { position: "asc" }],
      });
      return entries.map(toEntryReference);
    },
  };
}
