import { z } from "zod";

const databaseMode = z.enum(["embedded", "postgres"]);

/**
 * GET /api/health: the API is up and reached its database just now. When it cannot, the answer is a 503 problem
 * (`database_unavailable`) that says only that: never where the database is or what the driver said.
 */
export const health = z
  .object({
    status: z.literal("ok"),
    version: z.string(),
    database: z.object({
      mode: databaseMode,
      ok: z.literal(true),
      latencyMs: z.number(),
    }),
  })
  .meta({ id: "Health" });
export type Health = z.infer<typeof health>;

/** GET /api/health/live: the process answers (an orchestrator restarts it when it does not). Touches no database. */
export const liveness = z.object({ status: z.literal("live") }).meta({ id: "Liveness" });
export type Liveness = z.infer<typeof liveness>;

/**
 * GET /api/health/ready: this process can serve requests: its database answers and holds every migration this
 * version needs. Otherwise 503 (`database_unavailable` or `not_ready`): an orchestrator sends it no traffic meanwhile.
 */
export const readiness = z
  .object({
    status: z.literal("ready"),
    version: z.string(),
    database: z.object({ mode: databaseMode, latencyMs: z.number() }),
  })
  .meta({ id: "Readiness" });
export type Readiness = z.infer<typeof readiness>;
