import { normalizeKeyword } from "../menu-entry";
import type { CampaignRuntime } from "./flow-snapshot";

export type SessionStatus = "active" | "ended" | "handed_off" | "live_chat";

/** Where one phone number stands in one chatbot. Stored per phone number and sender. */
export interface ConversationState {
  campaignId: number;
  /** The flow version the conversation started on; it keeps running on it. */
  version: number;
  nodeId: string;
  /** The question entry waiting for free text, when the current node asks one. */
  awaitingEntryId: string | null;
  status: SessionStatus;
  lastActivityAt: Date;
}

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 24 * 60;

export function isExpired(
  state: Pick<ConversationState, "lastActivityAt">,
  timeoutMinutes: number,
  now: Date,
): boolean {
  return now.getTime() - state.lastActivityAt.getTime() > timeoutMinutes * 60_000;
}

/** Whether a campaign still answers with its flow at `now`, or only with its closing text. */
export function isRunning(campaign: Pick<CampaignRuntime, "status" | "endsAt">, now: Date): boolean {
  return campaign.status === "active" && (!campaign.endsAt || now.getTime() < campaign.endsAt.getTime());
}

/** An active campaign on the sender the message was sent to, as routing sees it. */
export interface TriggerCandidate {
  campaignId: number;
  triggerKeywords: readonly string[];
  autoReply: boolean;
}

export type Route = { kind: "start"; campaignId: number } | { kind: "continue" } | { kind: "unmatched" };

/**
 * Decides who answers a text: a trigger keyword (any case) always starts or restarts its chatbot; otherwise a live
 * session continues; otherwise the sender's Auto-Reply campaign starts; otherwise nobody answers.
 */
export function routeInbound(
  text: string,
  candidates: readonly TriggerCandidate[],
  current: { state: ConversationState; timeoutMinutes: number } | null,
  now: Date,
): Route {
  const key = normalizeKeyword(text);
  const triggered = candidates.find((c) => c.triggerKeywords.some((k) => normalizeKeyword(k) === key));
  if (triggered) return { kind: "start", campaignId: triggered.campaignId };
  if (current && current.state.status === "active" && !isExpired(current.state, current.timeoutMinutes, now)) {
    return { kind: "continue" };
  }
  const autoReply = candidates.find((c) => c.autoReply);
  if (autoReply) return { kind: "start", campaignId: autoReply.campaignId };
  return { kind: "unmatched" };
}
