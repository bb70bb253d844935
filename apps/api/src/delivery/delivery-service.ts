import { randomUUID } from "node:crypto";
import { attemptRounds, maskPhoneNumber, payloadFacts } from "@switchboard/domain/delivery/delivery-view";
import { describeProgress, MAX_ATTEMPTS } from "@switchboard/domain/delivery/retry-schedule";
import type { JsonObject } from "@switchboard/domain/json";
import { buildPayload, sampleEvent, serializePayload } from "@switchboard/domain/payload";
import type { AddressPolicy } from "../dispatch/address-policy";
import type { StoredHeader } from "../dispatch/delivery-rows";
import { type DeliveryHandoff, outboxOnly } from "../dispatch/handoff";
import { defaultLimits, type SendLimits, sendWebhook } from "../dispatch/http-sender";
import { HostNotAllowed, type SendTimeSecrets } from "../dispatch/send-time-secrets";
import { AppError } from "../errors/app-error";
import { shownAttemptHeaders } from "../secrets/attempt-headers";
import type { DeliveryAttempt, DeliveryFilter, DeliveryRow, DeliveryStore } from "./delivery-store";

const RECOVER_BATCH = 1000;
const RECOVER_WINDOW_MS = 30 * 24 * 3_600_000;
/** Consecutive failed attempts after which an entry's webhook shows as failing (its link icon turns red). */
export const ALERT_AFTER_FAILURES = 4;

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** Who reads: admins see the end user's whole phone number, everyone else its last four digits. */
export interface DeliveryReader {
  admin: boolean;
}

/** Hides the phone number in any text (the payload, a receiver's echo) from a reader who is not an admin. */
function phoneMasker(phoneNumber: string | null, reader: DeliveryReader) {
  if (reader.admin || !phoneNumber) return (text: string) => text;
  const masked = maskPhoneNumber(phoneNumber);
  return (text: string) => text.replaceAll(phoneNumber, masked);
}

function toDelivery(d: DeliveryRow, reader: DeliveryReader) {
  const waiting = d.status === "pending" || d.status === "sending";
  const facts = payloadFacts(d.payload);
  return {
    id: d.id,
    campaignId: d.campaignId,
    entryId: d.entryId,
    kind: d.kind === "message" ? ("message" as const) : ("webhook" as const),
    mode: d.mode as "response" | "option" | "message",
    url: d.url,
    option: facts.option,
    phoneNumber: facts.phoneNumber && phoneMasker(facts.phoneNumber, reader)(facts.phoneNumber),
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
    requestId: d.requestId,
  };
}

function toAttempt(a: DeliveryAttempt & { round: number }, mask: (text: string) => string) {
  return {
    number: a.number,
    round: a.round,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    requestHeaders: a.requestHeaders as Record<string, string>,
    status: a.status,
    responseExcerpt: mask(a.responseExcerpt),
    errorClass: a.errorClass,
    errorMessage: a.errorMessage,
  };
}

/** The previous signing secret (sealed) while its overlap lasts, else null. */
function inOverlap(previous: { secret: string | null; until: Date | null } | undefined, at: Date): string | null {
  return previous?.secret && previous.until && previous.until > at ? previous.secret : null;
}

/** The Deliveries view's data and controls: list, inspect, resend, recover, stats, and Send test. */
export function deliveryService(deps: {
  store: DeliveryStore;
  policy: AddressPolicy;
  now: () => Date;
  limits?: SendLimits;
  /** Told of deliveries made due again (Resend, Recover). */
  handoff?: DeliveryHandoff | undefined;
  secrets: SendTimeSecrets;
}) {
  const { store, policy, now } = deps;
  const handoff = deps.handoff ?? outboxOnly;
  const { secrets } = deps;
  const limits = deps.limits ?? defaultLimits;

  return {
    async list(q: DeliveryFilter & { limit: number; offset: number }, reader: DeliveryReader) {
      const { limit, offset, ...filter } = q;
      const { rows, total } = await store.list(filter, { limit, offset });
      return { items: rows.map((d) => toDelivery(d, reader)), total };
    },

    async get(id: string, reader: DeliveryReader) {
      const row = await store.get(id);
      if (!row) throw AppError.notFound(`Delivery ${id}`);
      const mask = phoneMasker(payloadFacts(row.payload).phoneNumber, reader);
      return {
        ...toDelivery(row, reader),
        payload: mask(row.payload),
        attemptLog: attemptRounds(row.attemptLog).map((a) => toAttempt(a, mask)),
      };
    },

    /** Sends one delivery again: same webhook-id, a fresh timestamp and signature, a full set of attempts. */
    async resend(id: string, reader: DeliveryReader) {
      const result = await store.resend(id, now());
      if (result === "missing") throw AppError.notFound(`Delivery ${id}`);
      if (result === "sending")
        throw new AppError("conflict", "This delivery is being sent right now; resend it once the attempt is over.");
      handoff.due([id]);
      return this.get(id, reader);
    },

    /** Sends again every delivery that failed since a moment (at most 30 days back), 1,000 per call. */
    async recover(input: { since: string; campaignId?: number | undefined }) {
      const since = new Date(input.since);
      if (now().getTime() - since.getTime() > RECOVER_WINDOW_MS) {
        const message = "Recover reaches back at most 30 days (older payloads are purged).";
        throw new AppError("validation_failed", message, [{ path: "body.since", code: "too_old", message }]);
      }
      const { ids, recovered, remaining } = await store.recover(
        { since, campaignId: input.campaignId },
        now(),
        RECOVER_BATCH,
      );
      if (recovered) handoff.due(ids);
      return { recovered, remaining };
    },

    /** Per entry of a campaign: volumes, success rate, latency percentiles, and whether it is failing now. */
    async stats(campaignId: number) {
      const rows = await store.stats(campaignId);
      return {
        items: rows.map((r) => {
          const finished = r.delivered + r.failed;
          const latency = r.latency ?? [null, null, null];
          return {
            entryId: r.entryId,
            total: r.total,
            delivered: r.delivered,
            failed: r.failed,
            pending: r.pending,
            successRate: finished ? r.delivered / finished : null,
            latencyMs: { p50: latency[0] ?? null, p95: latency[1] ?? null, p99: latency[2] ?? null },
            consecutiveFailures: r.consecutiveFailures,
            failing: r.consecutiveFailures >= ALERT_AFTER_FAILURES,
          };
        }),
      };
    },

    /**
     * Send test: sample values through the same sender as production, once, labelled test; the receiver's answer is
     * returned and the attempt is on record like any other.
     */
    async sendTest(
      webhook: {
        campaignId: number;
        entryId: string;
        nodeId: string;
        label: string;
        mode: "response" | "option" | "raffle" | "survey";
        option: string;
        keyword: string;
        /** A hand-off campaign's webhook sends its own sample payload (won/prize, answers) instead of the spec's. */
        payload?: string;
        config: {
          url: string;
          body: JsonObject;
          headers: StoredHeader[];
          signingSecret?: string | null | undefined;
        };
        previousSigningSecret?: { secret: string | null; until: Date | null };
      },
      requestId?: string,
    ) {
      const id = randomUUID();
      const at = now();
      const payload =
        webhook.payload ??
        serializePayload(
          buildPayload(
            sampleEvent({ ...webhook, mode: webhook.mode === "option" ? "option" : "response" }, at),
            webhook.config.body,
          ),
        );
      // Secrets are opened here as the dispatcher opens them: sealed values, admin-made secret headers by reference,
      // each only for a host it is allowed to reach.
      const endpoint = await secrets
        .resolve({
          url: webhook.config.url,
          headers: webhook.config.headers,
          signingSecret: webhook.config.signingSecret ?? null,
          currentSecret: null,
          previousSecret: inOverlap(webhook.previousSigningSecret, at),
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
      await store.recordTest({
        id,
        campaignId: webhook.campaignId,
        entryId: webhook.entryId,
        nodeId: webhook.nodeId,
        mode: webhook.mode,
        url: webhook.config.url,
        headers: webhook.config.headers.map((h) => ({ ...h })),
        payload,
        status: outcome.ok ? "delivered" : "failed",
        deliveredAt: outcome.ok ? now() : null,
        createdAt: at,
        requestId,
        attempt: {
          startedAt: at,
          durationMs: outcome.durationMs,
          requestHeaders: shownAttemptHeaders(outcome.requestHeaders, endpoint.headers),
          status: outcome.status,
          responseExcerpt: outcome.responseExcerpt,
          errorClass: outcome.errorClass,
          errorMessage: outcome.errorMessage,
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
