import {
  type OptOutSettings,
  type Sender,
  type SenderInput,
  type SenderPatch,
  senderInput,
  senderPatch,
} from "@switchboard/contracts/senders";
import {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_HELP_TEXT,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_IN_TEXT,
  DEFAULT_OPT_OUT_KEYWORDS,
  DEFAULT_OPT_OUT_TEXT,
} from "@switchboard/domain/messaging/opt-out";
import { type Provider, providerChannel } from "@switchboard/domain/messaging/provider";
import type { FieldErrors, Resolver } from "react-hook-form";
import type { z } from "zod";

/** The sender form's fields, flat: one input each; keyword lists and gateway headers as text. */
export interface SenderFormValues {
  name: string;
  provider: Provider;
  channel: "sms" | "whatsapp";
  address: string;
  accountSid: string;
  authToken: string;
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  outboundUrl: string;
  /** One `Name: value` a line. */
  outboundHeaders: string;
  /** Comma-separated. */
  optOutKeywords: string;
  helpText: string;
}

export type SenderFormField = keyof SenderFormValues;

/** The inputs each provider shows, beyond name, channel and address. */
export const providerFields: Record<Provider, readonly SenderFormField[]> = {
  http: ["outboundUrl", "outboundHeaders"],
  twilio_sms: ["accountSid", "authToken"],
  twilio_whatsapp: ["accountSid", "authToken"],
  whatsapp_cloud: ["phoneNumberId", "businessAccountId", "accessToken", "appSecret", "verifyToken"],
};

const credentialFields = new Set<SenderFormField>(["authToken", "accessToken", "appSecret", "outboundHeaders"]);
export const isCredential = (field: SenderFormField) => credentialFields.has(field);

const defaultOptOut: OptOutSettings = {
  optOutKeywords: [...DEFAULT_OPT_OUT_KEYWORDS],
  optInKeywords: [...DEFAULT_OPT_IN_KEYWORDS],
  helpKeywords: [...DEFAULT_HELP_KEYWORDS],
  optOutText: DEFAULT_OPT_OUT_TEXT,
  optInText: DEFAULT_OPT_IN_TEXT,
  helpText: DEFAULT_HELP_TEXT,
};

/** An empty form, or a sender's values to edit (credentials always blank: they are never shown back). */
export function senderFormValues(sender?: Sender): SenderFormValues {
  const optOut = sender?.optOut ?? defaultOptOut;
  return {
    name: sender?.name ?? "",
    provider: sender?.provider ?? "http",
    channel: sender?.channel ?? "sms",
    address: sender?.address ?? "",
    accountSid: sender?.settings.accountSid ?? "",
    authToken: "",
    phoneNumberId: sender?.settings.phoneNumberId ?? "",
    businessAccountId: sender?.settings.businessAccountId ?? "",
    accessToken: "",
    appSecret: "",
    verifyToken: sender?.settings.verifyToken ?? "",
    outboundUrl: sender?.settings.outboundUrl ?? "",
    outboundHeaders: "",
    optOutKeywords: optOut.optOutKeywords.join(", "),
    helpText: optOut.helpText,
  };
}

function parseHeaders(text: string) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(":");
      return colon < 0
        ? { name: line, value: "" }
        : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

function build(v: SenderFormValues, editing: Sender | undefined) {
  // The provider of a sender being edited is fixed (its select is disabled, so the form may not hold it).
  const shown = new Set(providerFields[editing?.provider ?? v.provider]);
  // A blank optional field is left out: a verify token is then generated, an outbound URL means none.
  const setting = (f: "accountSid" | "phoneNumberId" | "businessAccountId" | "verifyToken") =>
    shown.has(f) && (v[f] !== "" || (!editing && f !== "verifyToken")) ? v[f] : undefined;
  // A blank credential keeps the stored one when editing; creating, blank is refused beside the field.
  const credential = (f: "authToken" | "accessToken" | "appSecret") =>
    shown.has(f) && (v[f] !== "" || !editing) ? v[f] : undefined;
  const settings = {
    accountSid: setting("accountSid"),
    phoneNumberId: setting("phoneNumberId"),
    businessAccountId: setting("businessAccountId"),
    verifyToken: setting("verifyToken"),
    outboundUrl: shown.has("outboundUrl") ? v.outboundUrl.trim() || null : undefined,
  };
  const headers =
    shown.has("outboundHeaders") && v.outboundHeaders.trim() ? parseHeaders(v.outboundHeaders) : undefined;
  const credentials = {
    authToken: credential("authToken"),
    accessToken: credential("accessToken"),
    appSecret: credential("appSecret"),
    outboundHeaders: headers,
  };
  const optOut: OptOutSettings = {
    ...(editing?.optOut ?? defaultOptOut),
    optOutKeywords: v.optOutKeywords
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
    helpText: v.helpText,
  };
  return { settings: strip(settings), credentials: strip(credentials), optOut };
}

function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as T;
}

/** What the API is sent: a new sender, or the change to one. */
export function toSenderInput(v: SenderFormValues): SenderInput {
  return { name: v.name, channel: v.channel, address: v.address, provider: v.provider, ...build(v, undefined) };
}

export function toSenderPatch(v: SenderFormValues, sender: Sender): SenderPatch {
  return { name: v.name, address: v.address, ...build(v, sender) };
}

/** The form field an API or contract path lands on (`body.settings.accountSid` → accountSid). */
export function formFieldOf(path: string): SenderFormField | null {
  const parts = path.replace(/^body\./, "").split(".");
  const [head, second] = parts;
  if (head === "settings" || head === "credentials") return (second as SenderFormField | undefined) ?? null;
  if (head === "optOut") return second === "helpText" ? "helpText" : "optOutKeywords";
  if (head === "name" || head === "channel" || head === "address" || head === "provider") return head;
  return null;
}

/** The provider decides the channel, save HTTP's, which carries either. */
export function channelFor(provider: Provider, chosen: "sms" | "whatsapp") {
  return providerChannel[provider] ?? chosen;
}

/** Checks the form with the API's own contract, each message placed beside its input. */
export function senderResolver(editing: Sender | undefined): Resolver<SenderFormValues> {
  return async (values) => {
    const result = editing
      ? senderPatch.safeParse(toSenderPatch(values, editing))
      : senderInput.safeParse(toSenderInput(values));
    if (result.success) return { values, errors: {} };
    return { values: {}, errors: fieldErrors(result.error) };
  };
}

function fieldErrors(error: z.ZodError): FieldErrors<SenderFormValues> {
  const errors: FieldErrors<SenderFormValues> = {};
  for (const issue of error.issues) {
    const field = formFieldOf(issue.path.join("."));
    if (field && !errors[field]) errors[field] = { type: "validate", message: issue.message };
  }
  return errors;
}
