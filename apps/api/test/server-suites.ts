import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * Suites that exist only with a PostgreSQL server (and, for scale-out, Redis): the dispatcher's own thread and the
 * BullMQ workers. They run wherever the PostgreSQL suites run (CI=true or TEST_DATABASE_URL, see databases.ts).
 */
export const SERVER_SUITES = [
  "test/channels/scale-out.test.ts",
  "test/delivery/scale-out.test.ts",
  "test/delivery/threaded.test.ts",
  "test/delivery/worker-server.test.ts",
] as const;

/** Suites that stop and start a PostgreSQL cluster of their own: they need PostgreSQL's programs (initdb, pg_ctl). */
export const OWN_CLUSTER_SUITES = ["test/database-restart.test.ts", "test/health-outage.test.ts"] as const;

const POSTGRES_ROOT = "/usr/lib/postgresql";

/** The bin folder of the newest PostgreSQL installed here (Debian's layout), or null. */
export function postgresBinaries(root = POSTGRES_ROOT): string | null {
  if (!existsSync(root)) return null;
  const [newest] = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")) && existsSync(path.join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return newest ? path.join(root, newest, "bin") : null;
}

/**
 * On a new user's machine with neither a server nor PostgreSQL installed, those suites are left out of the run, and
 * the run says so in one line rather than failing on files that define no test. With CI=true nothing is left out: a
 * suite that cannot reach what it needs fails the run.
 */
export function serverSuitesLeftOut(
  env: Record<string, string | undefined> = process.env,
  binaries: string | null = postgresBinaries(),
): { exclude: string[]; notice: string | null } {
  if (env.CI === "true") return { exclude: [], notice: null };
  const exclude: string[] = [];
  const notes: string[] = [];
  if (!env.TEST_DATABASE_URL) {
    exclude.push(...SERVER_SUITES);
    notes.push(
      `without a PostgreSQL server: ${SERVER_SUITES.join(", ")} (run them with TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm test; scale-out also needs Redis at TEST_REDIS_URL, default redis://127.0.0.1:6379)`,
    );
  }
  if (!binaries) {
    exclude.push(...OWN_CLUSTER_SUITES);
    notes.push(
      `without PostgreSQL installed (initdb, pg_ctl under ${POSTGRES_ROOT}): ${OWN_CLUSTER_SUITES.join(", ")}`,
    );
  }
  return { exclude, notice: notes.length ? `Not run ${notes.join("; not run ")}.` : null };
}
