import type pg from "pg";
import type { Logger } from "../logger";

export const PAYLOAD_RETENTION_MS = 30 * 24 * 3_600_000;
export const ATTEMPT_RETENTION_MS = 90 * 24 * 3_600_000;
/**
 * The inbox's event log serves live updates and a reconnecting browser's replay (decision 0035): a week covers any
 * reconnect. Its system items (hand-over, take, transfer, close, timeout) are the transcript's record and stay.
 */
export const INBOX_EVENT_RETENTION_MS = 7 * 24 * 3_600_000;
const BATCH = 1000;

/**
 * Retention: a finished delivery's payload is cleared after 30 days; the delivery and its attempts are deleted after
 * 90; the inbox's events other than its system items after 7. Done in batches of 1,000 so a large backlog never holds
 * long locks. Returns what it changed.
 */
export async function purgeOld(
  pool: pg.Pool,
  now: Date,
): Promise<{ payloadsCleared: number; deliveriesDeleted: number; inboxEventsDeleted: number }> {
  let payloadsCleared = 0;
  let deliveriesDeleted = 0;
  let inboxEventsDeleted = 0;
  // Deletions first: no point clearing a payload about to go.
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM delivery WHERE id IN (
         SELECT id FROM delivery WHERE created_at < $1 AND status IN ('delivered', 'failed', 'cancelled') LIMIT ${BATCH})`,
      [new Date(now.getTime() - ATTEMPT_RETENTION_MS)],
    );
    deliveriesDeleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) break;
  }
  for (;;) {
    const { rowCount } = await pool.query(
      `UPDATE delivery SET payload = '' WHERE id IN (
         SELECT id FROM delivery WHERE created_at < $1 AND payload <> '' AND status IN ('delivered', 'failed', 'cancelled') LIMIT ${BATCH})`,
      [new Date(now.getTime() - PAYLOAD_RETENTION_MS)],
    );
    payloadsCleared += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) break;
  }
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM inbox_event WHERE id IN (
         SELECT id FROM inbox_event WHERE at < $1 AND (item IS NULL OR item->>'kind' IS DISTINCT FROM 'system')
          ORDER BY id LIMIT ${BATCH})`,
      [new Date(now.getTime() - INBOX_EVENT_RETENTION_MS)],
    );
    inboxEventsDeleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) break;
  }
  return { payloadsCleared, deliveriesDeleted, inboxEventsDeleted };
}

/** Runs purgeOld hourly, and once shortly after start; returns what stops it. */
export function scheduleRetention(pool: pg.Pool, logger: Logger, now: () => Date = () => new Date()): () => void {
  const purge = () =>
    purgeOld(pool, now())
      .then((r) => {
        if (r.payloadsCleared || r.deliveriesDeleted || r.inboxEventsDeleted)
          logger.info(r, "purged old webhook payloads, attempts and inbox events");
      })
      .catch((error) => logger.warn({ error: (error as Error).message }, "purging old deliveries failed"));
  const hourly = setInterval(purge, 3_600_000);
  hourly.unref();
  const first = setTimeout(purge, 10_000);
  first.unref();
  return () => {
    clearInterval(hourly);
    clearTimeout(first);
  };
}
