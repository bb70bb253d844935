import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { REMOTE_ADMIN_ENV, type RemoteCredentials, signInRemote } from "../test/remote-api";

// Shared by the benchmarks: start a built API as its own process, talk to it, read its peak memory.

export const apiEntry = path.resolve(import.meta.dirname, "../dist/main.js");
export const workerEntry = path.resolve(import.meta.dirname, "../dist/worker.js");
/** The V8 flags `pnpm start` and `pnpm start:worker` run with (decision 0016); BENCH_NODE_FLAGS tries others. */
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "--max-semi-space-size=4 --max-old-space-size=256").split(" ");

/** One key for the API and its workers (they open the secret headers the API sealed). */
const BENCH_ENV = { ...REMOTE_ADMIN_ENV, SECRET_KEY: randomBytes(32).toString("hex") };
/** The admin session and inbound token of the API started last. */
let credentials: RemoteCredentials = { session: {}, inbound: {} };

/** A scale-out delivery worker as its own process (`pnpm start:worker`). */
export async function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, [...nodeFlags, workerEntry], {
    env: { ...process.env, ...BENCH_ENV, ...env, LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("worker is running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`The worker exited with code ${code} while starting.`)));
  });
  return {
    process: child,
    peakMemoryMb: () => peakMemoryMb(child.pid),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Peak resident memory of a process so far, from the kernel (VmHWM), in MB. */
export function peakMemoryMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Starts a process's peak memory over from what it holds now (Linux: 5 to /proc/<pid>/clear_refs), so a peak read
 * later covers only what came after. False where the kernel refuses.
 */
export function restartPeakMemory(pid: number | undefined): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export interface RunningApi {
  url: string;
  process: ChildProcess;
  /** Peak resident memory so far, from the kernel (VmHWM), in MB. */
  peakMemoryMb(): number;
  stop(): Promise<void>;
}

export async function startApi(env: Record<string, string>, port: number): Promise<RunningApi> {
  // BENCH_PROFILE=<folder>: the API writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...profile, apiEntry], {
    env: { ...process.env, ...BENCH_ENV, ...env, PORT: String(port), LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} while starting.`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error("The API did not start within 60 s.");
    await new Promise((r) => setTimeout(r, 100));
  }
  credentials = await signInRemote(url);
  return {
    url,
    process: child,
    peakMemoryMb: () => peakMemoryMb(child.pid),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...credentials.session, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** A sender and an active chatbot on it, for a benchmark to shape: returns its API base and its nodes. */
export async function createChatbot(api: string, options: { senderAddress: string; name: string; trigger: string }) {
  const sender = await call<{ id: string }>(`${api}/api/v1/senders`, "POST", {
    name: "Bench",
    channel: "sms",
    address: options.senderAddress,
  });
  const campaign = await call<{ id: number }>(`${api}/api/v1/campaigns`, "POST", {
    name: options.name,
    type: "chatbot",
    channel: "sms",
    senderId: sender.id,
    status: "active",
    triggerKeywords: [options.trigger],
  });
  const base = `${api}/api/v1/campaigns/${campaign.id}`;
  const { nodes } = await call<{ nodes: { id: string }[] }>(`${base}/flow`, "GET");
  return { base, nodes };
}

/**
 * Drives the inbound API from this process: `connections` keep-alive connections for `seconds` (or `amount` requests),
 * optionally capped at `rate` requests/s; `message` builds each request's body from its connection's own context.
 */
export function driveInbound(
  api: string,
  options: { connections: number; seconds?: number; amount?: number; rate?: number },
  message: (context: Record<string, number>) => { channel: string; from: string; to: string; text: string },
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `${api}/api/v1/messages/inbound`,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: "POST",
            headers: { ...credentials.inbound, "content-type": "application/json" },
            setupRequest: (req, context) => ({
              ...req,
              body: JSON.stringify(message(context as Record<string, number>)),
            }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}
