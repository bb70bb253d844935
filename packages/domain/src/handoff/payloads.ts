import type { JsonObject, JsonValue } from "../json";
import { type Payload, payloadDate } from "../payload";
import { standardPayloadFields } from "../webhook";
import type { Answers } from "./survey";

interface Common {
  /** The hand-off campaign's own id. */
  campaignId: number;
  /** The campaign's name: the "section" the event comes from. */
  label: string;
  phoneNumber: string;
  /** When the platform received the message (or the web form) that completed the entry. */
  receivedAt: Date;
}

const reserved: ReadonlySet<string> = new Set([...standardPayloadFields, "won", "prize", "answers"]);
const extras = (extra: JsonObject) => Object.entries(extra).filter(([k]) => !reserved.has(k));

/** A raffle entry: the spec's fields, then `won` and `prize` (null for a loss), then the Body's extras. */
export function rafflePayload(e: Common & { won: boolean; prize: string | null }, extra: JsonObject = {}): Payload {
  return [
    ["campaignId", String(e.campaignId)],
    ["label", e.label],
    ["phoneNumber", e.phoneNumber],
    ["date", payloadDate(e.receivedAt)],
    ["won", e.won],
    ["prize", e.prize],
    ...extras(extra),
  ];
}

/** A completed survey response: the spec's fields, then `answers` keyed by question key, then the Body's extras. */
export function surveyPayload(e: Common & { answers: Answers }, extra: JsonObject = {}): Payload {
  return [
    ["campaignId", String(e.campaignId)],
    ["label", e.label],
    ["phoneNumber", e.phoneNumber],
    ["date", payloadDate(e.receivedAt)],
    ["answers", e.answers as unknown as JsonValue],
    ...extras(extra),
  ];
}
