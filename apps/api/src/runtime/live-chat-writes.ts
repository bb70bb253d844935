import { randomUUID } from "node:crypto";
import type { LiveChatEntrySettings } from "@switchboard/domain/live-chat/settings";
import { literal } from "./sql-literal";

// The statements a turn adds for Live Chat (decision 0035): a hand-over queues the conversation in the inbox, and a
// message while an agent has it goes to the inbox instead of the bot. Each change appends to inbox_event in the same
// commit, so the live stream and its replay see exactly what committed. Rare next to ordinary turns: one statement each.

/** A transcript item as the inbox shows it (TranscriptItem in the contracts). */
export interface InboxItem {
  id: string;
  kind: "bot" | "user" | "agent" | "system";
  text: string;
  at: string;
  agent?: { userId: string; name: string } | null;
  delivery?: { id: string; state: string; reason: string | null } | null;
}

export const systemItem = (text: string, at: Date, agent: InboxItem["agent"] = null): InboxItem => ({
  id: randomUUID(),
  kind: "system",
  text,
  at: at.toISOString(),
  agent,
});

const json = (value: unknown) => `${literal(JSON.stringify(value))}::jsonb`;

export interface HandOver {
  id: string;
  senderId: string;
  phoneNumber: string;
  sessionId: string;
  campaignId: number;
  entryId: string;
  version: number;
  settings: LiveChatEntrySettings;
  lastMessage: string | null;
  at: Date;
}

/** Queues a hand-over in its team's inbox (a team deleted since publishing: every agent's), audited as the chatbot's. */
export function handOverStatements(h: HandOver): string[] {
  // After the hand-over message, which is stamped a millisecond after the user's text (the transcript sorts by time).
  const item = systemItem("The chatbot handed the conversation over to Live Chat.", new Date(h.at.getTime() + 1));
  return [
    `WITH c AS (
  INSERT INTO live_chat_conversation (id, sender_id, phone_number, session_id, campaign_id, entry_id, team_id, state,
    settings, waiting_since, last_message, updated_at)
  VALUES (${literal(h.id)}, ${literal(h.senderId)}, ${literal(h.phoneNumber)}, ${literal(h.sessionId)}, ${h.campaignId},
    ${literal(h.entryId)}, (SELECT id FROM team WHERE id = ${literal(h.settings.teamId)}::uuid), 'waiting',
    ${json({ ...h.settings, version: h.version })}, ${literal(h.at)}, ${literal(h.lastMessage)}, ${literal(h.at)})
  RETURNING id, team_id)
INSERT INTO inbox_event (type, conversation_id, team_id, agent_id, item, at)
SELECT 'conversation.queued', id, team_id, NULL, ${json(item)}, ${literal(h.at)} FROM c`,
    `INSERT INTO audit_event (id, at, actor_id, actor_label, action, target_type, target_id, detail)
VALUES (${literal(randomUUID())}, ${literal(h.at)}, NULL, 'chatbot', 'Hand the conversation over to Live Chat', 'Live Chat',
  ${literal(h.id)}, ${json({ campaignId: String(h.campaignId), entryId: h.entryId })})`,
  ];
}

/** An end user's message while the conversation is in the inbox: unread for the agent, and live to every inbox. */
export function inboxMessageStatement(conversationId: string, item: InboxItem, at: Date): string {
  return `WITH c AS (
  UPDATE live_chat_conversation
     SET unread = unread + 1, last_message = ${literal(item.text)}, last_inbound_at = ${literal(at)},
         updated_at = ${literal(at)}
   WHERE id = ${literal(conversationId)}
  RETURNING id, team_id, agent_id)
INSERT INTO inbox_event (type, conversation_id, team_id, agent_id, item, at)
SELECT 'message.created', id, team_id, agent_id, ${json(item)}, ${literal(at)} FROM c`;
}
