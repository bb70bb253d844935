import type { TurnFacts } from "@switchboard/domain/report/turn-facts";
import { literal } from "../runtime/sql-literal";

/** A conversation found past its session timeout: counted once, in the hour it expired. */
export interface Expiry {
  campaignId: number;
  sessionId: string;
  hour: Date;
}

/**
 * A turn's facts as a compact row, as its report event carries it and the fold sums it (written for every turn, so
 * its size is CPU, garbage and bytes on every commit): campaign, session, hour (ms), flags (1 started, 2 finished,
 * 4 handed off), node entered, [node, entry] chosen, [node, entry, text] answered, messages in, messages out, entries
 * of the deliveries queued, phone number, at (ms).
 */
export type TurnRow = [
  campaignId: number,
  sessionId: string,
  hour: number,
  flags: number,
  entered: string | null,
  chosen: [nodeId: string, entryId: string] | null,
  answered: [nodeId: string, entryId: string, text: string] | null,
  messagesIn: number,
  messagesOut: number,
  deliveries: string[],
  phoneNumber: string,
  at: number,
];
/** An expiry as a row: campaign, session, hour (ms). */
export type ExpiryRow = [campaignId: number, sessionId: string, hour: number];

const STARTED = 1;
const FINISHED = 2;
const HANDED_OFF = 4;

/** A turn's facts as its row. */
export const turnRow = (f: TurnFacts, phoneNumber: string, at: Date): TurnRow => [
  f.campaignId,
  f.sessionId,
  f.hour.getTime(),
  (f.started ? STARTED : 0) | (f.outcome === "finished" ? FINISHED : 0) | (f.outcome === "handed_off" ? HANDED_OFF : 0),
  f.entered,
  f.chosen && [f.chosen.nodeId, f.chosen.entryId],
  f.answered && [f.answered.nodeId, f.answered.entryId, f.answered.text],
  f.messagesIn,
  f.messagesOut,
  f.deliveries,
  phoneNumber,
  at.getTime(),
];

/** What turns add to the reports, kept until their batch commits, like the turns' other rows. */
export class ReportWrites {
  readonly turns: TurnRow[] = [];
  readonly expired: ExpiryRow[] = [];
}

type Counts = [messagesIn: number, messagesOut: number, started: number, finished: number, handedOff: number];

/**
 * Sums into rows by key (numbers and strings); the rows come back sorted by key, so concurrent batches lock rollup
 * rows in one order.
 */
export class Sums<V extends number[]> {
  private readonly rows = new Map<string, { key: (string | number)[]; values: V }>();
  add(key: (string | number)[], values: V): void {
    const id = key.join("|");
    const row = this.rows.get(id);
    if (!row) this.rows.set(id, { key, values: [...values] as V });
    else for (let i = 0; i < values.length; i++) row.values[i] = (row.values[i] as number) + (values[i] as number);
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
/** An hour (ms) as the rollups' timestamptz. */
const at = (ms: number | string) => new Date(ms);

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
    for (const t of w.turns) {
      const [campaignId, sessionId, hour, flags, entered, chosen, answered, messagesIn, messagesOut] = t;
      const started = flags & STARTED ? 1 : 0;
      hours.add(
        [campaignId, hour],
        [messagesIn, messagesOut, started, flags & FINISHED ? 1 : 0, flags & HANDED_OFF ? 1 : 0],
      );
      if (entered) nodes.add([campaignId, hour, entered], [1]);
      const acted = chosen ?? answered;
      if (acted) {
        entries.add([campaignId, hour, acted[1]], [1, 0]);
        nodeOf.set(acted[1], acted[0]);
      }
      for (const entryId of t[9]) {
        entries.add([campaignId, hour, entryId], [0, 1]);
        // A delivery's entry is in the node of the turn's choice or answer, when the turn had one.
        if (acted && !nodeOf.has(entryId)) nodeOf.set(entryId, acted[0]);
      }
      if (started) participants.set(`${campaignId}|${hour}|${t[10]}`, [campaignId, at(hour), t[10]]);
      if (chosen) marks.set(`${sessionId}|participated`, [sessionId, "participated", campaignId, at(hour)]);
      if (answered) answers.push([campaignId, answered[1], answered[0], answered[2], at(t[11])]);
    }
    for (const [campaignId, sessionId, hour] of w.expired)
      marks.set(`${sessionId}|expired`, [sessionId, "expired", campaignId, at(hour)]);
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
    INSERT INTO report_node_hour (campaign_id, hour, node_id, reached) VALUES ${tuples(
      nodes.values().map(([campaignId, hour, nodeId, reached]) => [campaignId, at(hour as number), nodeId, reached]),
    )}
    ON CONFLICT (campaign_id, hour, node_id) DO UPDATE SET reached = report_node_hour.reached + EXCLUDED.reached)`);
  }
  if (entries.size > 0) {
    ctes.push(`entries AS (
    INSERT INTO report_entry_hour (campaign_id, hour, entry_id, node_id, chosen, deliveries) VALUES ${tuples(
      entries
        .values()
        .map(([campaignId, hour, entryId, chosen, deliveries]) => [
          campaignId,
          at(hour as number),
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
     FROM (VALUES ${tuples(hours.values().map(([campaignId, hour, ...counts]) => [campaignId, at(hour as number), ...counts]))})
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
