import { randomUUID } from "node:crypto";
import type { Answers } from "@switchboard/domain/handoff/survey";
import type { Db } from "../db/database";
import type { Campaign } from "../generated/prisma/client";

export interface WebPollLinkRow {
  id: string;
  campaignId: number;
  phoneNumber: string;
  test: boolean;
  sessionId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface WebDelivery {
  id: string;
  entryId: string;
  url: string;
  headers: { name: string; value: string; secret: boolean }[];
  payload: string;
  signingSecret: string | null;
}

/** The public web poll's reads and its one write: the submission, the link used, the webhook queued, together. */
export interface WebPollStore {
  link(id: string): Promise<{ link: WebPollLinkRow; campaign: Campaign } | null>;
  completedResponses(campaignId: number, phoneNumber: string, test: boolean): Promise<number>;
  /**
   * Marks the link used, stores the answers with its conversation (and a line in its transcript) and queues the
   * webhook, in one transaction; false when the link was used meanwhile (a double submit), and nothing is written.
   */
  submit(s: {
    link: WebPollLinkRow;
    answers: Answers;
    transcriptLine: string;
    delivery: WebDelivery | null;
    at: Date;
    /** The X-Request-Id of the page's POST: the webhook it queues records it. */
    requestId?: string | undefined;
  }): Promise<boolean>;
}

export function prismaWebPollStore(db: Db): WebPollStore {
  return {
    async link(id) {
      const link = await db.webPollLink.findUnique({ where: { id }, include: { campaign: true } });
      if (!link) return null;
      const { campaign, ...row } = link;
      return { link: row, campaign };
    },

    completedResponses: (campaignId, phoneNumber, test) =>
      db.surveyResponse.count({ where: { campaignId, phoneNumber, test, completedAt: { not: null } } }),

    submit: ({ link, answers, transcriptLine, delivery, at, requestId }) =>
      db.$transaction(async (tx) => {
        const taken = await tx.webPollLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: at } });
        if (taken.count !== 1) return false;
        await tx.surveyResponse.create({
          data: {
            campaignId: link.campaignId,
            phoneNumber: link.phoneNumber,
            test: link.test,
            sessionId: link.sessionId,
            source: "web",
            answers,
            completedAt: at,
            createdAt: at,
          },
        });
        if (link.sessionId) {
          await tx.$executeRaw`
            INSERT INTO conversation_message (id, session_id, sender_id, phone_number, direction, text, test, created_at)
            SELECT ${randomUUID()}::uuid, s.id, s.sender_id, s.phone_number, 'inbound', ${transcriptLine}, s.test, ${at}
              FROM conversation_session s WHERE s.id = ${link.sessionId}::uuid`;
        }
        if (delivery) {
          await tx.delivery.create({
            data: {
              id: delivery.id,
              campaignId: link.campaignId,
              entryId: delivery.entryId,
              nodeId: delivery.entryId,
              sessionId: link.sessionId,
              mode: "survey",
              url: delivery.url,
              headers: delivery.headers,
              payload: delivery.payload,
              test: link.test,
              signingSecret: delivery.signingSecret,
              requestId: requestId ?? null,
              createdAt: at,
              nextAttemptAt: at,
            },
          });
        }
        return true;
      }),
  };
}
