import { randomUUID } from "node:crypto";
import { describeProgress, MAX_ATTEMPTS } from "@switchboard/domain/delivery/retry-schedule";
import type { JsonObject } from "@switchboard/domain/json";
import { buildPayload, sampleEvent, serializePayload } from "@switchboard/domain/payload";
import { maskSecret } from "@switchboard/domain/webhook";
import type { Database } from "../db/database";
import type { AddressPolicy } from "../dispatch/address-policy";
import type { StoredHeader } from "../dispatch/delivery-rows";
import { type DeliveryHandoff, outboxOnly } from "../dispatch/handoff";
import { defaultLimits, type SendLimits, sendWebhook } from "../dispatch/http-sender";
import { HostNotAllowed, type SendTimeSecrets } from "../dispatch/send-time-secrets";
import { AppError } from "../errors/app-error";
import type { DeliveryAttempt, Delivery as DeliveryRow } from "../generated/prisma/client";

const RECOVER_BATCH = 1000;
const RECOVER_WINDOW_MS = 30 * 24 * 3_600_000;
/** Consecutive failed attempts after which an entry's webhook shows as failing (its link icon turns red). */
export const ALERT_AFTER_FAILURES = 4;

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

function toDelivery(d: DeliveryRow) {
  const waiting = d.status === "pending" || d.status === "sending";
  return {
    id: d.id,
    campaignId: d.campaignId,
    entryId: d.entryId,
    mode: d.mode as "response" | "option",
    url: d.url,
    status: d.status,
    test: d.test,
    attempts: d.attempts,
    maxAttempts: MAX_ATTEMPTS,
    nextAttemptAt: waiting ? d.nextAttemptAt.toISOString() : null,
    progress: `${d.status}: ${describeProgress(d.attempts, waiting ? d.nextAttemptAt : null, hhmm)}`,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
  };
}

function toAttempt(a: DeliveryAttempt) {
  return {
    number: a.number,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    requestHeaders: a.requestHeaders as Record<string, string>,
    status: a.status,
    responseExcerpt: a.responseExcerpt,
    errorClass: a.errorClass,
    errorMessage: a.errorMessage,
  };
}

/** The Deliveries view's data and controls: list, inspect, resend, recover, stats, and Send test. */
export function deliveryService(deps: {
  db: Database;
  policy: AddressPolicy;
  now: () => Date;
  limits?: SendLimits;
  /** Told of deliveries made due again (Resend, Recover). */
  handoff?: DeliveryHandoff | undefined;
  secrets: SendTimeSecrets;
}) {
  const { db, policy, now } = deps;
  const handoff = deps.handoff ?? outboxOnly;
  const { secrets } = deps;
  const limits = deps.limits ?? defaultLimits;

  return {
    async list(q: {
      campaignId?: number | undefined;
      entryId?: string | undefined;
      status?: DeliveryRow["status"] | undefined;
      test?: boolean | undefined;
      limit: number;
      offset: number;
    }) {
      const where = {
        ...(q.campaignId ? { campaignId: q.campaignId } : {}),
        ...(q.entryId ? { entryId: q.entryId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.test !== undefined ? { test: q.test } : {}),
      };
      const [rows, total] = await Promise.all([
        db.prisma.delivery.findMany({ where, orderBy: { createdAt: "desc" }, take: q.limit, skip: q.offset }),
        db.prisma.delivery.count({ where }),
      ]);
      return { items: rows.map(toDelivery), total };
    },

    async get(id: string) {
      const row = await db.prisma.delivery.findUnique({
        where: { id },
        include: { attemptLog: { orderBy: { number: "asc" } } },
      });
      if (!row) throw AppError.notFound(`Delivery ${id}`);
      return { ...toDelivery(row), payload: row.payload, attemptLog: row.attemptLog.map(toAttempt) };
    },

    /** Sends one delivery again: same webhook-id, a fresh timestamp and signature, a full set of attempts. */
    async resend(id: string) {
      const updated = await db.prisma.delivery.updateMany({
        where: { id, status: { not: "sending" } },
        data: { status: "pending", attempts: 0, nextAttemptAt: now(), leaseUntil: null, lastError: null },
      });
      if (updated.count === 0) {
        const exists = await db.prisma.delivery.count({ where: { id } });
        if (!exists) throw AppError.notFound(`Delivery ${id}`);
        throw new AppError("conflict", "This delivery is being sent right now; resend it once the attempt is over.");
      }
      handoff.due([id]);
      return this.get(id);
    },

    /** Sends again every delivery that failed since a moment (at most 30 days back), 1,000 per call. */
    async recover(input: { since: string; campaignId?: number | undefined }) {
      const since = new Date(input.since);
      if (now().getTime() - since.getTime() > RECOVER_WINDOW_MS) {
        const message = "Recover reaches back at most 30 days (older payloads are purged).";
        throw new AppError("validation_failed", message, [{ path: "body.since", code: "too_old", message }]);
      }
      const where = {
        status: "failed" as const,
        createdAt: { gte: since },
        ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      };
      const batch = await db.prisma.delivery.findMany({
        where,
        select: { id: true },
        orderBy: { createdAt: "asc" },
        take: RECOVER_BATCH,
      });
      const { count } = await db.prisma.delivery.updateMany({
        where: { id: { in: batch.map((b) => b.id) }, status: "failed" },
        data: { status: "pending", attempts: 0, nextAttemptAt: now(), leaseUntil: null },
      });
      const remaining = await db.prisma.delivery.count({ where });
      if (count) handoff.due(batch.map((b) => b.id));
      return { recovered: count, remaining };
    },

    /** Per entry of a campaign: volumes, success rate, latency percentiles, and whether it is failing now. */
    async stats(campaignId: number) {
      const { rows } = await db.pool.query(
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
         SELECT d.entry_id,
                count(*)::int AS total,
                count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
                count(*) FILTER (WHERE d.status IN ('pending', 'sending'))::int AS pending,
                (SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY a.duration_ms) FROM a WHERE a.entry_id = d.entry_id) AS latency,
                COALESCE((SELECT failures FROM streak WHERE streak.entry_id = d.entry_id), 0)::int AS consecutive_failures
           FROM d GROUP BY d.entry_id ORDER BY d.entry_id`,
        [campaignId],
      );
      return {
        items: rows.map((r) => {
          const finished = r.delivered + r.failed;
          const latency = (r.latency as number[] | null) ?? [null, null, null];
          return {
            entryId: r.entry_id,
            total: r.total,
            delivered: r.delivered,
            failed: r.failed,
            pending: r.pending,
            successRate: finished ? r.delivered / finished : null,
            latencyMs: { p50: latency[0] ?? null, p95: latency[1] ?? null, p99: latency[2] ?? null },
            consecutiveFailures: r.consecutive_failures,
            failing: r.consecutive_failures >= ALERT_AFTER_FAILURES,
          };
        }),
      };
    },

    /**
     * Send test: sample values through the same sender as production, once, labelled test; the receiver's answer is
     * returned and the attempt is on record like any other.
     */
    async sendTest(webhook: {
      campaignId: number;
      entryId: string;
      nodeId: string;
      label: string;
      mode: "response" | "option";
      option: string;
      keyword: string;
      config: {
        url: string;
        body: JsonObject;
        headers: StoredHeader[];
        signingSecret?: string | null | undefined;
      };
    }) {
      const id = randomUUID();
      const at = now();
      const payload = serializePayload(buildPayload(sampleEvent(webhook, at), webhook.config.body));
      // Secrets are opened here as the dispatcher opens them: sealed values, admin-made secret headers by reference,
      // each only for a host it is allowed to reach.
      const endpoint = await secrets
        .resolve({
          url: webhook.config.url,
          headers: webhook.config.headers,
          signingSecret: webhook.config.signingSecret ?? null,
          currentSecret: null,
          previousSecret: null,
          integrationId: null,
        })
        .catch((error) => {
          if (!(error instanceof HostNotAllowed)) throw error;
          throw new AppError("conflict", error.message, [
            { path: "webhook.url", code: "host_not_allowed", message: error.message },
          ]);
        });
      const outcome = await sendWebhook(
        { id, url: endpoint.url, body: payload, headers: endpoint.headers, secrets: endpoint.secrets, test: true },
        policy,
        limits,
        now,
      );
      const secretNames = new Set(
        webhook.config.headers.filter((h) => h.secret || h.secretHeaderId).map((h) => h.name.toLowerCase()),
      );
      const shown = Object.fromEntries(
        Object.entries(outcome.requestHeaders).map(([k, v]) => [
          k,
          secretNames.has(k.toLowerCase()) ? maskSecret(v) : v,
        ]),
      );
      await db.prisma.delivery.create({
        data: {
          id,
          campaignId: webhook.campaignId,
          entryId: webhook.entryId,
          nodeId: webhook.nodeId,
          mode: webhook.mode,
          url: webhook.config.url,
          headers: webhook.config.headers.map((h) => ({ ...h })),
          payload,
          test: true,
          status: outcome.ok ? "delivered" : "failed",
          attempts: 1,
          deliveredAt: outcome.ok ? now() : null,
          lastStatus: outcome.status,
          lastError: outcome.errorMessage,
          createdAt: at,
          attemptLog: {
            create: {
              number: 1,
              startedAt: at,
              durationMs: outcome.durationMs,
              requestHeaders: shown,
              status: outcome.status,
              responseExcerpt: outcome.responseExcerpt,
              errorClass: outcome.errorClass,
              errorMessage: outcome.errorMessage,
            },
          },
        },
      });
      return {
        deliveryId: id,
        ok: outcome.ok,
        status: outcome.status,
        durationMs: outcome.durationMs,
        responseExcerpt: outcome.responseExcerpt,
        errorClass: outcome.errorClass,
        errorMessage: outcome.errorMessage,
        payload,
      };
    },
  };
}
export type DeliveryService = ReturnType<typeof deliveryService>;
