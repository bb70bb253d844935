import type pg from "pg";
import { literal } from "./sql-literal";

/**
 * The rows turns write, kept as values until the commit, where a batch of turns sends one multi-row statement per
 * table rather than one statement per row: PostgreSQL's cost per statement, not per row, dominated the runtime's
 * share of the database (decision 0017).
 */
export class TurnWrites {
  /** id, sender_id, phone_number, campaign_id, flow_version, node_id, awaiting_entry_id, status, test, started_at, last_activity_at */
  readonly sessionsStarted: unknown[][] = [];
  /** id, node_id, awaiting_entry_id, status, last_activity_at */
  readonly sessionsMoved: unknown[][] = [];
  /** id, phone_number, test, attributes, created_at, updated_at */
  readonly contacts: unknown[][] = [];
  /** id, session_id, sender_id, phone_number, direction, text, options, provider_message_id, result, test, created_at */
  readonly messages: unknown[][] = [];
  /** id, campaign_id, entry_id, node_id, session_id, mode, url, headers, payload, test, created_at, next_attempt_at, signing_secret, integration_id,
   * status, attempts, lease_until */
  readonly deliveries: unknown[][] = [];
}

/** The statements that write every turn's rows, in an order that satisfies the foreign keys (sessions first). */
export function writeStatements(client: Pick<pg.ClientBase, "escapeLiteral">, turns: readonly TurnWrites[]): string[] {
  const values = (rows: unknown[][]) =>
    rows.map((row) => `(${row.map((v) => literal(client, v)).join(", ")})`).join(",\n  ");
  const all = (pick: (w: TurnWrites) => unknown[][]) => turns.flatMap(pick);
  const statements: string[] = [];

  const started = all((w) => w.sessionsStarted);
  if (started.length)
    statements.push(`INSERT INTO conversation_session
  (id, sender_id, phone_number, campaign_id, flow_version, node_id, awaiting_entry_id, status, test, started_at, last_activity_at)
VALUES ${values(started)}`);

  const moved = all((w) => w.sessionsMoved);
  if (moved.length)
    // A VALUES list outside INSERT types its columns from the literals (text), hence the casts.
    statements.push(`UPDATE conversation_session s
   SET node_id = v.node_id, awaiting_entry_id = v.awaiting_entry_id, status = v.status::"SessionStatus",
       last_activity_at = v.last_activity_at::timestamptz
  FROM (VALUES ${values(moved)}) AS v(id, node_id, awaiting_entry_id, status, last_activity_at)
 WHERE s.id = v.id::uuid`);

  // One phone number may talk to two senders in one batch: its contact row is written once, with the later turn's.
  const contacts = [...new Map(all((w) => w.contacts).map((c) => [`${c[1]}|${c[2]}`, c])).values()];
  if (contacts.length)
    statements.push(`INSERT INTO contact (id, phone_number, test, attributes, created_at, updated_at)
VALUES ${values(contacts)}
ON CONFLICT (phone_number, test) DO UPDATE SET attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at`);

  const messages = all((w) => w.messages);
  if (messages.length)
    statements.push(`INSERT INTO conversation_message
  (id, session_id, sender_id, phone_number, direction, text, options, provider_message_id, result, test, created_at)
VALUES ${values(messages)}`);

  const deliveries = all((w) => w.deliveries);
  if (deliveries.length)
    statements.push(`INSERT INTO delivery
  (id, campaign_id, entry_id, node_id, session_id, mode, url, headers, payload, test, created_at, next_attempt_at, signing_secret, integration_id,
   status, attempts, lease_until)
VALUES ${values(deliveries)}`);
  return statements;
}
