import {
  type agentList,
  type InboxEvent,
  inboxEventTypes,
  type inboxList,
  type liveChatConversation,
  type transcriptItem,
  type transferInput,
} from "@switchboard/contracts/live-chat";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { z } from "zod";
import { api, get } from "../../../lib/api-client";

export type InboxView = "waiting" | "mine" | "closed";
export type InboxList = z.infer<typeof inboxList>;
export type Conversation = z.infer<typeof liveChatConversation>;
export type TranscriptItem = z.infer<typeof transcriptItem>;

export const inboxKeys = {
  all: ["inbox"] as const,
  list: (view: InboxView) => ["inbox", "list", view] as const,
  conversation: (id: string) => ["inbox", "conversation", id] as const,
};

export const useInbox = (view: InboxView) =>
  useQuery({
    queryKey: inboxKeys.list(view),
    queryFn: () => get<InboxList>(`/api/v1/inbox?view=${view}`),
    // Events refresh the lists; waiting times grow between them, so the Waiting list is read again now and then.
    refetchInterval: view === "waiting" ? 30_000 : false,
  });

export const useConversation = (id: string | null) =>
  useQuery({
    queryKey: inboxKeys.conversation(id ?? ""),
    queryFn: () => get<Conversation>(`/api/v1/inbox/${id}`),
    enabled: !!id,
    // An agent's reply moves from queued to sent (and delivered) after the provider answers: poll while one is on its way.
    refetchInterval: (query) =>
      query.state.data?.transcript.some((t) => t.delivery && ["queued", "sending"].includes(t.delivery.state))
        ? 2_000
        : false,
  });

export const useAgents = () =>
  useQuery({ queryKey: ["inbox", "agents"], queryFn: () => get<z.infer<typeof agentList>>("/api/v1/inbox/agents") });

/**
 * The agent's actions on one conversation; each refreshes the inbox once it is done. Their refusals (taken by someone
 * else, outside the 24-hour window…) are shown beside the control that was used, so no toast repeats them.
 */
export function useConversationActions(id: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: inboxKeys.all });
  const post = <T>(path: string, body?: unknown) => api<T>("POST", `/api/v1/inbox/${id}/${path}`, body ?? {});
  return {
    take: useMutation({ mutationFn: () => post("take"), onSettled: refresh, meta: { quiet: true } }),
    transfer: useMutation({
      mutationFn: (to: z.infer<typeof transferInput>) => post("transfer", to),
      onSettled: refresh,
      meta: { quiet: true },
    }),
    reply: useMutation({
      mutationFn: (text: string) => post<TranscriptItem>("reply", { text }),
      onSuccess: refresh,
      meta: { quiet: true },
    }),
    close: useMutation({
      mutationFn: (message: string) => post("close", message.trim() ? { message } : {}),
      onSettled: refresh,
      meta: { quiet: true },
    }),
    // Marking read is housekeeping: a refusal (the conversation moved on meanwhile) is not worth a toast.
    read: useMutation({ mutationFn: () => post("read"), onSettled: refresh, meta: { quiet: true } }),
  };
}

export type StreamState = "connecting" | "live" | "reconnecting";

/** Waits before opening a stream the browser gave up on: 1 s, 2 s, 4 s… up to 30 s. */
export const reconnectDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt);

/**
 * The inbox's live events (Server-Sent Events). EventSource reconnects by itself after a network drop and sends the
 * last event id it saw, so the server replays what happened meanwhile. When the browser gives up (the server answered
 * with an error, or restarted), a new stream is opened with that id as `lastEventId`. Each event refreshes the lists
 * and the conversation it is about.
 */
export function useInboxEvents(onEvent?: (e: InboxEvent) => void): StreamState {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let lastId: string | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const handle = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastId = message.lastEventId;
      const event = JSON.parse(message.data) as InboxEvent;
      void client.invalidateQueries({ queryKey: ["inbox", "list"] });
      void client.invalidateQueries({ queryKey: inboxKeys.conversation(event.conversationId) });
      onEvent?.(event);
    };
    const connect = () => {
      const url = lastId ? `/api/v1/inbox/events?lastEventId=${encodeURIComponent(lastId)}` : "/api/v1/inbox/events";
      const s = new EventSource(url);
      source = s;
      for (const t of inboxEventTypes) s.addEventListener(t, handle as EventListener);
      s.onopen = () => {
        attempt = 0;
        setState("live");
        // Whatever happened while the stream was down is in the lists again.
        void client.invalidateQueries({ queryKey: inboxKeys.all });
      };
      s.onerror = () => {
        setState("reconnecting");
        if (s.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(connect, reconnectDelayMs(attempt++));
      };
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [client, onEvent]);
  return state;
}
