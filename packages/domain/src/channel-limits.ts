import type { Channel } from "./campaign";
import { issue, type RuleIssue } from "./issue";

export const WHATSAPP_TEXT_MAX = 1024;
export const WHATSAPP_LIST_OPTIONS_MAX = 10;
export const WHATSAPP_BUTTONS_MAX = 3;
export const WHATSAPP_BUTTON_TITLE_MAX = 20;
/** Meta refuses a list row titled longer than this: an option's title (its Menu Text, else its keyword). */
export const WHATSAPP_OPTION_TITLE_MAX = 24;
export const SMS_TEXT_MAX = 1600;

// GSM 03.38: the basic set costs one septet a character, the extension set two (escape + character).
const gsmBasic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const gsmExtension = new Set("^{}\\[~]|€\f");

export interface SmsCount {
  encoding: "GSM-7" | "UCS-2";
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** How many more units fit before another segment is needed. */
  remainingInSegment: number;
}

/** How many SMS segments a text costs: 160/153 GSM-7 septets or 70/67 UCS-2 units per single/concatenated segment. */
export function countSms(text: string): SmsCount {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (gsmBasic.has(ch)) septets += 1;
    else if (gsmExtension.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const [encoding, units, single, multi] = gsm
    ? (["GSM-7", septets, 160, 153] as const)
    : (["UCS-2", text.length, 70, 67] as const);
  if (units === 0) return { encoding, units, segments: 0, remainingInSegment: single };
  const segments = units <= single ? 1 : Math.ceil(units / multi);
  const capacity = segments === 1 ? single : segments * multi;
  return { encoding, units, segments, remainingInSegment: capacity - units };
}

export type WhatsappMenuStyle = "buttons" | "list";

/** Up to 3 options with short titles go out as reply buttons; anything else as a list. */
export function whatsappMenuStyle(menuTexts: readonly string[]): WhatsappMenuStyle {
  const fitsButtons =
    menuTexts.length <= WHATSAPP_BUTTONS_MAX && menuTexts.every((t) => t.length <= WHATSAPP_BUTTON_TITLE_MAX);
  return fitsButtons ? "buttons" : "list";
}

/** Checks a node's message and menu against what the channel can carry. */
export function validateChannelLimits(channel: Channel, message: string, entryCount: number): RuleIssue[] {
  if (channel === "whatsapp") {
    const issues: RuleIssue[] = [];
    if (message.length > WHATSAPP_TEXT_MAX) {
      issues.push(
        issue(
          ["message"],
          "too_long",
          `WhatsApp messages are limited to ${WHATSAPP_TEXT_MAX} characters (this one has ${message.length}).`,
        ),
      );
    }
    if (entryCount > WHATSAPP_LIST_OPTIONS_MAX) {
      issues.push(
        issue(
          ["entries"],
          "too_many_options",
          `A WhatsApp menu can list at most ${WHATSAPP_LIST_OPTIONS_MAX} options (this one has ${entryCount}).`,
        ),
      );
    }
    return issues;
  }
  if (message.length > SMS_TEXT_MAX) {
    return [
      issue(
        ["message"],
        "too_long",
        `SMS messages are limited to ${SMS_TEXT_MAX} characters (this one has ${message.length}).`,
      ),
    ];
  }
  return [];
}

/**
 * A WhatsApp option's title (its Menu Text, else its keyword) over what a list row carries: refused at publish, on the
 * field that gives the title, so that what the marketer wrote is what the end user sees.
 */
export function validateWhatsappOptionTitle(
  channel: Channel,
  entry: { keyword: string; menuText: string | null },
): RuleIssue[] {
  if (channel !== "whatsapp") return [];
  // The engine's own choice of title (conversation/engine.ts): the Menu Text when there is one, else the keyword.
  const fromMenuText = entry.menuText !== null;
  const title = entry.menuText ?? entry.keyword;
  const length = [...title].length;
  if (length <= WHATSAPP_OPTION_TITLE_MAX) return [];
  return [
    issue(
      [fromMenuText ? "menuText" : "keyword"],
      "too_long",
      `WhatsApp shows an option's title in at most ${WHATSAPP_OPTION_TITLE_MAX} characters (this one has ${length}); shorten the ${fromMenuText ? "Menu Text" : "keyword"}.`,
    ),
  ];
}

export interface MessageStats {
  characters: number;
  /** SMS only: how many segments the text costs, and in which encoding. */
  segments: number | null;
  encoding: SmsCount["encoding"] | null;
  /** The most characters the channel carries in one message. */
  limit: number;
}

/** What the editor's character counter shows for a node's message. */
export function messageStats(channel: Channel, message: string): MessageStats {
  if (channel === "whatsapp") {
    return { characters: message.length, segments: null, encoding: null, limit: WHATSAPP_TEXT_MAX };
  }
  const sms = countSms(message);
  return { characters: message.length, segments: sms.segments, encoding: sms.encoding, limit: SMS_TEXT_MAX };
}
