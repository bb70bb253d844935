import type { Channel } from "../campaign";

/** Who carries a sender's messages: the generic HTTP channel, Twilio (SMS or WhatsApp) or Meta's WhatsApp Cloud API. */
export const providers = ["http", "twilio_sms", "twilio_whatsapp", "whatsapp_cloud"] as const;
export type Provider = (typeof providers)[number];

export const providerLabels: Record<Provider, string> = {
  http: "HTTP",
  twilio_sms: "Twilio SMS",
  twilio_whatsapp: "Twilio WhatsApp",
  whatsapp_cloud: "WhatsApp Cloud API",
};

/** The channel a provider carries; null: either (HTTP). */
export const providerChannel: Record<Provider, Channel | null> = {
  http: null,
  twilio_sms: "sms",
  twilio_whatsapp: "whatsapp",
  whatsapp_cloud: "whatsapp",
};

/** The secret credentials each provider needs (sealed at rest, revealed to admins only). */
export const providerSecrets: Record<Provider, readonly string[]> = {
  http: [],
  twilio_sms: ["authToken"],
  twilio_whatsapp: ["authToken"],
  whatsapp_cloud: ["accessToken", "appSecret"],
};

/** The settings each provider needs, shown to everyone who may see the sender. */
export const providerSettings: Record<Provider, readonly string[]> = {
  http: [],
  twilio_sms: ["accountSid"],
  twilio_whatsapp: ["accountSid"],
  whatsapp_cloud: ["phoneNumberId", "businessAccountId", "verifyToken"],
};

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * A provider's address as the spec's `phoneNumber`: Twilio's `whatsapp:+5255…` and Meta's digits-only `5255…` both
 * become `+5255…`. null when what is left is not an E.164 number.
 */
export function toE164(address: string): string | null {
  let a = address.trim();
  if (a.toLowerCase().startsWith("whatsapp:")) a = a.slice("whatsapp:".length);
  if (/^[1-9][0-9]{6,14}$/.test(a)) a = `+${a}`;
  return E164.test(a) ? a : null;
}

/** The address a provider expects for a phone number: `whatsapp:+…` for Twilio WhatsApp, digits for Meta. */
export function providerAddress(provider: Provider, phoneNumber: string): string {
  if (provider === "twilio_whatsapp") return `whatsapp:${phoneNumber}`;
  if (provider === "whatsapp_cloud") return phoneNumber.replace(/^\+/, "");
  return phoneNumber;
}
