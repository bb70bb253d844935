import { campaignStatuses, channels } from "@switchboard/domain/campaign";
import { z } from "zod";
import { campaignIdParam, INT_MAX, timestamp, userText, uuid } from "./common";

const e164 = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, "Must be a phone number in international (E.164) format, such as +525500000000.");

export const inboundMessage = z
  .strictObject({
    channel: z.enum(channels, { error: "Channel must be sms or whatsapp." }),
    from: e164.meta({ description: "The end user's phone number." }),
    to: userText().trim().min(1, "to is required: the address of one of your senders.").max(64),
    text: userText().max(4096, "Messages are at most 4096 characters."),
    messageId: userText().min(1).max(200).optional().meta({
      description:
        "The provider's message id: a retry with the same id is answered with the first result and processed once.",
    }),
    replyId: userText()
      .max(200)
      .optional()
      .meta({ description: "For WhatsApp list and button replies: the option's id." }),
  })
  .meta({ id: "InboundMessage" });
export type InboundMessage = z.infer<typeof inboundMessage>;

export const replyOption = z
  .object({ id: z.string(), keyword: z.string(), title: z.string() })
  .meta({ id: "ReplyOption" });

export const reply = z
  .object({
    text: z.string(),
    options: z.array(replyOption),
    style: z
      .enum(["text", "buttons", "list"])
      .meta({ description: "How to present the options: text lines (SMS), WhatsApp buttons or list." }),
  })
  .meta({ id: "Reply" });

export const inboundResult = z
  .object({
    messageId: uuid.meta({ description: "Our id of the inbound message, in the transcript." }),
    sessionId: uuid.nullable(),
    campaignId: z.number().int().nullable(),
    replies: z.array(reply),
    duplicate: z.boolean().meta({ description: "True when this answers a retry of a message already processed." }),
  })
  .meta({ id: "InboundResult" });
export type InboundResult = z.infer<typeof inboundResult>;

export const simulatorMessage = z
  .strictObject({
    phoneNumber: e164.default("+10000000000"),
    text: userText().max(4096, "Messages are at most 4096 characters."),
    replyId: userText().max(200).optional(),
  })
  .meta({ id: "SimulatorMessage" });

export const simulatedWebhook = z
  .object({
    deliveryId: uuid,
    entryId: z.string(),
    mode: z.enum(["response", "option", "raffle", "survey"]),
    url: z.string(),
    payload: z.string().meta({ description: "The exact bytes that will be POSTed." }),
  })
  .meta({ id: "SimulatedWebhook" });

export const simulatorResult = inboundResult
  .extend({
    webhooks: z.array(simulatedWebhook),
    state: z.object({ nodeId: z.string().nullable(), status: z.string().nullable() }),
  })
  .meta({ id: "SimulatorResult" });

export const sessionSummary = z
  .object({
    id: uuid,
    campaignId: z.number().int(),
    phoneNumber: z.string(),
    flowVersion: z.number().int(),
    status: z.enum(["active", "ended", "handed_off", "live_chat"]),
    test: z.boolean(),
    startedAt: timestamp,
    lastActivityAt: timestamp,
  })
  .meta({ id: "SessionSummary" });

export const sessionList = z
  .object({ items: z.array(sessionSummary), total: z.number().int() })
  .meta({ id: "SessionList" });

export const sessionListQuery = z.strictObject({
  test: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});

export const transcriptMessage = z
  .object({
    id: uuid,
    direction: z.enum(["inbound", "outbound"]),
    text: z.string(),
    options: z.array(replyOption).nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "TranscriptMessage" });

export const transcript = z
  .object({ session: sessionSummary, messages: z.array(transcriptMessage) })
  .meta({ id: "Transcript" });

export const sessionParams = z.object({ sessionId: uuid });
export const campaignSessionsParams = z.object({ campaignId: campaignIdParam });

/** The longest version note a Publish takes. */
export const VERSION_NOTE_MAX = 500;

export const publishInput = z
  .strictObject({
    note: userText()
      .trim()
      .max(VERSION_NOTE_MAX, `The note is at most ${VERSION_NOTE_MAX} characters.`)
      .nullable()
      .default(null)
      .meta({
        description: "Why this version: shown in the version history.",
      }),
    activate: z.boolean().default(false).meta({
      description:
        "Also make a Draft campaign Active, so end users reach the new version at once (refused with nothing published when its trigger keywords clash with another active campaign's).",
    }),
  })
  .default({ note: null, activate: false })
  .meta({ id: "PublishInput" });
export type PublishInput = z.input<typeof publishInput>;

export const publication = z
  .object({
    publishedVersion: z.number().int().nullable(),
    publishedAt: timestamp.nullable(),
    hasUnpublishedChanges: z.boolean(),
    changesSincePublish: z.number().int().nullable().meta({
      description:
        "How many places (nodes, entries, fields) differ between the live version and the draft, by the same flow diff as the version comparison; 0 when an edit was undone; null before the first publish.",
    }),
    campaignStatus: z.enum(campaignStatuses).meta({ description: "Draft, Active or Ended, after this publish." }),
    activated: z.boolean().meta({ description: "True when this publish also made the campaign Active." }),
    warnings: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
  })
  .meta({ id: "Publication" });
export type Publication = z.infer<typeof publication>;
