import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import type { Config } from "../config";
import { PrismaClient } from "../generated/prisma/client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations, findMigrationsDir, type MigrationResult, migrationNames } from "./migrate";
import { openPool } from "./pool";

export type Db = PrismaClient;

export interface Database {
  mode: "embedded" | "postgres";
  prisma: Db;
  /** The pool Prisma uses, shared with the hand-written SQL of hot paths (the conversation runtime). */
  pool: pg.Pool;
  migrations: MigrationResult;
  /** Round-trip time of a trivial query, for /api/health. */
  ping(): Promise<number>;
  /** This version's migrations the database has not (or no longer) finished applying, for /api/health/ready. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens the configured database, applies pending migrations and returns a client. */
export async function openDatabase(
  database: Config["database"] | { mode: "memory" },
  options: { onIdleClientError?: (error: Error) => void } = {},
): Promise<Database> {
  const embedded =
    database.mode === "postgres"
      ? null
      : await startEmbeddedPostgres(database.mode === "embedded" ? database.dataDir : null);
  const url = embedded ? embedded.url : (database as { url: string }).url;
  try {
    const migrationsDir = findMigrationsDir();
    const migrations = await applyMigrations(url, migrationsDir);
    const expected = migrationNames(migrationsDir);
    // PGlite executes one statement at a time whatever the pool size; one connection avoids needless queueing.
    const max = database.mode === "postgres" ? database.poolSize : 1;
    // A pooled connection the server drops (a restart, a failover) is replaced on next use; see openPool.
    const pool = openPool(
      {
        connectionString: url,
        max,
        // Every connection to the embedded database lands in its one session, so a new connection (after an idle
        // timeout or a dropped one) first clears what the last one left there: a PREPARE of the same name would
        // otherwise fail. The pool waits for this before handing the connection out.
        ...(embedded ? { onConnect: (client: pg.ClientBase) => client.query("DISCARD ALL").then(() => {}) } : {}),
      },
      (error) => options.onIdleClientError?.(error),
    );
    // Editors' saves queue for a connection (the embedded database has one) rather than fail after Prisma's default 2 s.
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool),
      transactionOptions: { maxWait: 15_000, timeout: 15_000 },
    });
    await prisma.$connect();
    return {
      mode: database.mode === "postgres" ? "postgres" : "embedded",
      prisma,
      pool,
      migrations,
      async ping() {
        const started = performance.now();
        await prisma.$queryRaw`SELECT 1`;
        return performance.now() - started;
      },
      async pendingMigrations() {
        // The table itself is missing from a database emptied or replaced since this process migrated it.
        const { rows } = await pool
          .query<{ name: string }>(
            `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          )
          .catch((error: { code?: string }) => {
            if (error?.code === "42P01") return { rows: [] };
            throw error;
          });
        const done = new Set(rows.map((r) => r.name));
        return expected.filter((name) => !done.has(name));
      },
      async close() {
        await prisma.$disconnect();
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}
