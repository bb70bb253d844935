import type {
  agentList,
  InboxEvent,
  inboxList,
  liveChatConversation,
  transcriptItem,
  transferInput,
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
  useQuery({ queryKey: inboxKeys.list(view), queryFn: () => get<InboxList>(`/api/v1/inbox?view=${view}`) });

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

/** The agent's actions on one conversation; each refreshes the inbox once it is done. */
export function useConversationActions(id: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: inboxKeys.all });
  const post = <T>(path: string, body?: unknown) => api<T>("POST", `/api/v1/inbox/${id}/${path}`, body ?? {});
  return {
    take: useMutation({ mutationFn: () => post("take"), onSettled: refresh }),
    transfer: useMutation({
      mutationFn: (to: z.infer<typeof transferInput>) => post("transfer", to),
      onSettled: refresh,
    }),
    reply: useMutation({
      mutationFn: (text: string) => post<TranscriptItem>("reply", { text }),
      onSuccess: refresh,
    }),
    close: useMutation({
      mutationFn: (message: string) => post("close", message.trim() ? { message } : {}),
      onSettled: refresh,
    }),
    read: useMutation({ mutationFn: () => post("read"), onSettled: refresh }),
  };
}

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * The inbox's live events (Server-Sent Events). EventSource reconnects by itself and sends the last event id it saw,
 * so the server replays what happened meanwhile; each event refreshes the lists and the conversation it is about.
 */
export function useInboxEvents(onEvent?: (e: InboxEvent) => void): StreamState {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/v1/inbox/events");
    const handle = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as InboxEvent;
      void client.invalidateQueries({ queryKey: ["inbox", "list"] });
      void client.invalidateQueries({ queryKey: inboxKeys.conversation(event.conversationId) });
      onEvent?.(event);
    };
    const types = [
      "conversation.queued",
      "conversation.taken",
      "conversation.transferred",
      "conversation.closed",
      "conversation.timed_out",
      "message.created",
      "message.delivery",
      "conversation.read",
    ];
    for (const t of types) source.addEventListener(t, handle as EventListener);
    source.onopen = () => {
      setState("live");
      // Whatever happened while the stream was down is in the lists again.
      void client.invalidateQueries({ queryKey: inboxKeys.all });
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "reconnecting" : "reconnecting");
    return () => source.close();
  }, [client, onEvent]);
  return state;
}
