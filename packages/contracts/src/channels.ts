import { providers } from "@switchboard/domain/messaging/provider";
import { z } from "zod";
import { INT_MAX, listOf, timestamp, uuid } from "./common";

/** Where an outbound message stands: ours until the provider takes it, then the provider's word. */
export const outboundStates = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "refused",
  "cancelled",
] as const;
export const outboundState = z.enum(outboundStates);

export const outboundMessage = z
  .object({
    id: uuid.meta({ description: "The delivery carrying it (see the Deliveries API)." }),
    sessionId: uuid.nullable(),
    senderId: uuid,
    provider: z.enum(providers),
    phoneNumber: z.string(),
    text: z.string(),
    state: outboundState,
    reason: z.string().nullable().meta({ description: "Why it failed or was refused, for people." }),
    providerMessageId: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: "OutboundMessage" });
export type OutboundMessage = z.infer<typeof outboundMessage>;
export const outboundMessageList = listOf(outboundMessage).meta({ id: "OutboundMessageList" });

export const optOut = z
  .object({
    senderId: uuid,
    senderName: z.string(),
    phoneNumber: z.string(),
    keyword: z.string(),
    optedOutAt: timestamp,
  })
  .meta({ id: "OptOut" });
export type OptOut = z.infer<typeof optOut>;
export const optOutList = listOf(optOut).meta({ id: "OptOutList" });

export const optOutQuery = z.strictObject({
  senderId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(INT_MAX).default(0),
});

/** Message counts by provider and outcome, for /metrics and the UI. */
export const messageCounts = z.object({
  items: z.array(z.object({ provider: z.enum(providers), state: outboundState, count: z.number().int() })),
});
