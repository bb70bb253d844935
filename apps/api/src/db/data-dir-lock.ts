import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Who holds a data folder: a pid, and on Linux when that process started (so a pid given to another is told apart). */
interface Holder {
  pid: number;
  started?: number;
}

/**
 * Two processes writing one PGlite folder would corrupt it, so the folder belongs to one API at a time: the second one
 * is refused with a clear message. The lock file names its holder; a lock whose holder is gone is taken over: dead, a
 * zombie its parent has not reaped yet (after kill -9), this very process (a new container may hand out the old pid),
 * or a pid the system has since given to another program. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "switchboard.pid");
  const mine = JSON.stringify({ pid: process.pid, started: startedAt(process.pid) } satisfies Holder);
  // Created only if absent (O_EXCL), so of two starts racing for a free folder one wins; a stale lock is removed first.
  for (let tries = 0; tries < 3; tries++) {
    try {
      writeFileSync(lockFile, mine, { flag: "wx", mode: 0o600 });
      return () => {
        if (readOrNull(lockFile) === mine) rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = parseHolder(readOrNull(lockFile));
    if (holder && holdsItStill(holder)) {
      throw new Error(
        `The data folder ${dataDir} is in use by another Switchboard process (pid ${holder.pid}). Stop it, or set DATA_DIR to another folder.`,
      );
    }
    rmSync(lockFile, { force: true });
  }
  throw new Error(`The data folder ${dataDir} could not be locked: another process keeps taking it.`);
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The lock's content: JSON, or a bare pid as earlier versions wrote it. Anything else (a write cut short) holds nothing. */
function parseHolder(text: string | null): Holder | null {
  if (!text?.trim()) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "number") return Number.isInteger(value) && value > 0 ? { pid: value } : null;
    const { pid, started } = value as Partial<Holder>;
    if (!Number.isInteger(pid) || (pid as number) <= 0) return null;
    return { pid: pid as number, ...(Number.isInteger(started) ? { started } : {}) };
  } catch {
    return null;
  }
}

function holdsItStill(holder: Holder): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(holder.pid);
  // Without /proc (macOS) or when it hides the process, a live pid is taken for the holder: refusing is the safe side.
  if (!stat) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return holder.started === undefined || holder.started === stat.started;
}

function startedAt(pid: number): number | undefined {
  return procStat(pid)?.started;
}

/** State and start time (clock ticks since boot) from /proc/<pid>/stat; null where there is none. */
function procStat(pid: number): { state: string; started: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (command) state ppid …": the command may hold spaces and parentheses, so fields are counted after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const started = Number(fields[19]);
  return state && Number.isInteger(started) ? { state, started } : null;
}
