import type { Db } from "../db/database";
import { AppError } from "../errors/app-error";
import type { ConversationSession } from "../generated/prisma/client";

const toSummary = (s: ConversationSession) => ({
  id: s.id,
  campaignId: s.campaignId,
  phoneNumber: s.phoneNumber,
  flowVersion: s.flowVersion,
  status: s.status,
  test: s.test,
  startedAt: s.startedAt.toISOString(),
  lastActivityAt: s.lastActivityAt.toISOString(),
});

/** Reading conversations back: the sessions of a campaign and each one's messages. */
export function transcriptService(db: Db) {
  return {
    async sessions(campaignId: number, query: { test: boolean; limit: number; offset: number }) {
      const where = { campaignId, test: query.test };
      const [rows, total] = await Promise.all([
        db.conversationSession.findMany({
          where,
          orderBy: { startedAt: "desc" },
          take: query.limit,
          skip: query.offset,
        }),
        db.conversationSession.count({ where }),
      ]);
      return { items: rows.map(toSummary), total };
    },
    async transcript(sessionId: string) {
      const session = await db.conversationSession.findUnique({
        where: { id: sessionId },
        include: { messages: { orderBy: { seq: "asc" } } },
      });
      if (!session) throw AppError.notFound(`Session ${sessionId}`);
      return {
        session: toSummary(session),
        messages: session.messages.map((m) => ({
          id: m.id,
          direction: m.direction,
          text: m.text,
          options: (m.options as { id: string; keyword: string; title: string }[] | null) ?? null,
          createdAt: m.createdAt.toISOString(),
        })),
      };
    },
  };
}
export type TranscriptService = ReturnType<typeof transcriptService>;
