import { jsonFlaws } from "@switchboard/domain/json";
import { textFlaw, textFlawMessage } from "@switchboard/domain/text";
import { z } from "zod";

/*
 * A rule of the domain broken inside a schema is a "custom" zod issue carrying the rule's own code in
 * `params.code`; the route table reports that code (`nul_character`, `too_deep`, …) instead of zod's.
 */

/**
 * Every string a person or a channel sends: one that PostgreSQL can store and UTF-8 can encode (no NUL character, no
 * unpaired surrogate). The field's own rules chain after it: `userText().trim().max(120)`.
 */
export const userText = () =>
  z.string().check((ctx) => {
    const flaw = textFlaw(ctx.value);
    if (flaw) {
      ctx.issues.push({ code: "custom", params: { code: flaw }, input: ctx.value, message: textFlawMessage(flaw) });
    }
  });

/**
 * A parsed JSON value a person sent: storable text in its keys and strings, nested no deeper than `maxDepth`. Checked
 * by a walk of its own before anything recurses into the value.
 */
export const storableJson = (limits: { maxDepth: number; name: string }) =>
  z.unknown().check((ctx) => {
    for (const found of jsonFlaws(ctx.value, limits)) {
      ctx.issues.push({
        code: "custom",
        params: { code: found.code },
        path: found.path,
        input: ctx.value,
        message: found.message,
      });
    }
  });

export const uuid = z.uuid({ error: "Must be an id such as 3f1c2a9e-…" });

/** The largest value of a PostgreSQL integer column: numbers that are stored or compared with one stay below it. */
export const INT_MAX = 2_147_483_647;

/** A campaign's public numeric id, in a path or as Redirect To. */
export const campaignIdParam = z.coerce
  .number({ error: "Campaign ids are numbers, such as 13010." })
  .int({ error: "Campaign ids are whole numbers, such as 13010." })
  .positive({ error: "Campaign ids are positive numbers, such as 13010." })
  .max(INT_MAX, { error: "No campaign has an id this large." });

export const timestamp = z.iso.datetime({
  offset: true,
  error: "Must be a date and time such as 2026-06-18T23:22:36.560Z.",
});

/** One field that broke a rule. */
export const fieldError = z
  .object({
    path: z.string().meta({ description: "Where the problem is, e.g. `body.webhook.headers.1.name`." }),
    code: z.string().meta({ description: "A stable code, e.g. `reserved_header`." }),
    message: z.string().meta({ description: "What is wrong, in a sentence for people." }),
    target: z
      .object({ nodeId: z.string(), entryId: z.string().optional(), field: z.string().optional() })
      .optional()
      .meta({
        description:
          "For a refused publish or import: the node, entry and field the problem is on, by id (stable while the draft is edited), so an editor can jump to it.",
      }),
  })
  .meta({ id: "FieldError" });

/** RFC 9457 problem details; every error the API returns has this shape. */
export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(fieldError).optional(),
    references: z
      .array(
        z.object({
          campaignId: z.string(),
          campaignName: z.string(),
          nodeId: z.string(),
          nodeLabel: z.string(),
          entryId: z.string(),
          keyword: z.string(),
          menuText: z.string().nullable(),
        }),
      )
      .optional()
      .meta({ description: "For a refused deletion: the menu entries that still point at what was to be deleted." }),
    revision: z
      .number()
      .int()
      .optional()
      .meta({ description: "For a stale save (stale_revision): the chatbot's draft revision as now saved." }),
    current: z
      .unknown()
      .optional()
      .meta({ description: "For a stale save of a chatbot's draft: the newer draft (a Flow), to offer instead." }),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof problem>;

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
