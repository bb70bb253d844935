import type { outboundMessageList } from "@switchboard/contracts/channels";
import type { sessionList, transcript } from "@switchboard/contracts/messages";
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../../../lib/api-client";

export const conversationKeys = {
  sessions: (campaignId: number, test: boolean) => ["conversations", campaignId, test] as const,
  transcript: (sessionId: string) => ["transcript", sessionId] as const,
  outbound: (sessionId: string) => ["outbound-messages", sessionId] as const,
};

export const useSessions = (campaignId: number, test: boolean) =>
  useQuery(
    queryOptions({
      queryKey: conversationKeys.sessions(campaignId, test),
      queryFn: () => get<z.infer<typeof sessionList>>(`/api/v1/campaigns/${campaignId}/sessions?test=${test}`),
    }),
  );

export const useTranscript = (sessionId: string | null) =>
  useQuery({
    queryKey: conversationKeys.transcript(sessionId ?? ""),
    queryFn: () => get<z.infer<typeof transcript>>(`/api/v1/sessions/${sessionId}`),
    enabled: !!sessionId,
  });

/** The messages sent to the conversation's phone through its sender's provider, with where each stands. */
export const useOutboundMessages = (sessionId: string | null) =>
  useQuery({
    queryKey: conversationKeys.outbound(sessionId ?? ""),
    queryFn: () => get<z.infer<typeof outboundMessageList>>(`/api/v1/sessions/${sessionId}/outbound-messages`),
    enabled: !!sessionId,
    // A provider's statuses (delivered, read) arrive after the reply: keep the states current while it is open.
    refetchInterval: 5_000,
  });
