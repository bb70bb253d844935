import { z } from "zod";
import { timestamp } from "./common";
import { menuEntry, webhook } from "./flow";
import { integration } from "./integrations";

/** An endpoint's signing secret in clear, for an admin: on creation, on rotation, or by an audited reveal. */
export const signingSecretShown = z
  .object({
    secret: z
      .string()
      .meta({ description: "The Standard Webhooks secret (whsec_…) receivers verify signatures with." }),
    previousValidUntil: timestamp.nullable().meta({ description: "Until when the previous secret signs too." }),
  })
  .meta({ id: "SigningSecretShown" });

/** A new integration, with its signing secret shown this once. */
export const integrationCreated = integration
  .extend({ signingSecret: z.string().meta({ description: "Shown this once; reveal it later (audited)." }) })
  .meta({ id: "IntegrationCreated" });

/** An entry's webhook as saved; its signing secret is there, for admins, only on the save that created it. */
export const webhookSaved = webhook
  .extend({
    signingSecret: z
      .string()
      .optional()
      .meta({ description: "Only when this save created the webhook, and only for admins: shown this once." }),
  })
  .meta({ id: "WebhookSaved" });

/** A menu entry as saved; its webhook carries the signing secret, for admins, only on the save that created it. */
export const menuEntrySaved = menuEntry.extend({ webhook: webhookSaved.nullable() }).meta({ id: "MenuEntrySaved" });
