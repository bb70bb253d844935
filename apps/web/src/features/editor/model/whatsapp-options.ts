import type { Channel } from "@switchboard/domain/campaign";
import { WHATSAPP_LIST_OPTIONS_MAX } from "@switchboard/domain/channel-limits";

/** WhatsApp cuts a list row's title at 24 characters; the option's Menu Text (or its keyword) is that title. */
export const WHATSAPP_OPTION_TITLE_MAX = 24;

/** Why this option's title cannot go out on the channel, or null when it fits. */
export function optionTitleProblem(channel: Channel, menuText: string | null, keyword: string): string | null {
  if (channel !== "whatsapp") return null;
  const title = menuText?.trim() || keyword;
  return title.length > WHATSAPP_OPTION_TITLE_MAX
    ? `WhatsApp option titles are at most ${WHATSAPP_OPTION_TITLE_MAX} characters (this one has ${title.length}).`
    : null;
}

/** Why another entry cannot be added to a node's menu, or null while there is room. */
export function optionsFullProblem(channel: Channel, entryCount: number): string | null {
  return channel === "whatsapp" && entryCount >= WHATSAPP_LIST_OPTIONS_MAX
    ? `A WhatsApp menu lists at most ${WHATSAPP_LIST_OPTIONS_MAX} options: this one is full.`
    : null;
}
