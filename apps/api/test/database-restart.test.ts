import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { receiver } from "./delivery/receivers";
import { freePort } from "./free-port";
import { type Cluster, requirePostgresBinaries, startCluster } from "./postgres-cluster";
import { REMOTE_ADMIN_ENV, signInRemote } from "./remote-api";

const apiRoot = path.resolve(import.meta.dirname, "..");
const bin = requirePostgresBinaries();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The real API (src/main.ts) as its own process on the cluster; its log lines are kept for the test to read. */
async function startApi(databaseUrl: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: apiRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SECRET_KEY: randomBytes(32).toString("hex"),
      ALLOW_HTTP_WEBHOOKS: "true",
      WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32",
      // Deliveries claimed when the database went away come back after their lease: short, to keep the test short.
      DELIVERY_LEASE_SECONDS: "2",
      ...REMOTE_ADMIN_ENV,
      PORT: String(port),
      LOG_LEVEL: "info",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output = { text: "" };
  child.stdout?.on("data", (d) => {
    output.text += d;
  });
  child.stderr?.on("data", (d) => {
    output.text += d;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}): ${output.text}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error(`API did not start: ${output.text}`);
    await sleep(100);
  }
  return { url, child, output };
}

/** A chatbot whose trigger GO asks a question; answering 1 sends a webhook to `hookUrl`. */
async function seedChatbot(url: string, session: Record<string, string>, hookUrl: string) {
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { ...session, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const sender = await call("POST", "/api/v1/senders", { name: "Restart", channel: "sms", address: "+525512340000" });
  const campaign = await call("POST", "/api/v1/campaigns", {
    name: "Restart",
    type: "chatbot",
    channel: "sms",
    senderId: sender.id,
    status: "active",
    triggerKeywords: ["GO"],
  });
  const base = `/api/v1/campaigns/${campaign.id}`;
  const [a, b, ...rest] = (await call("GET", `${base}/flow`)).nodes;
  for (const n of rest) await call("DELETE", `${base}/nodes/${n.id}`);
  await call("PATCH", `${base}/nodes/${a.id}`, { message: "Choose" });
  await call("PATCH", `${base}/nodes/${b.id}`, { message: "Thanks" });
  await call("POST", `${base}/nodes/${a.id}/entries`, {
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: b.id,
    webhookEnabled: true,
    webhook: { url: hookUrl },
  });
  await call("POST", `${base}/publish`);
  return sender.address as string;
}

describe("a PostgreSQL restart under load", () => {
  it("keeps the API alive, answers 503 with Retry-After while the database is away, then resumes and loses no webhook", {
    timeout: 60_000,
  }, async () => {
    const cluster: Cluster = await startCluster(bin);
    cleanups.push(() => cluster.destroy());
    const hooks = await receiver((_req, res) => res.writeHead(200).end());
    cleanups.push(hooks.close);
    const api = await startApi(cluster.url);
    const { session, inbound } = await signInRemote(api.url);
    const to = await seedChatbot(api.url, session, hooks.url);

    /** Every answer to an inbound message, by status; the "1"s answered 200 each committed one delivery. */
    const statuses = new Map<number, number>();
    let sent = 0;
    let committedWebhooks = 0;
    /** Sends one message; status 0 when no answer came (the API died). */
    const send = async (from: string, text: string) => {
      const answer = await fetch(`${api.url}/api/v1/messages/inbound`, {
        method: "POST",
        headers: { ...inbound, "content-type": "application/json" },
        body: JSON.stringify({ channel: "sms", from, to, text, messageId: randomBytes(8).toString("hex") }),
      }).then(
        async (res) => ({ status: res.status, headers: res.headers, body: await res.text() }),
        () => ({ status: 0, headers: new Headers(), body: "" }),
      );
      sent++;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200 && text === "1") committedWebhooks++;
      return answer;
    };
    // Four end users at a time, each starting conversations back to back (about 50 messages/s or more): most of the
    // time some turn holds a connection in its transaction, as in the runs.
    let loading = true;
    const load = Array.from({ length: 4 }, async (_, lane) => {
      for (let n = 0; loading; n++) {
        const from = `+52551${lane}${String(n).padStart(6, "0")}`;
        if ((await send(from, "GO")).status === 200) await send(from, "1");
        if (api.child.exitCode !== null) break;
        await sleep(20);
      }
    });

    // Under way: some webhooks committed (on a busy machine this takes longer than the usual second).
    for (let i = 0; i < 100 && committedWebhooks < 10; i++) await sleep(100);
    expect(committedWebhooks).toBeGreaterThan(0);
    await cluster.stop("immediate");
    await sleep(1_500);
    expect(api.child.exitCode, api.output.text.slice(-3_000)).toBeNull();

    // While the database is away: 503 problem+json with Retry-After, on inbound and on health.
    const away = await send("+525599999999", "GO");
    expect(away.status).toBe(503);
    expect(away.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(away.headers.get("retry-after"))).toBeGreaterThan(0);
    const health = await fetch(`${api.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.text()).not.toContain(String(cluster.port));

    await cluster.start();
    // Both resume by themselves: inbound answers 200 again within a few seconds.
    let back = 0;
    for (let i = 0; i < 100 && back !== 200; i++) {
      back = (await send(`+5255888${String(i).padStart(5, "0")}`, "GO")).status;
      if (back !== 200) await sleep(100);
    }
    expect(back).toBe(200);
    const committedBefore = committedWebhooks;
    for (let i = 0; i < 50 && committedWebhooks === committedBefore; i++) await sleep(100);
    expect(committedWebhooks).toBeGreaterThan(committedBefore);
    await sleep(500);
    loading = false;
    await Promise.all(load);
    expect(api.child.exitCode, api.output.text).toBeNull();
    // Nothing but answers and "come back later": no 500 while the database was away.
    expect([...statuses.keys()].sort()).toEqual([200, 503]);

    // Every delivery the database holds (all that committed, before and after) arrives, and settles as delivered.
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    cleanups.push(() => db.end());
    let open = -1;
    for (let i = 0; i < 150 && open !== 0; i++) {
      if (i > 0) await sleep(100);
      open = Number((await db.query("SELECT count(*) FROM delivery WHERE status <> 'delivered'")).rows[0].count);
    }
    expect(open, api.output.text.slice(-3_000)).toBe(0);
    const { rows } = await db.query<{ id: string }>("SELECT id FROM delivery");
    expect(rows.length).toBeGreaterThanOrEqual(committedWebhooks);
    const arrived = new Set(hooks.received.map((r) => r.headers["webhook-id"]));
    expect(rows.filter((r) => !arrived.has(r.id))).toEqual([]);

    // The dispatcher paused once and said so once; it did not log an error for every poll while the database was away.
    const lines = api.output.text.split("\n");
    expect(lines.filter((l) => l.includes("deliveries paused")).length).toBe(1);
    expect(lines.filter((l) => l.includes("deliveries resumed")).length).toBe(1);
    expect(lines.filter((l) => l.includes("could not claim deliveries")).length).toBeLessThanOrEqual(1);
    console.info(`${sent} messages sent; answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});
