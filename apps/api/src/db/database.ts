import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Config } from "../config";
import { PrismaClient } from "../generated/prisma/client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations, findMigrationsDir, type MigrationResult } from "./migrate";

export type Db = PrismaClient;

export interface Database {
  mode: "embedded" | "postgres";
  prisma: Db;
  /** The pool Prisma uses, shared with the hand-written SQL of hot paths (the conversation runtime). */
  pool: pg.Pool;
  migrations: MigrationResult;
  /** Round-trip time of a trivial query, for /api/health. */
  ping(): Promise<number>;
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
    const migrations = await applyMigrations(url, findMigrationsDir());
    // PGlite executes one statement at a time whatever the pool size; one connection avoids needless queueing.
    const max = database.mode === "postgres" ? database.poolSize : 1;
    const pool = new pg.Pool({
      connectionString: url,
      max,
      // Every connection to the embedded database lands in its one session, so a new connection (after an idle timeout
      // or a dropped one) first clears what the last one left there: a PREPARE of the same name would otherwise fail.
      // The pool waits for this before handing the connection out.
      ...(embedded ? { onConnect: (client: pg.ClientBase) => client.query("DISCARD ALL").then(() => {}) } : {}),
    });
    // A pooled connection the server drops while idle (a restart, a failover) is replaced on next use; without a
    // listener the pool's error event would crash the process.
    pool.on("error", (error) => options.onIdleClientError?.(error));
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
