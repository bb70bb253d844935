import { HEADERS_MAX, URL_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { requiredAllowedHosts } from "./allowed-hosts";
import { listOf, timestamp, userText, uuid } from "./common";
import { webhookHeader, webhookHeaderInput } from "./flow";

/** An admin-managed endpoint that Integration entries call as a webhook. */
export const integration = z
  .object({
    id: uuid,
    alias: z.string(),
    url: z.string(),
    headers: z.array(webhookHeader),
    allowedHosts: z.array(z.string()).meta({ description: "The only hosts its URL may point at." }),
    signingSecretRotatedAt: timestamp.nullable(),
    usedBy: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: "Integration" });
export type Integration = z.infer<typeof integration>;
export const integrationList = listOf(integration);
/** What marketers see when they pick one: no URL details or headers needed. */
export const integrationChoice = z.object({ id: uuid, alias: z.string() });
export const integrationChoices = z.object({ items: z.array(integrationChoice) });

const integrationFields = {
  alias: userText().trim().min(1, "Alias is required.").max(120, "Aliases are at most 120 characters."),
  url: userText().max(URL_MAX, `URL must be at most ${URL_MAX} characters.`),
  headers: z.array(webhookHeaderInput).max(HEADERS_MAX, `An integration may have at most ${HEADERS_MAX} headers.`),
  allowedHosts: requiredAllowedHosts.meta({
    description: "The only hosts its URL may point at; left out when creating, the URL's host.",
  }),
};
export const integrationInput = z.strictObject({
  ...integrationFields,
  headers: integrationFields.headers.default([]),
  allowedHosts: integrationFields.allowedHosts.optional(),
});
/** Only the fields sent change; headers left out are kept as they are. */
export const integrationPatch = z.strictObject(integrationFields).partial();

/** A new signing secret, shown once; the previous one keeps signing beside it until `previousValidUntil`. */
export const signingSecretRotated = z
  .object({ secret: z.string(), previousValidUntil: timestamp.nullable() })
  .meta({ id: "SigningSecretRotated" });
export const rotateInput = z.strictObject({
  overlapHours: z.number().int().min(0).max(168).default(24),
});
