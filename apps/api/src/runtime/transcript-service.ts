import { AppError } from "../errors/app-error";
import type { ConversationSession, TranscriptStore } from "./transcript-store";

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
export function transcriptService({ store }: { store: TranscriptStore }) {
  return {
    async sessions(campaignId: number, query: { test: boolean; limit: number; offset: number }) {
      const { rows, total } = await store.sessions(campaignId, query);
      return { items: rows.map(toSummary), total };
    },
    async transcript(sessionId: string) {
      const session = await store.session(sessionId);
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
