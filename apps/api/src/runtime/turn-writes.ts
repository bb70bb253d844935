import { turnEventStatement } from "../reports/report-events";
import { ReportWrites } from "../reports/report-writes";
import { literal } from "./sql-literal";

/** The columns of each table's rows, in the order TurnWrites holds their values. */
const columns = {
  sessionsStarted: `id, sender_id, phone_number, campaign_id, flow_version, node_id, awaiting_entry_id, status, test,
    started_at, last_activity_at`,
  sessionsMoved: "id, node_id, awaiting_entry_id, status, last_activity_at",
  contacts: "id, phone_number, test, attributes, created_at, updated_at",
  messages: `id, session_id, sender_id, phone_number, direction, text, options, provider_message_id, result, test,
    created_at`,
  deliveries: `id, campaign_id, entry_id, node_id, session_id, mode, url, headers, payload, test, created_at,
    next_attempt_at, signing_secret, integration_id, status, attempts, lease_until, kind, sender_id, phone_number,
    message_text, request_id`,
} as const;

/**
 * The rows turns write, kept as values until the commit, where a batch of turns sends one multi-row statement per
 * table rather than one statement per row: PostgreSQL's cost per statement, not per row, dominated the runtime's
 * share of the database (decision 0017). Each row holds the values of its table's `columns`.
 */
export class TurnWrites {
  readonly sessionsStarted: unknown[][] = [];
  readonly sessionsMoved: unknown[][] = [];
  readonly contacts: unknown[][] = [];
  readonly messages: unknown[][] = [];
  readonly deliveries: unknown[][] = [];
  /** What the turn adds to its chatbots' reports: its event commits with it, folded into the rollups later (0040). */
  readonly report = new ReportWrites();
  /** Live Chat's hand-overs and inbox messages (live-chat-writes.ts): rare, so whole statements. */
  readonly liveChat: string[] = [];
}

/** The statements that write every turn's rows, in an order that satisfies the foreign keys (sessions first). */
export function writeStatements(turns: readonly TurnWrites[]): string[] {
  const values = (rows: unknown[][]) => rows.map((row) => `(${row.map(literal).join(", ")})`).join(",\n  ");
  const statements: string[] = [];
  const write = (kind: keyof typeof columns, sql: (values: string, columns: string) => string, rows?: unknown[][]) => {
    const all = rows ?? turns.flatMap((w) => w[kind]);
    if (all.length) statements.push(sql(values(all), columns[kind]));
  };
  const insert = (table: string) => (v: string, c: string) => `INSERT INTO ${table} (${c}) VALUES ${v}`;

  write("sessionsStarted", insert("conversation_session"));
  // A VALUES list outside INSERT types its columns from the literals (text), hence the casts.
  write(
    "sessionsMoved",
    (v, c) => `UPDATE conversation_session s
   SET node_id = v.node_id, awaiting_entry_id = v.awaiting_entry_id, status = v.status::"SessionStatus",
       last_activity_at = v.last_activity_at::timestamptz
  FROM (VALUES ${v}) AS v(${c})
 WHERE s.id = v.id::uuid`,
  );
  // One phone number may talk to two senders in one batch: its contact row is written once, with the later turn's.
  write(
    "contacts",
    (v, c) => `${insert("contact")(v, c)}
ON CONFLICT (phone_number, test) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at`,
    [...new Map(turns.flatMap((w) => w.contacts).map((row) => [`${row[1]}|${row[2]}`, row])).values()],
  );
  write("messages", insert("conversation_message"));
  write("deliveries", insert("delivery"));
  for (const w of turns) statements.push(...w.liveChat);
  statements.push(...turnEventStatement(turns.map((w) => w.report)));
  return statements;
}
