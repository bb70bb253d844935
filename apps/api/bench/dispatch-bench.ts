// pnpm bench:dispatch — end users' messages into the inbound API, each firing one toggled webhook to a local receiver
// (its own process): PostgreSQL with the in-process dispatcher, PostgreSQL + Redis with one worker process, and the
// embedded PGlite. Reports messages/s,
// webhooks delivered/s, p50/p99 from message received to webhook received, lost webhooks, peak API memory, and the
// receiver's raw capacity (autocannon straight at it) as the denominator.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { type CpuPerMessage, measureCpu } from "./cpu-time";
import {
  call,
  createChatbot,
  driveInbound,
  median,
  type RunningApi,
  restartPeakMemory,
  startApi,
  startWorker,
} from "./harness";

const PHONES = 1000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SENDER = "+525599990001";
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// A database index of its own on the local Redis: the bench empties it first.
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/7";
// BENCH_MODES=postgres,redis,pglite (the default: all three) runs a subset.
const modes = new Set((process.env.BENCH_MODES ?? "postgres,redis,pglite").split(","));
// BENCH_REPORTS=compare also runs each database with REPORT_EVENTS=off: the reports' write cost, measured in one run.
const OFF = ", reports off";
const reportModes: { label: string; env: Record<string, string> }[] = [
  { label: "", env: {} },
  ...(process.env.BENCH_REPORTS === "compare" ? [{ label: OFF, env: { REPORT_EVENTS: "off" } }] : []),
];
const phone = (i: number) => `+5255${String(20_000_000 + i)}`;

interface Receiver {
  url: string;
  /** Requests/s it takes with autocannon straight at it, measured once at the start of the run. */
  capacity: number;
  pid: number | undefined;
  stop(): void;
}

async function startReceiver(): Promise<Receiver> {
  const child = fork(path.join(import.meta.dirname, "receiver.mjs"), { stdio: "inherit" });
  const port = await new Promise<number>((resolve) => child.once("message", (m: { port: number }) => resolve(m.port)));
  const url = `http://127.0.0.1:${port}`;
  try {
    return { url, pid: child.pid, capacity: await receiverCapacity(url), stop: () => child.kill() };
  } catch (error) {
    child.kill();
    throw error;
  }
}

/** The processes whose CPU time a phase measures. */
interface Measured {
  api: RunningApi;
  worker?: { process: { pid?: number | undefined } } | undefined;
  receiver: Receiver;
}

/** Two nodes whose option 1 leads to the other, webhook toggled on both: every "1" fires one webhook. */
async function seed(api: string, hookUrl: string) {
  const { base, nodes } = await createChatbot(api, { senderAddress: SENDER, name: "Dispatch bench", trigger: "MENU" });
  const [a, b, ...rest] = nodes;
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
      webhookEnabled: true,
      webhook: {
        url: `${hookUrl}/hooks`,
        headers: [{ name: "Authorization", value: "Bearer bench-secret-value", secret: true }],
      },
    });
  }
  await call(`${base}/publish`, "POST");
  // Every phone number starts a session first (no webhook): the measured messages each fire one.
  let i = 0;
  await driveInbound(api, { connections: 20, amount: PHONES }, () => ({
    channel: "sms",
    from: phone(i++ % PHONES),
    to: SENDER,
    text: "MENU",
  }));
}

async function receiverStats(url: string) {
  return call<{
    count: number;
    unique: number;
    duplicates: number;
    p50: number | null;
    p99: number | null;
    seconds: number;
  }>(`${url}/stats`, "GET");
}

/** Waits until the outbox is empty: nothing pending or being sent. */
async function drained(api: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [pending, sending] = await Promise.all(
      ["pending", "sending"].map((status) =>
        call<{ total: number }>(`${api}/api/v1/deliveries?status=${status}&limit=1`, "GET"),
      ),
    );
    if ((pending?.total ?? 0) + (sending?.total ?? 0) === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function phase(m: Measured, rate?: number) {
  const api = m.api.url;
  const receiver = m.receiver.url;
  await call(`${receiver}/reset`, "POST");
  let i = 0;
  const cpu = measureCpu({ api: m.api.process.pid, worker: m.worker?.process.pid, receiver: m.receiver.pid });
  const result = await driveInbound(
    api,
    { connections: CONNECTIONS, seconds: SECONDS, ...(rate ? { rate } : {}) },
    () => ({
      channel: "sms",
      from: phone(i++ % PHONES),
      to: SENDER,
      text: "1",
    }),
  );
  // Every accepted message's webhook must reach the receiver: wait until the outbox is empty.
  await drained(api);
  const cpuPerMessage = cpu(result.requests.total);
  const stats = await receiverStats(receiver);
  return {
    cpuPerMessage,
    messagesPerSecond: result.requests.average,
    webhooksPerSecond: stats.seconds > 0 ? stats.count / stats.seconds : 0,
    p50: stats.p50 ?? Number.NaN,
    p99: stats.p99 ?? Number.NaN,
  };
}

async function measure(
  label: string,
  api: RunningApi,
  receiver: Receiver,
  worker?: { process: { pid?: number | undefined }; peakMemoryMb(): number },
) {
  await call(`${receiver.url}/reset-all`, "POST");
  // The API's peak so far (start, migrations, the seed; on a new PGlite folder also its initdb) is read apart from
  // the peak under load, where the kernel lets us start that peak over.
  const startPeak = api.peakMemoryMb();
  const loadPeakApart = restartPeakMemory(api.process.pid);
  const max = [];
  const steady = [];
  for (let run = 1; run <= RUNS; run++) {
    max.push(await phase({ api, worker, receiver }));
    steady.push(await phase({ api, worker, receiver }, 1000));
    const m = max.at(-1);
    process.stderr.write(
      `  ${label} run ${run}: ${Math.round(m?.messagesPerSecond ?? 0)} msg/s, ${Math.round(m?.webhooksPerSecond ?? 0)} webhooks/s, p99 ${m?.p99} ms; at 1,000/s p99 ${steady.at(-1)?.p99} ms\n`,
    );
  }
  const webhooksPerSecond = Math.round(median(max.map((m) => m.webhooksPerSecond)));
  return {
    mode: label,
    "messages/s": Math.round(median(max.map((m) => m.messagesPerSecond))),
    "webhooks delivered/s": webhooksPerSecond,
    // The ratio: webhooks delivered per second against what the receiver alone takes, both measured in this run.
    "% of receiver": Number(((100 * webhooksPerSecond) / receiver.capacity).toFixed(1)),
    "p50 ms": median(max.map((m) => m.p50)),
    "p99 ms": median(max.map((m) => m.p99)),
    "p99 ms at 1,000/s": median(steady.map((m) => m.p99)),
    cpu: cpuColumns(
      label,
      max.map((m) => m.cpuPerMessage),
    ),
    ...(await lostAndDuplicates(api.url, receiver.url)),
    "API MB at start": startPeak,
    [loadPeakApart ? "API MB under load" : "API MB (whole run)"]: api.peakMemoryMb(),
    ...(worker ? { "peak worker memory MB": worker.peakMemoryMb() } : {}),
  };
}

/** CPU milliseconds per message at full speed, medians over the runs: where the work goes, steadier than msg/s. */
function cpuColumns(mode: string, runs: CpuPerMessage[]) {
  const ms = (k: keyof CpuPerMessage) => Number(median(runs.map((r) => r[k])).toFixed(2));
  const ours = runs.map((r) => r.api + r.worker + r.postgres);
  return {
    mode,
    API: ms("api"),
    worker: ms("worker"),
    PostgreSQL: ms("postgres"),
    "all of ours": Number(median(ours).toFixed(2)),
    "load + receiver": ms("harness"),
  };
}

/** Over the whole mode: deliveries the database holds against distinct webhook-ids the receiver got. */
async function lostAndDuplicates(api: string, receiver: string) {
  const { total } = await call<{ total: number }>(`${api}/api/v1/deliveries?test=false&limit=1`, "GET");
  const stats = await receiverStats(receiver);
  return { webhooks: total, lost: total - stats.unique, duplicates: stats.duplicates };
}

async function receiverCapacity(receiver: string) {
  const result = await autocannon({
    url: `${receiver}/hooks`,
    connections: CONNECTIONS,
    duration: 5,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"campaignId":"1","label":"Welcome Message","option":"Again","keyword":1,"phoneNumber":"+525500000000"}',
  });
  return Math.round(result.requests.average);
}

async function main() {
  const receiver = await startReceiver();
  const rows = [];
  const env = { ALLOW_HTTP_WEBHOOKS: "true", WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32" };
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const freshDatabase = async (name: string) => {
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    };
    try {
      const database = `switchboard_dispatch_${process.pid}`;
      for (const reports of modes.has("postgres") ? reportModes : []) {
        const api = await startApi({ ...env, ...reports.env, DATABASE_URL: await freshDatabase(database) }, 3220);
        try {
          await seed(api.url, receiver.url);
          rows.push(await measure(`PostgreSQL, in-process dispatcher${reports.label}`, api, receiver));
        } finally {
          await api.stop();
          await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        }
      }

      // Scale-out: the API enqueues to Redis, one worker process sends.
      if (modes.has("redis")) {
        const scaled = `switchboard_dispatch_redis_${process.pid}`;
        const scaledEnv = { ...env, DATABASE_URL: await freshDatabase(scaled), REDIS_URL: redisUrl };
        const flush = await import("ioredis").then((m) => new m.Redis(redisUrl));
        await flush.flushdb();
        await flush.quit();
        const scaledApi = await startApi(scaledEnv, 3222);
        const worker = await startWorker(scaledEnv);
        try {
          await seed(scaledApi.url, receiver.url);
          rows.push(await measure("PostgreSQL + Redis, one worker", scaledApi, receiver, worker));
        } finally {
          await worker.stop();
          await scaledApi.stop();
          await admin.query(`DROP DATABASE IF EXISTS ${scaled} WITH (FORCE)`);
        }
      }
    } finally {
      await admin.end();
    }
    for (const reports of modes.has("pglite") ? reportModes : []) {
      const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-dispatch-"));
      try {
        const api = await startApi({ ...env, ...reports.env, DATA_DIR: dataDir }, 3221);
        try {
          await seed(api.url, receiver.url);
          rows.push(await measure(`PGlite (embedded)${reports.label}`, api, receiver));
        } finally {
          await api.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    console.log(
      `\nDispatch: ${PHONES} phone numbers, one toggled webhook per message, ${CONNECTIONS} connections, ${SECONDS} s per phase, median of ${RUNS} runs`,
    );
    console.log(`Receiver's raw capacity (autocannon straight at it): ${receiver.capacity} requests/s`);
    console.table(rows.map(({ cpu: _cpu, ...row }) => row));
    console.log(
      "\nCPU time per message at full speed, in ms (medians; PGlite runs inside the API; 2 cores give 2,000 ms/s)",
    );
    console.table(rows.map((row) => row.cpu));
    if (reportModes.length > 1) {
      // What counting turns and attempts for the reports costs (issue 20: at most +10 % per message).
      for (const db of ["PostgreSQL", "PGlite"]) {
        const on = rows.find((r) => r.mode.startsWith(db) && !r.mode.endsWith(OFF))?.cpu["all of ours"];
        const off = rows.find((r) => r.mode.startsWith(db) && r.mode.endsWith(OFF))?.cpu["all of ours"];
        if (on && off)
          console.log(
            `${db}: report events cost ${(100 * (on / off - 1)).toFixed(1)} % CPU per message (${off} → ${on} ms)`,
          );
      }
    }
  } finally {
    receiver.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
