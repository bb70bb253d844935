/**
 * Suites that exist only on a PostgreSQL server (and, for scale-out, Redis): the dispatcher's own thread and the
 * BullMQ workers. They run wherever the PostgreSQL suites run (CI=true or TEST_DATABASE_URL, see databases.ts); on a
 * new user's machine with neither they are left out of the run, and the run says so in one line rather than failing
 * on files that define no test.
 */
export const SERVER_SUITES = ["test/delivery/scale-out.test.ts", "test/delivery/threaded.test.ts"] as const;

export function serverSuitesLeftOut(env: Record<string, string | undefined> = process.env): {
  exclude: string[];
  notice: string | null;
} {
  if (env.CI === "true" || env.TEST_DATABASE_URL) return { exclude: [], notice: null };
  return {
    exclude: [...SERVER_SUITES],
    notice:
      `Not run without a PostgreSQL server: ${SERVER_SUITES.join(", ")}. ` +
      "Run them with TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm test (scale-out also needs Redis at TEST_REDIS_URL, default redis://127.0.0.1:6379).",
  };
}
