import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { type Database, openDatabase } from "../src/db/database";
import { isDatabaseUnavailable } from "../src/db/errors";
import { SecretBox } from "../src/secrets/secret-box";
import { type Cluster, requirePostgresBinaries, startCluster } from "./postgres-cluster";

// Runs where PostgreSQL is installed (always in CI): the test stops and starts a cluster of its own (server-suites.ts).
const bin = requirePostgresBinaries();

describe("health while the database is away", () => {
  let cluster: Cluster;
  let db: Database;
  let app: ReturnType<typeof createApp>;
  let logs = "";
  beforeAll(async () => {
    cluster = await startCluster(bin);
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
    // A probe that carries a browser's cookie is not a caller to look up in the database.
    expect((await supertest(app).get("/api/health/live").set("Cookie", "sb_session=abc")).status).toBe(200);
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
