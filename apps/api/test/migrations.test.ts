import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database";
import { startEmbeddedPostgres } from "../src/db/embedded";
import { applyMigrations, findMigrationsDir } from "../src/db/migrate";
import { openThrowawayPostgres, testDatabases } from "./databases";

const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-test-"));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe("migrations", () => {
  for (const target of testDatabases()) {
    it(`apply from empty and then apply nothing [${target.name}]`, async () => {
      const db = await target.open();
      try {
        expect(db.migrations.applied.length).toBeGreaterThan(0);
        expect(db.migrations.alreadyApplied).toBe(0);
        const tables = await db.prisma.$queryRaw<{ table_name: string }[]>`
          SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
        expect(tables.map((t) => t.table_name)).toEqual(
          expect.arrayContaining([
            "_prisma_migrations",
            "campaign",
            "menu_entry",
            "node",
            "sender",
            "webhook",
            "webhook_header",
          ]),
        );
        const url = (db as { url?: string }).url;
        if (url) {
          const again = await applyMigrations(url, findMigrationsDir());
          expect(again).toEqual({ applied: [], alreadyApplied: db.migrations.applied.length });
        }
      } finally {
        await db.close();
      }
    });
  }

  it("refuses to start on a migration edited after it was applied", async () => {
    const dir = tempDir();
    cpSync(findMigrationsDir(), dir, { recursive: true });
    const embedded = await startEmbeddedPostgres(null);
    try {
      await applyMigrations(embedded.url, dir);
      const [first] = (await import("node:fs"))
        .readdirSync(dir)
        .filter((n) => /^\d/.test(n))
        .sort();
      writeFileSync(path.join(dir, first as string, "migration.sql"), "-- edited\nSELECT 1;");
      await expect(applyMigrations(embedded.url, dir)).rejects.toThrow(
        `Migration ${first} was changed after it was applied`,
      );
    } finally {
      await embedded.close();
    }
  });

  it("rolls a failing migration back whole and names it", async () => {
    const dir = tempDir();
    cpSync(findMigrationsDir(), dir, { recursive: true });
    mkdirSync(path.join(dir, "99990101000000_broken"));
    writeFileSync(
      path.join(dir, "99990101000000_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;",
    );
    const embedded = await startEmbeddedPostgres(null);
    try {
      await expect(applyMigrations(embedded.url, dir)).rejects.toThrow("Migration 99990101000000_broken failed");
      const pg = (await import("pg")).default;
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      const { rows } = await client.query("SELECT to_regclass('half_done') AS t");
      await client.end();
      expect(rows[0].t).toBeNull();
    } finally {
      await embedded.close();
    }
  });
});

describe("the embedded database", () => {
  it("keeps its data in the data folder across restarts, migrating only once", async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ mode: "embedded", dataDir });
    expect(first.migrations.applied.length).toBeGreaterThan(0);
    await first.prisma.sender.create({ data: { name: "Kept", channel: "sms", address: "+525500000009" } });
    await first.close();

    const second = await openDatabase({ mode: "embedded", dataDir });
    try {
      expect(second.migrations.applied).toEqual([]);
      expect((await second.prisma.sender.findMany()).map((s) => s.name)).toEqual(["Kept"]);
    } finally {
      await second.close();
    }
  });

  it("creates a new database whole, starting over one a cut-short first start left half made", async () => {
    const dataDir = tempDir();
    // What a first start killed during initdb leaves: the folder being made, never renamed into place.
    mkdirSync(path.join(dataDir, "pglite.partial"));
    writeFileSync(path.join(dataDir, "pglite.partial", "PG_VERSION"), "17");
    const db = await openDatabase({ mode: "embedded", dataDir });
    try {
      expect(existsSync(path.join(dataDir, "pglite.partial"))).toBe(false);
      expect(existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
      expect(db.migrations.applied.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it("refuses a data folder another live process holds", async () => {
    const dataDir = tempDir();
    // PID 1 is always alive and never this test.
    writeFileSync(path.join(dataDir, "switchboard.pid"), "1");
    await expect(openDatabase({ mode: "embedded", dataDir })).rejects.toThrow(
      `The data folder ${dataDir} is in use by another Switchboard process (pid 1)`,
    );
  });

  it("takes over a lock left by a process that died", async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, "switchboard.pid"), "999999999");
    const db = await openDatabase({ mode: "embedded", dataDir });
    await db.close();
  });
});

if (testDatabases().some((t) => t.name === "postgres")) {
  describe("several processes starting at once", () => {
    it("apply each migration once [postgres]", async () => {
      const db = await openThrowawayPostgres(
        process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
      );
      try {
        const results = await Promise.all([1, 2, 3].map(() => applyMigrations(db.url, findMigrationsDir())));
        expect(results.every((r) => r.applied.length === 0)).toBe(true);
        const count = await db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations"`;
        expect(Number(count[0]?.n)).toBe(db.migrations.applied.length);
      } finally {
        await db.close();
      }
    });
  });
}
