import supertest from "supertest";
import { expect, it } from "vitest";
import { describeEachDatabase } from "./harness";

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
