import type { InboundText, Turn } from "../conversation/engine";
import type { ConversationState } from "../conversation/session";

/** What one conversation's part of a turn adds to its chatbot's report: the inputs of the rollups (decision 0031). */
export interface TurnFacts {
  campaignId: number;
  sessionId: string;
  /** The UTC hour the turn happened in: the rollups' bucket. */
  hour: Date;
  /** A conversation started (its phone number counts as a participant). */
  started: boolean;
  /** The node the conversation entered, if it moved. */
  entered: string | null;
  /** The option chosen (a keyword, Menu Text or WhatsApp reply). */
  chosen: { nodeId: string; entryId: string } | null;
  /** The free text that answered a Webhook or Attribute question. */
  answered: { nodeId: string; entryId: string; text: string } | null;
  /** How the conversation ended in this turn, if it did. */
  outcome: "finished" | "handed_off" | null;
  messagesIn: number;
  messagesOut: number;
  /** The entries whose webhooks this turn queued, one per delivery. */
  deliveries: string[];
}

const HOUR_MS = 3_600_000;

/** The UTC hour an instant falls in. Hourly buckets roll into the installation's local days when read. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * The facts of one leg of a turn: `before` is the state the engine continued from (null when the turn started the
 * conversation), `running` whether the campaign still answered with its flow (a closed one only sends its closing
 * text, so nothing was chosen). What was chosen or answered is what the engine reported it did (`Turn.acted`), so the
 * report counts what the engine did.
 */
export function turnFacts(input: {
  sessionId: string;
  before: ConversationState | null;
  inbound: InboundText;
  turn: Turn;
  running: boolean;
  /** Whether this leg received the inbound text (a hand-off's second chatbot answers the same text). */
  receivedText: boolean;
}): TurnFacts {
  const { before, inbound, turn, running } = input;
  // The engine says what the text did; a leg that started its conversation, or a campaign that only sent its closing
  // text, chose nothing.
  const acted = before && running ? turn.acted : undefined;
  const chosen: TurnFacts["chosen"] =
    acted?.kind === "chosen" ? { nodeId: acted.nodeId, entryId: acted.entryId } : null;
  const answered: TurnFacts["answered"] =
    acted?.kind === "answered" ? { nodeId: acted.nodeId, entryId: acted.entryId, text: inbound.text.trim() } : null;
  const status = turn.state.status;
  return {
    campaignId: turn.state.campaignId,
    sessionId: input.sessionId,
    hour: hourOf(inbound.receivedAt),
    started: before === null,
    entered: before === null || before.nodeId !== turn.state.nodeId ? turn.state.nodeId : null,
    chosen,
    answered,
    outcome: status === "ended" ? "finished" : status === "handed_off" || status === "live_chat" ? "handed_off" : null,
    messagesIn: input.receivedText ? 1 : 0,
    messagesOut: turn.replies.length,
    deliveries: turn.events.flatMap((e) => (e.kind === "webhook" ? [e.entryId] : [])),
  };
}
