import { EVERY_NTH_MAX, PRIZE_NAME_MAX, PRIZE_QUANTITY_MAX, PRIZES_MAX } from "@switchboard/domain/handoff/raffle";
import {
  CHOICE_TEXT_MAX,
  CHOICES_MAX,
  FREE_TEXT_MAX,
  QUESTION_KEY_MAX,
  QUESTION_TEXT_MAX,
  QUESTIONS_MAX,
  questionKeyPattern,
} from "@switchboard/domain/handoff/survey";
import { LINK_VALID_HOURS_DEFAULT, LINK_VALID_HOURS_MAX } from "@switchboard/domain/handoff/web-poll-link";
import { BODY_DEPTH_MAX, HEADER_VALUE_MAX, HEADERS_MAX, URL_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { INT_MAX, listOf, storableJson, timestamp, userText, uuid } from "./common";

const message = (what: string, max = 1024) =>
  userText().trim().min(1, `${what} is required.`).max(max, `${what} is at most ${max} characters.`);

/** The type's own webhook: fired once per completed entry or response, signed and retried like every webhook. */
export const handoffWebhookInput = z
  .strictObject({
    url: userText().max(URL_MAX, `URL must be at most ${URL_MAX} characters.`),
    body: storableJson({ maxDepth: BODY_DEPTH_MAX, name: "Body" })
      .default({})
      .meta({ description: "Extra parameters merged at the top level of every payload." }),
    headers: z
      .array(
        z.strictObject({
          name: userText().max(256, "Header names are at most 256 characters."),
          value: userText().max(HEADER_VALUE_MAX, `Header values are at most ${HEADER_VALUE_MAX} characters.`),
        }),
      )
      .max(HEADERS_MAX, `A webhook may have at most ${HEADERS_MAX} headers.`)
      .default([]),
  })
  .meta({ id: "HandoffWebhookInput" });

export const handoffWebhook = z
  .object({
    url: z.string(),
    body: z.record(z.string(), z.json()),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
  })
  .meta({ id: "HandoffWebhook" });

// Raffle Giveaway

export const rafflePrize = z.strictObject({
  id: uuid.optional().meta({
    description:
      "The prize's id, as read back: send it to keep the prize (its awarded count) when renaming it. Without it, a prize is known by its name.",
  }),
  name: userText()
    .trim()
    .min(1, "The prize's name is required.")
    .max(PRIZE_NAME_MAX, `A prize's name is at most ${PRIZE_NAME_MAX} characters.`),
  quantity: z
    .number({ error: "The quantity is a number." })
    .int("The quantity is a whole number.")
    .min(1, "The quantity is at least 1.")
    .max(PRIZE_QUANTITY_MAX, `The quantity is at most ${PRIZE_QUANTITY_MAX}.`),
});

export const raffleDraw = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({
      mode: z.literal("instant"),
      winProbability: z
        .number({ error: "The win probability is a number from 0 to 1." })
        .min(0, "The win probability is at least 0.")
        .max(1, "The win probability is at most 1 (every entry wins while prizes last)."),
    }),
    z.strictObject({
      mode: z.literal("every_nth"),
      every: z
        .number({ error: "Every Nth participant: N is a number." })
        .int("N is a whole number.")
        .min(1, "N is at least 1.")
        .max(EVERY_NTH_MAX, `N is at most ${EVERY_NTH_MAX}.`),
    }),
  ],
  { error: "How winners are drawn: instant (with a win probability) or every_nth." },
);

export const raffleMessages = z.strictObject({
  win: message("The win message"),
  lose: message("The loss message"),
  alreadyEntered: message("The already-entered message"),
  over: message("The raffle-over message"),
});

export const raffleSettingsInput = z
  .strictObject({
    type: z.literal("raffle_giveaway"),
    prizes: z
      .array(rafflePrize)
      .min(1, "Add at least one prize.")
      .max(PRIZES_MAX, `A raffle has at most ${PRIZES_MAX} prizes.`),
    draw: raffleDraw,
    messages: raffleMessages,
    webhook: handoffWebhookInput.nullable().default(null),
  })
  .meta({ id: "RaffleSettingsInput" });

// Polls & Surveys

const questionBase = {
  key: userText()
    .trim()
    .min(1, "The question's key is required.")
    .max(QUESTION_KEY_MAX, `A key is at most ${QUESTION_KEY_MAX} characters.`)
    .regex(questionKeyPattern, "A key starts with a letter and holds letters, digits and _ (e.g. favourite_colour).")
    .meta({ description: "The answer's key in `answers` (webhook payloads, exports)." }),
  text: message("The question", QUESTION_TEXT_MAX),
  reprompt: userText()
    .max(1024, "The reprompt is at most 1024 characters.")
    .nullable()
    .default(null)
    .meta({ description: "Sent before the question again after a wrong answer; a default per type when null." }),
};
const choices = z
  .array(
    userText()
      .trim()
      .min(1, "A choice cannot be empty.")
      .max(CHOICE_TEXT_MAX, `A choice is at most ${CHOICE_TEXT_MAX} characters.`),
  )
  .min(2, "Give at least two choices.")
  .max(CHOICES_MAX, `A question has at most ${CHOICES_MAX} choices.`);

export const question = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ ...questionBase, type: z.literal("single_choice"), choices }),
      z.strictObject({ ...questionBase, type: z.literal("multiple_choice"), choices }),
      z.strictObject({
        ...questionBase,
        type: z.literal("free_text"),
        maxLength: z.number().int().min(1).max(FREE_TEXT_MAX).default(FREE_TEXT_MAX),
      }),
      z.strictObject({
        ...questionBase,
        type: z.literal("number"),
        min: z.number().nullable().default(null),
        max: z.number().nullable().default(null),
        integer: z.boolean().default(false),
      }),
      z.strictObject({ ...questionBase, type: z.literal("rating") }),
    ],
    { error: "Question type must be single_choice, multiple_choice, free_text, number or rating." },
  )
  .meta({ id: "Question" });

export const surveyMessages = z.strictObject({
  intro: userText().max(1024, "The introduction is at most 1024 characters.").default(""),
  closing: message("The closing message"),
  alreadyAnswered: message("The already-answered message"),
});

const surveyFields = {
  questions: z
    .array(question)
    .min(1, "Add at least one question.")
    .max(QUESTIONS_MAX, `A survey has at most ${QUESTIONS_MAX} questions.`),
  messages: surveyMessages,
  allowMultipleResponses: z.boolean().default(false),
  webhook: handoffWebhookInput.nullable().default(null),
};

export const surveySettingsInput = z
  .strictObject({ type: z.literal("polls_surveys"), ...surveyFields })
  .meta({ id: "SurveySettingsInput" });

export const webSurveySettingsInput = z
  .strictObject({
    type: z.literal("web_polls_surveys"),
    ...surveyFields,
    title: message("The page's title", 200),
    linkMessage: message("The link message")
      .refine((v) => v.includes("{{link}}"), "The link message must hold {{link}}, where the personal link goes.")
      .meta({ description: "The chat reply that carries the personal link; `{{link}}` is replaced by it." }),
    linkValidHours: z
      .number()
      .int("Hours are a whole number.")
      .min(1, "A link is valid at least 1 hour.")
      .max(LINK_VALID_HOURS_MAX, `A link is valid at most ${LINK_VALID_HOURS_MAX} hours.`)
      .default(LINK_VALID_HOURS_DEFAULT),
  })
  .meta({ id: "WebSurveySettingsInput" });

/** PUT /campaigns/:id/handoff: the whole settings of the campaign's type. */
export const handoffSettingsInput = z
  .discriminatedUnion("type", [raffleSettingsInput, surveySettingsInput, webSurveySettingsInput], {
    error: "type must be the campaign's type: raffle_giveaway, polls_surveys or web_polls_surveys.",
  })
  .meta({ id: "HandoffSettingsInput" });
export type HandoffSettingsInput = z.input<typeof handoffSettingsInput>;

const withStored = { campaignId: z.number().int(), webhook: handoffWebhook.nullable(), updatedAt: timestamp };
export const handoffSettings = z
  .discriminatedUnion("type", [
    raffleSettingsInput.extend({
      ...withStored,
      prizes: z.array(rafflePrize.extend({ awarded: z.number().int(), left: z.number().int() })),
    }),
    surveySettingsInput.extend(withStored),
    webSurveySettingsInput.extend(withStored),
  ])
  .meta({ id: "HandoffSettings" });
export type HandoffSettings = z.infer<typeof handoffSettings>;

export const signingSecretShown = z
  .object({ secret: z.string().meta({ description: "whsec_…: shown once; verify `webhook-signature` with it." }) })
  .meta({ id: "HandoffSigningSecret" });

// Results

export const raffleResults = z
  .object({
    participants: z.number().int(),
    winners: z.number().int(),
    prizes: z.array(z.object({ name: z.string(), quantity: z.number().int(), awarded: z.number().int() })),
    prizesLeft: z.number().int(),
    over: z.boolean().meta({ description: "Ended, past its end date, or no prize left." }),
  })
  .meta({ id: "RaffleResults" });

export const raffleEntry = z
  .object({
    id: uuid,
    number: z.number().int().meta({ description: "The participant's number, in order of entry." }),
    phoneNumber: z.string(),
    won: z.boolean(),
    prize: z.string().nullable(),
    sessionId: uuid.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "RaffleEntry" });
export const raffleEntryList = listOf(raffleEntry).meta({ id: "RaffleEntryList" });

export const raffleEntryQuery = z.strictObject({
  won: z.enum(["true", "false"]).optional().meta({ description: "true: winners only; false: losers only." }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});

const choiceCount = z.object({ value: z.string(), count: z.number().int(), percent: z.number() });
export const questionResult = z
  .discriminatedUnion("type", [
    z.object({
      key: z.string(),
      text: z.string(),
      type: z.enum(["single_choice", "multiple_choice", "rating"]),
      answered: z.number().int(),
      counts: z.array(choiceCount),
    }),
    z.object({
      key: z.string(),
      text: z.string(),
      type: z.literal("free_text"),
      answered: z.number().int(),
      texts: z.array(z.string()),
    }),
    z.object({
      key: z.string(),
      text: z.string(),
      type: z.literal("number"),
      answered: z.number().int(),
      average: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
    }),
  ])
  .meta({ id: "QuestionResult" });

export const surveyResults = z
  .object({
    responses: z.number().int().meta({ description: "Completed responses, over the chat and on the web page." }),
    bySource: z.object({ chat: z.number().int(), web: z.number().int() }),
    inProgress: z.number().int().meta({ description: "Chat responses started and not finished." }),
    linksSent: z.number().int().meta({ description: "Web Polls & Surveys: personal links sent." }),
    questions: z.array(questionResult),
  })
  .meta({ id: "SurveyResults" });

export const answerValue = z.union([z.string(), z.array(z.string()), z.number()]);
export const surveyResponse = z
  .object({
    id: uuid,
    phoneNumber: z.string(),
    source: z.enum(["chat", "web"]),
    answers: z.record(z.string(), answerValue),
    sessionId: uuid.nullable(),
    createdAt: timestamp,
    completedAt: timestamp.nullable(),
  })
  .meta({ id: "SurveyResponse" });
export const surveyResponseList = listOf(surveyResponse).meta({ id: "SurveyResponseList" });

export const surveyResponseQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});

/** The public web page's form: one field per question key (a multiple choice sends its key once per choice). */
export const webPollSubmission = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** The type webhook payloads, for the API reference. */
export const rafflePayloadDoc = z
  .object({
    campaignId: z.string().meta({ example: "13011" }),
    label: z.string().meta({ description: "The raffle's name." }),
    phoneNumber: z.string(),
    date: z.string(),
    won: z.boolean(),
    prize: z.string().nullable().meta({ description: "The prize's name; null for a loss." }),
  })
  .catchall(z.json())
  .meta({ id: "RaffleWebhookPayload" });
export const surveyPayloadDoc = z
  .object({
    campaignId: z.string(),
    label: z.string().meta({ description: "The survey's name." }),
    phoneNumber: z.string(),
    date: z.string(),
    answers: z
      .record(z.string(), answerValue)
      .meta({ description: "Keyed by question key: text, list of choices, or number." }),
  })
  .catchall(z.json())
  .meta({ id: "SurveyWebhookPayload" });
