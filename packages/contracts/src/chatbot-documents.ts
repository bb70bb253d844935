import { CAMPAIGN_NAME_MAX, channels } from "@switchboard/domain/campaign";
import { CHATBOT_DOCUMENT_KIND } from "@switchboard/domain/conversation/chatbot-document";
import { ATTRIBUTE_NAME_MAX, KEYWORD_MAX, MENU_TEXT_MAX } from "@switchboard/domain/menu-entry";
import { NODE_LABEL_MAX, nodeKinds } from "@switchboard/domain/node";
import { redirectTypes } from "@switchboard/domain/redirect-type";
import { BODY_DEPTH_MAX, HEADER_VALUE_MAX, HEADERS_MAX, URL_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { fieldError, INT_MAX, storableJson, userText, uuid } from "./common";
import { liveChatSettings, openingHours } from "./live-chat";

const ref = userText().min(1).max(40);
const outside = z.strictObject({ id: userText().min(1).max(64), name: userText().max(256).nullable() });

const documentHeader = z.union([
  z.strictObject({ name: userText().max(256), value: userText().max(HEADER_VALUE_MAX) }),
  z.strictObject({ name: userText().max(256), secret: z.literal(true) }),
  z.strictObject({
    name: userText().max(256),
    secretHeader: z.strictObject({ id: userText().min(1).max(64), label: userText().max(256) }),
  }),
]);

const documentEntry = z.strictObject({
  keyword: userText().max(KEYWORD_MAX),
  menuText: userText().max(MENU_TEXT_MAX).nullable(),
  redirectType: z.enum(redirectTypes).nullable(),
  redirectTo: z
    .union([
      z.strictObject({ node: ref }),
      z.strictObject({ campaign: outside }),
      z.strictObject({ integration: outside }),
    ])
    .nullable(),
  attribute: userText().max(ATTRIBUTE_NAME_MAX).nullable(),
  webhookEnabled: z.boolean(),
  webhook: z
    .strictObject({
      url: userText().max(URL_MAX),
      body: storableJson({ maxDepth: BODY_DEPTH_MAX, name: "Body" }),
      headers: z.array(documentHeader).max(HEADERS_MAX),
    })
    .nullable(),
  liveChat: z
    .strictObject({
      handoverMessage: liveChatSettings.shape.handoverMessage.unwrap(),
      team: outside.nullable(),
      timeoutMinutes: liveChatSettings.shape.timeoutMinutes.unwrap(),
      openingHours: openingHours.nullable(),
      onTimeout: z.discriminatedUnion("action", [
        z.strictObject({ action: z.literal("bot"), message: userText().max(1024), node: ref }),
        z.strictObject({ action: z.literal("end"), message: userText().max(1024) }),
      ]),
    })
    .nullable()
    .optional()
    .meta({
      description: "Redirect Type Live Chat: its settings, the team by id and name, the timeout's node by ref.",
    }),
});

/** A chatbot as a file (domain/conversation/chatbot-document.ts): no ids of this installation but what must be mapped. */
export const chatbotDocument = z
  .strictObject({
    kind: z.literal(CHATBOT_DOCUMENT_KIND, {
      error: `This is not a Switchboard chatbot file (kind ${CHATBOT_DOCUMENT_KIND}).`,
    }),
    format: z.number().int().min(1),
    name: userText().max(CAMPAIGN_NAME_MAX),
    channel: z.enum(channels),
    sender: z.strictObject({ name: userText().max(256), address: userText().max(64) }).nullable(),
    nodes: z
      .array(
        z.strictObject({
          ref,
          kind: z.enum(nodeKinds),
          label: userText().max(NODE_LABEL_MAX),
          message: userText().max(4096),
          confirmationText: userText().max(1024).nullable(),
          entries: z.array(documentEntry).max(100),
        }),
      )
      .min(1)
      .max(200),
  })
  .meta({ id: "ChatbotDocument" });
export type ChatbotDocumentInput = z.infer<typeof chatbotDocument>;

/**
 * What stands for each thing the file points at, in this installation. Keys are the file's ids (campaigns,
 * integrations, admin-made secret headers) or header names (inline secret values). `null` leaves it out: the Redirect
 * To stays empty for the marketer to choose, the header is dropped.
 */
export const importMapping = z
  .strictObject({
    campaigns: z
      .record(z.string(), z.number().int().positive().max(INT_MAX, { error: "No campaign has this id." }).nullable())
      .default({}),
    integrations: z.record(z.string(), uuid.nullable()).default({}),
    secretHeaders: z.record(z.string(), uuid.nullable()).default({}),
    teams: z
      .record(z.string(), uuid.nullable())
      .default({})
      .meta({ description: "Per team id of the file: a team of this installation, or null for every agent." }),
    secretValues: z
      .record(
        z.string(),
        z
          .union([
            z.strictObject({ secretHeaderId: uuid }),
            z.strictObject({ value: userText().min(1).max(HEADER_VALUE_MAX) }),
          ])
          .nullable(),
      )
      .default({})
      .meta({
        description:
          "Per header name: an admin-made secret header to send instead, or a value (admins only: it is sealed), or null to drop it.",
      }),
  })
  .default({ campaigns: {}, integrations: {}, secretHeaders: {}, secretValues: {}, teams: {} })
  .meta({ id: "ImportMapping" });

export const importInput = z
  .strictObject({
    document: chatbotDocument,
    name: userText().trim().min(1).max(CAMPAIGN_NAME_MAX).optional().meta({ description: "Defaults to the file's." }),
    senderId: uuid
      .optional()
      .meta({ description: "Defaults to the sender with the file's address, when there is one." }),
    mapping: importMapping,
  })
  .meta({ id: "ImportInput" });
export type ImportInput = z.input<typeof importInput>;

export const importNeed = z
  .object({
    kind: z.enum(["sender", "campaign", "integration", "secret_header", "secret_value", "team"]),
    key: z.string(),
    label: z.string(),
    paths: z
      .array(z.string())
      .meta({ description: "Where the file uses it, e.g. `document.nodes.0.entries.2.redirectTo`." }),
    suggestion: z.string().nullable().meta({
      description: "What this installation has that fits (same id and name, or same name), used when not mapped.",
    }),
    mapped: z.boolean().meta({ description: "The mapping answers it (or the suggestion does)." }),
  })
  .meta({ id: "ImportNeed" });

export const importPlan = z
  .object({
    valid: z
      .boolean()
      .meta({ description: "Importing with this mapping would succeed as far as can be told without writing." }),
    needs: z.array(importNeed),
    problems: z.array(fieldError),
  })
  .meta({ id: "ImportPlan" });
export type ImportPlan = z.infer<typeof importPlan>;
