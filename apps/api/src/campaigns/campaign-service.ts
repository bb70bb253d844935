import type { Campaign, CampaignListQuery, CampaignPatch, campaignInput } from "@switchboard/contracts/campaigns";
import {
  defaultInteractionCount,
  senderMatchesChannel,
  validateCampaignName,
  validateExpiry,
  WELCOME_MESSAGE_LABEL,
} from "@switchboard/domain/campaign";
import type { RuleIssue } from "@switchboard/domain/issue";
import { nextInteractionLabels } from "@switchboard/domain/node";
import { deletionBlockers, endingBlockers } from "@switchboard/domain/references";
import { findTriggerConflicts, validateTriggerKeywords } from "@switchboard/domain/trigger";
import type { z } from "zod";
import { AppError, assertRules } from "../errors/app-error";
import { storedChangesSincePublish } from "../flow/flow-mapping";
import type { FlowStore } from "../flow/flow-store";
import type { Campaign as CampaignRow } from "../generated/prisma/client";
import type { SenderStore } from "../senders/sender-store";
import type { CampaignStore, NewNode } from "./campaign-store";

type CampaignInput = z.output<typeof campaignInput>;

/**
 * A campaign as the API shows it. `changes` is its draft's count of changes since publish (flow-mapping.ts), when
 * known; without it, a chatbot whose draft was not saved since publish has none and any other is counted as one.
 */
export function toCampaign(row: CampaignRow, changes?: number | null): Campaign {
  const chatbot = row.type === "chatbot";
  return {
    ...row,
    // A chatbot is live once published and Active; other campaign types have no flow to publish.
    live: row.status === "active" && (!chatbot || row.publishedVersion !== null),
    changesSincePublish: !chatbot
      ? 0
      : row.publishedVersion === null
        ? null
        : changes !== undefined
          ? changes
          : row.publishedFlowRevision === row.flowRevision
            ? 0
            : 1,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function campaignService(deps: {
  campaigns: CampaignStore;
  senders: SenderStore;
  flows: Pick<FlowStore, "draftsAndPublished">;
  now: () => Date;
}) {
  const { campaigns, senders, flows, now } = deps;

  /**
   * The campaigns with their changes since publish counted by flow diff, as the editor counts them. A draft not saved
   * since its publish has none, so only the others are read: all of them in two queries, however long the page.
   */
  const withChanges = async (rows: CampaignRow[]): Promise<Campaign[]> => {
    const edited = rows.filter(
      (r): r is CampaignRow & { publishedVersion: number } =>
        r.type === "chatbot" && r.publishedVersion !== null && r.publishedFlowRevision !== r.flowRevision,
    );
    const drafts = await flows.draftsAndPublished(edited);
    return rows.map((row) => {
      const draft = drafts.get(row.id);
      if (!draft) return toCampaign(row);
      return toCampaign(row, storedChangesSincePublish(row.id, row.channel, draft.nodes, draft.snapshot));
    });
  };

  const mustGet = async (id: number) => {
    const row = await campaigns.get(id);
    if (!row) throw AppError.notFound(`Campaign ${id}`);
    return row;
  };

  /** Rules that need nothing but the campaign itself. */
  const ownRules = (
    c: Pick<CampaignInput, "name" | "triggerKeywords" | "expiresAfterHours"> & { expiresAt: Date | null },
  ) => [
    ...validateCampaignName(c.name),
    ...validateTriggerKeywords(c.triggerKeywords),
    ...validateExpiry({ expiresAt: c.expiresAt, expiresAfterHours: c.expiresAfterHours }, now()),
  ];

  const senderRules = async (senderId: string, channel: CampaignRow["channel"]): Promise<RuleIssue[]> => {
    const sender = await senders.get(senderId);
    if (!sender)
      return [
        {
          path: ["senderId"],
          code: "unknown_sender",
          message: "Sender does not exist; choose one from the senders list.",
        },
      ];
    return senderMatchesChannel(sender.channel, channel);
  };

  const conflictRules = async (
    store: CampaignStore,
    c: Pick<CampaignRow, "senderId" | "channel" | "triggerKeywords" | "autoReply" | "status" | "name"> & {
      id?: number;
    },
  ) => {
    if (c.status !== "active") return [];
    const others = await store.activeOn(c.senderId, c.channel);
    const holder = (x: typeof c & { id?: number }) => ({ ...x, id: String(x.id ?? "new") });
    return findTriggerConflicts(holder(c), others.map(holder));
  };

  return {
    async list(query: CampaignListQuery) {
      const { rows, total } = await campaigns.list(query);
      return { items: await withChanges(rows), total };
    },

    async get(id: number) {
      const [campaign] = await withChanges([await mustGet(id)]);
      return campaign as Campaign;
    },

    async create(input: CampaignInput) {
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      assertRules([...ownRules({ ...input, expiresAt }), ...(await senderRules(input.senderId, input.channel))]);
      const nodes: NewNode[] =
        input.type === "chatbot"
          ? [
              { kind: "welcome", label: WELCOME_MESSAGE_LABEL, position: 0 },
              ...nextInteractionLabels([WELCOME_MESSAGE_LABEL], defaultInteractionCount[input.channel]).map(
                (label, i) => ({ kind: "interaction" as const, label, position: i + 1 }),
              ),
            ]
          : [];
      const row = await campaigns.lockedOnSender(input.senderId, async (store) => {
        assertRules(await conflictRules(store, input), ["body"], "conflict");
        return store.create(
          {
            ...input,
            triggerKeywords: input.triggerKeywords.map((k) => k.trim()),
            expiresAt,
            activatedAt: input.status === "active" ? now() : null,
          },
          nodes,
        );
      });
      return toCampaign(row);
    },

    async update(id: number, patch: CampaignPatch) {
      const current = await mustGet(id);
      const { revision, ...changes } = patch;
      const next = {
        ...current,
        ...changes,
        expiresAt:
          changes.expiresAt === undefined ? current.expiresAt : changes.expiresAt ? new Date(changes.expiresAt) : null,
      };
      const expiryChanged = changes.expiresAt !== undefined || changes.expiresAfterHours !== undefined;
      assertRules([
        ...validateCampaignName(next.name),
        ...validateTriggerKeywords(next.triggerKeywords),
        // An expiry already in the past is the campaign's history, not a mistake in this change.
        ...(expiryChanged ? validateExpiry(next, now()) : []),
        ...(changes.senderId ? await senderRules(changes.senderId, current.channel) : []),
      ]);
      const row = await campaigns.lockedOnSender(next.senderId, async (store) => {
        const fresh = await store.get(id);
        if (!fresh) throw AppError.notFound(`Campaign ${id}`);
        if (revision !== undefined && revision !== fresh.revision) {
          throw new AppError(
            "stale_revision",
            `This campaign was changed since you loaded it (revision ${fresh.revision}, yours ${revision}). Reload it and apply your change again.`,
          );
        }
        assertRules(await conflictRules(store, { ...next, id }), ["body"], "conflict");
        if (changes.status === "ended" && fresh.status !== "ended") {
          const references = await store.liveReferencesTo(id);
          const blockers = endingBlockers(`Campaign "${fresh.name}"`, references);
          if (blockers.length > 0)
            throw new AppError("still_referenced", (blockers[0] as RuleIssue).message, [], references);
        }
        return store.update(id, {
          ...changes,
          ...(changes.triggerKeywords ? { triggerKeywords: changes.triggerKeywords.map((k) => k.trim()) } : {}),
          expiresAt: next.expiresAt,
          ...(changes.status === "active" && fresh.status !== "active" ? { activatedAt: now() } : {}),
        });
      });
      return toCampaign(row);
    },

    /** Refuses (as a change to `status` would be) when making this campaign Active breaks a rule. */
    async checkActivation(id: number) {
      const current = await mustGet(id);
      assertRules(await conflictRules(campaigns, { ...current, status: "active", id }), ["body"], "conflict");
    },

    async activate(id: number) {
      await this.update(id, { status: "active" });
    },

    async delete(id: number) {
      const current = await mustGet(id);
      const references = await campaigns.referencesTo(id);
      const blockers = deletionBlockers(`Campaign "${current.name}"`, references);
      if (blockers.length > 0)
        throw new AppError("still_referenced", (blockers[0] as RuleIssue).message, [], references);
      await campaigns.delete(id);
    },
  };
}
export type CampaignService = ReturnType<typeof campaignService>;
