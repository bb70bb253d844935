import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";
import { postgresBinaries } from "./server-suites";

const run = promisify(execFile);

/**
 * The bin folder of the newest PostgreSQL installed here (Debian's layout). The suites that stop and start a database
 * of their own run only where one is installed, and always in CI (server-suites.ts); a missing one fails them.
 */
export function requirePostgresBinaries(): string {
  const bin = postgresBinaries();
  if (!bin) {
    throw new Error(
      "No PostgreSQL installation under /usr/lib/postgresql (initdb, pg_ctl): the database restart suites need one. Install the postgresql package.",
    );
  }
  return bin;
}

export interface Cluster {
  /** The cluster's postgres database, as the API would be given it. */
  url: string;
  port: number;
  /** `pg_ctl stop`: "immediate" is a crash as far as clients can tell (no checkpoint, every backend killed). */
  stop(mode?: "immediate" | "fast"): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections (after an immediate stop, that includes crash recovery). */
  start(): Promise<void>;
  /** Stops it if running and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster that a test may stop and start: made with initdb in a temporary folder, listening on
 * 127.0.0.1 on a free port, trust authentication. The shared server on 5432 is never touched. PostgreSQL refuses to
 * run as root, so as root the commands run as the postgres user, which then owns the folder.
 */
export async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run(runuser(), ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  const port = await freePort();
  await pg("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  // Durability is not what these tests are about: fsync off keeps start and recovery fast.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  let running = false;
  const cluster: Cluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await pg("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]);
      running = true;
    },
    async stop(mode = "immediate") {
      await pg("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "30", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) await cluster.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}

/** util-linux's runuser lives in an sbin folder, which a root shell's PATH may lack (env -i, some CI runners). */
function runuser(): string {
  return ["/usr/sbin/runuser", "/sbin/runuser"].find((p) => existsSync(p)) ?? "runuser";
}
