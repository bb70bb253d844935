import { latencyBucket } from "@switchboard/domain/report/figures";
import { literal } from "../runtime/sql-literal";
import { type ExpiryRow, ReportWrites, Sums, type TurnRow } from "./report-writes";

// What turns and attempts add to the reports travels as one JSON row per committed batch (report_event), folded into
// the rollups a moment later by ReportFold (decision 0040). The row commits with the turns or attempts it counts, so
// nothing is counted that did not happen, and nothing that happened is lost.

/** A webhook's attempt as the reports count it: its chatbot and entry, how long it took (ms), its next status, when. */
export type AttemptFact = [campaignId: number, entryId: string, durationMs: number, nextStatus: string, at: Date];

/** Attempts summed by their rollup's key (report_attempt_hour): chatbot, hour (ms), entry, latency bucket. */
export type AttemptSum = [
  campaignId: number,
  hour: number,
  entryId: string,
  bucket: number,
  attempts: number,
  delivered: number,
  failed: number,
];

/** An attempt as events written before attempts were summed carry it: the delivery, ms, next status, when. */
export type LegacyAttempt = [deliveryId: string, durationMs: number, nextStatus: string, at: Date];

const HOUR_MS = 3_600_000;

interface ReportEvent {
  t?: TurnRow[];
  x?: ExpiryRow[];
  s?: AttemptSum[];
  /** Before attempts were summed: one row per attempt, its chatbot found through the delivery when folded. */
  a?: [string, number, string, string][];
}

/** The statement that appends a batch of turns' report facts; none when they add nothing. */
export function turnEventStatement(all: readonly ReportWrites[]): string[] {
  const t: TurnRow[] = [];
  const x: ExpiryRow[] = [];
  for (const w of all) {
    t.push(...w.turns);
    x.push(...w.expired);
  }
  if (t.length === 0 && x.length === 0) return [];
  const event: ReportEvent = x.length ? { t, x } : { t };
  return [`INSERT INTO report_event (body) VALUES (${literal(JSON.stringify(event))})`];
}

/**
 * A batch of webhook attempts' report event, summed by the rollup's key: the fold adds the sums without reading the
 * deliveries. Null when there is nothing to count (test sends and messages to end users are never counted).
 */
export function attemptEvent(attempts: readonly AttemptFact[]): string | null {
  if (attempts.length === 0) return null;
  const sums = new Sums<[number, number, number]>();
  for (const [campaignId, entryId, ms, status, at] of attempts) {
    const time = at.getTime();
    sums.add(
      [campaignId, time - (time % HOUR_MS), entryId, latencyBucket(ms)],
      [1, status === "delivered" ? 1 : 0, status === "failed" ? 1 : 0],
    );
  }
  return JSON.stringify({ s: sums.values() });
}

/** Events read back: the turns' writes, the attempts' sums, and attempts as events written before summing hold them. */
export function readEvents(bodies: readonly string[]): {
  turns: ReportWrites;
  attempts: AttemptSum[];
  legacyAttempts: LegacyAttempt[];
} {
  const turns = new ReportWrites();
  const attempts: AttemptSum[] = [];
  const legacyAttempts: LegacyAttempt[] = [];
  for (const body of bodies) {
    const event = JSON.parse(body) as ReportEvent;
    if (event.t) turns.turns.push(...event.t);
    if (event.x) turns.expired.push(...event.x);
    for (const sum of event.s ?? []) attempts.push(sum);
    for (const [id, ms, status, at] of event.a ?? []) legacyAttempts.push([id, ms, status, new Date(at)]);
  }
  return { turns, attempts, legacyAttempts };
}
