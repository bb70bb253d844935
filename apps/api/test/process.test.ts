import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { externalizeNpmDependencies } from "../bundle-plugins.mjs";
import { emptyPostgres, testDatabases } from "./databases";
import { receiver } from "./delivery/receivers";
import { REMOTE_ADMIN_ENV, signInRemote } from "./remote-api";

// The API as an operator runs it: built as `pnpm start` builds it, started as a process, stopped with signals, killed.

const apiRoot = path.resolve(import.meta.dirname, "..");
let work = "";
let entry = "";
/** A data folder created and migrated once; each test starts from a copy (creating one takes seconds). */
let template = "";

beforeAll(async () => {
  // Inside the package, so the bundle's imports (pg, pino, PGlite) resolve from its node_modules.
  const cache = path.join(apiRoot, "node_modules/.cache");
  mkdirSync(cache, { recursive: true });
  work = mkdtempSync(path.join(cache, "api-process-"));
  await build({
    entryPoints: {
      main: path.join(apiRoot, "src/main.ts"),
      "dispatcher-thread": path.join(apiRoot, "src/dispatch/dispatcher-thread.ts"),
    },
    outdir: work,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
    plugins: [externalizeNpmDependencies],
  });
  entry = path.join(work, "main.js");
  template = mkdtempSync(path.join(tmpdir(), "switchboard-template-"));
  const first = startApi({ DATA_DIR: template });
  try {
    await first.up();
  } finally {
    first.child.kill("SIGTERM");
    await first.exited;
  }
}, 180_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(template, { recursive: true, force: true });
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dataDirFromTemplate(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-process-"));
  cpSync(template, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  child: ChildProcess;
  url: string;
  port: number;
  /** stdout and stderr so far. */
  output(): string;
  stdout(): string;
  /** Resolves once /api/health answers; rejects with the output if the process exits first. */
  up(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built API with `env` (no server variables of the runner leak in). `orphanedBy: "sleep"` runs it as the
 * background job of a shell that then becomes `sleep`, a parent that never reaps its children.
 */
function startApi(env: Record<string, string>, options: { port?: number; orphanedBy?: "sleep" } = {}): Started {
  const port = options.port ?? 0;
  const fullEnv = {
    ...process.env,
    DATABASE_URL: "",
    REDIS_URL: "",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    ALLOW_HTTP_WEBHOOKS: "true",
    WEBHOOK_ALLOWED_CIDRS: "127.0.0.1/32",
    PORT: String(port),
    ...env,
  };
  const child =
    options.orphanedBy === "sleep"
      ? spawn("sh", ["-c", `"${process.execPath}" "${entry}" & echo $! > "${env.DATA_DIR}.api-pid"; exec sleep 120`], {
          env: fullEnv,
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn(process.execPath, [entry], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let output = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const started: Started = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stdout: () => stdout,
    exited,
    up: () => waitUntilUp(started),
  };
  return started;
}

async function waitUntilUp(api: Started): Promise<void> {
  // Generous: a loaded machine has taken half a minute to create the template's database.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`The API exited (${api.child.exitCode}): ${api.output()}`);
    // With PORT=0 the address is known from the line the API prints.
    const printed = /running at (http:\/\/\S+)/.exec(api.output())?.[1];
    if (api.port === 0 && printed) {
      api.url = printed;
      api.port = Number(new URL(printed).port);
    }
    if (printed) {
      try {
        if ((await fetch(`${api.url}/api/health`, { signal: AbortSignal.timeout(5_000) })).ok) return;
      } catch {
        // still starting
      }
    }
    if (Date.now() > deadline) throw new Error(`The API did not start: ${api.output()}`);
    await sleep(50);
  }
}

async function call(url: string, session: Record<string, string>, method = "GET", body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { ...session, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A published chatbot whose option 1 sends a webhook to `webhookUrl`; returns what its Send test and a turn need. */
async function chatbotWithWebhook(url: string, session: Record<string, string>, webhookUrl: string) {
  const sender = await call(`${url}/api/v1/senders`, session, "POST", {
    name: "Shutdown",
    channel: "sms",
    address: "+525512349999",
  });
  const campaign = await call(`${url}/api/v1/campaigns`, session, "POST", {
    name: "Shutdown",
    type: "chatbot",
    channel: "sms",
    senderId: sender.id,
    status: "active",
    triggerKeywords: ["GO"],
  });
  const base = `${url}/api/v1/campaigns/${campaign.id}`;
  const [a, b, ...rest] = (await call(`${base}/flow`, session)).nodes;
  for (const n of rest) await call(`${base}/nodes/${n.id}`, session, "DELETE");
  await call(`${base}/nodes/${a.id}`, session, "PATCH", { message: "Choose" });
  await call(`${base}/nodes/${b.id}`, session, "PATCH", { message: "Thanks" });
  const created = await call(`${base}/nodes/${a.id}/entries`, session, "POST", {
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: b.id,
    webhookEnabled: true,
    webhook: { url: webhookUrl },
  });
  await call(`${base}/publish`, session, "POST");
  return { sendTestUrl: `${base}/nodes/${a.id}/entries/${created.id}/webhook/test`, senderAddress: sender.address };
}

/** Resolves with the error code of a new TCP connection to `port`, or "connected". */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(20);
  }
}

describe("stopping with SIGTERM", () => {
  for (const target of testDatabases()) {
    it(`lets requests under way finish, refuses new connections, records the attempts and exits 0 [${target.name}]`, {
      timeout: 120_000,
    }, async () => {
      let env: Record<string, string>;
      if (target.name === "postgres") {
        const database = await emptyPostgres("switchboard_process");
        cleanups.push(database.drop);
        env = { DATABASE_URL: database.url, SECRET_KEY: randomBytes(32).toString("hex") };
      } else {
        env = { DATA_DIR: dataDirFromTemplate() };
      }
      Object.assign(env, REMOTE_ADMIN_ENV);
      // The receiver answers after 1.5 s, so SIGTERM lands while both a Send test and a delivery are on the wire.
      const r = await receiver((_req, res) => {
        setTimeout(() => res.writeHead(200, { "content-type": "text/plain" }).end("slow but fine"), 1_500);
      });
      cleanups.push(r.close);

      const api = startApi(env);
      await api.up();
      const { session, inbound } = await signInRemote(api.url);
      const bot = await chatbotWithWebhook(api.url, session, r.url);
      for (const text of ["GO", "1"])
        await call(`${api.url}/api/v1/messages/inbound`, inbound, "POST", {
          channel: "sms",
          from: "+525500001234",
          to: bot.senderAddress,
          text,
        });
      const sendTest = fetch(bot.sendTestUrl, { method: "POST", headers: session }).catch((error: Error) => error);
      await until(() => r.received.length === 2, "the delivery and the Send test to reach the receiver");

      api.child.kill("SIGTERM");
      let refused = "";
      for (let i = 0; i < 50 && refused !== "ECONNREFUSED"; i++) {
        refused = await tryConnect(api.port);
        if (refused !== "ECONNREFUSED") await sleep(20);
      }
      expect(refused).toBe("ECONNREFUSED");
      expect(api.child.exitCode, "still finishing what was under way").toBeNull();

      const answer = await sendTest;
      if (answer instanceof Error) throw new Error(`The Send test in flight was cut: ${answer.message}`);
      expect(answer.status).toBe(200);
      const result = (await answer.json()) as { deliveryId: string };
      expect(result).toMatchObject({ ok: true, status: 200, responseExcerpt: "slow but fine" });
      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(api.stdout()).toMatch(/"msg":"Switchboard stopped"/);
      // stdout is for log collectors: JSON lines only; the banner for people went to stderr.
      for (const line of api.stdout().split("\n").filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
      expect(api.output()).toContain("Switchboard is running at");

      // Both attempts are on record, and nothing is sent twice.
      const again = startApi(env);
      await again.up();
      const { session: session2 } = await signInRemote(again.url);
      const recorded = await call(`${again.url}/api/v1/deliveries/${result.deliveryId}`, session2);
      expect(recorded).toMatchObject({ status: "delivered", test: true, attempts: 1 });
      expect(recorded.attemptLog).toHaveLength(1);
      const delivered = await call(`${again.url}/api/v1/deliveries?test=false&status=delivered`, session2);
      expect(delivered.total).toBe(1);
      expect(delivered.items[0].attempts).toBe(1);
      await sleep(300);
      expect(r.received).toHaveLength(2);
      again.child.kill("SIGTERM");
      expect((await again.exited).code).toBe(0);
    });
  }

  it("cuts what is still under way after SHUTDOWN_GRACE_SECONDS, and still stops cleanly", {
    timeout: 120_000,
  }, async () => {
    const r = await receiver((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 20_000);
    });
    cleanups.push(r.close);
    const api = startApi({ DATA_DIR: dataDirFromTemplate(), SHUTDOWN_GRACE_SECONDS: "1", ...REMOTE_ADMIN_ENV });
    await api.up();
    const { session } = await signInRemote(api.url);
    const bot = await chatbotWithWebhook(api.url, session, r.url);
    const sendTest = fetch(bot.sendTestUrl, { method: "POST", headers: session }).then(
      (res) => `answered ${res.status}`,
      () => "cut",
    );
    await until(() => r.received.length === 1, "the Send test to reach the receiver");
    const signalled = Date.now();
    api.child.kill("SIGTERM");
    await sleep(500);
    expect(api.child.exitCode, "waits for the request within the grace time").toBeNull();
    expect(await sendTest).toBe("cut");
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(api.stdout()).toMatch(/"msg":"Switchboard stopped"/);
  });

  it("stops at once on a second signal", { timeout: 120_000 }, async () => {
    const r = await receiver((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 20_000);
    });
    cleanups.push(r.close);
    const api = startApi({ DATA_DIR: dataDirFromTemplate(), SHUTDOWN_GRACE_SECONDS: "60", ...REMOTE_ADMIN_ENV });
    await api.up();
    const { session } = await signInRemote(api.url);
    const bot = await chatbotWithWebhook(api.url, session, r.url);
    const sendTest = fetch(bot.sendTestUrl, { method: "POST", headers: session }).catch(() => "cut");
    await until(() => r.received.length === 1, "the Send test to reach the receiver");
    api.child.kill("SIGTERM");
    await sleep(500);
    expect(api.child.exitCode, "waits for the request under way").toBeNull();
    const signalled = Date.now();
    api.child.kill("SIGINT");
    expect((await api.exited).code).not.toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(await sendTest).toBe("cut");
  });
});

describe("the data folder's lock", () => {
  it("is taken over from a killed API (even one its parent has not reaped) and from a reused pid, never from a live API", {
    timeout: 120_000,
  }, async () => {
    const dataDir = dataDirFromTemplate();
    const lockFile = path.join(dataDir, "switchboard.pid");
    // The first API's parent is `sleep`, which never reaps it: killed, it stays a zombie with its pid.
    const first = startApi({ DATA_DIR: dataDir }, { orphanedBy: "sleep" });
    await first.up();
    const pid = Number(readFileSync(`${dataDir}.api-pid`, "utf8"));
    cleanups.push(() => rmSync(`${dataDir}.api-pid`, { force: true }));
    const lockOfTheKilled = readFileSync(lockFile, "utf8");
    process.kill(pid, "SIGKILL");
    await until(() => {
      try {
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    }, "the killed API to be a zombie");

    const second = startApi({ DATA_DIR: dataDir });
    await second.up();

    // A live API keeps its folder: a third one is refused, and the second one goes on.
    const third = startApi({ DATA_DIR: dataDir });
    expect((await third.exited).code).toBe(1);
    expect(third.output()).toContain(`in use by another Switchboard process (pid ${second.child.pid})`);
    expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);

    // The killed API's lock left behind, its pid since given to another program (here a `sleep`): taken over.
    const other = spawn("sleep", ["60"], { stdio: "ignore" });
    cleanups.push(() => other.kill("SIGKILL"));
    writeFileSync(lockFile, lockOfTheKilled.replace(String(pid), String(other.pid)));
    const fourth = startApi({ DATA_DIR: dataDir });
    await fourth.up();
    fourth.child.kill("SIGTERM");
    expect((await fourth.exited).code).toBe(0);
  });
});

describe("a port in use", () => {
  it("prints only the error, not the address or a setup link, and exits 1", { timeout: 120_000 }, async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => taken.close(r)));
    const port = (taken.address() as { port: number }).port;
    // No admin in the template's database: a start that got that far would print a setup link.
    const api = startApi({ DATA_DIR: dataDirFromTemplate() }, { port });
    expect((await api.exited).code).toBe(1);
    expect(api.stdout()).toContain(`Port ${port} is in use`);
    for (const printed of ["running at", "is listening", "first admin", "set-password"])
      expect(api.output()).not.toContain(printed);
  });
});
