import { z } from "zod";
import { campaignIdParam, INT_MAX, timestamp } from "./common";

export const flowVersionSummary = z
  .object({
    version: z.number().int(),
    publishedAt: timestamp,
    publishedBy: z.string().nullable().meta({ description: "A user's email or `token <name>`; null when unknown." }),
    note: z.string().nullable(),
    live: z.boolean().meta({ description: "The version new conversations start on." }),
  })
  .meta({ id: "FlowVersionSummary" });
export type FlowVersionSummary = z.infer<typeof flowVersionSummary>;

export const flowVersionList = z.object({ items: z.array(flowVersionSummary) }).meta({ id: "FlowVersionList" });

export const versionParams = z.object({
  campaignId: campaignIdParam,
  version: z.coerce.number().int().min(1).max(INT_MAX),
});

export const compareQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(INT_MAX).meta({ description: "A version number; 0 is the current draft." }),
  to: z.coerce.number().int().min(0).max(INT_MAX).meta({ description: "A version number; 0 is the current draft." }),
});

export const flowChangeKinds = [
  "node_added",
  "node_removed",
  "node_renamed",
  "node_moved",
  "message_changed",
  "confirmation_changed",
  "entry_added",
  "entry_removed",
  "entry_moved",
  "keyword_changed",
  "menu_text_changed",
  "redirect_type_changed",
  "redirect_to_changed",
  "attribute_changed",
  "live_chat_changed",
  "webhook_toggled",
  "webhook_added",
  "webhook_removed",
  "webhook_url_changed",
  "webhook_body_changed",
  "header_added",
  "header_removed",
  "header_changed",
] as const;

export const flowChange = z
  .object({
    kind: z.enum(flowChangeKinds),
    nodeId: z.string(),
    entryId: z.string().optional(),
    where: z.string().meta({ description: "Where, in the marketer's words: `Welcome Message › 3 One year`." }),
    what: z.string().meta({ description: "What changed: `Redirect To changed from Interaction 2 to Raffle`." }),
  })
  .meta({ id: "FlowChange" });

export const flowComparison = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    changes: z.array(flowChange),
    sentences: z.array(z.string()).meta({ description: "One sentence per place that changed." }),
  })
  .meta({ id: "FlowComparison" });
export type FlowComparison = z.infer<typeof flowComparison>;

export const restoreInput = z
  .strictObject({
    revision: z.number().int().positive().max(INT_MAX).optional().meta({
      description: "The draft revision the restore was asked from; stale, it is refused (409 stale_revision).",
    }),
  })
  .default({})
  .meta({ id: "RestoreInput" });
