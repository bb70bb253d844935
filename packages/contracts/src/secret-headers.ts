import { HEADER_VALUE_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { requiredAllowedHosts } from "./allowed-hosts";
import { listOf, timestamp, userText, uuid } from "./common";

/** An admin-made secret header: everyone sees its value masked; marketers attach it by label. */
export const secretHeader = z
  .object({
    id: uuid,
    label: z.string(),
    name: z.string(),
    value: z.string().meta({ description: "Always masked: ••••1234 at most." }),
    usedBy: z.number().int().meta({ description: "How many webhook headers send it." }),
    allowedHosts: z.array(z.string()).meta({ description: "The only hosts its value is sent to." }),
    createdAt: timestamp,
    rotatedAt: timestamp.nullable(),
  })
  .meta({ id: "SecretHeader" });
export type SecretHeader = z.infer<typeof secretHeader>;
export const secretHeaderList = listOf(secretHeader);

const value = userText()
  .min(1, "Value is required.")
  .max(HEADER_VALUE_MAX, `Header values are at most ${HEADER_VALUE_MAX} characters.`);
export const secretHeaderInput = z.strictObject({
  label: userText().trim().min(1, "Label is required.").max(120, "Labels are at most 120 characters."),
  name: userText().trim().min(1, "Header name is required.").max(256),
  value,
  allowedHosts: requiredAllowedHosts,
});
/** Rename or relabel; a new value is a rotation, recorded as such. */
export const secretHeaderPatch = secretHeaderInput.partial();
export const revealedSecret = z.object({ value: z.string() });
