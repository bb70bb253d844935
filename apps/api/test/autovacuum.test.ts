import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutovacuum, type VacuumPass, vacuumWhatIsDue } from "../src/db/autovacuum";
import { type Database, openDatabase } from "../src/db/database";
import type { Logger } from "../src/logger";
import { until } from "./delivery/fixtures";

// The embedded database only: a server runs its own autovacuum, which would race these counts.
describe("autovacuum of the embedded database", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ mode: "memory" });
  });
  afterAll(async () => {
    await db.close();
  });

  const stats = async (table: string) =>
    (
      await db.pool.query<{ dead: number; vacuumed: boolean; analyzed: boolean }>(
        `SELECT n_dead_tup::int AS dead, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
           FROM pg_stat_user_tables WHERE relname = $1`,
        [table],
      )
    ).rows[0];

  /** A table of `rows` rows, vacuumed and analyzed, so only what follows counts against the thresholds. */
  const table = async (name: string, rows: number) => {
    await db.pool.query(`CREATE TABLE ${name} (id int PRIMARY KEY, n int NOT NULL)`);
    await db.pool.query(`INSERT INTO ${name} SELECT i, 0 FROM generate_series(1, ${rows}) i`);
    // Statistics reach the counters a moment after the statement: vacuum once they have, or they would count after it.
    await until(async () => (await counter(name, "n_tup_ins")) === rows);
    await db.pool.query(`VACUUM (ANALYZE) ${name}`);
    await until(
      async () => (await counter(name, "n_ins_since_vacuum")) === 0 && (await stats(name))?.vacuumed === true,
    );
  };
  /** Updates the first `rows` rows once, leaving as many dead rows, and waits until the statistics count them. */
  const churn = async (name: string, rows: number) => {
    await db.pool.query(`UPDATE ${name} SET n = n + 1 WHERE id <= ${rows}`);
    await until(async () => (await stats(name))?.dead === rows);
  };
  const counter = async (table: string, column: string) =>
    Number(
      (await db.pool.query(`SELECT ${column} AS n FROM pg_stat_user_tables WHERE relname = $1`, [table])).rows[0]?.n,
    );

  it("vacuums and analyzes a table past the thresholds, and leaves a table below them alone", async () => {
    await table("churned", 1000);
    await table("quiet", 1000);
    // 300 dead rows: past 50 + 20 % of 1,000. 10: below it.
    await churn("churned", 300);
    await churn("quiet", 10);

    const pass = await vacuumWhatIsDue(db.pool);

    expect(pass.vacuumed).toContain("public.churned");
    expect(pass.analyzed).toContain("public.churned");
    expect(pass.vacuumed).not.toContain("public.quiet");
    expect(pass.analyzed).not.toContain("public.quiet");
    await until(async () => (await stats("churned"))?.dead === 0);
    expect(await stats("quiet")).toMatchObject({ dead: 10 });
    // Analyzed with a statistics target of 30 (31 histogram bounds, where the default of 100 makes 101), set for that
    // statement only: the session everything shares keeps its default.
    const bounds = await db.pool.query(
      "SELECT array_length(histogram_bounds::text::text[], 1) AS n FROM pg_stats WHERE tablename = 'churned' AND attname = 'id'",
    );
    expect(bounds.rows[0]?.n).toBe(31);
    expect((await db.pool.query("SHOW default_statistics_target")).rows[0]?.default_statistics_target).toBe("100");
  });

  it("takes the most overdue tables first when a pass is limited", async () => {
    await table("mild", 1000);
    await table("heavy", 1000);
    await churn("mild", 300);
    await churn("heavy", 900);

    expect((await vacuumWhatIsDue(db.pool, 1)).vacuumed).toEqual(["public.heavy"]);
    expect((await vacuumWhatIsDue(db.pool, 1)).vacuumed).toEqual(["public.mild"]);
  });

  it("vacuums a table that only grows (for its visibility map and frozen rows)", async () => {
    await db.pool.query("CREATE TABLE appended (id int PRIMARY KEY)");
    await db.pool.query("INSERT INTO appended SELECT i FROM generate_series(1, 1500) i");
    await until(async () => (await counter("appended", "n_ins_since_vacuum")) === 1500);

    expect((await vacuumWhatIsDue(db.pool)).vacuumed).toContain("public.appended");
    expect(await stats("appended")).toMatchObject({ vacuumed: true, analyzed: true });
  });

  it("runs passes on schedule until it is stopped", async () => {
    await table("scheduled", 1000);
    await churn("scheduled", 400);
    const passes: VacuumPass[] = [];
    const logger = { info: (pass: VacuumPass) => passes.push(pass), warn: () => {} } as unknown as Logger;

    const autovacuum = startAutovacuum(db.pool, { logger, everyMs: 20 });
    await until(async () => passes.some((p) => p.vacuumed.includes("public.scheduled")));
    await autovacuum.stop();
    // One table per pass.
    expect(passes.every((p) => p.vacuumed.length <= 1)).toBe(true);
    expect(await stats("scheduled")).toMatchObject({ dead: 0, vacuumed: true });

    // Stopped: new dead rows past the threshold stay.
    await churn("scheduled", 400);
    await new Promise((r) => setTimeout(r, 200));
    expect(await stats("scheduled")).toMatchObject({ dead: 400 });
  });
});
