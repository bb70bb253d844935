import { channels } from "@switchboard/domain/campaign";
import { ATTRIBUTE_NAME_MAX, KEYWORD_MAX, MENU_TEXT_MAX } from "@switchboard/domain/menu-entry";
import { NODE_LABEL_MAX, nodeKinds } from "@switchboard/domain/node";
import { redirectTypes } from "@switchboard/domain/redirect-type";
import { BODY_DEPTH_MAX, HEADER_VALUE_MAX, HEADERS_MAX, URL_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { campaignIdParam, storableJson, userText, uuid } from "./common";
import { liveChatSettings } from "./live-chat";

const jsonObject = z.record(z.string(), z.json()).meta({ description: "A JSON object." });

export const webhookHeaderInput = z.strictObject({
  id: uuid
    .optional()
    .meta({ description: "An existing header's id: with no value, its stored (secret) value is kept." }),
  name: userText().max(256, "Header names are at most 256 characters."),
  value: userText().max(HEADER_VALUE_MAX, `Header values are at most ${HEADER_VALUE_MAX} characters.`).optional(),
  secret: z.boolean().default(false),
  secretHeaderId: uuid
    .nullable()
    .optional()
    .meta({ description: "An admin-made secret header to send: its name and value come from it." }),
});

export const webhookInput = z
  .strictObject({
    url: userText().max(URL_MAX, `URL must be at most ${URL_MAX} characters.`),
    body: storableJson({ maxDepth: BODY_DEPTH_MAX, name: "Body" })
      .default({})
      .meta({
        description: `Extra parameters: a JSON object merged into every payload. Objects and arrays nest at most ${BODY_DEPTH_MAX} levels deep (the Body itself is level 1); no key or string may hold a NUL character or an unpaired surrogate.`,
      }),
    headers: z
      .array(webhookHeaderInput)
      .max(HEADERS_MAX, `A webhook may have at most ${HEADERS_MAX} headers.`)
      .default([]),
  })
  .meta({ id: "WebhookInput" });
export type WebhookInput = z.input<typeof webhookInput>;

export const webhookHeader = z
  .object({
    id: uuid,
    name: z.string(),
    value: z.string().meta({ description: "Masked (••••1234) when the header is secret." }),
    secret: z.boolean(),
    secretHeaderId: uuid.nullable().optional(),
  })
  .meta({ id: "WebhookHeader" });

export const webhook = z
  .object({
    url: z.string(),
    body: jsonObject,
    headers: z.array(webhookHeader),
    disabledAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .meta({ description: "Set when the endpoint was disabled (410 Gone, or five days of failures)." }),
    disabledReason: z.string().nullable(),
  })
  .meta({ id: "Webhook" });
export type Webhook = z.infer<typeof webhook>;

const entryFields = {
  keyword: userText().max(KEYWORD_MAX, `Keyword must be at most ${KEYWORD_MAX} characters.`),
  menuText: userText().max(MENU_TEXT_MAX, `Menu Text must be at most ${MENU_TEXT_MAX} characters.`).nullable(),
  redirectType: z.enum(redirectTypes).nullable(),
  redirectTo: userText().max(64).nullable().meta({
    description: "A node id (Interaction, Attribute), a campaign id (Campaign) or an integration id (Integration).",
  }),
  attribute: userText().max(ATTRIBUTE_NAME_MAX).nullable(),
  continueAt: uuid.nullable().meta({
    description:
      'Redirect Type Campaign: "When finished, continue at" — the node of this chatbot the conversation continues at when that campaign finishes; null: the conversation ends.',
  }),
  webhookEnabled: z.boolean(),
  liveChat: liveChatSettings.nullable().meta({
    description: "Redirect Type Live Chat: the hand-over message, the team, the timeout and what it does.",
  }),
};

export const menuEntryInput = z
  .strictObject({
    ...entryFields,
    menuText: entryFields.menuText.default(null),
    redirectType: entryFields.redirectType.default(null),
    redirectTo: entryFields.redirectTo.default(null),
    attribute: entryFields.attribute.default(null),
    continueAt: entryFields.continueAt.default(null),
    webhookEnabled: entryFields.webhookEnabled.default(false),
    liveChat: entryFields.liveChat.default(null),
    webhook: webhookInput.nullable().default(null),
    position: z.number().int().min(0).optional(),
  })
  .meta({ id: "MenuEntryInput" });
export type MenuEntryInput = z.input<typeof menuEntryInput>;

export const menuEntryPatch = z
  .strictObject({ ...entryFields, webhook: webhookInput.nullable(), position: z.number().int().min(0) })
  .partial()
  .meta({ id: "MenuEntryPatch" });
export type MenuEntryPatch = z.infer<typeof menuEntryPatch>;

export const menuEntry = z
  .object({
    id: uuid,
    nodeId: uuid,
    position: z.number().int(),
    ...entryFields,
    // Optional in the shape so clients built before hand-offs still read entries; the API always sends it.
    continueAt: entryFields.continueAt.optional(),
    liveChat: entryFields.liveChat.optional(),
    hasWebhook: z.boolean().meta({ description: "Webhook redirect type or toggle on: the table's link icon." }),
    webhook: webhook.nullable(),
  })
  .meta({ id: "MenuEntry" });
export type MenuEntry = z.infer<typeof menuEntry>;

export const nodeInput = z
  .strictObject({
    label: userText().max(NODE_LABEL_MAX, `Label must be at most ${NODE_LABEL_MAX} characters.`).optional(),
    message: userText().max(4096, "Messages are at most 4096 characters.").default(""),
    confirmationText: userText()
      .max(1024, "The confirmation text is at most 1024 characters.")
      .nullable()
      .default(null),
    position: z.number().int().min(0).optional(),
  })
  .meta({ id: "NodeInput" });
export type NodeInput = z.input<typeof nodeInput>;

export const nodePatch = z
  .strictObject({
    label: userText().max(NODE_LABEL_MAX, `Label must be at most ${NODE_LABEL_MAX} characters.`),
    message: userText().max(4096, "Messages are at most 4096 characters."),
    confirmationText: userText().max(1024, "The confirmation text is at most 1024 characters.").nullable(),
    position: z.number().int().min(0),
  })
  .partial()
  .meta({ id: "NodePatch" });
export type NodePatch = z.infer<typeof nodePatch>;

export const flowNode = z
  .object({
    id: uuid,
    kind: z.enum(nodeKinds),
    label: z.string(),
    message: z.string(),
    confirmationText: z.string().nullable().meta({ description: "Sent after the node's question is answered." }),
    position: z.number().int(),
    messageStats: z
      .object({
        characters: z.number().int(),
        segments: z.number().int().nullable(),
        encoding: z.enum(["GSM-7", "UCS-2"]).nullable(),
        limit: z.number().int(),
      })
      .meta({
        description: "The message's length against its channel: SMS segments (and encoding), or WhatsApp's limit.",
      }),
    entries: z.array(menuEntry),
  })
  .meta({ id: "Node" });
export type FlowNode = z.infer<typeof flowNode>;

export const flow = z
  .object({
    campaignId: z.number().int(),
    channel: z.enum(channels),
    revision: z.number().int().meta({
      description:
        "The draft's revision: every change of a node, entry or webhook adds 1. Send it back as `?revision=` with a change to be refused (409 stale_revision) if someone saved in between.",
    }),
    nodes: z.array(flowNode),
  })
  .meta({ id: "Flow" });
export type Flow = z.infer<typeof flow>;

/** The draft revision a change was made from: stale, the change is refused with 409 and the newer draft. */
export const flowWriteQuery = z.strictObject({
  revision: z.coerce.number().int().positive().max(2147483647).optional().meta({
    description:
      "The draft revision (Flow.revision) this change was made from. When given and stale, nothing is saved: 409 stale_revision with `revision` and `current` (the newer Flow). A change that succeeds makes the revision this one plus 1.",
  }),
});

export const nodeParams = z.object({ campaignId: campaignIdParam, nodeId: uuid });
export const entryParams = z.object({ campaignId: campaignIdParam, nodeId: uuid, entryId: uuid });
