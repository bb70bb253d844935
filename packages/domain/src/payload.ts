import type { JsonObject, JsonValue } from "./json";
import { standardPayloadFields } from "./webhook";

/** The webhook of a Webhook-type entry, fired with the user's free-text answer. */
export interface ResponseEvent {
  kind: "response";
  campaignId: number | string;
  label: string;
  phoneNumber: string;
  /** When the platform received the user's message. */
  receivedAt: Date;
  response: string;
}

/** The webhook of an entry whose toggle is on, fired as soon as the user chooses it. */
export interface OptionEvent {
  kind: "option";
  campaignId: number | string;
  label: string;
  option: string;
  keyword: string;
  phoneNumber: string;
  receivedAt: Date;
}

export type WebhookEvent = ResponseEvent | OptionEvent;

/** A payload as ordered fields: JavaScript objects put integer-like keys first, so order is kept explicitly. */
export type Payload = ReadonlyArray<readonly [string, JsonValue]>;

/** `"1"` is sent as the JSON number 1, as the specification shows; anything else stays text. */
export function keywordValue(keyword: string): number | string {
  return /^(0|[1-9][0-9]{0,14})$/.test(keyword) ? Number(keyword) : keyword;
}

/** UTC, ISO 8601 with milliseconds and Z, e.g. 2024-06-18T23:22:36.560Z. */
export function payloadDate(date: Date): string {
  return date.toISOString();
}

/** The fields in the order setting-webhook.txt shows them, then the Body's extra parameters. */
export function buildPayload(event: WebhookEvent, extra: JsonObject = {}): Payload {
  const base: [string, JsonValue][] =
    event.kind === "response"
      ? [
          ["campaignId", String(event.campaignId)],
          ["label", event.label],
          ["phoneNumber", event.phoneNumber],
          ["date", payloadDate(event.receivedAt)],
          ["response", event.response],
        ]
      : [
          ["campaignId", String(event.campaignId)],
          ["label", event.label],
          ["option", event.option],
          ["keyword", keywordValue(event.keyword)],
          ["phoneNumber", event.phoneNumber],
          ["date", payloadDate(event.receivedAt)],
        ];
  // Body validation refuses standard fields; skipping them here keeps the payload right whatever was stored.
  const extras = Object.entries(extra).filter(([k]) => !standard.has(k));
  return [...base, ...extras];
}

const standard: ReadonlySet<string> = new Set(standardPayloadFields);

/** The exact bytes sent: compact JSON, fields in payload order. */
export function serializePayload(payload: Payload): string {
  return `{${payload.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
}

/** The same fields in the same order, indented for people to read (the editor's preview). */
export function formatPayload(payload: Payload): string {
  if (payload.length === 0) return "{}";
  const lines = payload.map(
    ([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replaceAll("\n", "\n  ")}`,
  );
  return `{\n${lines.join(",\n")}\n}`;
}

/** A question entry (Webhook, Attribute) sends the user's answer; any other entry sends the option chosen. */
export function webhookMode(redirectType: string | null): WebhookEvent["kind"] {
  return redirectType === "webhook" || redirectType === "attribute" ? "response" : "option";
}

/** The stand-in end user of Send test and the editor's preview, so both show the same payload. */
export const SAMPLE_PHONE_NUMBER = "+525500000000";
export const SAMPLE_RESPONSE = "John Doe";

export interface SampleSource {
  mode: WebhookEvent["kind"];
  campaignId: number | string;
  label: string;
  option: string;
  keyword: string;
}

export function sampleEvent(source: SampleSource, receivedAt: Date): WebhookEvent {
  const common = { campaignId: source.campaignId, label: source.label, phoneNumber: SAMPLE_PHONE_NUMBER, receivedAt };
  return source.mode === "response"
    ? { kind: "response", ...common, response: SAMPLE_RESPONSE }
    : { kind: "option", ...common, option: source.option, keyword: source.keyword };
}
