// pnpm bench:runtime — end users walking a 3-level menu through the inbound API, driven from this process with
// autocannon against the API in its own process: on PostgreSQL (a fresh database on 127.0.0.1) and on the embedded
// PGlite. For each: the most messages per second it sustains, and p50/p99 latency at 1,000 messages per second.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { call, createChatbot, driveInbound, median, type RunningApi, startApi } from "./harness";

const PHONES = 1000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SENDER = "+525599990000";
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A chatbot three menus deep: MENU → 1|2 → 1|2 → 1|2 → the end. */
async function seed(api: string) {
  const { base, nodes } = await createChatbot(api, { senderAddress: SENDER, name: "Bench menu", trigger: "MENU" });
  for (const node of nodes.slice(1)) await call(`${base}/nodes/${node.id}`, "DELETE");
  const welcome = nodes[0]?.id as string;
  await call(`${base}/nodes/${welcome}`, "PATCH", { message: "Level 1: choose" });
  const addLevel = async (parent: string, depth: number): Promise<void> => {
    for (const keyword of ["1", "2"]) {
      const node = await call<{ id: string }>(`${base}/nodes`, "POST", {
        label: `L${depth}-${parent.slice(0, 4)}-${keyword}`,
        message: `Level ${depth}: choose`,
      });
      await call(`${base}/nodes/${parent}/entries`, "POST", {
        keyword,
        menuText: `Option ${keyword}`,
        redirectType: "interaction",
        redirectTo: node.id,
      });
      if (depth < 3) await addLevel(node.id, depth + 1);
      else await call(`${base}/nodes/${node.id}`, "PATCH", { message: "The end. Thank you!" });
    }
  };
  await addLevel(welcome, 2);
  await call(`${base}/publish`, "POST");
}

interface Phase {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Each connection owns 1,000 / 50 phone numbers and walks them round-robin: MENU, 1, 2, 1, then again. */
async function drive(url: string, rate?: number): Promise<Phase> {
  const walk = ["MENU", "1", "2", "1"];
  const perConnection = PHONES / CONNECTIONS;
  let nextConnection = 0;
  const result = await driveInbound(
    url,
    { connections: CONNECTIONS, seconds: SECONDS, ...(rate ? { rate } : {}) },
    (context) => {
      if (context.first === undefined) {
        context.first = (nextConnection++ % CONNECTIONS) * perConnection;
        context.step = 0;
      }
      const step = context.step as number;
      context.step = step + 1;
      const from = `+5255${String(10_000_000 + (context.first as number) + (step % perConnection)).padStart(8, "0")}`;
      const text = walk[Math.floor(step / perConnection) % walk.length] as string;
      return { channel: "sms", from, to: SENDER, text };
    },
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

async function measure(label: string, api: RunningApi) {
  const max: Phase[] = [];
  const steady: Phase[] = [];
  for (let run = 1; run <= RUNS; run++) {
    max.push(await drive(api.url));
    steady.push(await drive(api.url, 1000));
    process.stderr.write(
      `  ${label} run ${run}: max ${Math.round(max.at(-1)?.rps ?? 0)} msg/s, at 1,000 msg/s p99 ${steady.at(-1)?.p99} ms\n`,
    );
  }
  return {
    database: label,
    "max msg/s (median)": Math.round(median(max.map((m) => m.rps))),
    "p50 ms at max": median(max.map((m) => m.p50)),
    "p99 ms at max": median(max.map((m) => m.p99)),
    "p50 ms at 1,000/s": median(steady.map((m) => m.p50)),
    "p99 ms at 1,000/s": median(steady.map((m) => m.p99)),
    "failed requests": max.concat(steady).reduce((n, m) => n + m.errors, 0),
    "peak API memory MB": api.peakMemoryMb(),
  };
}

async function main() {
  const rows = [];
  const database = `switchboard_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  try {
    const api = await startApi({ DATABASE_URL: url.toString() }, 3210);
    try {
      await seed(api.url);
      rows.push(await measure("PostgreSQL", api));
    } finally {
      await api.stop();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-bench-"));
  try {
    const api = await startApi({ DATA_DIR: dataDir }, 3211);
    try {
      await seed(api.url);
      rows.push(await measure("PGlite (embedded)", api));
    } finally {
      await api.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nRuntime: ${PHONES} phone numbers walking a 3-level menu, ${CONNECTIONS} connections, ${SECONDS} s per phase, median of ${RUNS} runs`,
  );
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
