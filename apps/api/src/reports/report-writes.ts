import type { TurnFacts } from "@switchboard/domain/report/turn-facts";
import { literal } from "../runtime/sql-literal";

/** A conversation found past its session timeout: counted once, in the hour it expired. */
export interface Expiry {
  campaignId: number;
  sessionId: string;
  hour: Date;
}

/** What a turn adds to the reports, kept until its batch commits, like the turn's other rows. */
export class ReportWrites {
  readonly turns: { facts: TurnFacts; phoneNumber: string; at: Date }[] = [];
  readonly expired: Expiry[] = [];
}

type Counts = [messagesIn: number, messagesOut: number, started: number, finished: number, handedOff: number];

/** Sums into rows by key; the rows come back sorted by key, so concurrent batches lock rollup rows in one order. */
export class Sums<V extends number[]> {
  private readonly rows = new Map<string, { key: unknown[]; values: V }>();
  add(key: unknown[], values: V): void {
    const id = key.map((k) => (k instanceof Date ? k.toISOString() : String(k))).join("|");
    const row = this.rows.get(id);
    if (!row) this.rows.set(id, { key, values: [...values] as V });
    else for (const [i, v] of values.entries()) row.values[i] = (row.values[i] as number) + v;
  }
  get size(): number {
    return this.rows.size;
  }
  values(): unknown[][] {
    return [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => [...r.key, ...r.values]);
  }
}

const tuples = (rows: unknown[][]) => rows.map((row) => `(${row.map(literal).join(", ")})`).join(", ");

/**
 * One statement that adds a batch of turns to the rollups (decision 0031): the sums per chatbot and hour, the nodes
 * entered, the entries chosen or answered and their deliveries, the participants, the free-text answers, and the
 * once-per-conversation marks (participated, expired), whose first sighting alone is counted in the hourly row. One
 * statement rather than one per table: PostgreSQL's cost per statement dominated the turn's writes (decision 0017).
 */
export function reportStatements(all: readonly ReportWrites[]): string[] {
  const hours = new Sums<Counts>();
  const nodes = new Sums<[number]>();
  // Keyed by the rollup's own key (chatbot, hour, entry): two rows with one key in one upsert are an error, and the
  // fold sums many turns at once.
  const entries = new Sums<[number, number]>();
  const nodeOf = new Map<string, string>();
  const participants = new Map<string, unknown[]>();
  const marks = new Map<string, unknown[]>();
  const answers: unknown[][] = [];
  for (const w of all) {
    for (const { facts: f, phoneNumber, at } of w.turns) {
      const outcome: [number, number] = [f.outcome === "finished" ? 1 : 0, f.outcome === "handed_off" ? 1 : 0];
      hours.add([f.campaignId, f.hour], [f.messagesIn, f.messagesOut, f.started ? 1 : 0, ...outcome]);
      if (f.entered) nodes.add([f.campaignId, f.hour, f.entered], [1]);
      const acted = f.chosen ?? f.answered;
      if (acted) {
        entries.add([f.campaignId, f.hour, acted.entryId], [1, 0]);
        nodeOf.set(acted.entryId, acted.nodeId);
      }
      for (const entryId of f.deliveries) {
        entries.add([f.campaignId, f.hour, entryId], [0, 1]);
        // A delivery's entry is in the node of the turn's choice or answer, when the turn had one.
        if (acted && !nodeOf.has(entryId)) nodeOf.set(entryId, acted.nodeId);
      }
      if (f.started)
        participants.set(`${f.campaignId}|${f.hour.getTime()}|${phoneNumber}`, [f.campaignId, f.hour, phoneNumber]);
      if (f.chosen) marks.set(`${f.sessionId}|participated`, [f.sessionId, "participated", f.campaignId, f.hour]);
      if (f.answered) answers.push([f.campaignId, f.answered.entryId, f.answered.nodeId, f.answered.text, at]);
    }
    for (const e of w.expired) marks.set(`${e.sessionId}|expired`, [e.sessionId, "expired", e.campaignId, e.hour]);
  }
  if (hours.size === 0 && marks.size === 0) return [];

  const ctes: string[] = [];
  if (marks.size > 0) {
    ctes.push(
      `mark_values (session_id, kind, campaign_id, hour) AS (VALUES ${tuples([...marks.values()])})`,
      `marks AS (
    INSERT INTO report_session_mark (session_id, kind, campaign_id)
    SELECT session_id::uuid, kind, campaign_id::int FROM mark_values
    ON CONFLICT DO NOTHING RETURNING session_id, kind)`,
    );
  }
  if (nodes.size > 0) {
    ctes.push(`nodes AS (
    INSERT INTO report_node_hour (campaign_id, hour, node_id, reached) VALUES ${tuples(nodes.values())}
    ON CONFLICT (campaign_id, hour, node_id) DO UPDATE SET reached = report_node_hour.reached + EXCLUDED.reached)`);
  }
  if (entries.size > 0) {
    ctes.push(`entries AS (
    INSERT INTO report_entry_hour (campaign_id, hour, entry_id, node_id, chosen, deliveries) VALUES ${tuples(
      entries
        .values()
        .map(([campaignId, hour, entryId, chosen, deliveries]) => [
          campaignId,
          hour,
          entryId,
          nodeOf.get(entryId as string) ?? "",
          chosen,
          deliveries,
        ]),
    )}
    ON CONFLICT (campaign_id, hour, entry_id) DO UPDATE SET chosen = report_entry_hour.chosen + EXCLUDED.chosen,
      deliveries = report_entry_hour.deliveries + EXCLUDED.deliveries,
      node_id = CASE WHEN EXCLUDED.node_id = '' THEN report_entry_hour.node_id ELSE EXCLUDED.node_id END)`);
  }
  if (participants.size > 0) {
    ctes.push(`participants AS (
    INSERT INTO report_participant (campaign_id, hour, phone_number) VALUES ${tuples([...participants.values()])}
    ON CONFLICT DO NOTHING)`);
  }
  if (answers.length > 0) {
    ctes.push(`answers AS (
    INSERT INTO report_answer (campaign_id, entry_id, node_id, text, at) VALUES ${tuples(answers)})`);
  }
  const sources = [
    ...(hours.size > 0
      ? [
          `SELECT campaign_id::int, hour::timestamptz, messages_in::int, messages_out::int, started::int, finished::int,
          handed_off::int, 0 AS participated, 0 AS expired
     FROM (VALUES ${tuples(hours.values())})
       AS v(campaign_id, hour, messages_in, messages_out, started, finished, handed_off)`,
        ]
      : []),
    ...(marks.size > 0
      ? [
          `SELECT v.campaign_id::int, v.hour::timestamptz, 0, 0, 0, 0, 0,
          (m.kind = 'participated')::int, (m.kind = 'expired')::int
     FROM marks m JOIN mark_values v ON v.session_id::uuid = m.session_id AND v.kind = m.kind`,
        ]
      : []),
  ];
  return [
    `WITH ${ctes.length ? ctes.join(",\n  ") : "none AS (SELECT 1)"}
INSERT INTO report_hour (campaign_id, hour, messages_in, messages_out, started, finished, handed_off, participated, expired)
SELECT campaign_id, hour, sum(messages_in), sum(messages_out), sum(started), sum(finished), sum(handed_off),
       sum(participated), sum(expired)
  FROM (${sources.join("\n    UNION ALL ")}) AS t(campaign_id, hour, messages_in, messages_out, started, finished, handed_off, participated, expired)
 GROUP BY campaign_id, hour
 ORDER BY campaign_id, hour
ON CONFLICT (campaign_id, hour) DO UPDATE SET
  messages_in = report_hour.messages_in + EXCLUDED.messages_in,
  messages_out = report_hour.messages_out + EXCLUDED.messages_out,
  started = report_hour.started + EXCLUDED.started,
  finished = report_hour.finished + EXCLUDED.finished,
  handed_off = report_hour.handed_off + EXCLUDED.handed_off,
  participated = report_hour.participated + EXCLUDED.participated,
  expired = report_hour.expired + EXCLUDED.expired`,
  ];
}
