// pnpm bench:channels — end users on the fake WhatsApp Cloud API (its own process): each signed notification into
// our WhatsApp route fires one reply, written to the outbox in the turn and sent by the dispatcher to the fake's
// messages endpoint. Reports inbound messages/s, replies delivered/s, p50/p99 from the provider's POST to the reply
// reaching it, and lost and out-of-order replies (order checked per phone number against the outbox's sequence), on
// PostgreSQL and on the embedded PGlite. Compare replies/s with bench:dispatch's in-process webhooks/s of the same run.
import { fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import autocannon from "autocannon";
import pg from "pg";
import { call, median, type RunningApi, startApi } from "./harness";

const PHONES = 1000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const modes = new Set((process.env.BENCH_MODES ?? "postgres,pglite").split(","));
const digits = (i: number) => `5255${String(30_000_000 + i)}`;

interface Fake {
  url: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  businessAccountId: string;
  /** What it accepted since the last call: [to, our delivery id, ms]. */
  drain(): Promise<[string, string, number][]>;
  stop(): void;
}

async function startFake(): Promise<Fake> {
  const child = fork(path.join(import.meta.dirname, "fake-whatsapp-process.mjs"), { stdio: "inherit" });
  const ready = await new Promise<Omit<Fake, "drain" | "stop">>((resolve) =>
    child.once("message", (m: Omit<Fake, "drain" | "stop">) => resolve(m)),
  );
  return {
    ...ready,
    drain: () =>
      new Promise((resolve) => {
        child.once("message", (m: { accepted: [string, string, number][] }) => resolve(m.accepted));
        child.send({ cmd: "drain" });
      }),
    stop: () => child.kill(),
  };
}

/** Meta's notification of one text message, and its X-Hub-Signature-256. */
function notification(fake: Fake, from: string, id: string, text: string) {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: fake.businessAccountId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: fake.phoneNumberId },
              contacts: [{ profile: { name: "Bench" }, wa_id: from }],
              messages: [
                { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } },
              ],
            },
            field: "messages",
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac("sha256", fake.appSecret).update(body).digest("hex")}`;
  return { body, signature };
}

/** A WhatsApp Cloud API sender and a chatbot whose two nodes lead to each other: every "1" fires one reply. */
async function seed(api: string, fake: Fake) {
  const sender = await call<{ id: string }>(`${api}/api/v1/senders`, "POST", {
    name: "Bench WhatsApp",
    channel: "whatsapp",
    address: "+15550783881",
    provider: "whatsapp_cloud",
    settings: { phoneNumberId: fake.phoneNumberId, businessAccountId: fake.businessAccountId },
    credentials: { accessToken: fake.accessToken, appSecret: fake.appSecret },
  });
  const campaign = await call<{ id: number }>(`${api}/api/v1/campaigns`, "POST", {
    name: "Channels bench",
    type: "chatbot",
    channel: "whatsapp",
    senderId: sender.id,
    status: "active",
    triggerKeywords: ["MENU"],
  });
  const base = `${api}/api/v1/campaigns/${campaign.id}`;
  const [a, b, ...rest] = (await call<{ nodes: { id: string }[] }>(`${base}/flow`, "GET")).nodes;
  for (const n of rest) await call(`${base}/nodes/${n.id}`, "DELETE");
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    await call(`${base}/nodes/${from?.id}`, "PATCH", { message: "Choose" });
    await call(`${base}/nodes/${from?.id}/entries`, "POST", {
      keyword: "1",
      menuText: "Again",
      redirectType: "interaction",
      redirectTo: to?.id,
    });
  }
  await call(`${base}/publish`, "POST");
  const hook = `${api}/api/v1/providers/whatsapp/${sender.id}`;
  // Every phone number starts a session first; the measured messages each fire one reply.
  let i = 0;
  await drive(hook, fake, { connections: 20, amount: PHONES }, () => ({ from: digits(i++ % PHONES), text: "MENU" }));
  await drained(api);
  return { hook, seeded: await fake.drain() };
}

let messageSeq = 0;
/** Drives our WhatsApp route; `sent` is told of each notification's phone number and when it went. */
function drive(
  hook: string,
  fake: Fake,
  options: { connections: number; seconds?: number; amount?: number; rate?: number },
  next: () => { from: string; text: string },
  sent?: (from: string, at: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: hook,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: "POST",
            setupRequest: (req) => {
              const { from, text } = next();
              const { body, signature } = notification(fake, from, `wamid.bench-${process.pid}-${++messageSeq}`, text);
              sent?.(from, Date.now());
              return {
                ...req,
                headers: { "content-type": "application/json", "x-hub-signature-256": signature },
                body,
              };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function drained(api: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [pending, sending] = await Promise.all(
      ["pending", "sending"].map((status) =>
        call<{ total: number }>(`${api}/api/v1/deliveries?kind=message&status=${status}&limit=1`, "GET"),
      ),
    );
    if ((pending?.total ?? 0) + (sending?.total ?? 0) === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number) : Number.NaN;

async function phase(api: RunningApi, hook: string, fake: Fake, rate?: number) {
  let i = 0;
  const sentAt = new Map<string, number[]>();
  const result = await drive(
    hook,
    fake,
    { connections: CONNECTIONS, seconds: SECONDS, ...(rate ? { rate } : {}) },
    () => ({ from: digits(i++ % PHONES), text: "1" }),
    (from, at) => {
      const list = sentAt.get(from);
      if (list) list.push(at);
      else sentAt.set(from, [at]);
    },
  );
  await drained(api.url);
  const accepted = await fake.drain();
  // The k-th reply to a phone number answers its k-th message (one reply each, sent in conversation order).
  const latencies: number[] = [];
  const seen = new Map<string, number>();
  for (const [to, , at] of accepted) {
    const k = seen.get(to) ?? 0;
    seen.set(to, k + 1);
    const start = sentAt.get(to)?.[k];
    if (start !== undefined) latencies.push(at - start);
  }
  latencies.sort((a, b) => a - b);
  const first = accepted[0]?.[2] ?? 0;
  const last = accepted.at(-1)?.[2] ?? 0;
  return {
    inboundPerSecond: result.requests.average,
    accepted: result["2xx"],
    replies: accepted,
    repliesPerSecond: last > first ? accepted.length / ((last - first) / 1000) : 0,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    // The inbound POST's own answer (our route answers once the turn has committed): the rest is the send.
    inboundP50: result.latency.p50,
    inboundP99: result.latency.p99,
  };
}

/** Against the outbox: replies it holds but the fake never got (lost), got twice, or got out of sequence per phone. */
async function integrity(
  databaseQuery: (sql: string) => Promise<{ id: string; phone: string; seq: string }[]>,
  got: [string, string, number][],
) {
  const rows = await databaseQuery(
    "SELECT id::text, phone_number AS phone, seq::text FROM delivery WHERE kind = 'message' ORDER BY seq",
  );
  const seqOf = new Map(rows.map((r) => [r.id, BigInt(r.seq)]));
  const ids = new Set<string>();
  let duplicates = 0;
  let outOfOrder = 0;
  const lastSeq = new Map<string, bigint>();
  for (const [to, id] of got) {
    if (ids.has(id)) duplicates++;
    ids.add(id);
    const seq = seqOf.get(id);
    if (seq === undefined) continue;
    const before = lastSeq.get(to);
    if (before !== undefined && seq < before) outOfOrder++;
    lastSeq.set(to, seq);
  }
  return {
    replies: rows.length,
    lost: rows.filter((r) => !ids.has(r.id)).length,
    duplicates,
    "out of order": outOfOrder,
  };
}

async function measure(label: string, api: RunningApi, fake: Fake) {
  const { hook, seeded } = await seed(api.url, fake);
  const got: [string, string, number][] = [...seeded];
  const max = [];
  const steady = [];
  for (let run = 1; run <= RUNS; run++) {
    const m = await phase(api, hook, fake);
    max.push(m);
    got.push(...m.replies);
    // Half the rate just reached, for the latency target.
    const half = await phase(api, hook, fake, Math.max(50, Math.round(m.repliesPerSecond / 2)));
    steady.push(half);
    got.push(...half.replies);
    process.stderr.write(
      `  ${label} run ${run}: ${Math.round(m.inboundPerSecond)} inbound/s, ${Math.round(m.repliesPerSecond)} replies/s, p99 ${m.p99} ms; at ${Math.round(m.repliesPerSecond / 2)}/s p50 ${half.p50} p99 ${half.p99} ms (inbound answered p50 ${half.inboundP50} p99 ${half.inboundP99} ms)\n`,
    );
  }
  return {
    mode: label,
    "inbound/s": Math.round(median(max.map((m) => m.inboundPerSecond))),
    "replies delivered/s": Math.round(median(max.map((m) => m.repliesPerSecond))),
    "p50 ms": median(max.map((m) => m.p50)),
    "p99 ms": median(max.map((m) => m.p99)),
    "p99 ms at half rate": median(steady.map((m) => m.p99)),
    got,
  };
}

async function main() {
  const fake = await startFake();
  const rows = [];
  const env = {
    ALLOW_HTTP_WEBHOOKS: "true",
    WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32",
    WHATSAPP_API_BASE_URL: fake.url,
  };
  try {
    if (modes.has("postgres")) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const database = `switchboard_channels_${process.pid}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      const db = new pg.Client({ connectionString: url.toString() });
      const api = await startApi({ ...env, DATABASE_URL: url.toString() }, 3230);
      try {
        await db.connect();
        const { got, ...row } = await measure("PostgreSQL, in-process dispatcher", api, fake);
        rows.push({ ...row, ...(await integrity(async (sql) => (await db.query(sql)).rows, got)) });
      } finally {
        await db.end().catch(() => {});
        await api.stop();
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.end();
      }
    }
    if (modes.has("pglite")) {
      const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-channels-"));
      try {
        const api = await startApi({ ...env, DATA_DIR: dataDir }, 3231);
        let measured: Awaited<ReturnType<typeof measure>>;
        try {
          measured = await measure("PGlite (embedded)", api, fake);
        } finally {
          await api.stop();
        }
        // The API has stopped: its data folder is opened here to read the outbox's sequence.
        const db = await PGlite.create({ dataDir: path.join(dataDir, "pglite") });
        try {
          const { got, ...row } = measured;
          rows.push({
            ...row,
            ...(await integrity(
              async (sql) => (await db.query<{ id: string; phone: string; seq: string }>(sql)).rows,
              got,
            )),
          });
        } finally {
          await db.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    console.log(
      `\nChannels: ${PHONES} WhatsApp users on the fake Cloud API, one reply per message, ${CONNECTIONS} connections, ${SECONDS} s per phase, median of ${RUNS} runs`,
    );
    console.table(rows);
  } finally {
    fake.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
