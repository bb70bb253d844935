import type { TurnFacts } from "@switchboard/domain/report/turn-facts";
import { literal } from "../runtime/sql-literal";
import { type Expiry, ReportWrites } from "./report-writes";

// What turns and attempts add to the reports travels as one JSON row per committed batch (report_event), folded into
// the rollups a moment later by ReportFold (decision 0040). The row commits with the turns or attempts it counts, so
// nothing is counted that did not happen, and nothing that happened is lost.

/** An attempt as the reports count it: the delivery, how long it took (ms), its next status, when it was made. */
export type AttemptFact = [deliveryId: string, durationMs: number, nextStatus: string, at: Date];

interface TurnEvent {
  turns: { facts: TurnFacts; phoneNumber: string; at: string }[];
  expired: (Omit<Expiry, "hour"> & { hour: string })[];
}
interface AttemptEvent {
  attempts: [string, number, string, string][];
}

/** The statement that appends a batch of turns' report facts; none when they add nothing. */
export function turnEventStatement(all: readonly ReportWrites[]): string[] {
  const turns = all.flatMap((w) => w.turns);
  const expired = all.flatMap((w) => w.expired);
  if (turns.length === 0 && expired.length === 0) return [];
  return [`INSERT INTO report_event (body) VALUES (${literal(JSON.stringify({ turns, expired }))})`];
}

/** A batch of attempts' report event, or null when there is nothing to count (test sends are never counted). */
export function attemptEvent(attempts: readonly AttemptFact[]): string | null {
  return attempts.length === 0 ? null : JSON.stringify({ attempts } satisfies { attempts: readonly AttemptFact[] });
}

/** Events read back: the turns' writes (dates revived) and every attempt. */
export function readEvents(bodies: readonly string[]): { turns: ReportWrites; attempts: AttemptFact[] } {
  const turns = new ReportWrites();
  const attempts: AttemptFact[] = [];
  for (const body of bodies) {
    const event = JSON.parse(body) as Partial<TurnEvent & AttemptEvent>;
    for (const t of event.turns ?? [])
      turns.turns.push({
        facts: { ...t.facts, hour: new Date(t.facts.hour) },
        phoneNumber: t.phoneNumber,
        at: new Date(t.at),
      });
    for (const e of event.expired ?? []) turns.expired.push({ ...e, hour: new Date(e.hour) });
    for (const [id, ms, status, at] of event.attempts ?? []) attempts.push([id, ms, status, new Date(at)]);
  }
  return { turns, attempts };
}
