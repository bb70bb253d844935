import { z } from "zod";
import { campaignIdParam, INT_MAX, timestamp, userText, uuid } from "./common";

const deliveryStatus = z.enum(["pending", "sending", "delivered", "failed", "cancelled"]);

export const delivery = z
  .object({
    id: uuid.meta({ description: "Also the `webhook-id` header, the same on every attempt and resend." }),
    campaignId: z.number().int(),
    entryId: z.string(),
    kind: z.enum(["webhook", "message"]).meta({ description: "A webhook, or an outbound message to an end user." }),
    mode: z.enum(["response", "option", "raffle", "survey", "message"]).meta({
      description:
        "response or option (a menu entry's webhook); raffle or survey (a hand-off campaign's own webhook); message (an outbound message to an end user).",
    }),
    url: z.string().meta({ description: "The whole URL it is sent to, path and query included." }),
    option: z.string().nullable().meta({ description: "The option the end user chose (option mode), else null." }),
    phoneNumber: z
      .string()
      .nullable()
      .meta({ description: "The end user's phone number; only its last four digits unless you are an admin." }),
    status: deliveryStatus,
    test: z.boolean(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    nextAttemptAt: timestamp.nullable(),
    progress: z.string().meta({ description: 'For people: "attempt 3 of 10, next at 14:05" (UTC).' }),
    deliveredAt: timestamp.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: timestamp,
    requestId: z.string().nullable().meta({
      description:
        "The X-Request-Id of the request (or inbound message) that queued it: find that request's log lines with it. Null when no request did (older rows, a worker).",
    }),
  })
  .meta({ id: "Delivery" });
export type Delivery = z.infer<typeof delivery>;

export const attempt = z
  .object({
    number: z.number().int().meta({ description: "The attempt's number within its round." }),
    round: z
      .number()
      .int()
      .meta({ description: "1 for the first delivery, 2 for the first Resend (or Recover), and so on." }),
    startedAt: timestamp,
    durationMs: z.number().int(),
    requestHeaders: z.record(z.string(), z.string()).meta({ description: "Secret header values masked." }),
    status: z.number().int().nullable(),
    responseExcerpt: z.string(),
    errorClass: z.string().nullable(),
    errorMessage: z.string().nullable(),
  })
  .meta({ id: "Attempt" });

export const deliveryDetail = delivery
  .extend({
    payload: z.string().meta({ description: "The bytes sent; the phone number masked unless you are an admin." }),
    attemptLog: z.array(attempt).meta({ description: "In time order; a Resend's attempts form a round of their own." }),
  })
  .meta({ id: "DeliveryDetail" });

export const deliveryList = z
  .object({ items: z.array(delivery), total: z.number().int() })
  .meta({ id: "DeliveryList" });

export const deliveryListQuery = z.strictObject({
  campaignId: campaignIdParam.optional(),
  entryId: userText().max(64).optional(),
  status: deliveryStatus.optional(),
  kind: z.enum(["webhook", "message"], { error: "kind is webhook or message." }).optional(),
  test: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});

export const deliveryParams = z.object({ deliveryId: uuid });

export const recoverInput = z
  .strictObject({
    since: timestamp.meta({
      description: "Failed deliveries created at or after this moment are sent again; at most 30 days back.",
    }),
    campaignId: z.number().int().positive().max(INT_MAX, "No campaign has an id this large.").optional(),
  })
  .meta({ id: "RecoverInput" });

export const recoverResult = z
  .object({
    recovered: z.number().int(),
    remaining: z
      .number()
      .int()
      .meta({ description: "Failed deliveries past the bound of one call (1,000): call again." }),
  })
  .meta({ id: "RecoverResult" });

export const entryWebhookStats = z
  .object({
    entryId: z.string(),
    total: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
    successRate: z.number().nullable(),
    latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
    consecutiveFailures: z
      .number()
      .int()
      .meta({ description: "Failed attempts since the last success; 4 or more is an alert." }),
    failing: z.boolean(),
  })
  .meta({ id: "EntryWebhookStats" });

export const webhookStats = z.object({ items: z.array(entryWebhookStats) }).meta({ id: "WebhookStats" });

export const sendTestResult = z
  .object({
    deliveryId: uuid,
    ok: z.boolean(),
    status: z.number().int().nullable(),
    durationMs: z.number().int(),
    responseExcerpt: z.string(),
    errorClass: z.string().nullable(),
    errorMessage: z.string().nullable(),
    payload: z.string(),
  })
  .meta({ id: "SendTestResult" });
