import { readdirSync, readFileSync } from "node:fs";

// CPU time by process, from Linux's /proc: a steadier measure than throughput on a shared, noisy machine, and the one
// that shows where the work goes (the API, its worker, PostgreSQL, and the load generator and receiver themselves).

const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, ..., utime (11), stime (12), cutime (13), cstime (14)]. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Seconds of CPU one process has used so far (all its threads), or 0 where /proc cannot tell. */
export function processCpuSeconds(pid: number | undefined): number {
  const f = pid === undefined ? null : statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : 0;
}

/**
 * Seconds of CPU the local PostgreSQL server has used so far: every live postgres process, plus what the postmaster
 * counted for children that have ended (a closed connection's backend).
 */
export function postgresCpuSeconds(): number {
  const pids = new Set<string>();
  for (const pid of safeReaddir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") pids.add(pid);
    } catch {
      // ended meanwhile
    }
  }
  let total = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (!f) continue;
    total += Number(f[11]) + Number(f[12]);
    // The postmaster (its parent is not postgres) also carries its ended children's time.
    if (!pids.has(f[1] as string)) total += Number(f[13]) + Number(f[14]);
  }
  return total / TICKS_PER_SECOND;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Where the CPU went over a stretch of work, per message, in milliseconds. */
export interface CpuPerMessage {
  api: number;
  worker: number;
  postgres: number;
  /** The benchmark's own load generator and the webhook receiver: the harness's share of the machine. */
  harness: number;
}

/** Starts measuring; the returned function ends the stretch and divides by the messages handled in it. */
export function measureCpu(pids: {
  api: number | undefined;
  worker?: number | undefined;
  receiver: number | undefined;
}) {
  const read = () => {
    const own = process.cpuUsage();
    return {
      api: processCpuSeconds(pids.api),
      worker: processCpuSeconds(pids.worker),
      postgres: postgresCpuSeconds(),
      harness: processCpuSeconds(pids.receiver) + (own.user + own.system) / 1e6,
    };
  };
  const before = read();
  return (messages: number): CpuPerMessage => {
    const after = read();
    const per = (k: keyof CpuPerMessage) => (messages > 0 ? ((after[k] - before[k]) * 1000) / messages : 0);
    return { api: per("api"), worker: per("worker"), postgres: per("postgres"), harness: per("harness") };
  };
}
