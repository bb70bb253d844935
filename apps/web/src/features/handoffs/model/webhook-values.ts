import type { HandoffSettings, HandoffSettingsInput } from "@switchboard/contracts/handoffs";
import type { HeaderRow } from "../../../components/HeadersTable";
import { raffleFormValues, raffleInput } from "./raffle-values";
import { surveyFormValues, surveyInput } from "./survey-values";

type Webhook = NonNullable<HandoffSettings["webhook"]>;

/** The campaign's whole settings document with its webhook replaced: the API stores the document as one. */
export function withWebhook(settings: HandoffSettings, webhook: Webhook | null): HandoffSettingsInput {
  if (settings.type === "raffle_giveaway") return raffleInput({ ...raffleFormValues(settings), webhook });
  return surveyInput(surveyFormValues(settings), webhook);
}

/** The stored webhook's headers as the headers table edits them (plain values: these webhooks keep no secrets). */
export const headerRows = (webhook: HandoffSettings["webhook"]): HeaderRow[] =>
  (webhook?.headers ?? []).map((h) => ({ name: h.name, value: h.value, secret: false, storedSecret: false }));

/** Where an API error about the webhook lands in the form: url, body, or a header's name or value. */
export function webhookField(path: string): string | null {
  const m = /^(?:body\.)?webhook\.(url|body|headers)(?:\.(\d+)\.(name|value))?/.exec(path);
  if (!m) return null;
  return m[2] !== undefined ? `headers.${m[2]}.${m[3]}` : (m[1] as string);
}
