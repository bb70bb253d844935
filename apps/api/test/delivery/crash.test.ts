import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { emptyPostgres, testDatabases } from "../databases";
import { REMOTE_ADMIN_ENV, signInRemote } from "../remote-api";
import { receiver } from "./receivers";

const apiRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The real API (src/main.ts) as its own process, as an operator runs it. It picks its own port (PORT=0) and says which:
 * a port chosen here and bound later could be taken meanwhile by another suite's server.
 */
async function startApi(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: apiRoot,
    env: { ...process.env, ...env, PORT: "0", LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  // JSON log lines, not read here: drained so the child never blocks on a full pipe. The banner comes on stderr.
  child.stdout?.resume();
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}): ${stderr}`);
    const url = /running at (http:\/\/\S+)/.exec(stderr)?.[1];
    if (url) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) return { url, child, stderr: () => stderr };
      } catch {
        // starting
      }
    }
    if (i > 400) throw new Error(`API did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let credentials: Record<string, string> = {};

async function json(url: string, method = "GET", body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { ...credentials, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const c of cleanups.splice(0)) await c();
});

describe("a crash mid-delivery", () => {
  for (const target of testDatabases()) {
    it(`loses nothing and leaves nothing stuck when the API is killed with SIGKILL and restarted [${target.name}]`, {
      timeout: 90_000,
    }, async () => {
      let env: Record<string, string>;
      if (target.name === "postgres") {
        const database = await emptyPostgres("switchboard_crash");
        cleanups.push(database.drop);
        env = { DATABASE_URL: database.url, SECRET_KEY: randomBytes(32).toString("hex") };
      } else {
        const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-crash-"));
        cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
        env = { DATA_DIR: dataDir };
      }
      Object.assign(env, {
        ALLOW_HTTP_WEBHOOKS: "true",
        WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32",
        DELIVERY_LEASE_SECONDS: "2",
        ...REMOTE_ADMIN_ENV,
      });

      // The receiver holds its first answers for a while, so the kill lands mid-delivery.
      let slow = true;
      const r = await receiver((_req, res) => {
        if (slow) setTimeout(() => res.writeHead(200).end(), 5_000);
        else res.writeHead(200).end();
      });
      cleanups.push(r.close);

      const first = await startApi(env);
      children.push(first.child);
      credentials = (await signInRemote(first.url)).session;
      const sender = await json(`${first.url}/api/v1/senders`, "POST", {
        name: "Crash",
        channel: "sms",
        address: "+525512340000",
      });
      const campaign = await json(`${first.url}/api/v1/campaigns`, "POST", {
        name: "Crash",
        type: "chatbot",
        channel: "sms",
        senderId: sender.id,
        status: "active",
        triggerKeywords: ["GO"],
      });
      const base = `${first.url}/api/v1/campaigns/${campaign.id}`;
      const [a, b, ...rest] = (await json(`${base}/flow`)).nodes;
      for (const n of rest) await json(`${base}/nodes/${n.id}`, "DELETE");
      await json(`${base}/nodes/${a.id}`, "PATCH", { message: "Choose" });
      await json(`${base}/nodes/${b.id}`, "PATCH", { message: "Thanks" });
      await json(`${base}/nodes/${a.id}/entries`, "POST", {
        keyword: "1",
        menuText: "One month",
        redirectType: "interaction",
        redirectTo: b.id,
        webhookEnabled: true,
        webhook: { url: r.url },
      });
      await json(`${base}/publish`, "POST");
      const events = 12;
      for (let i = 0; i < events; i++) {
        const from = `+52550012${String(1000 + i)}`;
        for (const text of ["GO", "1"])
          await json(`${first.url}/api/v1/messages/inbound`, "POST", {
            channel: "sms",
            from,
            to: sender.address,
            text,
          });
      }

      // Wait until deliveries are on the wire, then kill the process without warning.
      for (let i = 0; r.received.length === 0 && i < 100; i++) await new Promise((res) => setTimeout(res, 50));
      expect(r.received.length).toBeGreaterThan(0);
      first.child.kill("SIGKILL");
      await new Promise((res) => first.child.once("exit", res));
      slow = false;

      const second = await startApi(env);
      children.push(second.child);
      let delivered = 0;
      for (let i = 0; i < 200 && delivered < events; i++) {
        await new Promise((res) => setTimeout(res, 100));
        delivered = (await json(`${second.url}/api/v1/deliveries?status=delivered&limit=1`)).total;
      }
      expect(delivered).toBe(events);
      for (const status of ["pending", "sending", "failed"]) {
        expect((await json(`${second.url}/api/v1/deliveries?status=${status}&limit=1`)).total, status).toBe(0);
      }
      // At least once: every event arrived; some may have arrived twice (the receiver got them before the kill).
      const ids = new Set(r.received.map((x) => x.headers["webhook-id"]));
      expect(ids.size).toBe(events);
      second.child.kill("SIGTERM");
      await new Promise((res) => second.child.once("exit", res));
    });
  }
});
