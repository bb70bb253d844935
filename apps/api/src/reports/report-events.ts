import { latencyBucket } from "@switchboard/domain/report/figures";
import { literal } from "../runtime/sql-literal";
import { ReportWrites, Sums } from "./report-writes";

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

/** An attempt as events written before attempts were summed carry it: the delivery, ms, next status, at (ISO). */
export type LegacyAttempt = [deliveryId: string, durationMs: number, nextStatus: string, at: Date];

const HOUR_MS = 3_600_000;

/**
 * A turn's facts as a compact row (this is written for every turn, so its size is CPU and bytes on every commit):
 * campaign, session, hour (ms), flags (1 started, 2 finished, 4 handed off), node entered, [node, entry] chosen,
 * [node, entry, text] answered, messages in, messages out, entries of the deliveries queued, phone number, at (ms).
 */
type TurnRow = [
  number,
  string,
  number,
  number,
  string | null,
  [string, string] | null,
  [string, string, string] | null,
  number,
  number,
  string[],
  string,
  number,
];
/** An expiry: campaign, session, hour (ms). */
type ExpiryRow = [number, string, number];

interface ReportEvent {
  t?: TurnRow[];
  x?: ExpiryRow[];
  s?: AttemptSum[];
  /** Before attempts were summed: one row per attempt, its chatbot found through the delivery when folded. */
  a?: [string, number, string, string][];
}

const toRow = ({ facts: f, phoneNumber, at }: ReportWrites["turns"][number]): TurnRow => [
  f.campaignId,
  f.sessionId,
  f.hour.getTime(),
  (f.started ? 1 : 0) | (f.outcome === "finished" ? 2 : 0) | (f.outcome === "handed_off" ? 4 : 0),
  f.entered,
  f.chosen && [f.chosen.nodeId, f.chosen.entryId],
  f.answered && [f.answered.nodeId, f.answered.entryId, f.answered.text],
  f.messagesIn,
  f.messagesOut,
  f.deliveries,
  phoneNumber,
  at.getTime(),
];

const fromRow = (r: TurnRow): ReportWrites["turns"][number] => ({
  facts: {
    campaignId: r[0],
    sessionId: r[1],
    hour: new Date(r[2]),
    started: (r[3] & 1) !== 0,
    outcome: r[3] & 2 ? "finished" : r[3] & 4 ? "handed_off" : null,
    entered: r[4],
    chosen: r[5] && { nodeId: r[5][0], entryId: r[5][1] },
    answered: r[6] && { nodeId: r[6][0], entryId: r[6][1], text: r[6][2] },
    messagesIn: r[7],
    messagesOut: r[8],
    deliveries: r[9],
  },
  phoneNumber: r[10],
  at: new Date(r[11]),
});

/** The statement that appends a batch of turns' report facts; none when they add nothing. */
export function turnEventStatement(all: readonly ReportWrites[]): string[] {
  const t: TurnRow[] = [];
  const x: ExpiryRow[] = [];
  for (const w of all) {
    for (const turn of w.turns) t.push(toRow(turn));
    for (const e of w.expired) x.push([e.campaignId, e.sessionId, e.hour.getTime()]);
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
    for (const row of event.t ?? []) turns.turns.push(fromRow(row));
    for (const [campaignId, sessionId, hour] of event.x ?? [])
      turns.expired.push({ campaignId, sessionId, hour: new Date(hour) });
    for (const sum of event.s ?? []) attempts.push(sum);
    for (const [id, ms, status, at] of event.a ?? []) legacyAttempts.push([id, ms, status, new Date(at)]);
  }
  return { turns, attempts, legacyAttempts };
}
