import {
  agentList,
  closeInput,
  conversationParams,
  inboxItem,
  inboxList,
  inboxQuery,
  liveChatConversation,
  replyInput,
  transcriptItem,
  transferInput,
} from "@switchboard/contracts/live-chat";
import type { RequestHandler } from "express";
import { allows } from "../auth/actor";
import { AppError } from "../errors/app-error";
import { actorOf, route } from "../http/route";
import type { InboxStream } from "./inbox-stream";
import { inboxActor, type LiveChatService, sees } from "./live-chat-service";

const tag = "Live Chat";
const base = "/api/v1/inbox";

/** The agents' inbox: lists, a conversation, and what an agent does to it. */
export function liveChatRoutes(liveChat: LiveChatService) {
  return [
    route({
      method: "get",
      path: base,
      tag,
      access: "agent",
      summary: "List the inbox's conversations",
      description:
        "`waiting`: in the queue of the caller's teams (every team for marketers and admins), oldest first; `mine`: assigned to the caller; `closed`: the latest 200 closed.",
      query: inboxQuery,
      response: inboxList,
      handler: ({ query, actor }) => liveChat.list(inboxActor(actor), query.view),
    }),
    route({
      method: "get",
      path: `${base}/agents`,
      tag,
      access: "agent",
      summary: "Who a conversation can be transferred to",
      response: agentList,
      handler: () => liveChat.agents(),
    }),
    route({
      method: "get",
      path: `${base}/:conversationId`,
      tag,
      access: "agent",
      summary: "A conversation with its whole transcript, the contact's attributes and the channel's limits",
      params: conversationParams,
      response: liveChatConversation,
      errors: [404],
      handler: ({ params, actor }) => liveChat.get(inboxActor(actor), params.conversationId),
    }),
    route({
      method: "post",
      path: `${base}/:conversationId/take`,
      tag,
      access: "agent",
      summary: "Take a waiting conversation",
      description: "One agent at a time: of two agents taking at once one wins, the other gets 409 naming who has it.",
      params: conversationParams,
      response: inboxItem,
      status: 200,
      errors: [404, 409],
      handler: ({ params, actor }) => liveChat.take(inboxActor(actor), params.conversationId),
    }),
    route({
      method: "post",
      path: `${base}/:conversationId/transfer`,
      tag,
      access: "agent",
      summary: "Transfer a conversation to another agent, or back to a team's queue",
      params: conversationParams,
      body: transferInput,
      response: inboxItem,
      status: 200,
      errors: [404, 409],
      handler: ({ params, body, actor }) => liveChat.transfer(inboxActor(actor), params.conversationId, body),
    }),
    route({
      method: "post",
      path: `${base}/:conversationId/reply`,
      tag,
      access: "agent",
      audit: false,
      summary: "Reply to the end user",
      description:
        "Sent through the sender's channel as a durable outbound message; the transcript shows its delivery state. Refused (and nothing stored) when the number opted out, outside WhatsApp's 24-hour window, or over the channel's length.",
      params: conversationParams,
      body: replyInput,
      response: transcriptItem,
      errors: [404, 409],
      handler: ({ params, body, actor, request }) =>
        liveChat.reply(inboxActor(actor), params.conversationId, body.text, request.origin, request.requestId),
    }),
    route({
      method: "post",
      path: `${base}/:conversationId/close`,
      tag,
      access: "agent",
      summary: "Close a conversation, with an optional closing message",
      description: "The end user's next message is the chatbot's again (a trigger keyword or the Auto-Reply campaign).",
      params: conversationParams,
      body: closeInput,
      response: inboxItem,
      status: 200,
      errors: [404, 409],
      handler: ({ params, body, actor, request }) =>
        liveChat.close(inboxActor(actor), params.conversationId, body, request.origin, request.requestId),
    }),
    route({
      method: "post",
      path: `${base}/:conversationId/read`,
      tag,
      access: "agent",
      audit: false,
      summary: "Mark the conversation's messages read",
      params: conversationParams,
      errors: [404],
      handler: async ({ params, actor }) => {
        await liveChat.read(inboxActor(actor), params.conversationId);
        return undefined;
      },
    }),
  ];
}

/**
 * GET /api/v1/inbox/events: the inbox's Server-Sent Events. Outside the route table because it streams. `id:` is the
 * event id: a browser reconnecting sends it back as Last-Event-ID and gets what it missed, then the live feed.
 */
export const INBOX_EVENTS_PATH = `${base}/events`;

export function inboxEvents(liveChat: LiveChatService, stream: InboxStream, heartbeatMs = 15_000): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const actor = actorOf(res);
      if (!allows(actor, "agent"))
        throw new AppError(
          actor ? "forbidden" : "unauthorized",
          "The inbox's events are for agents, marketers and admins.",
        );
      const viewer = await liveChat.viewer(inboxActor(actor));
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        // Proxies such as nginx buffer responses unless told not to.
        "X-Accel-Buffering": "no",
      });
      res.write("retry: 2000\n\n");
      const lastEventId =
        req.get("Last-Event-ID") ?? (typeof req.query.lastEventId === "string" ? req.query.lastEventId : null);
      const unsubscribe = await stream.subscribe(
        {
          sees: (e) => sees(viewer, e),
          send: (e) => {
            const data = {
              id: e.id,
              type: e.type,
              conversationId: e.conversationId,
              teamId: e.teamId,
              agentId: e.agentId,
              item: e.item,
              at: e.at.toISOString(),
            };
            res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
          },
          end: () => res.end(),
        },
        lastEventId,
      );
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
      req.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    })().catch(next);
  };
}
