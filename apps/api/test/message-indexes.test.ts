import type pg from "pg";
import { expect, it } from "vitest";
import { ConversationTx, prepareAll } from "../src/runtime/runtime-store";
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

const TEST_NAME = "sb_load_plan_test";

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

  it("are read by the turns' load, whose generic plan reads each conversation through its indexes", async () => {
    const client = await h.db.pool.connect();
    try {
      // Under a name of its own: the pool's connections may hold the runtime's own prepared statements.
      await client.query(prepareAll.replace("PREPARE sb_load ", `PREPARE ${TEST_NAME} `));
      // The plan a connection keeps once PostgreSQL stops planning each execution (decision 0042).
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query("SET enable_seqscan = off");
      const conversation = { channel: "sms" as const, address: "+15550001", test: false };
      const load = ConversationTx.loadStatement([
        { ...conversation, phoneNumber: "+15550002", providerMessageId: "SM1" },
        { ...conversation, phoneNumber: "+15550003", providerMessageId: null },
      ]).replace("EXECUTE sb_load(", `EXECUTE ${TEST_NAME}(`);
      expect(load).toContain(TEST_NAME);
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${load}`);
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      for (const index of [
        "sender_channel_address_key",
        "conversation_message_sender_id_phone_number_created_at_idx",
        "conversation_session_sender_id_phone_number_test_started_at_idx",
        "opt_out_pkey",
        "delivery_sender_id_phone_number_seq_idx",
      ])
        expect(plan).toContain(index);
      expect(plan).not.toContain("Seq Scan");
      // Both conversations answered, in order, even with nothing stored for them.
      const { rows: loaded } = await client.query(load);
      expect(loaded).toHaveLength(2);
      expect(loaded.every((r) => r.sender_id === null)).toBe(true);
    } finally {
      await client.query(`DEALLOCATE ${TEST_NAME}; RESET plan_cache_mode; RESET enable_seqscan`);
      client.release();
    }
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
