import { randomUUID } from "node:crypto";
import { matchPrizes } from "@switchboard/domain/handoff/raffle";
import type { HandoffSettings } from "@switchboard/domain/handoff/settings";
import { readHandoffSettings, writeHandoffSettings } from "@switchboard/domain/handoff/settings";
import type { Answers } from "@switchboard/domain/handoff/survey";
import type { Db } from "../db/database";
import type { Prisma } from "../generated/prisma/client";

export interface StoredSettings {
  settings: HandoffSettings;
  webhookId: string;
  signingSecret: string | null;
  updatedAt: Date;
}

export interface PrizeRow {
  id: string;
  name: string;
  quantity: number;
  awarded: number;
}

export interface RaffleEntryRow {
  id: string;
  number: number;
  phoneNumber: string;
  won: boolean;
  prize: string | null;
  sessionId: string | null;
  createdAt: Date;
}

export interface SurveyResponseRow {
  id: string;
  phoneNumber: string;
  source: "chat" | "web";
  answers: Answers;
  sessionId: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** The settings, prizes and results of hand-off campaigns (the runtime's own reads and writes are in runtime/). */
export interface HandoffStore {
  settings(campaignId: number): Promise<StoredSettings | null>;
  /**
   * Writes the settings and, for a raffle, its prizes: each known by its id (by its name when sent without one, see
   * matchPrizes), so a renamed prize keeps its awarded count. The settings are stored with every prize's id.
   */
  save(campaignId: number, settings: HandoffSettings, signingSecret: string | null): Promise<StoredSettings>;
  setSigningSecret(campaignId: number, sealed: string): Promise<void>;
  prizes(campaignId: number): Promise<PrizeRow[]>;
  raffleEntries(
    campaignId: number,
    filter: { won?: boolean | undefined; limit: number; offset: number },
  ): Promise<{ rows: RaffleEntryRow[]; total: number }>;
  raffleCounts(campaignId: number): Promise<{ participants: number; winners: number }>;
  /** Completed responses (answers only), for the results. */
  completedAnswers(campaignId: number): Promise<{ source: string; answers: Answers }[]>;
  responseCounts(campaignId: number): Promise<{ inProgress: number; linksSent: number }>;
  responses(
    campaignId: number,
    page: { limit: number; offset: number },
  ): Promise<{ rows: SurveyResponseRow[]; total: number }>;
}

export function prismaHandoffStore(db: Db): HandoffStore {
  const toStored = (row: {
    settings: unknown;
    webhookId: string;
    signingSecret: string | null;
    updatedAt: Date;
  }): StoredSettings => ({
    settings: readHandoffSettings(row.settings),
    webhookId: row.webhookId,
    signingSecret: row.signingSecret,
    updatedAt: row.updatedAt,
  });
  const real = (campaignId: number) => ({ campaignId, test: false });

  return {
    async settings(campaignId) {
      const row = await db.handoffSettings.findUnique({ where: { campaignId } });
      return row ? toStored(row) : null;
    },

    save(campaignId, settings, signingSecret) {
      return db.$transaction(async (tx) => {
        let toWrite = settings;
        if (settings.type === "raffle_giveaway") {
          const rows = await tx.rafflePrize.findMany({ where: { campaignId }, select: { id: true, name: true } });
          const matched = matchPrizes(settings.prizes, rows);
          const prizes = settings.prizes.map((p, i) => ({
            ...p,
            id: rows[matched[i] ?? -1]?.id ?? randomUUID(),
          }));
          await tx.rafflePrize.deleteMany({ where: { campaignId, id: { notIn: prizes.map((p) => p.id) } } });
          for (const [position, p] of prizes.entries()) {
            await tx.rafflePrize.upsert({
              where: { id: p.id },
              create: { id: p.id, campaignId, name: p.name, quantity: p.quantity, position },
              update: { name: p.name, quantity: p.quantity, position },
            });
          }
          toWrite = { ...settings, prizes };
        }
        const doc = writeHandoffSettings(toWrite) as unknown as Prisma.InputJsonObject;
        const row = await tx.handoffSettings.upsert({
          where: { campaignId },
          create: { campaignId, settings: doc, signingSecret },
          update: { settings: doc, ...(signingSecret ? { signingSecret } : {}) },
        });
        return toStored(row);
      });
    },

    async setSigningSecret(campaignId, sealed) {
      await db.handoffSettings.update({ where: { campaignId }, data: { signingSecret: sealed } });
    },

    prizes: (campaignId) =>
      db.rafflePrize.findMany({
        where: { campaignId },
        orderBy: { position: "asc" },
        select: { id: true, name: true, quantity: true, awarded: true },
      }),

    async raffleEntries(campaignId, f) {
      const where = { ...real(campaignId), ...(f.won === undefined ? {} : { won: f.won }) };
      const [rows, total] = await Promise.all([
        db.raffleEntry.findMany({ where, orderBy: { number: "asc" }, take: f.limit, skip: f.offset }),
        db.raffleEntry.count({ where }),
      ]);
      return { rows, total };
    },

    async raffleCounts(campaignId) {
      const [participants, winners] = await Promise.all([
        db.raffleEntry.count({ where: real(campaignId) }),
        db.raffleEntry.count({ where: { ...real(campaignId), won: true } }),
      ]);
      return { participants, winners };
    },

    async completedAnswers(campaignId) {
      const rows = await db.surveyResponse.findMany({
        where: { ...real(campaignId), completedAt: { not: null } },
        select: { source: true, answers: true },
      });
      return rows.map((r) => ({ source: r.source, answers: r.answers as Answers }));
    },

    async responseCounts(campaignId) {
      const [inProgress, linksSent] = await Promise.all([
        db.surveyResponse.count({ where: { ...real(campaignId), completedAt: null, source: "chat" } }),
        db.webPollLink.count({ where: real(campaignId) }),
      ]);
      return { inProgress, linksSent };
    },

    async responses(campaignId, page) {
      const where = { ...real(campaignId), completedAt: { not: null } };
      const [rows, total] = await Promise.all([
        db.surveyResponse.findMany({ where, orderBy: { completedAt: "asc" }, take: page.limit, skip: page.offset }),
        db.surveyResponse.count({ where }),
      ]);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          phoneNumber: r.phoneNumber,
          source: r.source as "chat" | "web",
          answers: r.answers as Answers,
          sessionId: r.sessionId,
          createdAt: r.createdAt,
          completedAt: r.completedAt,
        })),
        total,
      };
    },
  };
}
