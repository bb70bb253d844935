import { randomUUID } from "node:crypto";
import { type FailureKind, nextRetryDelay } from "@switchboard/domain/delivery/retry-schedule";
import type pg from "pg";
import type { DatabaseOutage } from "../db/outage";
import type { Logger } from "../logger";
import { attemptEvent } from "../reports/report-events";
import { cancelWaiting } from "./claims";
import type { ClaimedDelivery } from "./delivery-rows";
import type { AttemptOutcome } from "./http-sender";

export interface AttemptLogOptions {
  pool: Pick<pg.Pool, "query">;
  now: () => Date;
  random: () => number;
  /** Shared with the claims: one log line when the database goes away, one when it is back. */
  outage: DatabaseOutage;
  /** Whether the dispatcher still runs: while it does, attempts finished during an outage wait to be written. */
  running: () => boolean;
  /** A final outcome (failed for good, endpoint disabled) is logged at warn: someone has to act on it. */
  logger: Pick<Logger, "warn">;
  /** Told of every attempt, for /metrics. */
  onAttempt: (
    outcome: "delivered" | "retrying" | "failed",
    errorClass: string | null,
    host: string,
    seconds: number,
  ) => void;
  /** Told when an attempt failed and another is due at `at`. */
  onRetry: (id: string, attempts: number, at: Date) => void;
  /** Whether attempts are counted in the chatbots' reports (false only to measure that cost: REPORT_EVENTS=off). */
  reportEvents?: boolean | undefined;
  /** Told when the attempts of these deliveries were written (or their write failed: their lease covers them then). */
  onSettled: (ids: readonly string[]) => void;
}

/** While the database is away, how often the finished attempts are tried again. */
const OUTAGE_RETRY_MS = 1_000;

/** Five days of nothing but failures disables an endpoint. */
const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

interface Recorded {
  row: ClaimedDelivery;
  startedAt: Date;
  outcome: AttemptOutcome;
  shownHeaders: Record<string, string>;
  status: "delivered" | "pending" | "failed";
  nextAttemptAt: Date | null;
  now: Date;
  error: string | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The attempt log: each finished attempt decides its delivery's next state (delivered, pending again at the next time
 * of the retry schedule, or failed) and is written with it, attempts finishing within 2 ms sharing one statement; the
 * endpoints' health (failing streak, disabled) follows from the same batch.
 */
export class AttemptLog {
  /** Finished attempts waiting to be written; flushed together, a few milliseconds apart at most. */
  private batch: Recorded[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly o: AttemptLogOptions) {}

  /** Records an attempt, its request headers as `shownHeaders` (secrets masked); resolves once it is written. */
  record(
    row: ClaimedDelivery,
    startedAt: Date,
    outcome: AttemptOutcome,
    shownHeaders: Record<string, string>,
  ): Promise<void> {
    const now = this.o.now();
    let status: "delivered" | "pending" | "failed";
    let nextAttemptAt: Date | null = null;
    if (outcome.ok) status = "delivered";
    else if (outcome.status === 410) status = "failed";
    // Retrying cannot help until an admin allows the host; then Resend or Recover sends it (decision 0021).
    else if (outcome.errorClass === "host_not_allowed") status = "failed";
    // Outside WhatsApp's 24-hour window only a template may go, and a retry only lets the window recede further.
    else if (outcome.errorClass === "outside_window") status = "failed";
    else {
      const failure: FailureKind =
        outcome.errorClass === "timeout" ? "timeout" : outcome.status === 429 ? "rate_limited" : "other";
      const delay = nextRetryDelay({
        attempts: row.attempts,
        failure,
        retryAfterMs: outcome.retryAfterMs,
        random: this.o.random(),
      });
      if (delay === null) status = "failed";
      else {
        status = "pending";
        nextAttemptAt = new Date(now.getTime() + delay);
      }
    }
    this.o.onAttempt(
      status === "delivered" ? "delivered" : status === "pending" ? "retrying" : "failed",
      outcome.errorClass,
      new URL(row.url).host,
      outcome.durationMs / 1000,
    );
    const error = outcome.ok
      ? null
      : outcome.status === 410
        ? "The receiver answered 410 Gone: no more attempts."
        : outcome.errorMessage;
    if (status === "failed") {
      // Ids and host only: the URL's path and query may hold the receiver's token.
      this.o.logger.warn(
        {
          delivery: row.id,
          entry: row.entryId,
          host: new URL(row.url).host,
          attempts: row.attempts,
          status: outcome.status,
          errorClass: outcome.errorClass,
          endpointDisabled: outcome.status === 410,
        },
        outcome.status === 410
          ? "webhook failed for good: the receiver answered 410 Gone, its endpoint is disabled"
          : "webhook failed for good: no more attempts",
      );
    }
    const done = new Promise<void>((resolve, reject) => {
      this.batch.push({ row, startedAt, outcome, shownHeaders, status, nextAttemptAt, now, error, resolve, reject });
    });
    // Attempts finishing within 2 ms share one write.
    if (!this.flushing) this.flushing = new Promise((r) => setTimeout(r, 2)).then(() => this.flush());
    if (status === "pending" && nextAttemptAt) this.o.onRetry(row.id, row.attempts, nextAttemptAt);
    return done;
  }

  /**
   * Writes a batch of attempts and the deliveries' next states in one statement. A delivery whose lease was lost
   * meanwhile (another sender took it) keeps the other sender's state; its attempt is still logged.
   */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.flushing = null;
    if (batch.length === 0) return;
    const col = <T>(f: (r: Recorded) => T) => batch.map(f);
    try {
      // Unnamed on purpose: a prepared statement's generic plan joins the arrays far worse than a custom plan.
      const { rows: failing } = await this.o.pool.query(
        `WITH data AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::jsonb[], $7::int[], $8::text[],
                                $9::text[], $10::text[], $11::"DeliveryStatus"[], $12::timestamptz[], $13::timestamptz[], $14::text[])
             AS t(attempt_id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt,
                  error_class, error_message, next_status, next_attempt_at, now, last_error)
         ), attempts AS (
           INSERT INTO delivery_attempt (id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt, error_class, error_message)
           SELECT attempt_id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt, error_class, error_message FROM data
         ), updated AS (
           UPDATE delivery d SET status = data.next_status, next_attempt_at = COALESCE(data.next_attempt_at, d.next_attempt_at),
                  lease_until = NULL,
                  delivered_at = CASE WHEN data.next_status = 'delivered' THEN data.now ELSE d.delivered_at END,
                  last_status = data.status, last_error = data.last_error,
                  -- A message refused before it left (the WhatsApp window) reads as refused, its reason beside it.
                  provider_status = CASE WHEN data.error_class = 'outside_window' THEN 'refused' ELSE d.provider_status END,
                  provider_error = CASE WHEN data.error_class = 'outside_window' THEN data.last_error ELSE d.provider_error END
             FROM data
            WHERE d.id = data.delivery_id AND d.status = 'sending' AND d.attempts = data.number
         ), report AS (
           -- The chatbots' report: appended here, folded into its rollups a moment later (decisions 0031, 0040).
           INSERT INTO report_event (body) SELECT $16::text WHERE $16::text IS NOT NULL)
         -- The batch's endpoints that have a failing streak: a success must clear it.
         SELECT 1 FROM webhook WHERE entry_id = ANY($15::uuid[]) AND failing_since IS NOT NULL LIMIT 1`,
        [
          col(() => randomUUID()),
          col((r) => r.row.id),
          col((r) => r.row.attempts),
          col((r) => r.startedAt),
          col((r) => r.outcome.durationMs),
          col((r) => JSON.stringify(r.shownHeaders)),
          col((r) => r.outcome.status),
          col((r) => r.outcome.responseExcerpt),
          col((r) => r.outcome.errorClass),
          col((r) => r.outcome.errorMessage),
          col((r) => r.status),
          col((r) => r.nextAttemptAt),
          col((r) => r.now),
          col((r) => r.error),
          [...new Set(col((r) => r.row.entryId))],
          this.o.reportEvents === false
            ? null
            : attemptEvent(
                batch
                  .filter((r) => !r.row.test && r.row.kind !== "message")
                  .map((r) => [r.row.campaignId, r.row.entryId, r.outcome.durationMs, r.status, r.now]),
              ),
        ],
      );
      // Successes on endpoints without a failing streak change no endpoint's state: the usual batch skips the update.
      if (failing.length > 0 || batch.some((r) => !r.outcome.ok)) await this.updateEndpointHealth(batch);
      this.o.outage.over();
      for (const r of batch) r.resolve();
    } catch (error) {
      if (this.o.running() && this.o.outage.noticed(error)) {
        // The attempts were made: write them once the database is back rather than send them again after their
        // lease. Their slots stay taken meanwhile, so nothing new is sent. (At stop, they are given up to their lease.)
        this.batch = [...batch, ...this.batch];
        this.flushing ??= new Promise((r) => setTimeout(r, OUTAGE_RETRY_MS)).then(() => this.flush());
        return;
      }
      for (const r of batch) r.reject(error);
    }
    this.o.onSettled(batch.map((r) => r.row.id));
  }

  /**
   * An endpoint that answered clears its failing streak; one that failed starts or keeps it. 410 Gone, or a streak of
   * five days, disables it, which cancels what still waits for it.
   */
  private async updateEndpointHealth(batch: Recorded[]): Promise<void> {
    const now = this.o.now();
    const { rows: disabled } = await this.o.pool.query<{ entry_id: string }>(
      `WITH data AS (SELECT * FROM unnest($1::text[], $2::boolean[], $3::int[]) AS t(entry_id, ok, status)),
       agg AS (SELECT entry_id::uuid AS entry_id, bool_or(ok) AS any_ok, bool_or(status = 410) AS gone FROM data GROUP BY entry_id),
       next AS (
         SELECT w.id, agg.any_ok, agg.gone, CASE WHEN agg.any_ok THEN NULL ELSE COALESCE(w.failing_since, $4) END AS failing_since,
                w.disabled_at
           FROM webhook w JOIN agg ON agg.entry_id = w.entry_id),
       upd AS (
         UPDATE webhook w SET failing_since = next.failing_since,
                disabled_at = CASE WHEN next.disabled_at IS NOT NULL THEN next.disabled_at
                                   WHEN next.gone OR next.failing_since <= $5 THEN $4 END,
                disabled_reason = CASE WHEN next.disabled_at IS NOT NULL THEN w.disabled_reason
                                       WHEN next.gone THEN 'The receiver answered 410 Gone.'
                                       WHEN next.failing_since <= $5 THEN 'Every attempt failed for five days.' END
           FROM next
          -- Only on a change of state: a healthy endpoint's row is not rewritten by every batch.
          WHERE w.id = next.id AND next.disabled_at IS NULL
            AND (w.failing_since IS DISTINCT FROM next.failing_since OR next.gone OR next.failing_since <= $5)
         RETURNING w.entry_id, w.disabled_at, next.gone),
       cancelled AS (${cancelWaiting("FROM upd", "upd.disabled_at IS NOT NULL AND d.entry_id = upd.entry_id::text")})
       SELECT entry_id::text AS entry_id FROM upd WHERE disabled_at IS NOT NULL AND NOT gone`,
      [
        batch.map((r) => r.row.entryId),
        batch.map((r) => r.outcome.ok),
        batch.map((r) => r.outcome.status),
        now,
        new Date(now.getTime() - DISABLE_AFTER_FAILING_MS),
      ],
    );
    // 410 Gone was logged with its delivery; a five-day streak is logged here, once, as it disables the endpoint.
    for (const { entry_id } of disabled) {
      const last = batch.findLast((r) => r.row.entryId === entry_id);
      if (!last) continue;
      this.o.logger.warn(
        {
          delivery: last.row.id,
          entry: entry_id,
          host: new URL(last.row.url).host,
          reason: "Every attempt failed for five days.",
          endpointDisabled: true,
        },
        "webhook endpoint disabled: every attempt failed for five days",
      );
    }
  }
}
