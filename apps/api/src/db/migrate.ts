import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

// Any fixed number works; every Switchboard process that migrates one database takes the same lock.
const MIGRATION_LOCK = 727_073_690;

/**
 * Applies prisma/migrations/* in order, each in its own transaction, recording them in Prisma's `_prisma_migrations`
 * table so `prisma migrate status` agrees. An advisory lock lets several processes start against one server at once.
 */
export async function applyMigrations(url: string, migrationsDir: string): Promise<MigrationResult> {
  const migrations = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url });
  // A server that goes away mid-migration fails the query in flight; unheard, its 'error' event would end the process.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    let alreadyApplied = 0;
    for (const migration of migrations) {
      const record = done.get(migration.name);
      if (record) {
        if (!record.finished_at) {
          throw new Error(
            `Migration ${migration.name} started earlier but did not finish. Inspect the database, then mark it rolled back in _prisma_migrations.`,
          );
        }
        if (record.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied; migrations must never be edited once applied.`,
          );
        }
        alreadyApplied++;
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/** The names of the migrations in `migrationsDir`, in the order they apply. */
export function migrationNames(migrationsDir: string): string[] {
  return readMigrations(migrationsDir).map((m) => m.name);
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** prisma/migrations, found from wherever this code runs (sources under test, or the built bundle). */
export function findMigrationsDir(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`No prisma/migrations folder above ${from}.`);
  }
}
