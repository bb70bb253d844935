import { z } from "zod";

export const health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    database: z.object({
      mode: z.enum(["embedded", "postgres"]),
      ok: z.boolean(),
      latencyMs: z.number().nullable(),
      error: z.string().optional(),
    }),
  })
  .meta({ id: "Health" });
export type Health = z.infer<typeof health>;
