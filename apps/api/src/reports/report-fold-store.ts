import { latencyBucket } from "@switchboard/domain/report/figures";
import type pg from "pg";
import { rollBackAndRelease } from "../db/roll-back";
import type { Logger } from "../logger";
import { type AttemptSum, type LegacyAttempt, readEvents } from "./report-events";
import { ReportWrites, reportStatements, Sums } from "./report-writes";

const BATCH = 2_000;
const EVERY_MS = 1_000;

const ON_ATTEMPT_CONFLICT = `ON CONFLICT (campaign_id, hour, entry_id, bucket) DO UPDATE SET
  attempts = report_attempt_hour.attempts + EXCLUDED.attempts,
  delivered = report_attempt_hour.delivered + EXCLUDED.delivered,
  failed = report_attempt_hour.failed + EXCLUDED.failed`;

/**
 * The rollup statement for a batch of attempts' sums (outcomes and the latency histogram per option and hour), summed
 * again by key: one key twice in one upsert is an error. Sorted by key, so concurrent folds lock rows in one order.
 */
function attemptStatement(attempts: readonly AttemptSum[]): { text: string; values: unknown[] } {
  const sums = new Sums<[number, number, number]>();
  for (const [campaignId, hour, entryId, bucket, ...counts] of attempts)
    sums.add([campaignId, hour, entryId, bucket], counts);
  const rows = sums.values();
  const column = (i: number) => rows.map((r) => r[i]);
  return {
    text: `INSERT INTO report_attempt_hour (campaign_id, hour, entry_id, bucket, attempts, delivered, failed)
SELECT campaign_id, to_timestamp(hour / 1000.0), entry_id, bucket, attempts, delivered, failed
  FROM unnest($1::int[], $2::bigint[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[])
    AS a(campaign_id, hour, entry_id, bucket, attempts, delivered, failed)
${ON_ATTEMPT_CONFLICT}`,
    values: [0, 1, 2, 3, 4, 5, 6].map(column),
  };
}

/** The rollup statement for attempts as events written before attempts were summed carry them (see LegacyAttempt). */
function legacyAttemptStatement(attempts: readonly LegacyAttempt[]): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO report_attempt_hour (campaign_id, hour, entry_id, bucket, attempts, delivered, failed)
SELECT d.campaign_id, date_trunc('hour', a.at, 'UTC'), d.entry_id, a.bucket, count(*),
       count(*) FILTER (WHERE a.status = 'delivered'), count(*) FILTER (WHERE a.status = 'failed')
  FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS a(delivery_id, bucket, status, at)
  JOIN delivery d ON d.id = a.delivery_id
  -- A delivery may outlive its campaign (deleted since): it has no report to count in. Messages to end users are
  -- not a webhook's health.
  JOIN campaign c ON c.id = d.campaign_id
 WHERE d.kind = 'webhook'
 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
${ON_ATTEMPT_CONFLICT}`,
    values: [
      attempts.map((a) => a[0]),
      attempts.map((a) => latencyBucket(a[1])),
      attempts.map((a) => a[2]),
      attempts.map((a) => a[3]),
    ],
  };
}

/**
 * The facts of the chatbots that still exist (the rollups of a deleted one went with it), those chatbots held until the
 * fold commits: a campaign deleted between the check and the insert would fail the whole batch on its foreign key,
 * and every later fold with it, so that one deletion would stop every report.
 */
async function ofLiveCampaigns(
  client: pg.PoolClient,
  writes: ReportWrites,
  attempts: AttemptSum[],
): Promise<{ writes: ReportWrites; attempts: AttemptSum[] }> {
  const ids = [
    ...new Set([...writes.turns.map((t) => t[0]), ...writes.expired.map((e) => e[0]), ...attempts.map((a) => a[0])]),
  ];
  if (ids.length === 0) return { writes, attempts };
  const { rows } = await client.query<{ id: number }>(
    "SELECT id FROM campaign WHERE id = ANY($1::int[]) ORDER BY id FOR KEY SHARE",
    [ids],
  );
  if (rows.length === ids.length) return { writes, attempts };
  const live = new Set(rows.map((r) => r.id));
  const kept = new ReportWrites();
  kept.turns.push(...writes.turns.filter((t) => live.has(t[0])));
  kept.expired.push(...writes.expired.filter((e) => live.has(e[0])));
  return { writes: kept, attempts: attempts.filter((a) => live.has(a[0])) };
}

/**
 * Folds the appended report events into the rollups (decision 0040): events are taken and their sums written in one
 * transaction, so each is counted exactly once, whichever process folds (SKIP LOCKED lets several fold side by side).
 * It runs every second where deliveries are sent, and before every report is read, so a report is never behind
 * what its own process committed.
 */
export class ReportFold {
  private running: Promise<number> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** Folds everything appended so far; resolves with how many events it took. Calls meanwhile share one run. */
  run(): Promise<number> {
    this.running ??= this.foldAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Every second until the returned function is called. */
  schedule(logger: Pick<Logger, "warn">): () => void {
    const timer = setInterval(() => {
      this.run().catch((error) =>
        logger.warn({ error: (error as Error).message }, "could not fold report events; retrying in a second"),
      );
    }, EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async foldAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await this.foldBatch();
      total += taken;
      if (taken < BATCH) return total;
    }
  }

  private async foldBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ body: string }>(
        `DELETE FROM report_event WHERE id IN (
           SELECT id FROM report_event ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING body`,
      );
      if (rows.length > 0) {
        const read = readEvents(rows.map((r) => r.body));
        const { writes, attempts } = await ofLiveCampaigns(client, read.turns, read.attempts);
        for (const statement of reportStatements([writes])) await client.query(statement);
        if (attempts.length > 0) {
          const { text, values } = attemptStatement(attempts);
          await client.query(text, values);
        }
        if (read.legacyAttempts.length > 0) {
          const { text, values } = legacyAttemptStatement(read.legacyAttempts);
          await client.query(text, values);
        }
      }
      await client.query("COMMIT");
      client.release();
      return rows.length;
    } catch (error) {
      await rollBackAndRelease(client, error);
      throw error;
    }
  }
}
