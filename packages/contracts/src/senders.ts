import { channels } from "@switchboard/domain/campaign";
import { z } from "zod";
import { listOf, timestamp, userText, uuid } from "./common";

const e164 = /^\+[1-9][0-9]{6,14}$/;

export const senderInput = z
  .strictObject({
    name: userText().trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters."),
    channel: z.enum(channels, { error: "Channel must be sms or whatsapp." }),
    address: z
      .string()
      .trim()
      .regex(e164, "Address must be a phone number in international format, such as +525500000000."),
  })
  .meta({ id: "SenderInput" });
export type SenderInput = z.infer<typeof senderInput>;

export const senderPatch = senderInput.omit({ channel: true }).partial().meta({ id: "SenderPatch" });
export type SenderPatch = z.infer<typeof senderPatch>;

export const sender = z
  .object({
    id: uuid,
    name: z.string(),
    channel: z.enum(channels),
    address: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Sender" });
export type Sender = z.infer<typeof sender>;

export const senderList = listOf(sender).meta({ id: "SenderList" });
export const senderParams = z.object({ senderId: uuid });
