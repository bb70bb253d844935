import type pg from "pg";
import { expect, it } from "vitest";
import { describeEachDatabase } from "./harness";

// The message indexes are partial (decision 0043): a statement uses one only when it repeats the index's predicate.
// These are the reads that rely on them, as the runtime, the claims and Live Chat write them; with sequential scans
// off, a read whose predicate no longer matches its index shows a scan of something else.
const reads: { index: string; sql: string }[] = [
  {
    // The turn's messages_waiting and the claim's conversation order.
    index: "delivery_sender_id_phone_number_seq_idx",
    sql: `SELECT 1 FROM delivery d WHERE d.sender_id = '00000000-0000-4000-8000-000000000001' AND d.phone_number = '+1'
            AND d.seq < 10 AND d.kind = 'message' AND d.status::text IN ('pending', 'sending')`,
  },
  {
    // WhatsApp's 24-hour window at claim time; Live Chat's last message from the user.
    index: "conversation_message_sender_id_phone_number_created_at_idx",
    sql: `SELECT max(m.created_at) FROM conversation_message m
           WHERE m.sender_id = '00000000-0000-4000-8000-000000000001' AND m.phone_number = '+1' AND m.direction = 'inbound'`,
  },
];

async function plan(pool: pg.Pool, sql: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query("SET enable_seqscan = off");
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("RESET enable_seqscan");
    client.release();
  }
}

describeEachDatabase("partial message indexes", (h) => {
  it("are read by the statements that need them", async () => {
    for (const { index, sql } of reads) expect(await plan(h.db.pool, sql)).toContain(index);
  });

  it("hold no webhook and no outbound transcript line", async () => {
    const { rows } = await h.db.pool.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE indexname IN ('delivery_sender_id_phone_number_seq_idx', 'delivery_provider_message_id_idx',
                            'conversation_message_sender_id_phone_number_created_at_idx')
        ORDER BY indexname`,
    );
    expect(rows.map((r) => [r.name, r.definition.replace(/^.* WHERE /, "")])).toEqual([
      ["conversation_message_sender_id_phone_number_created_at_idx", "(direction = 'inbound'::\"MessageDirection\")"],
      ["delivery_provider_message_id_idx", "(provider_message_id IS NOT NULL)"],
      ["delivery_sender_id_phone_number_seq_idx", "(kind = 'message'::text)"],
    ]);
  });
});
