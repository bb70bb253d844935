import { randomUUID } from "node:crypto";
import type {
  closeInput,
  InboxEvent,
  inboxItem,
  liveChatConversation,
  transcriptItem,
  transferInput,
} from "@switchboard/contracts/live-chat";
import { campaignEndsAt } from "@switchboard/domain/campaign";
import { resumeAt } from "@switchboard/domain/conversation/engine";
import {
  actRefusal,
  type Refusal,
  replyMax,
  replyRefusal,
  takeRefusal,
  timeoutDue,
  waitSeconds,
} from "@switchboard/domain/live-chat/conversation";
import type { Provider } from "@switchboard/domain/messaging/provider";
import { providerChannel } from "@switchboard/domain/messaging/provider";
import { SERVICE_WINDOW_MS } from "@switchboard/domain/messaging/window";
import type { z } from "zod";
import type { Actor } from "../auth/actor";
import { outboundState } from "../channels/channel-service";
import { AppError, type ErrorCode } from "../errors/app-error";
import { type InboxItem, systemItem } from "../runtime/live-chat-writes";
import type { OutboundPlan } from "../runtime/runtime-service";
import type { InboxView, LiveChatRow, LiveChatStore, Outgoing, Viewer } from "./live-chat-store";

type InboxItemOut = z.infer<typeof inboxItem>;
type Conversation = z.infer<typeof liveChatConversation>;
type TranscriptItemOut = z.infer<typeof transcriptItem>;

/** The signed-in person working the inbox. */
export interface InboxActor {
  userId: string;
  name: string;
  email: string;
  seesAll: boolean;
}

export function inboxActor(actor: Actor | null): InboxActor {
  if (actor?.kind !== "user") throw new AppError("forbidden", "The inbox is worked by signed-in people.");
  return { userId: actor.id, name: actor.name, email: actor.email, seesAll: actor.role !== "agent" };
}

/** A domain refusal as the API's problem (its code, kebab-case in the domain, is the problem type). */
const refused = (r: Refusal) => {
  const code = r.code.replaceAll("-", "_") as ErrorCode;
  return new AppError(
    code,
    r.detail,
    code === "reply_too_long" ? [{ path: "body.text", code, message: r.detail }] : [],
  );
};

export function liveChatService(deps: {
  store: LiveChatStore;
  /** The sender's outbound plan for a phone number (channels), or null when it has no way to reach it. */
  plans: (senderId: string, phoneNumber: string, origin: string) => Promise<OutboundPlan | null>;
  /** Outbound messages committed: due now in the outbox. */
  queued: (ids: readonly string[]) => void;
  /** A change committed: the live stream reads the inbox's events now rather than at its next poll. */
  changed: () => void;
  now: () => Date;
}) {
  const { store, plans, now } = deps;
  const viewerOf = (a: InboxActor): Viewer => ({ userId: a.userId, seesAll: a.seesAll });

  /** The conversation, if this person may see it; a 404 otherwise (an agent learns nothing of other teams). */
  const visible = async (a: InboxActor, id: string): Promise<LiveChatRow> => {
    const row = await store.get(id);
    if (!row || !(await store.canSee(row, viewerOf(a)))) throw AppError.notFound("Conversation");
    return row;
  };

  const item = (r: LiveChatRow): InboxItemOut => {
    const at = now();
    return {
      id: r.id,
      state: r.state,
      phoneNumber: r.phoneNumber,
      contactName: null,
      campaign: { id: r.campaignId, name: r.campaignName },
      provider: r.provider as Provider,
      team: r.teamId ? { id: r.teamId, name: r.teamName ?? "" } : null,
      agent: r.agentId ? { userId: r.agentId, name: r.agentName ?? "" } : null,
      lastMessage: r.lastMessage,
      waitingSince: r.waitingSince.toISOString(),
      waitSeconds: waitSeconds(r.waitingSince, r.takenAt, r.closedAt ?? at),
      unread: r.unread,
      updatedAt: r.updatedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
    };
  };

  /** The messages an agent writes, as outbox rows through the sender's channel (refused when it has none). */
  const outgoing = async (
    r: LiveChatRow,
    texts: readonly string[],
    agent: InboxActor | null,
    origin: string,
  ): Promise<Outgoing["messages"]> => {
    if (texts.length === 0) return [];
    const plan = await plans(r.senderId, r.phoneNumber, origin);
    if (!plan)
      throw new AppError(
        "no_outbound_channel",
        "This sender answers in the HTTP response only: set its outbound URL so the inbox can reach the user.",
      );
    const at = now();
    return texts.map((text, i) => {
      const [delivery] = plan([{ text, options: [], style: "text" }], {
        sessionId: r.sessionId,
        campaignId: r.campaignId,
      });
      const stamp = new Date(at.getTime() + i).toISOString();
      const sent: InboxItem = {
        id: randomUUID(),
        kind: agent ? "agent" : "bot",
        text,
        at: stamp,
        agent: agent ? { userId: agent.userId, name: agent.name } : null,
        delivery: delivery ? { id: delivery.id, state: "queued", reason: null } : null,
      };
      return { item: sent, agentId: agent?.userId ?? null, delivery: delivery ?? null };
    });
  };

  const committed = (messages: Outgoing["messages"]) => {
    const ids = messages.flatMap((m) => (m.delivery ? [m.delivery.id] : []));
    if (ids.length) deps.queued(ids);
    deps.changed();
  };

  /** Why a reply may not go out now, in the domain's words; checked before anything is written. */
  const checkReply = async (r: LiveChatRow, text: string) => {
    const refusal = replyRefusal(text, {
      provider: r.provider as Provider,
      optedOut: await store.optedOut(r.senderId, r.phoneNumber),
      lastInboundAt: await store.lastInboundAt(r.senderId, r.phoneNumber),
      now: now(),
    });
    if (refusal) throw refused(refusal);
  };

  return {
    async list(a: InboxActor, view: InboxView) {
      const rows = await store.list(view, viewerOf(a));
      return { items: rows.map(item), total: rows.length };
    },

    async get(a: InboxActor, id: string): Promise<Conversation> {
      const r = await visible(a, id);
      const [messages, system, attributes, optedOut, lastInbound] = await Promise.all([
        store.messages(r.sessionId),
        store.systemItems(r.sessionId),
        store.attributes(r.phoneNumber),
        store.optedOut(r.senderId, r.phoneNumber),
        store.lastInboundAt(r.senderId, r.phoneNumber),
      ]);
      const transcript: TranscriptItemOut[] = [
        ...messages.map(
          (m): TranscriptItemOut => ({
            id: m.id,
            kind: m.direction === "inbound" ? "user" : m.agent ? "agent" : "bot",
            text: m.text,
            at: m.at.toISOString(),
            ...(m.agent ? { agent: m.agent } : {}),
            ...(m.delivery
              ? {
                  delivery: {
                    id: m.delivery.id,
                    state: outboundState({
                      status: m.delivery.status as never,
                      providerStatus: m.delivery.providerStatus,
                    }),
                    reason: m.delivery.providerError ?? m.delivery.lastError,
                  },
                }
              : {}),
          }),
        ),
        ...system.map(
          (s): TranscriptItemOut => ({ ...s, kind: "system", agent: s.agent ?? null }) as TranscriptItemOut,
        ),
      ].sort((x, y) => x.at.localeCompare(y.at));
      const whatsapp = providerChannel[r.provider as Provider] === "whatsapp";
      const at = now();
      const closesAt = lastInbound ? new Date(lastInbound.getTime() + SERVICE_WINDOW_MS) : null;
      return {
        ...item(r),
        contactName: attributes.name ?? null,
        transcript,
        attributes,
        optedOut,
        whatsappWindow: whatsapp
          ? { open: closesAt !== null && at < closesAt, closesAt: closesAt?.toISOString() ?? null }
          : null,
        replyMax: replyMax(r.provider as Provider),
      };
    },

    agents: async () => {
      const items = await store.agents();
      return { items, total: items.length };
    },

    async take(a: InboxActor, id: string) {
      const r = await visible(a, id);
      const refusal = takeRefusal(r, r.agentName);
      if (refusal) throw refused(refusal);
      const at = now();
      const taken = await store.take(id, a.userId, systemItem(`${a.name} took the conversation.`, at, agentRef(a)), at);
      if (!taken) {
        // Someone else's UPDATE won the race: say who.
        const now = await store.get(id);
        throw refused(takeRefusal(now ?? r, now?.agentName ?? null) ?? { code: "live-chat-taken", detail: "Taken." });
      }
      deps.changed();
      return item((await store.get(id)) ?? r);
    },

    async transfer(a: InboxActor, id: string, to: z.infer<typeof transferInput>) {
      const r = await visible(a, id);
      const refusal = actRefusal(r, a.userId);
      if (refusal) throw refused(refusal);
      let text: string;
      if ("userId" in to) {
        const target = await store.user(to.userId);
        if (!target || target.disabled || !["agent", "marketer", "admin"].includes(target.role))
          throw new AppError("validation_failed", "Transfer to an active agent, marketer or admin.", [
            { path: "body.userId", code: "unknown_agent", message: "No active agent has this id." },
          ]);
        text = `${a.name} transferred the conversation to ${target.name}.`;
      } else {
        const team = await store.team(to.teamId);
        if (!team)
          throw new AppError("validation_failed", "No team has this id.", [
            { path: "body.teamId", code: "unknown_team", message: "No team has this id." },
          ]);
        text = `${a.name} transferred the conversation to the team ${team.name}.`;
      }
      const at = now();
      if (!(await store.transfer(id, a.userId, to, systemItem(text, at, agentRef(a)), at)))
        throw refused({ code: "live-chat-not-yours", detail: "This conversation changed hands meanwhile." });
      deps.changed();
      return item((await store.get(id)) ?? r);
    },

    async reply(a: InboxActor, id: string, text: string, origin: string, requestId?: string) {
      const r = await visible(a, id);
      const refusal = actRefusal(r, a.userId);
      if (refusal) throw refused(refusal);
      await checkReply(r, text);
      const messages = await outgoing(r, [text], a, origin);
      const done = await store.send({
        conversation: r,
        messages,
        event: null,
        holder: a.userId,
        requestId,
        at: now(),
      });
      if (!done) throw refused({ code: "live-chat-not-yours", detail: "This conversation changed hands meanwhile." });
      committed(messages);
      return messages[0]?.item as TranscriptItemOut;
    },

    async close(a: InboxActor, id: string, input: z.infer<typeof closeInput>, origin: string, requestId?: string) {
      const r = await visible(a, id);
      const refusal = actRefusal(r, a.userId);
      if (refusal) throw refused(refusal);
      // A closing message that cannot go out (opted out, window closed) is refused; closing without one always works.
      if (input.message) await checkReply(r, input.message);
      const messages = input.message ? await outgoing(r, [input.message], a, origin) : [];
      const at = now();
      const done = await store.send({
        conversation: r,
        messages,
        close: { reason: "agent", session: { status: "ended" }, onlyIf: "assigned" },
        event: {
          type: "conversation.closed",
          agentId: a.userId,
          item: systemItem(`${a.name} closed the conversation.`, at, agentRef(a)),
        },
        holder: a.userId,
        requestId,
        at,
      });
      if (!done) throw refused({ code: "live-chat-not-yours", detail: "This conversation changed hands meanwhile." });
      committed(messages);
      return item((await store.get(id)) ?? r);
    },

    async read(a: InboxActor, id: string) {
      await visible(a, id);
      await store.read(id, a.userId, now());
      deps.changed();
    },

    /**
     * Conversations nobody took in time (or that arrived outside opening hours): the entry's message, then back to
     * the bot at its node, or the end. Each is settled by a conditional update, so several processes may sweep.
     */
    async sweep(origin: string): Promise<number> {
      const at = now();
      let done = 0;
      for (const r of await store.waiting()) {
        if (!dueNow(r, at)) continue;
        const action = r.settings.onTimeout;
        const texts = [action.message];
        let session: NonNullable<Outgoing["close"]>["session"] = { status: "ended" };
        if (action.action === "bot") {
          const flow = await store.flow(r.campaignId, r.settings.version);
          const campaign = await store.campaign(r.campaignId);
          if (flow && campaign) {
            const resumed = resumeAt(
              flow,
              { ...campaign, type: campaign.type as never, endsAt: campaignEndsAt(campaign, campaign.activatedAt) },
              action.nodeId,
              { phoneNumber: r.phoneNumber, text: "", receivedAt: at, replyId: null },
            );
            texts.push(...resumed.replies.map((reply) => reply.text));
            session = {
              status: resumed.state.status,
              nodeId: resumed.state.nodeId,
              awaitingEntryId: resumed.state.awaitingEntryId,
            };
          }
        }
        // The sender may have lost its way out meanwhile: the conversation still leaves the queue.
        const messages = await outgoing(r, texts, null, origin).catch(() => []);
        const ok = await store.send({
          conversation: r,
          messages,
          close: { reason: "timeout", session, onlyIf: "waiting" },
          event: {
            type: "conversation.timed_out",
            agentId: null,
            item: systemItem(
              action.action === "bot"
                ? "Nobody took the conversation in time: back to the chatbot."
                : "Nobody took the conversation in time: it ended.",
              at,
            ),
          },
          holder: null,
          audit: { actorLabel: "live chat timeout", action: "Time out a waiting conversation" },
          at,
        });
        if (ok) {
          done++;
          committed(messages);
        }
      }
      return done;
    },

    /** What the live stream sends a person: only events of conversations they may see. */
    viewer: async (a: InboxActor) => ({
      userId: a.userId,
      seesAll: a.seesAll,
      teamIds: new Set(a.seesAll ? [] : await store.teamIdsOf(a.userId)),
    }),
  };
}
export type LiveChatService = ReturnType<typeof liveChatService>;

const agentRef = (a: InboxActor) => ({ userId: a.userId, name: a.name });

/** Whether a waiting conversation's timeout has come; a time zone this runtime does not know counts as always open. */
function dueNow(r: LiveChatRow, at: Date): boolean {
  try {
    return timeoutDue(r.waitingSince, r.settings, at);
  } catch {
    return timeoutDue(r.waitingSince, { ...r.settings, openingHours: null }, at);
  }
}

/** Whether one person's stream carries an event. */
export function sees(
  viewer: { userId: string; seesAll: boolean; teamIds: Set<string> },
  e: Pick<InboxEvent, "teamId" | "agentId">,
): boolean {
  return viewer.seesAll || e.teamId === null || e.agentId === viewer.userId || viewer.teamIds.has(e.teamId);
}
