import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { type Database, openDatabase } from "../src/db/database";
import { isDatabaseUnavailable } from "../src/db/errors";
import { SecretBox } from "../src/secrets/secret-box";
import { describeEachDatabase } from "./harness";
import { type Cluster, postgresBinaries, startCluster } from "./postgres-cluster";

const bin = postgresBinaries();

describeEachDatabase("health for monitors and orchestrators", (h) => {
  it("answers /api/health with the database's round trip, to anyone", async () => {
    const res = await supertest(h.app).get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ok",
      version: expect.any(String),
      database: { mode: h.db.mode, ok: true, latencyMs: expect.any(Number) },
    });
  });

  it("answers /api/health/live without touching the database", async () => {
    const res = await supertest(h.app).get("/api/health/live");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "live" });
  });

  it("answers /api/health/ready 200 once every migration of this version is applied", async () => {
    const res = await supertest(h.app).get("/api/health/ready");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ready",
      version: expect.any(String),
      database: { mode: h.db.mode, latencyMs: expect.any(Number) },
    });
  });

  it("answers /api/health/ready 503 when the database lacks a migration this version needs", async () => {
    const { rows } = await h.db.pool.query(
      `DELETE FROM "_prisma_migrations"
        WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING *`,
    );
    try {
      const res = await supertest(h.app).get("/api/health/ready");
      expect(res.status).toBe(503);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.headers["retry-after"]).toBeDefined();
      expect(res.body).toMatchObject({ type: "/api/problems#not_ready", status: 503 });
      expect(res.body.detail).toMatch(/1 migration/);
      // Liveness is not readiness: the process is fine, and restarting it is what applies the migration.
      expect((await supertest(h.app).get("/api/health/live")).status).toBe(200);
    } finally {
      const r = rows[0];
      await h.db.pool.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          r.id,
          r.checksum,
          r.finished_at,
          r.migration_name,
          r.logs,
          r.rolled_back_at,
          r.started_at,
          r.applied_steps_count,
        ],
      );
    }
    expect((await supertest(h.app).get("/api/health/ready")).status).toBe(200);
  });
});

describe.runIf(bin)("health while the database is away", () => {
  let cluster: Cluster;
  let db: Database;
  let app: ReturnType<typeof createApp>;
  let logs = "";
  beforeAll(async () => {
    cluster = await startCluster(bin as string);
    db = await openDatabase({ mode: "postgres", url: cluster.url, poolSize: 4 });
    app = createApp({
      config: { env: "test", webhookPolicy: { allowHttp: false }, webhookAllowedCidrs: [], webDist: null },
      db,
      logger: pino(
        { level: "info" },
        new Writable({
          write(chunk, _enc, done) {
            logs += chunk.toString();
            done();
          },
        }),
      ),
      secretBox: new SecretBox(randomBytes(32)),
    });
  }, 30_000);
  afterAll(async () => {
    await db?.close().catch(() => {});
    await cluster?.destroy();
  });

  it("answers 503 with a short public reason, stays live, and is ready again once the database is back", {
    timeout: 30_000,
  }, async () => {
    expect((await supertest(app).get("/api/health")).status).toBe(200);
    await cluster.stop("immediate");

    const down = await supertest(app).get("/api/health");
    expect(down.status).toBe(503);
    expect(down.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(Number(down.headers["retry-after"])).toBeGreaterThan(0);
    expect(down.body).toMatchObject({ type: "/api/problems#database_unavailable", status: 503 });
    expect(down.body.detail).toBe("The database cannot be reached right now. Try again in a few seconds.");
    // Nothing of where the database is or what the driver said.
    for (const secretish of [String(cluster.port), "127.0.0.1", "prisma", "Prisma", "postgres", "ECONNREFUSED"])
      expect(down.text).not.toContain(secretish);
    // The operator finds the driver's own words in the log.
    expect(logs).toContain("health: the database did not answer");

    expect((await supertest(app).get("/api/health/live")).status).toBe(200);
    const notReady = await supertest(app).get("/api/health/ready");
    expect(notReady.status).toBe(503);
    expect(notReady.body.type).toBe("/api/problems#database_unavailable");
    // Any other route says the same rather than 500.
    const route = await supertest(app).post("/api/v1/messages/inbound").set("Authorization", "Bearer sb_nothing");
    expect(route.status).toBe(503);

    await cluster.start();
    // The pool replaces the connections the server dropped: ready again without a restart of the API.
    expect((await supertest(app).get("/api/health/ready")).status).toBe(200);
    expect((await supertest(app).get("/api/health")).status).toBe(200);
  });

  it("recognizes every way pg and Prisma report that the database went away", { timeout: 30_000 }, async () => {
    // Connections open when the server stops (dropped mid-transaction), then new ones refused.
    const held = await db.pool.connect();
    await held.query("BEGIN");
    const transaction = db.prisma
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT pg_sleep(5)`;
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    const dropped = held.query("SELECT pg_sleep(5)").then(
      () => null,
      (error: unknown) => error,
    );
    await new Promise((r) => setTimeout(r, 200));
    await cluster.stop("immediate");
    const errors: Record<string, unknown> = {
      "a checked-out connection's query": await dropped,
      "a Prisma transaction": await transaction,
    };
    held.release(true);
    const refused = async (run: () => Promise<unknown>) =>
      run().then(
        () => null,
        (error: unknown) => error,
      );
    errors["pool.query"] = await refused(() => db.pool.query("SELECT 1"));
    errors["pool.connect"] = await refused(() => db.pool.connect());
    errors["prisma.$queryRaw"] = await refused(() => db.prisma.$queryRaw`SELECT 1`);
    errors["a Prisma model query"] = await refused(() => db.prisma.user.findFirst());
    errors["a Prisma transaction refused"] = await refused(() => db.prisma.$transaction([db.prisma.user.count()]));
    await cluster.start();
    const unrecognized = Object.entries(errors)
      .filter(([, error]) => !isDatabaseUnavailable(error))
      .map(([where, error]) => `${where}: ${error === null ? "no error" : String(error)}`);
    expect(unrecognized).toEqual([]);
    // And a mistake is not an outage.
    expect(isDatabaseUnavailable(await refused(() => db.pool.query("SELECT * FROM no_such_table")))).toBe(false);
    expect(isDatabaseUnavailable(await refused(() => db.prisma.$queryRaw`SELECT 1/0`))).toBe(false);
  });
});
