import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/database";

export interface TestDatabase {
  name: "pglite" | "postgres";
  open(): Promise<Database & { url?: string }>;
}

/**
 * Every integration suite runs on the embedded PGlite, and on a real PostgreSQL server when CI=true or
 * TEST_DATABASE_URL is set. In CI an unreachable server fails the suite: nothing is skipped for want of a service.
 */
export function testDatabases(env = process.env): TestDatabase[] {
  const targets: TestDatabase[] = [{ name: "pglite", open: () => openDatabase({ mode: "memory" }) }];
  if (env.CI === "true" || env.TEST_DATABASE_URL) {
    const admin = env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    targets.push({ name: "postgres", open: () => openThrowawayPostgres(admin) });
  }
  return targets;
}

/** A fresh database on the server for one suite, dropped when the suite closes it. */
export async function openThrowawayPostgres(adminUrl: string): Promise<Database & { url: string }> {
  const name = `switchboard_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ mode: "postgres", url: url.toString(), poolSize: 10 });
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl} (${(error as Error).message}). Start it, or unset CI/TEST_DATABASE_URL to test on PGlite only.`,
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * An empty database on the server for an API started as a process (which applies the migrations itself): its URL,
 * and the cleanup that drops it.
 */
export async function emptyPostgres(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
