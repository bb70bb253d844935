import { randomUUID } from "node:crypto";
import type { CampaignStatus } from "@switchboard/domain/campaign";
import { readFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import type { FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import type { SessionStatus } from "@switchboard/domain/conversation/session";
import type { LiveChatEntrySettings } from "@switchboard/domain/live-chat/settings";
import type pg from "pg";
import { rollBackAndRelease } from "../db/roll-back";
import type { InboxItem } from "../runtime/live-chat-writes";
import type { DeliveryRow } from "../runtime/runtime-store";

// The inbox's persistence (decision 0035), in plain SQL on the shared pool. Every change appends its inbox_event in
// the same statement or transaction, so the live stream (inbox-stream.ts) and its replay see exactly what committed.

export type InboxView = "waiting" | "mine" | "closed";

export interface LiveChatRow {
  id: string;
  senderId: string;
  phoneNumber: string;
  sessionId: string;
  campaignId: number;
  campaignName: string;
  entryId: string;
  teamId: string | null;
  teamName: string | null;
  agentId: string | null;
  agentName: string | null;
  state: "waiting" | "assigned" | "closed";
  settings: LiveChatEntrySettings & { version: number };
  waitingSince: Date;
  takenAt: Date | null;
  firstReplyAt: Date | null;
  closedAt: Date | null;
  unread: number;
  lastMessage: string | null;
  lastInboundAt: Date | null;
  updatedAt: Date;
  provider: string;
  channel: "sms" | "whatsapp";
  address: string;
}

/** Who is looking: an agent sees the conversations of their teams (and those for every agent, and their own). */
export interface Viewer {
  userId: string;
  seesAll: boolean;
}

export interface TranscriptMessage {
  id: string;
  direction: "inbound" | "outbound";
  text: string;
  at: Date;
  agent: { userId: string; name: string } | null;
  delivery: {
    id: string;
    status: string;
    providerStatus: string | null;
    providerError: string | null;
    lastError: string | null;
  } | null;
}

export interface InboxEventRow {
  id: string;
  type: string;
  conversationId: string;
  teamId: string | null;
  agentId: string | null;
  item: InboxItem | null;
  at: Date;
}

/** What a message-sending change writes (a reply, a close with its message, a timeout). */
export interface Outgoing {
  conversation: LiveChatRow;
  /** The messages in order, each with its outbox row (null when it cannot leave: kept in the transcript only). */
  messages: { item: InboxItem; agentId: string | null; delivery: DeliveryRow | null }[];
  /** Closes the conversation: why, and what its session becomes. */
  close?: {
    reason: "agent" | "timeout";
    session: { status: SessionStatus; nodeId?: string; awaitingEntryId?: string | null };
    /** Only while the conversation is in this state (a timeout settles against a take this way). */
    onlyIf?: "waiting" | "assigned";
  };
  event: { type: string; agentId: string | null; item: InboxItem | null } | null;
  /** Only while this agent holds it (a reply, an agent's close); null: whoever holds it (a timeout). */
  holder: string | null;
  audit?: { actorLabel: string; action: string } | undefined;
  requestId?: string | null | undefined;
  at: Date;
}

export interface CampaignForBot {
  id: number;
  name: string;
  type: string;
  status: CampaignStatus;
  expiresAt: Date | null;
  expiresAfterHours: number | null;
  activatedAt: Date | null;
  closingText: string | null;
  sessionTimeoutMinutes: number;
}

const select = `SELECT l.*, c.name AS campaign_name, t.name AS team_name, u.name AS agent_name, s.provider,
       s.channel::text AS channel, s.address
  FROM live_chat_conversation l
  JOIN campaign c ON c.id = l.campaign_id
  JOIN sender s ON s.id = l.sender_id
  LEFT JOIN team t ON t.id = l.team_id
  LEFT JOIN app_user u ON u.id = l.agent_id`;

/** An agent's conversations: their teams', everyone's (no team) and whatever they hold. */
const visible = (param: string) => `(l.team_id IS NULL OR l.agent_id = ${param}
  OR l.team_id IN (SELECT team_id FROM team_member WHERE user_id = ${param}))`;

const eventInsert = `INSERT INTO inbox_event (type, conversation_id, team_id, agent_id, item, at)`;

export class LiveChatStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(view: InboxView, viewer: Viewer, limit = 200): Promise<LiveChatRow[]> {
    const filter =
      view === "waiting"
        ? `l.state = 'waiting'${viewer.seesAll ? "" : ` AND ${visible("$1")}`} ORDER BY l.waiting_since`
        : view === "mine"
          ? `l.state = 'assigned' AND l.agent_id = $1 ORDER BY l.updated_at DESC`
          : `l.state = 'closed'${viewer.seesAll ? "" : ` AND ${visible("$1")}`} ORDER BY l.closed_at DESC`;
    const text = `${select} WHERE ${filter} LIMIT ${Math.floor(limit)}`;
    // The viewer's id is a parameter only where the filter names it ($1).
    const { rows } = await this.pool.query(text, text.includes("$1") ? [viewer.userId] : []);
    return rows.map(toRow);
  }

  async get(id: string): Promise<LiveChatRow | null> {
    const { rows } = await this.pool.query(`${select} WHERE l.id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async canSee(row: LiveChatRow, viewer: Viewer): Promise<boolean> {
    if (viewer.seesAll || row.teamId === null || row.agentId === viewer.userId) return true;
    const { rowCount } = await this.pool.query(`SELECT 1 FROM team_member WHERE team_id = $1 AND user_id = $2`, [
      row.teamId,
      viewer.userId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async teamIdsOf(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query(`SELECT team_id FROM team_member WHERE user_id = $1`, [userId]);
    return rows.map((r) => r.team_id as string);
  }

  /** The session's messages (the bot's part and the inbox's), oldest first, with agent replies' outbox state. */
  async messages(sessionId: string): Promise<TranscriptMessage[]> {
    const { rows } = await this.pool.query(
      `SELECT m.id, m.direction::text AS direction, m.text, m.created_at, m.agent_id, u.name AS agent_name,
              d.id AS delivery_id, d.status::text AS status, d.provider_status, d.provider_error, d.last_error
         FROM conversation_message m
         LEFT JOIN app_user u ON u.id = m.agent_id
         LEFT JOIN delivery d ON d.id = m.delivery_id
        WHERE m.session_id = $1
        ORDER BY m.seq`,
      [sessionId],
    );
    return rows.map((r) => ({
      id: r.id,
      direction: r.direction,
      text: r.text,
      at: new Date(r.created_at),
      agent: r.agent_id ? { userId: r.agent_id, name: r.agent_name ?? "Former agent" } : null,
      delivery: r.delivery_id
        ? {
            id: r.delivery_id,
            status: r.status,
            providerStatus: r.provider_status ?? null,
            providerError: r.provider_error ?? null,
            lastError: r.last_error ?? null,
          }
        : null,
    }));
  }

  /** The system events of the conversations on this session (hand-over, take, transfer, close, timeout). */
  async systemItems(sessionId: string): Promise<InboxItem[]> {
    const { rows } = await this.pool.query(
      `SELECT e.item FROM inbox_event e
         JOIN live_chat_conversation l ON l.id = e.conversation_id
        WHERE l.session_id = $1 AND e.item IS NOT NULL AND (e.item->>'kind') = 'system'
        ORDER BY e.id`,
      [sessionId],
    );
    return rows.map((r) => r.item as InboxItem);
  }

  async attributes(phoneNumber: string): Promise<Record<string, string>> {
    const { rows } = await this.pool.query(`SELECT attributes FROM contact WHERE phone_number = $1 AND test = false`, [
      phoneNumber,
    ]);
    return (rows[0]?.attributes as Record<string, string> | undefined) ?? {};
  }

  async optedOut(senderId: string, phoneNumber: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM opt_out WHERE sender_id = $1 AND phone_number = $2`, [
      senderId,
      phoneNumber,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** The end user's last message to this sender: WhatsApp's 24-hour window. */
  async lastInboundAt(senderId: string, phoneNumber: string): Promise<Date | null> {
    const { rows } = await this.pool.query(
      `SELECT created_at FROM conversation_message
        WHERE sender_id = $1 AND phone_number = $2 AND direction = 'inbound' AND test = false
        ORDER BY created_at DESC LIMIT 1`,
      [senderId, phoneNumber],
    );
    return rows[0] ? new Date(rows[0].created_at) : null;
  }

  /** Who may be handed a conversation: active agents, marketers and admins, with their teams. */
  async agents(): Promise<{ userId: string; name: string; teamIds: string[] }[]> {
    const { rows } = await this.pool.query(
      `SELECT u.id, u.name, coalesce(array_agg(m.team_id) FILTER (WHERE m.team_id IS NOT NULL), '{}') AS team_ids
         FROM app_user u LEFT JOIN team_member m ON m.user_id = u.id
        WHERE u.disabled_at IS NULL AND u.role IN ('agent', 'marketer', 'admin')
        GROUP BY u.id, u.name ORDER BY u.name`,
    );
    return rows.map((r) => ({ userId: r.id, name: r.name, teamIds: r.team_ids as string[] }));
  }

  async user(id: string): Promise<{ id: string; name: string; role: string; disabled: boolean } | null> {
    const { rows } = await this.pool.query(
      `SELECT id, name, role::text AS role, disabled_at FROM app_user WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, name: r.name, role: r.role, disabled: r.disabled_at !== null } : null;
  }

  async team(id: string): Promise<{ id: string; name: string } | null> {
    const { rows } = await this.pool.query(`SELECT id, name FROM team WHERE id = $1`, [id]);
    return rows[0] ? { id: rows[0].id, name: rows[0].name } : null;
  }

  /** Takes a waiting conversation: one conditional UPDATE, so of two agents at once exactly one wins. */
  async take(id: string, agentId: string, item: InboxItem, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `WITH c AS (
         UPDATE live_chat_conversation SET state = 'assigned', agent_id = $2, taken_at = coalesce(taken_at, $3),
                updated_at = $3
          WHERE id = $1 AND (state = 'waiting' OR (state = 'assigned' AND agent_id IS NULL))
         RETURNING id, team_id)
       ${eventInsert} SELECT 'conversation.taken', id, team_id, $2, $4::jsonb, $3 FROM c`,
      [id, agentId, at, JSON.stringify(item)],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Hands an assigned conversation to another agent, or back to a team's queue; only its holder may. */
  async transfer(
    id: string,
    fromAgentId: string,
    to: { userId: string } | { teamId: string },
    item: InboxItem,
    at: Date,
  ): Promise<boolean> {
    const set =
      "userId" in to
        ? `agent_id = $4::uuid, unread = 0`
        : `state = 'waiting', agent_id = NULL, team_id = $4::uuid, waiting_since = $3`;
    const { rowCount } = await this.pool.query(
      `WITH c AS (
         UPDATE live_chat_conversation SET ${set}, updated_at = $3
          WHERE id = $1 AND state = 'assigned' AND agent_id = $2
         RETURNING id, team_id, agent_id)
       ${eventInsert} SELECT 'conversation.transferred', id, team_id, agent_id, $5::jsonb, $3 FROM c`,
      [id, fromAgentId, at, "userId" in to ? to.userId : to.teamId, JSON.stringify(item)],
    );
    return (rowCount ?? 0) > 0;
  }

  async read(id: string, agentId: string, at: Date): Promise<void> {
    await this.pool.query(
      `WITH c AS (
         UPDATE live_chat_conversation SET unread = 0 WHERE id = $1 AND agent_id = $2 AND unread > 0
         RETURNING id, team_id, agent_id)
       ${eventInsert} SELECT 'conversation.read', id, team_id, agent_id, NULL, $3 FROM c`,
      [id, agentId, at],
    );
  }

  /**
   * Sends agent messages and/or closes, in one transaction holding the conversation's lock (the runtime's key), so it
   * never interleaves with a turn of the same phone number. False when the conversation was no longer as expected.
   */
  async send(o: Outgoing): Promise<boolean> {
    const c = o.conversation;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `${c.channel}|${c.address}|${c.phoneNumber}|false`,
      ]);
      const state = o.close?.onlyIf ? [o.close.onlyIf] : ["waiting", "assigned"];
      const { rows } = await client.query(
        `SELECT state FROM live_chat_conversation
          WHERE id = $1 AND state = ANY($2::text[]) AND ($3::uuid IS NULL OR agent_id = $3::uuid) FOR UPDATE`,
        [c.id, state, o.holder],
      );
      if (rows.length === 0) {
        await client.query("ROLLBACK");
        client.release();
        return false;
      }
      for (const m of o.messages) {
        const d = m.delivery;
        if (d?.message)
          await client.query(
            `INSERT INTO delivery (id, campaign_id, entry_id, node_id, session_id, mode, url, headers, payload, test,
               created_at, next_attempt_at, signing_secret, integration_id, status, attempts, kind, sender_id,
               phone_number, message_text, request_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, false, $10, $10, NULL, NULL, 'pending', 0, 'message',
               $11, $12, $13, $14)`,
            [
              d.id,
              d.campaignId,
              d.entryId,
              d.nodeId,
              d.sessionId,
              d.mode,
              d.url,
              JSON.stringify(d.headers),
              d.payload,
              o.at,
              d.message.senderId,
              d.message.phoneNumber,
              d.message.text,
              o.requestId ?? null,
            ],
          );
        await client.query(
          `INSERT INTO conversation_message (id, session_id, sender_id, phone_number, direction, text, test, agent_id,
             delivery_id, created_at)
           VALUES ($1, $2, $3, $4, 'outbound', $5, false, $6, $7, $8)`,
          [m.item.id, c.sessionId, c.senderId, c.phoneNumber, m.item.text, m.agentId, d?.id ?? null, m.item.at],
        );
        await client.query(`${eventInsert} VALUES ('message.created', $1, $2, $3, $4::jsonb, $5)`, [
          c.id,
          c.teamId,
          c.agentId,
          JSON.stringify(m.item),
          o.at,
        ]);
      }
      const agentMessages = o.messages.some((m) => m.agentId !== null);
      const last = o.messages.at(-1)?.item.text;
      await client.query(
        `UPDATE live_chat_conversation
            SET updated_at = $2,
                first_reply_at = CASE WHEN $3::boolean THEN coalesce(first_reply_at, $2) ELSE first_reply_at END,
                last_message = coalesce($4, last_message),
                state = CASE WHEN $5::text IS NULL THEN state ELSE 'closed' END,
                closed_at = CASE WHEN $5::text IS NULL THEN closed_at ELSE $2 END,
                closed_reason = coalesce($5, closed_reason)
          WHERE id = $1`,
        [c.id, o.at, agentMessages, last ?? null, o.close?.reason ?? null],
      );
      if (o.close) {
        const s = o.close.session;
        await client.query(
          `UPDATE conversation_session
              SET status = $2::"SessionStatus", node_id = coalesce($3, node_id),
                  awaiting_entry_id = CASE WHEN $3::text IS NULL THEN awaiting_entry_id ELSE $4 END,
                  last_activity_at = $5
            WHERE id = $1 AND status = 'live_chat'`,
          [c.sessionId, s.status, s.nodeId ?? null, s.awaitingEntryId ?? null, o.at],
        );
      }
      if (o.event)
        await client.query(`${eventInsert} VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
          o.event.type,
          c.id,
          c.teamId,
          o.event.agentId,
          o.event.item ? JSON.stringify(o.event.item) : null,
          o.at,
        ]);
      if (o.audit)
        await client.query(
          `INSERT INTO audit_event (id, at, actor_id, actor_label, action, target_type, target_id, detail)
           VALUES ($1, $2, NULL, $3, $4, 'Live Chat', $5, $6::jsonb)`,
          [
            randomUUID(),
            o.at,
            o.audit.actorLabel,
            o.audit.action,
            c.id,
            JSON.stringify({ phoneNumber: c.phoneNumber }),
          ],
        );
      await client.query("COMMIT");
      client.release();
      return true;
    } catch (error) {
      await rollBackAndRelease(client, error);
      throw error;
    }
  }

  /** Conversations still waiting: the timeout sweep checks each against its entry's minutes and opening hours. */
  async waiting(limit = 500): Promise<LiveChatRow[]> {
    const { rows } = await this.pool.query(
      `${select} WHERE l.state = 'waiting' ORDER BY l.waiting_since LIMIT ${Math.floor(limit)}`,
    );
    return rows.map(toRow);
  }

  async flow(campaignId: number, version: number): Promise<FlowSnapshot | null> {
    const { rows } = await this.pool.query(
      `SELECT snapshot FROM flow_version WHERE campaign_id = $1 AND version = $2`,
      [campaignId, version],
    );
    return rows[0] ? readFlowSnapshot(rows[0].snapshot) : null;
  }

  async campaign(id: number): Promise<CampaignForBot | null> {
    const { rows } = await this.pool.query(
      `SELECT id, name, type::text AS type, status::text AS status, expires_at, expires_after_hours, activated_at,
              closing_text, session_timeout_minutes
         FROM campaign WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          name: r.name,
          type: r.type,
          status: r.status,
          expiresAt: r.expires_at,
          expiresAfterHours: r.expires_after_hours,
          activatedAt: r.activated_at,
          closingText: r.closing_text,
          sessionTimeoutMinutes: r.session_timeout_minutes,
        }
      : null;
  }

  /** The inbox's events after `afterId`, oldest first (the live stream's feed and a reconnect's replay). */
  async eventsAfter(afterId: string, limit = 500): Promise<InboxEventRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id::text AS id, type, conversation_id, team_id, agent_id, item, at FROM inbox_event
        WHERE id > $1::bigint ORDER BY id LIMIT ${Math.floor(limit)}`,
      [afterId],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      conversationId: r.conversation_id,
      teamId: r.team_id,
      agentId: r.agent_id,
      item: r.item,
      at: new Date(r.at),
    }));
  }

  async lastEventId(): Promise<string> {
    const { rows } = await this.pool.query(`SELECT coalesce(max(id), 0)::text AS id FROM inbox_event`);
    return rows[0]?.id ?? "0";
  }
}

function toRow(r: Record<string, unknown>): LiveChatRow {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    id: r.id as string,
    senderId: r.sender_id as string,
    phoneNumber: r.phone_number as string,
    sessionId: r.session_id as string,
    campaignId: Number(r.campaign_id),
    campaignName: r.campaign_name as string,
    entryId: r.entry_id as string,
    teamId: (r.team_id as string | null) ?? null,
    teamName: (r.team_name as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    agentName: (r.agent_name as string | null) ?? null,
    state: r.state as LiveChatRow["state"],
    settings: r.settings as LiveChatRow["settings"],
    waitingSince: new Date(r.waiting_since as string),
    takenAt: date(r.taken_at),
    firstReplyAt: date(r.first_reply_at),
    closedAt: date(r.closed_at),
    unread: Number(r.unread),
    lastMessage: (r.last_message as string | null) ?? null,
    lastInboundAt: date(r.last_inbound_at),
    updatedAt: new Date(r.updated_at as string),
    provider: r.provider as string,
    channel: r.channel as "sms" | "whatsapp",
    address: r.address as string,
  };
}
