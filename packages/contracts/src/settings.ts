import { z } from "zod";

/** What the editor must know about this installation to validate as the server will. */
export const settings = z
  .object({
    webhooks: z.object({
      allowHttp: z.boolean().meta({ description: "Whether http:// webhook URLs are accepted (ALLOW_HTTP_WEBHOOKS)." }),
    }),
  })
  .meta({ id: "Settings" });
export type Settings = z.infer<typeof settings>;
