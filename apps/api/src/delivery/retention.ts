import type pg from "pg";

export const PAYLOAD_RETENTION_MS = 30 * 24 * 3_600_000;
export const ATTEMPT_RETENTION_MS = 90 * 24 * 3_600_000;
const BATCH = 1000;

/**
 * Retention: a finished delivery's payload is cleared after 30 days; the delivery and its attempts are deleted after
 * 90. Done in batches of 1,000 so a large backlog never holds long locks. Returns what it changed.
 */
export async function purgeOld(
  pool: pg.Pool,
  now: Date,
): Promise<{ payloadsCleared: number; deliveriesDeleted: number }> {
  let payloadsCleared = 0;
  let deliveriesDeleted = 0;
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
  return { payloadsCleared, deliveriesDeleted };
}
