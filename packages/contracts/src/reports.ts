import { z } from "zod";
import { timestamp, userText } from "./common";

/** A local date in the installation's time zone. */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Must be a date such as 2024-06-18." })
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      error: "Must be a real date such as 2024-06-18.",
    },
  );

/** The longest range a report covers, in days. */
export const REPORT_MAX_DAYS = 366;
/** The longest range shown hour by hour, in days. */
export const REPORT_MAX_HOURLY_DAYS = 31;

export const reportQuery = z.strictObject({
  from: localDate
    .optional()
    .meta({ description: "First day, in the installation's time zone. Default: 6 days before `to`." }),
  to: localDate.optional().meta({ description: "Last day, included. Default: today in the installation's time zone." }),
  granularity: z
    .enum(["day", "hour"], { error: 'Must be "day" or "hour".' })
    .default("day")
    .meta({ description: `The time series' step; \`hour\` for ranges of ${REPORT_MAX_HOURLY_DAYS} days at most.` }),
});

const rate = z
  .number()
  .nullable()
  .meta({ description: "A fraction from 0 to 1; null when nothing was counted under it." });
const ms = z.number().nullable();

export const report = z
  .object({
    campaignId: z.number().int(),
    timeZone: z
      .string()
      .meta({ description: "The installation's time zone (REPORT_TIME_ZONE): days start at its midnight." }),
    today: z.string(),
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["day", "hour"]),
    /** The published version the funnel and answers are laid out on. */
    flowVersion: z.number().int().nullable(),
    totals: z.object({
      participants: z.number().int().meta({ description: "Distinct phone numbers that started a conversation." }),
      started: z.number().int(),
      finished: z.number().int(),
      expired: z.number().int().meta({ description: "Conversations found past their session timeout." }),
      handedOff: z.number().int().meta({ description: "Handed to another campaign or to live chat." }),
      participated: z.number().int().meta({ description: "Conversations that chose at least one option." }),
      participationRate: rate,
      messagesIn: z.number().int(),
      messagesOut: z.number().int(),
    }),
    series: z.array(
      z.object({
        period: z.string().meta({ description: 'Local day ("2024-06-18") or hour ("2024-06-18T13:00").' }),
        messagesIn: z.number().int(),
        messagesOut: z.number().int(),
        started: z.number().int(),
      }),
    ),
    funnel: z.array(
      z.object({
        nodeId: z.string(),
        label: z.string(),
        reached: z.number().int(),
        share: rate,
        wentOn: z.number().int(),
        dropOff: z.number().int(),
        dropOffRate: rate,
      }),
    ),
    answers: z.array(
      z.object({
        nodeId: z.string(),
        label: z.string(),
        total: z.number().int(),
        entries: z.array(
          z.object({
            entryId: z.string(),
            label: z.string(),
            kind: z.enum(["option", "question"]),
            count: z.number().int(),
            percent: rate,
          }),
        ),
      }),
    ),
    webhooks: z.array(
      z.object({
        entryId: z.string(),
        nodeId: z.string(),
        label: z.string(),
        nodeLabel: z.string(),
        deliveries: z.number().int(),
        attempts: z.number().int(),
        delivered: z.number().int(),
        failed: z.number().int(),
        successRate: rate,
        p50Ms: ms,
        p95Ms: ms,
        p99Ms: ms,
      }),
    ),
    handoffs: z
      .array(
        z.object({
          campaignId: z.number().int(),
          name: z.string(),
          type: z.enum(["raffle_giveaway", "polls_surveys", "web_polls_surveys"]),
          entries: z.number().int().meta({
            description: "Raffle entries, survey responses begun, or web poll links sent, in the range.",
          }),
          winners: z.number().int().nullable().meta({ description: "Raffle winners in the range; null otherwise." }),
          completed: z
            .number()
            .int()
            .nullable()
            .meta({ description: "Surveys completed (chat or web) in the range; null for a raffle." }),
        }),
      )
      .meta({ description: "The hand-off campaigns this chatbot's options lead to, with their outcomes." }),
    liveChat: z
      .object({
        conversations: z.number().int().meta({ description: "Hand-overs to the Live Chat inbox in the range." }),
        answered: z.number().int().meta({ description: "Of those, how many an agent replied to." }),
        firstReplySeconds: z
          .number()
          .int()
          .nullable()
          .meta({ description: "Median seconds from the hand-over to an agent's first reply; null: none yet." }),
        closeSeconds: z
          .number()
          .int()
          .nullable()
          .meta({ description: "Median seconds from the hand-over to its close (by an agent or a timeout)." }),
      })
      .meta({ description: "Live Chat: the conversations this chatbot handed to agents." }),
  })
  .meta({
    id: "CampaignReport",
    examples: [
      {
        campaignId: 13010,
        timeZone: "America/Mexico_City",
        today: "2024-06-18",
        from: "2024-06-18",
        to: "2024-06-18",
        granularity: "day",
        flowVersion: 2,
        totals: {
          participants: 3,
          started: 4,
          finished: 2,
          expired: 0,
          handedOff: 1,
          participated: 3,
          participationRate: 0.75,
          messagesIn: 9,
          messagesOut: 9,
        },
        series: [{ period: "2024-06-18", messagesIn: 9, messagesOut: 9, started: 4 }],
        funnel: [
          {
            nodeId: "welcome",
            label: "Welcome Message",
            reached: 4,
            share: 1,
            wentOn: 3,
            dropOff: 1,
            dropOffRate: 0.25,
          },
        ],
        answers: [
          {
            nodeId: "welcome",
            label: "Welcome Message",
            total: 3,
            entries: [{ entryId: "e1", label: "One month", kind: "option", count: 1, percent: 0.3333 }],
          },
        ],
        webhooks: [
          {
            entryId: "e1",
            nodeId: "welcome",
            label: "One month",
            nodeLabel: "Welcome Message",
            deliveries: 1,
            attempts: 1,
            delivered: 1,
            failed: 0,
            successRate: 1,
            p50Ms: 40,
            p95Ms: 40,
            p99Ms: 40,
          },
        ],
        handoffs: [
          {
            campaignId: 13011,
            name: "Summer raffle",
            type: "raffle_giveaway",
            entries: 1,
            winners: 1,
            completed: null,
          },
        ],
        liveChat: { conversations: 2, answered: 1, firstReplySeconds: 95, closeSeconds: 480 },
      },
    ],
  });
export type Report = z.infer<typeof report>;

export const reportAnswersQuery = z.strictObject({
  entryId: userText().min(1, { error: "Name the question's entry." }).max(64),
  q: userText().max(200).optional().meta({ description: "Matches part of the answer, any case." }),
  from: localDate.optional(),
  to: localDate.optional(),
  page: z.coerce.number({ error: "Must be a page number." }).int().min(1).max(100_000).default(1),
});

export const REPORT_ANSWERS_PAGE_SIZE = 25;

export const reportAnswers = z
  .object({
    items: z.array(z.object({ text: z.string(), at: timestamp })),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({
    id: "ReportAnswers",
    examples: [
      { items: [{ text: "ana@example.com", at: "2024-06-18T23:22:36.560Z" }], total: 1, page: 1, pageSize: 25 },
    ],
  });
export type ReportAnswers = z.infer<typeof reportAnswers>;
