// pnpm bench:livechat — Live Chat under load (issue 18): 200 conversations handed over to the inbox, 20 agents signed
// in with the inbox's live stream open (Server-Sent Events), each holding 10 of them. End users then write at a steady
// rate through the inbound API; the figure is the time from sending a user's message to that message's event reaching
// the browser stream of the agent who holds the conversation: p50 and p99, on PostgreSQL and on the embedded PGlite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { call, createChatbot, median, type RunningApi, startApi } from "./harness";

const CONVERSATIONS = 200;
const AGENTS = 20;
const RATE = Number(process.env.BENCH_RATE ?? 40);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PASSWORD = "live chat bench passphrase";
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const modes = new Set((process.env.BENCH_MODES ?? "postgres,pglite").split(","));
const SENDER = "+525599990000";
const phone = (i: number) => `+5255${String(40_000_000 + i)}`;

interface Agent {
  cookie: string;
  csrf: string;
}

async function inbound(api: string, token: Record<string, string>, from: string, text: string) {
  const res = await fetch(`${api}/api/v1/messages/inbound`, {
    method: "POST",
    headers: { ...token, "content-type": "application/json" },
    body: JSON.stringify({ channel: "sms", from, to: SENDER, text }),
  });
  if (!res.ok) throw new Error(`inbound answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** An agent user, their password set through their invitation link, signed in. */
async function agent(api: string, n: number): Promise<Agent> {
  const created = await call<{ link: { url: string } }>(`${api}/api/v1/users`, "POST", {
    email: `agent${n}@bench.example`,
    name: `Agent ${n}`,
    role: "agent",
  });
  const token = created.link.url.split("#token=")[1] ?? "";
  const set = await fetch(`${api}/api/v1/auth/set-password`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password: PASSWORD }),
  });
  if (!set.ok) throw new Error(`set-password answered ${set.status}: ${await set.text()}`);
  const res = await fetch(`${api}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `agent${n}@bench.example`, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in answered ${res.status}`);
  const me = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "", csrf: me.csrfToken };
}

/** Reads an agent's event stream, calling `onEvent` with each event's type, data and arrival time. */
function listen(api: string, a: Agent, onEvent: (type: string, data: string, at: number) => void) {
  const controller = new AbortController();
  const ready = (async () => {
    const res = await fetch(`${api}/api/v1/inbox/events`, {
      headers: { cookie: a.cookie },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          const type = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data = lines.find((l) => l.startsWith("data: "))?.slice(6);
          if (type && data) onEvent(type, data, at);
          end = buffer.indexOf("\n\n");
        }
      }
    })();
  })();
  return { ready, close: () => controller.abort() };
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number) : Number.NaN;

async function measure(label: string, api: RunningApi) {
  const token = await call<{ secret: string }>(`${api.url}/api/v1/tokens`, "POST", {
    name: "bench inbound",
    scopes: ["inbound"],
  });
  const inboundToken = { authorization: `Bearer ${token.secret}` };
  const { base, nodes } = await createChatbot(api.url, { senderAddress: SENDER, name: "Support", trigger: "SUPPORT" });
  const [first, ...rest] = nodes;
  const welcome = first?.id as string;
  for (const n of rest) await call(`${base}/nodes/${n.id}`, "DELETE");
  await call(`${base}/nodes/${welcome}`, "PATCH", { message: "Welcome to support:" });
  await call(`${base}/nodes/${welcome}/entries`, "POST", {
    keyword: "1",
    menuText: "Talk to a person",
    redirectType: "live_chat",
  });
  await call(`${base}/publish`, "POST");

  const agents: Agent[] = [];
  for (let n = 0; n < AGENTS; n++) agents.push(await agent(api.url, n));
  for (let i = 0; i < CONVERSATIONS; i++) {
    await inbound(api.url, inboundToken, phone(i), "SUPPORT");
    await inbound(api.url, inboundToken, phone(i), "1");
  }
  const waiting = await call<{ items: { id: string; phoneNumber: string }[] }>(
    `${api.url}/api/v1/inbox?view=waiting`,
    "GET",
  );
  if (waiting.items.length !== CONVERSATIONS) throw new Error(`${waiting.items.length} conversations waiting`);
  // Each agent takes ten.
  const holder = new Map<string, number>();
  for (const [i, c] of waiting.items.entries()) {
    const a = agents[i % AGENTS] as Agent;
    const res = await fetch(`${api.url}/api/v1/inbox/${c.id}/take`, {
      method: "POST",
      headers: { cookie: a.cookie, "x-csrf-token": a.csrf },
    });
    if (!res.ok) throw new Error(`take answered ${res.status}`);
    holder.set(c.phoneNumber, i % AGENTS);
  }

  const runs: { p50: number; p99: number; got: number; sent: number }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const streams = agents.map((a, n) =>
      listen(api.url, a, (type, data, at) => {
        if (type !== "message.created") return;
        const text = (JSON.parse(data) as { item: { text: string } }).item.text;
        const [, from, , held] = /^(\+\d+) (\d+) (\d+)$/.exec(text) ?? [];
        // Counted at the stream of the agent who holds the conversation.
        if (from && Number(held) === n) {
          const start = sentAt.get(text);
          if (start !== undefined) latencies.push(at - start);
        }
      }),
    );
    await Promise.all(streams.map((s) => s.ready));
    const total = RATE * SECONDS;
    const began = performance.now();
    const pending: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const due = began + (k * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const i = Math.floor(Math.random() * CONVERSATIONS);
      const text = `${phone(i)} ${run * 100_000 + k} ${holder.get(phone(i))}`;
      sentAt.set(text, performance.now());
      pending.push(inbound(api.url, inboundToken, phone(i), text));
    }
    await Promise.all(pending);
    // Stragglers: a second for the last events to arrive.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const s of streams) s.close();
    latencies.sort((a, b) => a - b);
    const m = { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), got: latencies.length, sent: total };
    runs.push(m);
    process.stderr.write(
      `  ${label} run ${run}: ${m.got}/${m.sent} messages seen by their agent, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms\n`,
    );
  }
  return {
    mode: label,
    "messages/s": RATE,
    "seen by the agent": `${median(runs.map((r) => r.got))}/${RATE * SECONDS}`,
    "p50 ms": Number(median(runs.map((r) => r.p50)).toFixed(1)),
    "p99 ms": Number(median(runs.map((r) => r.p99)).toFixed(1)),
  };
}

async function main() {
  const rows = [];
  // Twenty agents sign in from this one address.
  const env = { AUTH_ATTEMPTS_PER_MINUTE: "1000" };
  if (modes.has("postgres")) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const database = `switchboard_livechat_${process.pid}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const api = await startApi({ ...env, DATABASE_URL: url.toString() }, 3240);
    try {
      rows.push(await measure("PostgreSQL", api));
    } finally {
      await api.stop();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }
  if (modes.has("pglite")) {
    const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-livechat-"));
    try {
      const api = await startApi({ ...env, DATA_DIR: dataDir }, 3241);
      try {
        rows.push(await measure("PGlite (embedded)", api));
      } finally {
        await api.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nLive Chat: ${CONVERSATIONS} conversations held by ${AGENTS} agents with the inbox's stream open; users write ${RATE} messages/s for ${SECONDS} s; latency from sending to the holding agent's stream, median of ${RUNS} runs`,
  );
  console.table(rows);
}

await main();
