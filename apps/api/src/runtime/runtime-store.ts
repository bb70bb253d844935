import { randomUUID } from "node:crypto";
import type { CampaignStatus, CampaignType, Channel } from "@switchboard/domain/campaign";
import type { FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import type { ConversationState, SessionStatus, TriggerCandidate } from "@switchboard/domain/conversation/session";
import type pg from "pg";

// The conversation runtime's persistence, in plain SQL on the pool Prisma shares: it runs for every inbound message,
// so each step is one statement (docs/decisions/0010-runtime-sql.md).

export interface SenderRef {
  id: string;
  channel: Channel;
}

export interface CampaignRow {
  id: number;
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  expiresAt: Date | null;
  expiresAfterHours: number | null;
  activatedAt: Date | null;
  closingText: string | null;
  sessionTimeoutMinutes: number;
  publishedVersion: number | null;
  senderId: string;
  triggerKeywords: string[];
}

export interface SessionRow extends ConversationState {
  id: string;
  startedAt: Date;
}

export interface MessageRow {
  id?: string;
  sessionId: string | null;
  direction: "inbound" | "outbound";
  text: string;
  options?: unknown;
  providerMessageId?: string | null;
  result?: unknown;
}

export interface DeliveryRow {
  id: string;
  campaignId: number;
  entryId: string;
  nodeId: string;
  sessionId: string | null;
  mode: string;
  url: string;
  headers: unknown;
  payload: string;
}

/** The queries of one conversation turn, all inside one transaction holding the conversation's lock. */
export class ConversationTx {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly flows: FlowCache,
    readonly senderId: string,
    readonly phoneNumber: string,
    readonly test: boolean,
  ) {}

  async replay(providerMessageId: string): Promise<unknown | null> {
    return replayOf(this.client, this.senderId, providerMessageId);
  }

  async currentSession(): Promise<SessionRow | null> {
    const { rows } = await this.client.query(
      `SELECT id, campaign_id, flow_version, node_id, awaiting_entry_id, status, started_at, last_activity_at
         FROM conversation_session
        WHERE sender_id = $1 AND phone_number = $2 AND test = $3
        ORDER BY started_at DESC LIMIT 1`,
      [this.senderId, this.phoneNumber, this.test],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          campaignId: r.campaign_id,
          version: r.flow_version,
          nodeId: r.node_id,
          awaitingEntryId: r.awaiting_entry_id,
          status: r.status as SessionStatus,
          startedAt: r.started_at,
          lastActivityAt: r.last_activity_at,
        }
      : null;
  }

  /** The active campaigns on this sender and channel: whose trigger keywords and Auto-Reply route texts. */
  async candidates(channel: Channel): Promise<TriggerCandidate[]> {
    const { rows } = await this.client.query(
      `SELECT id, trigger_keywords, auto_reply FROM campaign
        WHERE sender_id = $1 AND channel = $2 AND status = 'active' ORDER BY id`,
      [this.senderId, channel],
    );
    return rows.map((r) => ({ campaignId: r.id, triggerKeywords: r.trigger_keywords, autoReply: r.auto_reply }));
  }

  async campaign(id: number): Promise<CampaignRow | null> {
    return campaignById(this.client, id);
  }

  async flow(campaignId: number, version: number): Promise<FlowSnapshot | null> {
    return this.flows.get(this.client, campaignId, version);
  }

  async attributes(): Promise<Record<string, string>> {
    const { rows } = await this.client.query(`SELECT attributes FROM contact WHERE phone_number = $1 AND test = $2`, [
      this.phoneNumber,
      this.test,
    ]);
    return (rows[0]?.attributes as Record<string, string> | undefined) ?? {};
  }

  async saveAttributes(attributes: Record<string, string>, now: Date): Promise<void> {
    await this.client.query(
      `INSERT INTO contact (id, phone_number, test, attributes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (phone_number, test) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at`,
      [randomUUID(), this.phoneNumber, this.test, JSON.stringify(attributes), now],
    );
  }

  async insertSession(state: ConversationState, startedAt: Date): Promise<string> {
    const id = randomUUID();
    await this.client.query(
      `INSERT INTO conversation_session
         (id, sender_id, phone_number, campaign_id, flow_version, node_id, awaiting_entry_id, status, test, started_at, last_activity_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        this.senderId,
        this.phoneNumber,
        state.campaignId,
        state.version,
        state.nodeId,
        state.awaitingEntryId,
        state.status,
        this.test,
        startedAt,
        state.lastActivityAt,
      ],
    );
    return id;
  }

  async updateSession(id: string, state: ConversationState): Promise<void> {
    await this.client.query(
      `UPDATE conversation_session SET node_id = $2, awaiting_entry_id = $3, status = $4, last_activity_at = $5 WHERE id = $1`,
      [id, state.nodeId, state.awaitingEntryId, state.status, state.lastActivityAt],
    );
  }

  /** Writes the turn's messages; returns the id of the first (the inbound message). */
  async addMessages(messages: MessageRow[], at: Date): Promise<string[]> {
    if (messages.length === 0) return [];
    const ids = messages.map((m) => m.id ?? randomUUID());
    const values: unknown[] = [];
    const tuples = messages.map((m, i) => {
      values.push(
        ids[i],
        m.sessionId,
        this.senderId,
        this.phoneNumber,
        m.direction,
        m.text,
        m.options === undefined ? null : JSON.stringify(m.options),
        m.providerMessageId ?? null,
        m.result === undefined ? null : JSON.stringify(m.result),
        this.test,
        // Outbound messages follow the inbound one they answer, a millisecond apart each, so transcripts sort.
        new Date(at.getTime() + i),
      );
      const b = i * 11;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11})`;
    });
    await this.client.query(
      `INSERT INTO conversation_message
         (id, session_id, sender_id, phone_number, direction, text, options, provider_message_id, result, test, created_at)
       VALUES ${tuples.join(", ")}`,
      values,
    );
    return ids;
  }

  /** The outbox: deliveries commit with the conversation step that caused them, or not at all. */
  async addDeliveries(deliveries: DeliveryRow[], at: Date): Promise<void> {
    if (deliveries.length === 0) return;
    const values: unknown[] = [];
    const tuples = deliveries.map((d, i) => {
      values.push(
        d.id,
        d.campaignId,
        d.entryId,
        d.nodeId,
        d.sessionId,
        d.mode,
        d.url,
        JSON.stringify(d.headers),
        d.payload,
        this.test,
        at,
      );
      const b = i * 11;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11})`;
    });
    await this.client.query(
      `INSERT INTO delivery (id, campaign_id, entry_id, node_id, session_id, mode, url, headers, payload, test, created_at)
       VALUES ${tuples.join(", ")}`,
      values,
    );
  }
}

/** Published snapshots never change, so each is read from the database once per process. */
export class FlowCache {
  private readonly cache = new Map<string, FlowSnapshot>();
  constructor(private readonly max = 500) {}

  async get(client: pg.PoolClient | pg.Pool, campaignId: number, version: number): Promise<FlowSnapshot | null> {
    const key = `${campaignId}:${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { rows } = await client.query(`SELECT snapshot FROM flow_version WHERE campaign_id = $1 AND version = $2`, [
      campaignId,
      version,
    ]);
    const snapshot = rows[0]?.snapshot as FlowSnapshot | undefined;
    if (!snapshot) return null;
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, snapshot);
    return snapshot;
  }
}

export class RuntimeStore {
  private readonly flows = new FlowCache();
  constructor(private readonly pool: pg.Pool) {}

  async sender(channel: Channel, address: string): Promise<SenderRef | null> {
    const { rows } = await this.pool.query(`SELECT id, channel FROM sender WHERE channel = $1 AND address = $2`, [
      channel,
      address,
    ]);
    return rows[0] ?? null;
  }

  async replay(senderId: string, providerMessageId: string): Promise<unknown | null> {
    return replayOf(this.pool, senderId, providerMessageId);
  }

  /**
   * Runs one turn in a transaction holding the (sender, phone number) lock: two messages from one phone number
   * arriving together are applied one after the other, never both to the same state.
   */
  async inConversation<T>(
    senderId: string,
    phoneNumber: string,
    test: boolean,
    work: (tx: ConversationTx) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `${senderId}|${phoneNumber}|${test}`,
      ]);
      const result = await work(new ConversationTx(client, this.flows, senderId, phoneNumber, test));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

async function replayOf(
  db: pg.Pool | pg.PoolClient,
  senderId: string,
  providerMessageId: string,
): Promise<unknown | null> {
  const { rows } = await db.query(
    `SELECT result FROM conversation_message WHERE sender_id = $1 AND provider_message_id = $2 AND direction = 'inbound'`,
    [senderId, providerMessageId],
  );
  return rows[0]?.result ?? null;
}

async function campaignById(db: pg.PoolClient, id: number): Promise<CampaignRow | null> {
  const { rows } = await db.query(
    `SELECT id, name, type, status, expires_at, expires_after_hours, activated_at, closing_text,
            session_timeout_minutes, published_version, sender_id, trigger_keywords
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
        publishedVersion: r.published_version,
        senderId: r.sender_id,
        triggerKeywords: r.trigger_keywords,
      }
    : null;
}
