import { randomUUID } from "node:crypto";
import type { Db } from "../db/database";
import type { Sender as SenderRow } from "../generated/prisma/client";

/** An outbound message as the outbox holds it (a delivery of kind message). */
export interface OutboundMessageRow {
  id: string;
  sessionId: string | null;
  senderId: string | null;
  phoneNumber: string | null;
  messageText: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  providerStatus: string | null;
  providerError: string | null;
  providerMessageId: string | null;
  providerStatusAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A message to queue outside a conversation turn (opt-out answers, polite refusals). */
export interface QueuedMessage {
  id: string;
  senderId: string;
  phoneNumber: string;
  text: string;
  url: string;
  headers: unknown;
  payload: string;
  at: Date;
  /** The X-Request-Id of the provider's request it answers. */
  requestId?: string | undefined;
}

export interface OptOutRow {
  senderId: string;
  senderName: string;
  phoneNumber: string;
  keyword: string;
  optedOutAt: Date;
}

export interface ChannelStore {
  sender(id: string): Promise<SenderRow | null>;
  senderByAddress(channel: SenderRow["channel"], address: string): Promise<SenderRow | null>;
  isOptedOut(senderId: string, phoneNumber: string): Promise<boolean>;
  /**
   * Records an inbound message handled outside a turn (a keyword, a type we cannot read) and queues the answers, in one
   * transaction; false (nothing done) when the provider's message id was seen before.
   */
  handled(
    inbound: {
      /** Our id of the message, when the caller answers with it; a new one otherwise. */
      id?: string | undefined;
      senderId: string;
      phoneNumber: string;
      text: string;
      providerMessageId: string | null;
      at: Date;
      /** The answer to replay to a retry of the same provider message id. */
      result?: unknown;
    },
    change: { optOut?: { keyword: string } | undefined; optIn?: boolean | undefined },
    answers: QueuedMessage[],
  ): Promise<boolean>;
  /** The stored answer to an inbound message of this sender with this provider id, if any. */
  replay(senderId: string, providerMessageId: string): Promise<unknown | null>;
  optOuts(query: { senderId?: string | undefined; limit: number; offset: number }): Promise<{
    items: OptOutRow[];
    total: number;
  }>;
  outboundOfSession(sessionId: string): Promise<OutboundMessageRow[]>;
  /** What the provider says of a message of this sender; ignored when it would move its status back. */
  providerStatus(
    senderId: string,
    messageId: string,
    update: { status: string; error: string | null; providerMessageId: string | null; at: Date },
    advances: (stored: string | null) => boolean,
  ): Promise<boolean>;
  counts(): Promise<{ provider: string; status: string; providerStatus: string | null; count: number }[]>;
}

export function prismaChannelStore(db: Db): ChannelStore {
  const select = {
    id: true,
    sessionId: true,
    senderId: true,
    phoneNumber: true,
    messageText: true,
    status: true,
    attempts: true,
    lastError: true,
    providerStatus: true,
    providerError: true,
    providerMessageId: true,
    providerStatusAt: true,
    createdAt: true,
    deliveredAt: true,
  } as const;
  return {
    sender: (id) => db.sender.findUnique({ where: { id } }),
    senderByAddress: (channel, address) => db.sender.findUnique({ where: { channel_address: { channel, address } } }),
    isOptedOut: async (senderId, phoneNumber) =>
      (await db.optOut.findUnique({ where: { senderId_phoneNumber: { senderId, phoneNumber } } })) !== null,
    handled: (inbound, change, answers) =>
      db.$transaction(async (tx) => {
        // Without a provider message id nothing conflicts: the message is recorded and handled.
        const inserted = await tx.$executeRaw`
          INSERT INTO conversation_message
                 (id, sender_id, phone_number, direction, text, provider_message_id, result, created_at)
          VALUES (${inbound.id ?? randomUUID()}::uuid, ${inbound.senderId}::uuid, ${inbound.phoneNumber}, 'inbound',
                  ${inbound.text}, ${inbound.providerMessageId},
                  ${inbound.result === undefined ? null : JSON.stringify(inbound.result)}::jsonb, ${inbound.at})
          ON CONFLICT (sender_id, provider_message_id) DO NOTHING`;
        if (inserted === 0) return false;
        const key = { senderId: inbound.senderId, phoneNumber: inbound.phoneNumber };
        if (change.optOut)
          await tx.optOut.upsert({
            where: { senderId_phoneNumber: key },
            create: { ...key, keyword: change.optOut.keyword, optedOutAt: inbound.at },
            update: {},
          });
        if (change.optIn) await tx.optOut.deleteMany({ where: key });
        for (const a of answers) {
          await tx.delivery.create({
            data: {
              id: a.id,
              campaignId: 0,
              entryId: a.senderId,
              nodeId: a.senderId,
              mode: "message",
              url: a.url,
              headers: a.headers as object,
              payload: a.payload,
              createdAt: a.at,
              nextAttemptAt: a.at,
              kind: "message",
              senderId: a.senderId,
              phoneNumber: a.phoneNumber,
              requestId: a.requestId ?? null,
              messageText: a.text,
            },
          });
        }
        return true;
      }),
    replay: async (senderId, providerMessageId) => {
      const row = await db.conversationMessage.findUnique({
        where: { senderId_providerMessageId: { senderId, providerMessageId } },
        select: { result: true },
      });
      return row?.result ?? null;
    },
    optOuts: async ({ senderId, limit, offset }) => {
      const where = senderId ? { senderId } : {};
      const [rows, total] = await Promise.all([
        db.optOut.findMany({
          where,
          include: { sender: { select: { name: true } } },
          orderBy: [{ optedOutAt: "desc" }, { phoneNumber: "asc" }],
          take: limit,
          skip: offset,
        }),
        db.optOut.count({ where }),
      ]);
      return {
        items: rows.map((r) => ({
          senderId: r.senderId,
          senderName: r.sender.name,
          phoneNumber: r.phoneNumber,
          keyword: r.keyword,
          optedOutAt: r.optedOutAt,
        })),
        total,
      };
    },
    outboundOfSession: async (sessionId) => {
      const session = await db.conversationSession.findUnique({
        where: { id: sessionId },
        select: { senderId: true, phoneNumber: true },
      });
      if (!session) return [];
      // Through the (sender, phone, seq) index the outbox keeps for ordering: session_id has none, and one more index
      // on every outbox row would cost each write for a view that is read now and then.
      return db.delivery.findMany({
        where: { senderId: session.senderId, phoneNumber: session.phoneNumber, sessionId, kind: "message" },
        orderBy: { seq: "asc" },
        select,
      });
    },
    providerStatus: (senderId, messageId, update, advances) =>
      db.$transaction(async (tx) => {
        const row = await tx.delivery.findFirst({
          where: { id: messageId, senderId, kind: "message" },
          select: { providerStatus: true },
        });
        if (!row || !advances(row.providerStatus)) return false;
        await tx.delivery.update({
          where: { id: messageId },
          data: {
            providerStatus: update.status,
            providerError: update.error,
            providerStatusAt: update.at,
            ...(update.providerMessageId ? { providerMessageId: update.providerMessageId } : {}),
          },
        });
        return true;
      }),
    counts: async () => {
      const rows = await db.$queryRaw<
        { provider: string; status: string; provider_status: string | null; count: bigint }[]
      >`
        SELECT s.provider, d.status::text AS status, d.provider_status, count(*) AS count
          FROM delivery d JOIN sender s ON s.id = d.sender_id
         WHERE d.kind = 'message'
         GROUP BY 1, 2, 3`;
      return rows.map((r) => ({
        provider: r.provider,
        status: r.status,
        providerStatus: r.provider_status,
        count: Number(r.count),
      }));
    },
  };
}
