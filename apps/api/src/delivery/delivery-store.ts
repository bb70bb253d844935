import type { Database } from "../db/database";
import type { DeliveryAttempt, Delivery as DeliveryRow, Prisma } from "../generated/prisma/client";

export type { DeliveryAttempt, DeliveryRow };

export interface DeliveryFilter {
  campaignId?: number | undefined;
  entryId?: string | undefined;
  status?: DeliveryRow["status"] | undefined;
  test?: boolean | undefined;
  kind?: "webhook" | "message" | undefined;
}

/** Per entry of a campaign (live traffic only): counts, attempt latency percentiles, the current failing streak. */
export interface EntryStatsRow {
  entryId: string;
  total: number;
  delivered: number;
  failed: number;
  pending: number;
  /** p50, p95 and p99 of the attempts' duration in ms; null without attempts. */
  latency: number[] | null;
  consecutiveFailures: number;
}

/** A Send test's delivery, sent already, with its one attempt. */
export interface TestDelivery {
  id: string;
  campaignId: number;
  entryId: string;
  nodeId: string;
  mode: string;
  url: string;
  headers: Prisma.InputJsonValue;
  payload: string;
  status: "delivered" | "failed";
  deliveredAt: Date | null;
  createdAt: Date;
  /** The X-Request-Id of the Send test request. */
  requestId?: string | undefined;
  attempt: {
    startedAt: Date;
    durationMs: number;
    requestHeaders: Record<string, string>;
    status: number | null;
    responseExcerpt: string;
    errorClass: string | null;
    errorMessage: string | null;
  };
}

export interface DeliveryStore {
  /** Newest first. */
  list(
    filter: DeliveryFilter,
    page: { limit: number; offset: number },
  ): Promise<{ rows: DeliveryRow[]; total: number }>;
  /** A delivery with its attempts in time order (a resend numbers its attempts from 1 again). */
  get(id: string): Promise<(DeliveryRow & { attemptLog: DeliveryAttempt[] }) | null>;
  /** Makes a delivery due at `at` with a full set of attempts, unless it is being sent right now (or does not exist). */
  resend(id: string, at: Date): Promise<"resent" | "sending" | "missing">;
  /**
   * Makes the oldest `limit` deliveries that failed since `since` (of one campaign, or all) due at `at` with a full
   * set of attempts; says which, how many were, and how many failed ones remain.
   */
  recover(
    filter: { since: Date; campaignId?: number | undefined },
    at: Date,
    limit: number,
  ): Promise<{ ids: string[]; recovered: number; remaining: number }>;
  stats(campaignId: number): Promise<EntryStatsRow[]>;
  /** Stores a Send test's delivery and its attempt. */
  recordTest(delivery: TestDelivery): Promise<void>;
}

export function prismaDeliveryStore(db: Database): DeliveryStore {
  const whereOf = (f: DeliveryFilter) => ({
    ...(f.campaignId ? { campaignId: f.campaignId } : {}),
    ...(f.entryId ? { entryId: f.entryId } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.test !== undefined ? { test: f.test } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
  });
  return {
    async list(filter, page) {
      const where = whereOf(filter);
      const [rows, total] = await Promise.all([
        db.prisma.delivery.findMany({ where, orderBy: { createdAt: "desc" }, take: page.limit, skip: page.offset }),
        db.prisma.delivery.count({ where }),
      ]);
      return { rows, total };
    },

    get: (id) =>
      db.prisma.delivery.findUnique({
        where: { id },
        include: { attemptLog: { orderBy: [{ startedAt: "asc" }, { number: "asc" }] } },
      }),

    async resend(id, at) {
      const updated = await db.prisma.delivery.updateMany({
        where: { id, status: { not: "sending" } },
        data: { status: "pending", attempts: 0, nextAttemptAt: at, leaseUntil: null, lastError: null },
      });
      if (updated.count > 0) return "resent";
      return (await db.prisma.delivery.count({ where: { id } })) ? "sending" : "missing";
    },

    async recover(filter, at, limit) {
      const where = {
        status: "failed" as const,
        createdAt: { gte: filter.since },
        ...(filter.campaignId ? { campaignId: filter.campaignId } : {}),
      };
      const batch = await db.prisma.delivery.findMany({
        where,
        select: { id: true },
        orderBy: { createdAt: "asc" },
        take: limit,
      });
      const { count } = await db.prisma.delivery.updateMany({
        where: { id: { in: batch.map((b) => b.id) }, status: "failed" },
        data: { status: "pending", attempts: 0, nextAttemptAt: at, leaseUntil: null },
      });
      const remaining = await db.prisma.delivery.count({ where });
      return { ids: batch.map((b) => b.id), recovered: count, remaining };
    },

    async stats(campaignId) {
      const { rows } = await db.pool.query<EntryStatsRow>(
        `WITH d AS (
           SELECT entry_id, status, id FROM delivery WHERE campaign_id = $1 AND test = false
         ), a AS (
           SELECT d.entry_id, da.duration_ms, da.status, da.error_class, da.started_at
             FROM delivery_attempt da JOIN delivery dl ON dl.id = da.delivery_id JOIN d ON d.id = dl.id
         ), streak AS (
           SELECT entry_id, count(*) FILTER (WHERE started_at > COALESCE(last_ok, '-infinity')) AS failures
             FROM (SELECT a.*, max(started_at) FILTER (WHERE status BETWEEN 200 AND 299) OVER (PARTITION BY entry_id) AS last_ok FROM a) x
            GROUP BY entry_id
         )
         SELECT d.entry_id AS "entryId",
                count(*)::int AS total,
                count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
                count(*) FILTER (WHERE d.status IN ('pending', 'sending'))::int AS pending,
                (SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY a.duration_ms) FROM a WHERE a.entry_id = d.entry_id) AS latency,
                COALESCE((SELECT failures FROM streak WHERE streak.entry_id = d.entry_id), 0)::int AS "consecutiveFailures"
           FROM d GROUP BY d.entry_id ORDER BY d.entry_id`,
        [campaignId],
      );
      return rows;
    },

    async recordTest({ attempt, ...delivery }) {
      await db.prisma.delivery.create({
        data: {
          ...delivery,
          test: true,
          attempts: 1,
          lastStatus: attempt.status,
          lastError: attempt.errorMessage,
          attemptLog: { create: { number: 1, ...attempt } },
        },
      });
    },
  };
}
