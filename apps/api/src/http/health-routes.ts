import { health, liveness, readiness } from "@switchboard/contracts/health";
import type { Database } from "../db/database";
import { AppError } from "../errors/app-error";
import type { Logger } from "../logger";
import { VERSION } from "../version";
import { route } from "./route";

/**
 * Health for people and monitors (/api/health) and for orchestrators (/live, /ready). Public: each answers with
 * nothing but a state and a short reason; the database's own error goes to the log, never to the caller.
 */
export function healthRoutes(db: Pick<Database, "mode" | "ping" | "pendingMigrations">, logger: Logger) {
  /** Round trip in ms; a database that does not answer is a 503 that says only that. */
  const reach = async (): Promise<number> => {
    try {
      return Math.round((await db.ping()) * 100) / 100;
    } catch (error) {
      logger.warn({ error: (error as Error).message }, "health: the database did not answer");
      throw AppError.databaseUnavailable();
    }
  };
  return [
    route({
      method: "get",
      path: "/api/health",
      tag: "Operations",
      access: "public",
      summary: "Is the API up, and can it reach its database?",
      description: "503 when the database cannot be reached.",
      response: health,
      errors: [503],
      handler: async () => ({
        status: "ok" as const,
        version: VERSION,
        database: { mode: db.mode, ok: true as const, latencyMs: await reach() },
      }),
    }),
    route({
      method: "get",
      path: "/api/health/live",
      tag: "Operations",
      access: "public",
      summary: "Is the process up? (liveness probe)",
      description: "Always 200 while the process can answer; it does not touch the database.",
      response: liveness,
      handler: async () => ({ status: "live" as const }),
    }),
    route({
      method: "get",
      path: "/api/health/ready",
      tag: "Operations",
      access: "public",
      summary: "Can this process serve requests? (readiness probe)",
      description:
        "200 when the database answers and holds every migration this version needs; 503 otherwise, with the reason.",
      response: readiness,
      errors: [503],
      handler: async () => {
        const latencyMs = await reach();
        const pending = await db.pendingMigrations().catch((error: unknown) => {
          logger.warn({ error: (error as Error).message }, "health: could not read the applied migrations");
          throw AppError.databaseUnavailable();
        });
        if (pending.length > 0) {
          throw new AppError(
            "not_ready",
            `The database lacks ${pending.length} migration(s) this version needs; restart the API to apply them.`,
            [],
            [],
            30,
          );
        }
        return { status: "ready" as const, version: VERSION, database: { mode: db.mode, latencyMs } };
      },
    }),
  ];
}
