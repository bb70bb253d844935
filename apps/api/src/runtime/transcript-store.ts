import type { Db } from "../db/database";
import type { ConversationMessage, ConversationSession } from "../generated/prisma/client";

export type { ConversationSession };

/** Conversations as stored: the only file of the transcripts that touches the database. */
export interface TranscriptStore {
  /** A campaign's sessions (test ones or real ones), newest first, with how many there are in all. */
  sessions(
    campaignId: number,
    query: { test: boolean; limit: number; offset: number },
  ): Promise<{ rows: ConversationSession[]; total: number }>;
  /** One session with its messages in the order they were exchanged. */
  session(id: string): Promise<(ConversationSession & { messages: ConversationMessage[] }) | null>;
}

export function prismaTranscriptStore(db: Db): TranscriptStore {
  return {
    async sessions(campaignId, query) {
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
      return { rows, total };
    },
    session: (id) =>
      db.conversationSession.findUnique({ where: { id }, include: { messages: { orderBy: { seq: "asc" } } } }),
  };
}
