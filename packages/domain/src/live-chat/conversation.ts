import { SMS_TEXT_MAX, WHATSAPP_TEXT_MAX } from "../channel-limits";
import type { Provider } from "../messaging/provider";
import { providerChannel } from "../messaging/provider";
import { insideServiceWindow } from "../messaging/window";
import { isOpen, type OpeningHours } from "./opening-hours";

/** A live-chat conversation's life: waiting in a team's queue, assigned to one agent, closed (the bot answers again). */
export type LiveChatState = "waiting" | "assigned" | "closed";

export interface LiveChatRef {
  state: LiveChatState;
  agentId: string | null;
}

/** A refusal in the API's words: the problem code (see reference-page.ts) and a sentence for people. */
export interface Refusal {
  code: string;
  detail: string;
}

/** Why an agent may not take it; null: they may. The database's conditional UPDATE settles races, this explains. */
export function takeRefusal(conversation: LiveChatRef, takenByName: string | null): Refusal | null {
  if (conversation.state === "closed") return { code: "live-chat-closed", detail: "This conversation is closed." };
  // An assigned conversation whose agent was deleted is nobody's: anyone may take it.
  if (conversation.state === "assigned" && conversation.agentId !== null)
    return {
      code: "live-chat-taken",
      detail: `${takenByName ?? "Another agent"} has already taken this conversation.`,
    };
  return null;
}

/** Only the assigned agent replies, transfers or closes (admins and marketers act for any team, but must take first). */
export function actRefusal(conversation: LiveChatRef, agentId: string): Refusal | null {
  if (conversation.state === "closed") return { code: "live-chat-closed", detail: "This conversation is closed." };
  if (conversation.state === "waiting")
    return { code: "live-chat-not-taken", detail: "Take the conversation before acting on it." };
  if (conversation.agentId !== agentId)
    return { code: "live-chat-not-yours", detail: "Another agent has this conversation; ask them to transfer it." };
  return null;
}

/** The longest message an agent may send on a provider (HTTP carries either channel: the stricter limit). */
export function replyMax(provider: Provider): number {
  return providerChannel[provider] === "sms" ? SMS_TEXT_MAX : WHATSAPP_TEXT_MAX;
}

export interface ReplyContext {
  provider: Provider;
  optedOut: boolean;
  lastInboundAt: Date | null;
  now: Date;
}

/** Why an agent's reply may not go out; checked before anything is stored, so a refusal changes nothing. */
export function replyRefusal(text: string, ctx: ReplyContext): Refusal | null {
  if (ctx.optedOut)
    return { code: "recipient-opted-out", detail: "This number opted out (STOP); no message may be sent to it." };
  if (providerChannel[ctx.provider] === "whatsapp" && !insideServiceWindow(ctx.lastInboundAt, ctx.now))
    return {
      code: "outside-whatsapp-window",
      detail: "The user last wrote more than 24 hours ago; WhatsApp accepts only templates outside that window.",
    };
  const max = replyMax(ctx.provider);
  if (text.length > max)
    return {
      code: "reply-too-long",
      detail: `The reply is ${text.length} characters; this channel takes at most ${max}.`,
    };
  return null;
}

export interface TimeoutRule {
  timeoutMinutes: number;
  openingHours: OpeningHours | null;
}

/**
 * Whether a waiting conversation has waited long enough for the timeout action. Outside opening hours it is due at
 * once (nobody will take it); the sweep calls this with the injected clock.
 */
export function timeoutDue(waitingSince: Date, rule: TimeoutRule, now: Date): boolean {
  if (!isOpen(rule.openingHours, now)) return true;
  return now.getTime() - waitingSince.getTime() >= rule.timeoutMinutes * 60_000;
}

/** Whole seconds a conversation waited: until it was taken, or until now while it waits. */
export function waitSeconds(waitingSince: Date, takenAt: Date | null, now: Date): number {
  return Math.max(0, Math.floor(((takenAt ?? now).getTime() - waitingSince.getTime()) / 1000));
}
