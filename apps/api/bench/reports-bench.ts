// pnpm bench:reports — a chatbot of 20 nodes with 1,000,000 inbound messages over the last 30 days, then the report
// API's latency (p50/p95 of GET /api/v1/campaigns/{id}/report over 30 days, day by day, and over today, hour by hour),
// on PostgreSQL and on the embedded PGlite. A sample of conversations goes through the real write path (the inbound
// API, which writes the rollups with the turns); the rest is generated with SQL: sessions and inbound transcripts, and
// their rollups derived from them as the write path would have counted them (decision 0031).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { call, createChatbot, driveInbound, type RunningApi, startApi } from "./harness";

const NODES = 20;
const TARGET_MESSAGES = 1_000_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const SAMPLE_CONNECTIONS = 20;
const SAMPLE_PHONES = 200;
const SENDER = "+525599990002";
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const env = { ALLOW_HTTP_WEBHOOKS: "true", WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32" };

/** A chain of 20 nodes: each offers 1 (the next node; every 4th with its webhook toggled on) and 2 (skip one). */
async function seed(api: string) {
  const { base, nodes } = await createChatbot(api, { senderAddress: SENDER, name: "Bench report", trigger: "BENCH" });
  const ids = nodes.map((n) => n.id);
  while (ids.length < NODES) {
    ids.push(
      (await call<{ id: string }>(`${base}/nodes`, "POST", { label: `Step ${ids.length}`, message: "Next?" })).id,
    );
  }
  await call(`${base}/nodes/${ids[0]}`, "PATCH", { message: "Welcome: 1 to go on, 2 to skip" });
  const optionOne: string[] = [];
  for (let i = 0; i < NODES - 1; i++) {
    await call(`${base}/nodes/${ids[i]}`, "PATCH", {
      label: i === 0 ? "Welcome Message" : `Step ${i}`,
      message: "1 or 2?",
    });
    const one = await call<{ id: string }>(`${base}/nodes/${ids[i]}/entries`, "POST", {
      keyword: "1",
      menuText: "Go on",
      redirectType: "interaction",
      redirectTo: ids[i + 1],
      // A closed port: attempts fail at once and are retried later, as a receiver that is down.
      ...(i % 4 === 0 ? { webhookEnabled: true, webhook: { url: "http://127.0.0.1:9/hook" } } : {}),
    });
    optionOne.push(one.id);
    await call(`${base}/nodes/${ids[i]}/entries`, "POST", {
      keyword: "2",
      menuText: "Skip",
      redirectType: "interaction",
      redirectTo: ids[Math.min(i + 2, NODES - 1)],
    });
  }
  await call(`${base}/nodes/${ids[NODES - 1]}`, "PATCH", { label: "The end", message: "Thank you!" });
  await call(`${base}/publish`, "POST");
  const campaignId = Number(base.split("/").at(-1));
  return { base, campaignId, nodes: ids, optionOne };
}

/**
 * Conversations through the inbound API: 200 phone numbers each say BENCH, then 1 ten times. A counter shared by the
 * connections orders the texts (autocannon resets a connection's context after every request).
 */
async function sample(api: string): Promise<number> {
  const phones = SAMPLE_PHONES;
  let i = 0;
  const result = await driveInbound(api, { connections: SAMPLE_CONNECTIONS, amount: phones * 11 }, () => {
    const n = i++;
    const from = `+5256${String(10_000_000 + (n % phones))}`;
    return { channel: "sms", from, to: SENDER, text: n < phones ? "BENCH" : "1" };
  });
  if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx + result.errors} sample messages failed.`);
  return result.requests.total;
}

/**
 * The generated traffic: conversation c starts at an even spacing over 30 days, from one of 60,000 phone numbers, and
 * walks 1 + (7c mod 19) steps (choosing 1) — 11 inbound messages on average, one reply each.
 */
async function generate(query: Query, bot: Awaited<ReturnType<typeof seed>>, remaining: number) {
  // 11 messages per conversation on average, rounded so the total reaches the target.
  const conversations = Math.ceil(remaining / 11) + 2;
  const nodes = `ARRAY[${bot.nodes.map((n) => `'${n}'`).join(",")}]::text[]`;
  const options = `ARRAY[${bot.optionOne.map((n) => `'${n}'`).join(",")}]::text[]`;
  const steps = [
    `CREATE TEMP TABLE gen AS
       SELECT c, gen_random_uuid() AS session_id, '+5257' || lpad((c * 7919 % 60000)::text, 8, '0') AS phone,
              now() - interval '30 days' + (c::float8 / ${conversations}) * interval '30 days' AS started_at,
              1 + (c * 7) % 19 AS steps
         FROM generate_series(0, ${conversations - 1}) AS c`,
    `CREATE TEMP TABLE gen_msg AS
       SELECT g.c, g.session_id, g.phone, j, g.started_at + j * interval '1 minute' AS at
         FROM gen g, generate_series(0, g.steps) AS j`,
    `INSERT INTO conversation_session (id, sender_id, phone_number, campaign_id, flow_version, node_id, status, test,
                                       started_at, last_activity_at)
     SELECT g.session_id, s.id, g.phone, ${bot.campaignId}, 1, (${nodes})[g.steps + 1],
            CASE WHEN g.steps = ${NODES - 1} THEN 'ended' ELSE 'active' END::"SessionStatus", false,
            g.started_at, g.started_at + g.steps * interval '1 minute'
       FROM gen g, sender s WHERE s.address = '${SENDER}'`,
    `INSERT INTO conversation_message (id, session_id, sender_id, phone_number, direction, text, test, created_at)
     SELECT gen_random_uuid(), m.session_id, s.id, m.phone, 'inbound', CASE WHEN m.j = 0 THEN 'BENCH' ELSE '1' END, false, m.at
       FROM gen_msg m, sender s WHERE s.address = '${SENDER}'`,
    // The rollups, as the write path counts them.
    `INSERT INTO report_hour AS r (campaign_id, hour, messages_in, messages_out, started, finished, participated)
     SELECT ${bot.campaignId}, hour, sum(n_in), sum(n_in), sum(started), sum(finished), sum(participated) FROM (
       SELECT date_trunc('hour', at, 'UTC') AS hour, 1 AS n_in, (j = 0)::int AS started,
              (j = ${NODES - 1})::int AS finished, (j = 1)::int AS participated FROM gen_msg) t
      GROUP BY hour
     ON CONFLICT (campaign_id, hour) DO UPDATE SET messages_in = r.messages_in + EXCLUDED.messages_in,
        messages_out = r.messages_out + EXCLUDED.messages_out, started = r.started + EXCLUDED.started,
        finished = r.finished + EXCLUDED.finished, participated = r.participated + EXCLUDED.participated`,
    `INSERT INTO report_node_hour AS r (campaign_id, hour, node_id, reached)
     SELECT ${bot.campaignId}, date_trunc('hour', at, 'UTC'), (${nodes})[j + 1], count(*) FROM gen_msg GROUP BY 2, 3
     ON CONFLICT (campaign_id, hour, node_id) DO UPDATE SET reached = r.reached + EXCLUDED.reached`,
    `INSERT INTO report_entry_hour AS r (campaign_id, hour, entry_id, node_id, chosen, deliveries)
     SELECT ${bot.campaignId}, date_trunc('hour', at, 'UTC'), (${options})[j], (${nodes})[j], count(*),
            count(*) FILTER (WHERE (j - 1) % 4 = 0)
       FROM gen_msg WHERE j > 0 GROUP BY 2, 3, 4
     ON CONFLICT (campaign_id, hour, entry_id) DO UPDATE SET chosen = r.chosen + EXCLUDED.chosen,
        deliveries = r.deliveries + EXCLUDED.deliveries`,
    // One attempt per delivery, 95 % delivered, durations spread over a dozen latency buckets.
    `INSERT INTO report_attempt_hour AS r (campaign_id, hour, entry_id, bucket, attempts, delivered, failed)
     SELECT ${bot.campaignId}, date_trunc('hour', at, 'UTC'), (${options})[j], 3 + (c * 31 + j) % 12, count(*),
            count(*) FILTER (WHERE c % 20 <> 0), count(*) FILTER (WHERE c % 20 = 0)
       FROM gen_msg WHERE j > 0 AND (j - 1) % 4 = 0 GROUP BY 2, 3, 4
     ON CONFLICT (campaign_id, hour, entry_id, bucket) DO UPDATE SET attempts = r.attempts + EXCLUDED.attempts,
        delivered = r.delivered + EXCLUDED.delivered, failed = r.failed + EXCLUDED.failed`,
    `INSERT INTO report_participant (campaign_id, hour, phone_number)
     SELECT DISTINCT ${bot.campaignId}, date_trunc('hour', started_at, 'UTC'), phone FROM gen ON CONFLICT DO NOTHING`,
    `INSERT INTO report_session_mark (session_id, kind, campaign_id)
     SELECT session_id, 'participated', ${bot.campaignId} FROM gen`,
    "DROP TABLE gen_msg",
    "DROP TABLE gen",
    "ANALYZE",
  ];
  for (const sql of steps) await query(sql);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

async function timeReport(url: string) {
  for (let i = 0; i < 3; i++) await call(url, "GET");
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await call(url, "GET");
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(percentile(times, 0.5)), p95: Math.round(percentile(times, 0.95)) };
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/**
 * Seeds through `api`, then generates the rest with `withDatabase` (which may stop the API to reach its database, and
 * answers the API to measure), then times the report.
 */
async function measure(
  label: string,
  api: RunningApi,
  withDatabase: (work: (query: Query) => Promise<void>) => Promise<RunningApi>,
) {
  const bot = await seed(api.url);
  const sampled = await sample(api.url);
  const started = Date.now();
  let messages = 0;
  const measured = await withDatabase(async (query) => {
    await generate(query, bot, TARGET_MESSAGES - sampled);
    const [row] = await query(
      `SELECT count(*)::int AS n FROM conversation_message m JOIN conversation_session s ON s.id = m.session_id
        WHERE s.campaign_id = ${bot.campaignId} AND m.direction = 'inbound'`,
    );
    messages = Number(row?.n ?? 0);
  });
  try {
    const seedSeconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(
      `  ${label}: ${messages} inbound messages (${sampled} through the API), generated in ${seedSeconds} s\n`,
    );
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const month = await call<{ from: string; to: string; today: string; totals: Record<string, number> }>(
      `${bot.base}/report?granularity=day&from=${from}`,
      "GET",
    );
    const thirtyDays = await timeReport(`${bot.base}/report?granularity=day&from=${month.from}&to=${month.to}`);
    const today = await timeReport(`${bot.base}/report?granularity=hour&from=${month.today}&to=${month.today}`);
    return {
      database: label,
      "inbound messages": messages,
      "through the API": sampled,
      participants: month.totals.participants,
      "conversations started": month.totals.started,
      "30 days p50 ms": thirtyDays.p50,
      "30 days p95 ms": thirtyDays.p95,
      "today (hourly) p50 ms": today.p50,
      "today (hourly) p95 ms": today.p95,
    };
  } finally {
    await measured.stop();
  }
}

async function main() {
  const rows = [];
  const database = `switchboard_reports_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  try {
    const api = await startApi({ ...env, DATABASE_URL: url.toString() }, 3230);
    rows.push(
      await measure("PostgreSQL", api, async (work) => {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          await work(async (sql) => (await client.query(sql)).rows);
        } finally {
          await client.end();
        }
        return api;
      }),
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-reports-"));
  try {
    const embeddedEnv = { ...env, DATA_DIR: dataDir };
    const api = await startApi(embeddedEnv, 3231);
    rows.push(
      await measure("PGlite (embedded)", api, async (work) => {
        // The embedded database belongs to the API's process: stop it, generate in this one, start it again.
        await api.stop();
        const db = await PGlite.create({ dataDir: path.join(dataDir, "pglite") });
        try {
          await work(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows);
        } finally {
          await db.close();
        }
        return startApi(embeddedEnv, 3231);
      }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nReports: one chatbot of ${NODES} nodes, ${TARGET_MESSAGES.toLocaleString("en")} inbound messages over 30 days; ${REQUESTS} sequential requests per range`,
  );
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
