import {
  CAMPAIGN_NAME_MAX,
  campaignStatuses,
  campaignTypes,
  channels,
  EXPIRY_HOURS_MAX,
} from "@switchboard/domain/campaign";
import { TRIGGER_KEYWORD_LENGTH_MAX, TRIGGER_KEYWORDS_MAX } from "@switchboard/domain/trigger";
import { z } from "zod";
import { campaignIdParam, INT_MAX, listOf, timestamp, userText, uuid } from "./common";

const name = userText()
  .trim()
  .min(1, "Name is required.")
  .max(CAMPAIGN_NAME_MAX, `Name must be at most ${CAMPAIGN_NAME_MAX} characters.`);
const triggerKeywords = z
  .array(
    userText()
      .trim()
      .min(1, "Trigger keywords cannot be empty.")
      .max(TRIGGER_KEYWORD_LENGTH_MAX, `Trigger keywords are at most ${TRIGGER_KEYWORD_LENGTH_MAX} characters.`),
  )
  .max(TRIGGER_KEYWORDS_MAX, `A campaign can have at most ${TRIGGER_KEYWORDS_MAX} trigger keywords.`);

const editable = {
  name,
  senderId: uuid,
  status: z.enum(campaignStatuses, { error: "Status must be draft, active or ended." }),
  triggerKeywords,
  autoReply: z.boolean(),
  expiresAt: timestamp.nullable(),
  expiresAfterHours: z
    .number()
    .int("The duration is a whole number of hours.")
    .min(1, "The duration is at least 1 hour.")
    .max(EXPIRY_HOURS_MAX, `The duration is at most ${EXPIRY_HOURS_MAX} hours.`)
    .nullable(),
  sessionTimeoutMinutes: z
    .number()
    .int("The session timeout is a whole number of minutes.")
    .min(1, "The session timeout is at least 1 minute.")
    .max(60 * 24 * 30, "The session timeout is at most 30 days."),
  closingText: userText().max(1024, "The closing text is at most 1024 characters.").nullable(),
};

export const campaignInput = z
  .strictObject({
    ...editable,
    type: z.enum(campaignTypes, {
      error: "Type must be chatbot, raffle_giveaway, polls_surveys or web_polls_surveys.",
    }),
    channel: z.enum(channels, { error: "Channel must be sms or whatsapp." }),
    status: editable.status.default("draft"),
    triggerKeywords: triggerKeywords.default([]),
    autoReply: z.boolean().default(false),
    expiresAt: editable.expiresAt.default(null),
    expiresAfterHours: editable.expiresAfterHours.default(null),
    sessionTimeoutMinutes: editable.sessionTimeoutMinutes.default(1440),
    closingText: editable.closingText.default(null),
  })
  .meta({ id: "CampaignInput" });
export type CampaignInput = z.input<typeof campaignInput>;

/** Type and channel are fixed once a campaign exists: its flow and sender depend on them. */
export const campaignPatch = z
  .strictObject({
    ...editable,
    revision: z.number().int().positive().max(INT_MAX).optional().meta({
      description: "The revision the change was made from; when given and stale, the change is refused with 409.",
    }),
  })
  .partial()
  .meta({ id: "CampaignPatch" });
export type CampaignPatch = z.infer<typeof campaignPatch>;

export const campaign = z
  .object({
    id: z.number().int().meta({ description: "The public id, sent as a string in webhook payloads." }),
    name: z.string(),
    type: z.enum(campaignTypes),
    channel: z.enum(channels),
    senderId: uuid,
    status: z.enum(campaignStatuses),
    triggerKeywords: z.array(z.string()),
    autoReply: z.boolean(),
    expiresAt: timestamp.nullable(),
    expiresAfterHours: z.number().int().nullable(),
    activatedAt: timestamp.nullable(),
    sessionTimeoutMinutes: z.number().int(),
    closingText: z.string().nullable(),
    publishedVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The flow version end users talk to; null until first published." }),
    revision: z.number().int(),
    flowRevision: z.number().int().meta({ description: "The chatbot draft's revision (Flow.revision)." }),
    live: z.boolean().meta({ description: "Active with a published version: end users reach it now." }),
    changesSincePublish: z.number().int().nullable().meta({
      description:
        "How many changes the chatbot's draft has since the last publish, counted as the comparison with the published version lists them (an edit undone is none); null for a chatbot never published, 0 for other campaign types.",
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Campaign" });
export type Campaign = z.infer<typeof campaign>;

export const campaignList = listOf(campaign).meta({ id: "CampaignList" });

export const campaignListQuery = z.strictObject({
  q: userText().trim().max(100).optional(),
  type: z.enum(campaignTypes).optional(),
  channel: z.enum(channels).optional(),
  status: z.enum(campaignStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});
export type CampaignListQuery = z.infer<typeof campaignListQuery>;

export const campaignParams = z.object({ campaignId: campaignIdParam });
