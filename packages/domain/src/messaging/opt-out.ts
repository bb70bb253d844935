/** The words carriers expect to stop, restart and explain messages (CTIA, and Twilio's defaults). */
export const DEFAULT_OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const DEFAULT_OPT_IN_KEYWORDS = ["START", "UNSTOP"] as const;
export const DEFAULT_HELP_KEYWORDS = ["HELP", "INFO"] as const;
export const DEFAULT_OPT_OUT_TEXT =
  "You are unsubscribed and will receive no more messages. Reply START to resubscribe.";
export const DEFAULT_OPT_IN_TEXT = "You are subscribed again. Reply STOP to unsubscribe.";
export const DEFAULT_HELP_TEXT = "Reply STOP to unsubscribe, START to resubscribe.";
export const OPT_OUT_KEYWORD_MAX = 30;
export const OPT_OUT_KEYWORDS_MAX = 20;

export interface OptOutKeywords {
  optOut: readonly string[];
  optIn: readonly string[];
  help: readonly string[];
}

export type OptOutCommand = "opt_out" | "opt_in" | "help";

/** A keyword as compared: trimmed, case and surrounding punctuation ignored ("Stop." is STOP). */
export const normaliseKeyword = (text: string) =>
  text
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "")
    .toUpperCase();

// Each list's keywords normalised once: every inbound message is checked against all of them.
const normalisedLists = new WeakMap<readonly string[], ReadonlySet<string>>();
function normalisedList(list: readonly string[]): ReadonlySet<string> {
  let words = normalisedLists.get(list);
  if (!words) {
    words = new Set(list.map(normaliseKeyword));
    normalisedLists.set(list, words);
  }
  return words;
}

/** Whether a whole message is one of the sender's opt-out, opt-in or help keywords. */
export function optOutCommand(text: string, keywords: OptOutKeywords): OptOutCommand | null {
  const word = normaliseKeyword(text);
  if (!word) return null;
  const has = (list: readonly string[]) => normalisedList(list).has(word);
  if (has(keywords.optOut)) return "opt_out";
  if (has(keywords.optIn)) return "opt_in";
  if (has(keywords.help)) return "help";
  return null;
}

/** The answer to a command, or null when nothing may be sent (an opted-out number asking for anything but START/HELP). */
export function optOutAnswer(command: OptOutCommand, texts: { optOut: string; optIn: string; help: string }): string {
  return command === "opt_out" ? texts.optOut : command === "opt_in" ? texts.optIn : texts.help;
}
