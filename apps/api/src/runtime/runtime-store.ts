import { randomUUID } from "node:crypto";
import type { CampaignStatus, CampaignType, Channel } from "@switchboard/domain/campaign";
import { readFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import type { FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import type { ConversationState, SessionStatus, TriggerCandidate } from "@switchboard/domain/conversation/session";
import type { TurnFacts } from "@switchboard/domain/report/turn-facts";
import type pg from "pg";
import { rollBackAndRelease } from "../db/roll-back";
import { type Expiry, turnRow } from "../reports/report-writes";
import { HandoffQueries } from "./handoff-queries";
import { type BatchLimits, type Keyed, KeyedBatches } from "./keyed-batches";
import { type HandOver, handOverStatements, type InboxItem, inboxMessageStatement } from "./live-chat-writes";
import { literal } from "./sql-literal";
import { TurnWrites, writeStatements } from "./turn-writes";

// The conversation runtime's persistence, in plain SQL on the pool Prisma shares. It runs for every inbound message,
// so a turn costs two round trips: one that begins, locks and reads everything, one that writes everything and commits
// (docs/decisions/0010-conversation-runtime.md); turns arriving together share both: one statement locks them all,
// one reads them all, one per table writes them (0017-turns-share-transactions.md).

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
  autoReply: boolean;
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
  signingSecret: string | null;
  integrationId: string | null;
  /** Set for an outbound message: inserted pending, sent in conversation order (decision 0022). */
  message?: {
    senderId: string;
    phoneNumber: string;
    text: string;
    /** Nothing of its conversation waits before it: it may be inserted claimed and handed over whole. */
    first?: boolean;
  };
}

/** Everything a turn reads, in one query. */
export interface Loaded {
  senderId: string;
  /** The stored answer to an earlier message with the same provider id, if any. */
  replay: unknown | null;
  session: SessionRow | null;
  sessionCampaign: CampaignRow | null;
  /** The active campaigns on this sender and channel: whose trigger keywords and Auto-Reply route texts. */
  candidates: CampaignRow[];
  attributes: Record<string, string>;
  /** The number sent this sender an opt-out keyword (and no opt-in since). */
  optedOut?: boolean;
  /** An earlier outbound message to this number from this sender has not left the outbox yet. */
  messagesWaiting?: boolean;
}

const campaignColumns = `id, name, type, status, expires_at, expires_after_hours, activated_at, closing_text,
  session_timeout_minutes, published_version, sender_id, trigger_keywords, auto_reply`;

// Prepared once per connection (see prepared()), so PostgreSQL plans these once, not on every message.
// sb_load reads every conversation of a batch of turns in one statement: a row each, in the arrays' order, each row
// read by the same lookups a single conversation's would be (c.* stands where a single load had its parameters).
const statements: Record<string, string> = {
  sb_load: `(text[], text[], text[], boolean[], text[]) AS
  SELECT l.* FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[]) WITH ORDINALITY
                    AS c(channel, address, phone_number, test, provider_message_id, i)
  CROSS JOIN LATERAL (
  WITH s AS (SELECT id FROM sender WHERE channel = c.channel::"Channel" AND address = c.address)
  SELECT
    (SELECT id FROM s) AS sender_id,
    -- Bounded to the conversation (sender, phone, id) and skipped without a provider id: whichever index a
    -- connection's generic plan takes, it reads one phone's messages. Bounded by the sender alone, a plan made while
    -- the table was small walked the sender's whole history for every message (decision 0042). The same id from
    -- another number breaks the unique key when the turn writes (runtime-service.ts answers 409).
    (SELECT m.result FROM conversation_message m
      WHERE c.provider_message_id IS NOT NULL AND m.sender_id = (SELECT id FROM s) AND m.phone_number = c.phone_number
        AND m.provider_message_id = c.provider_message_id AND m.direction = 'inbound') AS replay,
    (SELECT row_to_json(cs) FROM (
       SELECT id, campaign_id, flow_version, node_id, awaiting_entry_id, status, started_at, last_activity_at
         FROM conversation_session
        WHERE sender_id = (SELECT id FROM s) AND phone_number = c.phone_number AND test = c.test
        ORDER BY started_at DESC LIMIT 1) cs) AS session,
    (SELECT json_agg(row_to_json(cc) ORDER BY cc.id) FROM (
       SELECT ${campaignColumns} FROM campaign
        WHERE sender_id = (SELECT id FROM s) AND channel = c.channel::"Channel"
          AND (status = 'active' OR id = (SELECT campaign_id FROM conversation_session
                                            WHERE sender_id = (SELECT id FROM s) AND phone_number = c.phone_number
                                              AND test = c.test
                                            ORDER BY started_at DESC LIMIT 1))) cc) AS campaigns,
    (SELECT attributes FROM contact WHERE phone_number = c.phone_number AND test = c.test) AS attributes,
    EXISTS (SELECT 1 FROM opt_out o WHERE o.sender_id = (SELECT id FROM s) AND o.phone_number = c.phone_number)
      AS opted_out,
    -- status compared as text: through the (sender, phone, seq) index, never the status index, whose generic plan
    -- would walk every pending delivery of the installation for each message (decision 0042).
    EXISTS (SELECT 1 FROM delivery d WHERE d.sender_id = (SELECT id FROM s) AND d.phone_number = c.phone_number
              AND d.kind = 'message' AND d.status::text IN ('pending', 'sending')) AS messages_waiting) l
  ORDER BY c.i`,
};
/** The PREPARE statements a connection runs once before its first turn (exported for the plan tests). */
export const prepareAll = Object.entries(statements)
  .map(([name, body]) => `PREPARE ${name} ${body}`)
  .join(";\n");

/** Who a turn is for: one phone number on one sender, live or in the simulator. */
export interface Conversation {
  channel: Channel;
  address: string;
  phoneNumber: string;
  test: boolean;
  /** The provider's id for the message, if it gave one: a repeat is answered from the transcript. */
  providerMessageId: string | null;
  /** The X-Request-Id of the request that brought the message: the deliveries it queues record it. */
  requestId?: string | null | undefined;
}

/** One conversation turn inside its transaction: reads come from one query, writes are buffered until the commit. */
export class ConversationTx {
  /** This turn's rows, written with the COMMIT. */
  readonly writes = new TurnWrites();
  private loaded: Loaded | null = null;
  readonly phoneNumber: string;
  readonly test: boolean;
  /** The hand-off campaigns' reads and writes, run at once inside this transaction. */
  readonly handoffs: HandoffQueries;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly flows: FlowCache,
    private readonly conversation: Conversation,
  ) {
    this.phoneNumber = conversation.phoneNumber;
    this.test = conversation.test;
    this.handoffs = new HandoffQueries(client, conversation.phoneNumber, conversation.test);
  }

  /**
   * The statement that reads, for each conversation in order, the sender, the current session and its campaign, the
   * routing candidates and the contact: one row each.
   */
  static loadStatement(conversations: readonly Conversation[]): string {
    const column = (type: string, value: (c: Conversation) => unknown) =>
      `ARRAY[${conversations.map((c) => literal(value(c))).join(", ")}]::${type}[]`;
    const columns = [
      column("text", (c) => c.channel),
      column("text", (c) => c.address),
      column("text", (c) => c.phoneNumber),
      column("boolean", (c) => c.test),
      column("text", (c) => c.providerMessageId),
    ];
    return `EXECUTE sb_load(${columns.join(", ")})`;
  }

  /** Takes in what loadStatement() read; null when no sender has the conversation's address. */
  absorb(r: Record<string, unknown> | undefined): Loaded | null {
    if (!r?.sender_id) return null;
    const campaigns = ((r.campaigns ?? []) as Record<string, unknown>[]).map(toCampaign);
    const s = r.session as Record<string, string> | null;
    const session: SessionRow | null = s
      ? {
          id: s.id as string,
          campaignId: Number(s.campaign_id),
          version: Number(s.flow_version),
          nodeId: s.node_id as string,
          awaitingEntryId: s.awaiting_entry_id ?? null,
          status: s.status as SessionStatus,
          startedAt: new Date(s.started_at as string),
          lastActivityAt: new Date(s.last_activity_at as string),
        }
      : null;
    this.loaded = {
      senderId: r.sender_id as string,
      replay: r.replay ?? null,
      session,
      sessionCampaign: session ? (campaigns.find((c) => c.id === session.campaignId) ?? null) : null,
      candidates: campaigns.filter((c) => c.status === "active"),
      attributes: (r.attributes as Record<string, string> | null) ?? {},
      optedOut: r.opted_out === true,
      messagesWaiting: r.messages_waiting === true,
    };
    return this.loaded;
  }

  triggerCandidates(): TriggerCandidate[] {
    return (this.loaded?.candidates ?? []).map((c) => ({
      campaignId: c.id,
      triggerKeywords: c.triggerKeywords,
      autoReply: c.autoReply,
    }));
  }

  /** A campaign's runtime row: from what was loaded when possible, else one query. */
  async campaign(id: number): Promise<CampaignRow | null> {
    const known =
      this.loaded?.candidates.find((c) => c.id === id) ??
      (this.loaded?.sessionCampaign?.id === id ? this.loaded.sessionCampaign : null);
    if (known) return known;
    const { rows } = await this.client.query(`SELECT ${campaignColumns} FROM campaign WHERE id = $1`, [id]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  flow(campaignId: number, version: number): Promise<FlowSnapshot | null> {
    return this.flows.get(this.client, campaignId, version);
  }

  insertSession(state: ConversationState, startedAt: Date, id: string = randomUUID()): string {
    this.writes.sessionsStarted.push([
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
    ]);
    return id;
  }

  updateSession(id: string, state: ConversationState): void {
    this.writes.sessionsMoved.push([id, state.nodeId, state.awaitingEntryId, state.status, state.lastActivityAt]);
  }

  saveAttributes(attributes: Record<string, string>, at: Date): void {
    this.writes.contacts.push([randomUUID(), this.phoneNumber, this.test, JSON.stringify(attributes), at, at]);
  }

  addMessages(messages: MessageRow[], at: Date): string[] {
    return messages.map((m, i) => {
      const id = m.id ?? randomUUID();
      this.writes.messages.push([
        id,
        m.sessionId,
        this.senderId,
        this.phoneNumber,
        m.direction,
        m.text,
        m.options === undefined ? null : JSON.stringify(m.options),
        m.providerMessageId ?? null,
        m.result === undefined ? null : JSON.stringify(m.result),
        this.test,
        // Replies follow the message they answer a millisecond apart, so timestamps read in order too.
        new Date(at.getTime() + i),
      ]);
      return id;
    });
  }

  /**
   * The inbox conversation a session in Live Chat is in, or null (closed since, or handed over before the inbox
   * existed). One query, run only for sessions whose status is live_chat.
   */
  async openLiveChat(sessionId: string): Promise<string | null> {
    const { rows } = await this.client.query(
      `SELECT id FROM live_chat_conversation WHERE session_id = $1 AND state <> 'closed' LIMIT 1`,
      [sessionId],
    );
    return (rows[0]?.id as string | undefined) ?? null;
  }

  /** Queues a hand-over in the inbox, in this turn's commit. */
  handOver(h: Omit<HandOver, "senderId" | "phoneNumber">): void {
    this.writes.liveChat.push(...handOverStatements({ ...h, senderId: this.senderId, phoneNumber: this.phoneNumber }));
  }

  /** Sends an end user's message to the inbox conversation, in this turn's commit. */
  toInbox(conversationId: string, item: InboxItem, at: Date): void {
    this.writes.liveChat.push(inboxMessageStatement(conversationId, item, at));
  }

  /** Counts the turn in its chatbots' reports, in the same commit (decision 0031). */
  countForReports(facts: TurnFacts[], expired: Expiry | null, at: Date): void {
    for (const f of facts) this.writes.report.turns.push(turnRow(f, this.phoneNumber, at));
    if (expired) this.writes.report.expired.push([expired.campaignId, expired.sessionId, expired.hour.getTime()]);
  }

  /**
   * The outbox: deliveries commit with the conversation step that caused them, or not at all. With `leaseUntil` they
   * are inserted already claimed (attempt 1, "sending") for this process's dispatcher, which is handed them whole.
   */
  addDeliveries(deliveries: DeliveryRow[], at: Date, leaseUntil: Date | null): void {
    for (const d of deliveries) {
      // A message is claimed at insert only when it is the conversation's next (see RuntimeService's turn).
      const claimed = leaseUntil !== null && (!d.message || d.message.first === true);
      this.writes.deliveries.push([
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
        at,
        d.signingSecret,
        d.integrationId,
        claimed ? "sending" : "pending",
        claimed ? 1 : 0,
        claimed ? leaseUntil : null,
        d.message ? "message" : "webhook",
        d.message?.senderId ?? null,
        d.message?.phoneNumber ?? null,
        d.message?.text ?? null,
        this.conversation.requestId ?? null,
      ]);
    }
  }

  private get senderId(): string {
    if (!this.loaded) throw new Error("absorb() must run before writes");
    return this.loaded.senderId;
  }
}

/** Published snapshots never change, so each is read from the database once per process. */
export class FlowCache {
  private readonly cache = new Map<string, FlowSnapshot>();
  constructor(private readonly max = 500) {}

  async get(client: pg.PoolClient, campaignId: number, version: number): Promise<FlowSnapshot | null> {
    const key = `${campaignId}:${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { rows } = await client.query(`SELECT snapshot FROM flow_version WHERE campaign_id = $1 AND version = $2`, [
      campaignId,
      version,
    ]);
    if (!rows[0]) return null;
    const snapshot = readFlowSnapshot(rows[0].snapshot);
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, snapshot);
    return snapshot;
  }
}

/** Connections that have the runtime's statements prepared (a replaced connection prepares them again); one set for
 * the process, as a connection may serve more than one store. */
const prepared = new WeakSet<pg.PoolClient>();

/** A turn waiting for its batch. */
interface QueuedTurn extends Keyed {
  conversation: Conversation;
  work: (tx: ConversationTx, loaded: Loaded | null) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class RuntimeStore {
  private readonly flows = new FlowCache();
  private readonly batches: KeyedBatches<QueuedTurn>;

  constructor(
    private readonly pool: pg.Pool,
    limits: BatchLimits = { maxBatch: 32, maxConcurrent: 1 },
  ) {
    this.batches = new KeyedBatches((batch) => this.run(batch), limits);
  }

  /**
   * Runs one turn in a transaction holding the conversation's lock (channel, sender address, phone number): two
   * messages from one phone number arriving together are applied one after the other, never both to the same state.
   * Turns of other conversations arriving meanwhile share the transaction and its two round trips (decision 0017).
   */
  inConversation<T>(
    conversation: Conversation,
    work: (tx: ConversationTx, loaded: Loaded | null) => Promise<T>,
  ): Promise<T> {
    const c = conversation;
    return new Promise<T>((resolve, reject) =>
      this.batches.add({
        key: `${c.channel}|${c.address}|${c.phoneNumber}|${c.test}`,
        conversation,
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
      }),
    );
  }

  /** A batch in one transaction; if that fails, each of its turns in a transaction of its own, so one bad turn fails alone. */
  private async run(batch: QueuedTurn[]): Promise<void> {
    if (batch.length > 1) {
      try {
        return await this.together(batch);
      } catch {
        // Nothing of the batch committed: the turns run again, one by one, and each gets its own answer.
      }
    }
    for (const turn of batch) {
      try {
        await this.together([turn]);
      } catch (error) {
        turn.reject(error);
      }
    }
  }

  /**
   * One transaction for these turns: a round trip begins it, takes every conversation's lock (in key order, so two
   * batches never wait for each other in a circle) and reads them all; the turns run; a second round trip sends every
   * turn's writes with the COMMIT. Settles each turn once it committed; throws, settling none, if the transaction failed.
   */
  private async together(batch: QueuedTurn[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      if (!prepared.has(client)) {
        await client.query(prepareAll);
        prepared.add(client);
      }
      const txs = batch.map((t) => new ConversationTx(client, this.flows, t.conversation));
      // One statement takes every lock, in the array's order (a function scan yields its rows in order).
      const keys = batch.map((t) => t.key).sort();
      const locks = `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(ARRAY[${keys.map(literal).join(", ")}]::text[]) AS k`;
      const read = (await client.query(
        ["BEGIN", locks, ConversationTx.loadStatement(batch.map((t) => t.conversation))].join(";\n"),
      )) as unknown as pg.QueryResult[];
      const loads = read[2]?.rows ?? [];
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      for (const [i, turn] of batch.entries()) {
        const tx = txs[i] as ConversationTx;
        try {
          outcomes.push({ ok: true, value: await turn.work(tx, tx.absorb(loads[i])) });
        } catch (error) {
          // Its writes stay unsent; the others' go ahead.
          outcomes.push({ ok: false, error });
        }
      }
      const writes = writeStatements(txs.flatMap((tx, i) => (outcomes[i]?.ok ? [tx.writes] : [])));
      const written = (await client.query([...writes, "COMMIT"].join(";\n"))) as unknown as
        | pg.QueryResult
        | pg.QueryResult[];
      // A statement that failed inside the turns (a read) aborts the transaction, and PostgreSQL then answers COMMIT
      // with a rollback rather than an error: nothing was written.
      if ((Array.isArray(written) ? written.at(-1) : written)?.command !== "COMMIT") {
        const failed = outcomes.find((o) => !o.ok);
        throw failed && !failed.ok ? failed.error : new Error("The conversation transaction was rolled back.");
      }
      for (const [i, turn] of batch.entries()) {
        const outcome = outcomes[i];
        if (outcome?.ok) turn.resolve(outcome.value);
        else turn.reject(outcome?.error);
      }
      client.release();
    } catch (error) {
      await rollBackAndRelease(client, error);
      throw error;
    }
  }
}

function toCampaign(r: Record<string, unknown>): CampaignRow {
  return {
    id: Number(r.id),
    name: r.name as string,
    type: r.type as CampaignType,
    status: r.status as CampaignStatus,
    expiresAt: r.expires_at ? new Date(r.expires_at as string) : null,
    expiresAfterHours: (r.expires_after_hours as number | null) ?? null,
    activatedAt: r.activated_at ? new Date(r.activated_at as string) : null,
    closingText: (r.closing_text as string | null) ?? null,
    sessionTimeoutMinutes: Number(r.session_timeout_minutes),
    publishedVersion:
      r.published_version === null || r.published_version === undefined ? null : Number(r.published_version),
    senderId: r.sender_id as string,
    triggerKeywords: (r.trigger_keywords as string[]) ?? [],
    autoReply: r.auto_reply === true,
  };
}
