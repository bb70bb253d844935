import { channels } from "@switchboard/domain/campaign";
import {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_HELP_TEXT,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_IN_TEXT,
  DEFAULT_OPT_OUT_KEYWORDS,
  DEFAULT_OPT_OUT_TEXT,
  OPT_OUT_KEYWORD_MAX,
  OPT_OUT_KEYWORDS_MAX,
} from "@switchboard/domain/messaging/opt-out";
import { providerChannel, providers, toE164 } from "@switchboard/domain/messaging/provider";
import { HEADER_VALUE_MAX } from "@switchboard/domain/webhook";
import { z } from "zod";
import { listOf, timestamp, userText, uuid } from "./common";

/** A phone number; Twilio's `whatsapp:+…` form is accepted and stored as `+…` (the service normalises it). */
const address = z
  .string()
  .trim()
  // A sender's own number is typed with its "+" (Meta's bare digits are accepted on inbound traffic only).
  .refine(
    (a) => /^(whatsapp:)?\+/i.test(a) && toE164(a) !== null,
    "Address must be a phone number in international format, such as +525500000000.",
  );

const keywords = () =>
  z
    .array(
      userText()
        .trim()
        .min(1, "Keywords cannot be empty.")
        .max(OPT_OUT_KEYWORD_MAX, `Keywords are at most ${OPT_OUT_KEYWORD_MAX} characters.`),
    )
    .max(OPT_OUT_KEYWORDS_MAX, `At most ${OPT_OUT_KEYWORDS_MAX} keywords.`);

const answer = () => userText().trim().min(1, "An answer is required.").max(480);

/** What carriers require of a sender: the opt-out, opt-in and help keywords and their answers (editable per sender). */
export const optOutSettingsInput = z
  .strictObject({
    optOutKeywords: keywords(),
    optInKeywords: keywords(),
    helpKeywords: keywords(),
    optOutText: answer(),
    optInText: answer(),
    helpText: answer(),
  })
  .meta({ id: "OptOutSettingsInput" });
export type OptOutSettings = z.infer<typeof optOutSettingsInput>;

/** The stored settings read back, the carriers' defaults filling what was never set. */
export const optOutSettings = z
  .object({
    optOutKeywords: z.array(z.string()).catch([...DEFAULT_OPT_OUT_KEYWORDS]),
    optInKeywords: z.array(z.string()).catch([...DEFAULT_OPT_IN_KEYWORDS]),
    helpKeywords: z.array(z.string()).catch([...DEFAULT_HELP_KEYWORDS]),
    optOutText: z.string().catch(DEFAULT_OPT_OUT_TEXT),
    optInText: z.string().catch(DEFAULT_OPT_IN_TEXT),
    helpText: z.string().catch(DEFAULT_HELP_TEXT),
  })
  .meta({ id: "OptOutSettings" });

const id = (label: string) => userText().trim().min(1, `${label} is required.`).max(120);
const secret = (label: string) => userText().trim().min(1, `${label} is required.`).max(512);

/** A gateway header: its value is sealed like a secret header's. */
const gatewayHeader = z.strictObject({
  name: userText()
    .trim()
    .min(1, "Header name is required.")
    .max(256)
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Header names are letters, digits and - only."),
  value: userText().max(HEADER_VALUE_MAX, `Header values are at most ${HEADER_VALUE_MAX} characters.`),
});

/**
 * The provider settings, shown to whoever may see the sender. Twilio: the account SID. WhatsApp Cloud API: the phone
 * number id, business account id and the verify token to paste in Meta's console. HTTP: an optional outbound URL.
 */
export const providerSettingsInput = z
  .strictObject({
    accountSid: id("Account SID")
      .regex(/^AC[0-9a-fA-F]{32}$/, "A Twilio Account SID is AC followed by 32 hexadecimal characters.")
      .optional(),
    phoneNumberId: id("Phone number id")
      .regex(/^[0-9]+$/, "Phone number ids are digits.")
      .optional(),
    businessAccountId: id("Business account id")
      .regex(/^[0-9]+$/, "Business account ids are digits.")
      .optional(),
    verifyToken: id("Verify token").optional(),
    outboundUrl: z
      .url({ protocol: /^https?$/, error: "Outbound URL must be an http(s) URL." })
      .max(2048)
      .nullable()
      .optional(),
  })
  .meta({ id: "ProviderSettings" });

/** The secret credentials: sealed at rest, never returned; admins reveal them through an audited call. */
export const providerCredentialsInput = z
  .strictObject({
    authToken: secret("Auth token").optional(),
    accessToken: secret("Access token").optional(),
    appSecret: secret("App secret").optional(),
    outboundHeaders: z.array(gatewayHeader).max(20).optional(),
  })
  .meta({ id: "ProviderCredentials" });
export type ProviderCredentials = z.infer<typeof providerCredentialsInput>;

const required: Record<(typeof providers)[number], { settings: string[]; credentials: string[] }> = {
  http: { settings: [], credentials: [] },
  twilio_sms: { settings: ["accountSid"], credentials: ["authToken"] },
  twilio_whatsapp: { settings: ["accountSid"], credentials: ["authToken"] },
  whatsapp_cloud: { settings: ["phoneNumberId", "businessAccountId"], credentials: ["accessToken", "appSecret"] },
};

const senderFields = z.strictObject({
  name: userText().trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters."),
  channel: z.enum(channels, { error: "Channel must be sms or whatsapp." }),
  address,
  provider: z
    .enum(providers, { error: "Provider must be http, twilio_sms, twilio_whatsapp or whatsapp_cloud." })
    .optional()
    .meta({ description: "Absent: http." }),
  settings: providerSettingsInput.optional(),
  credentials: providerCredentialsInput.optional(),
  optOut: optOutSettingsInput.optional().meta({ description: "Absent: the carriers' defaults (STOP, START, HELP…)." }),
});

export const senderInput = senderFields
  .superRefine((s, ctx) => {
    const provider = s.provider ?? "http";
    const channel = providerChannel[provider];
    if (channel && channel !== s.channel) {
      ctx.addIssue({
        code: "custom",
        path: ["channel"],
        params: { code: "provider_channel" },
        message: `This provider carries ${channel === "sms" ? "SMS" : "WhatsApp"} only.`,
      });
    }
    const need = required[provider];
    for (const key of need.settings) {
      if (!(s.settings as Record<string, unknown> | undefined)?.[key])
        ctx.addIssue({ code: "custom", path: ["settings", key], message: `${key} is required for this provider.` });
    }
    for (const key of need.credentials) {
      if (!(s.credentials as Record<string, unknown> | undefined)?.[key])
        ctx.addIssue({ code: "custom", path: ["credentials", key], message: `${key} is required for this provider.` });
    }
  })
  .meta({ id: "SenderInput" });
export type SenderInput = z.infer<typeof senderInput>;

/** A change: a credential left out keeps its stored value; the provider itself does not change. */
export const senderPatch = z
  .strictObject({
    name: senderFields.shape.name.optional(),
    address: address.optional(),
    settings: providerSettingsInput.optional(),
    credentials: providerCredentialsInput.optional(),
    optOut: optOutSettingsInput.optional(),
  })
  .meta({ id: "SenderPatch" });
export type SenderPatch = z.infer<typeof senderPatch>;

export const sender = z
  .object({
    id: uuid,
    name: z.string(),
    channel: z.enum(channels),
    address: z.string(),
    provider: z.enum(providers),
    settings: z.object({
      accountSid: z.string().optional(),
      phoneNumberId: z.string().optional(),
      businessAccountId: z.string().optional(),
      verifyToken: z.string().optional(),
      outboundUrl: z.string().nullable().optional(),
    }),
    credentialsSet: z
      .array(z.string())
      .meta({ description: "Which credentials are stored (never their values): authToken, accessToken, appSecret…" }),
    optOut: optOutSettings,
    inboundUrl: z.string().nullable().meta({ description: "Paste into the provider's console (null for HTTP)." }),
    statusUrl: z
      .string()
      .nullable()
      .meta({ description: "Twilio's status callback URL, set on every message we send." }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Sender" });
export type Sender = z.infer<typeof sender>;

export const senderList = listOf(sender).meta({ id: "SenderList" });
export const senderParams = z.object({ senderId: uuid });

export const revealedCredentials = z
  .object({
    authToken: z.string().optional(),
    accessToken: z.string().optional(),
    appSecret: z.string().optional(),
    outboundHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  })
  .meta({ id: "RevealedCredentials" });
