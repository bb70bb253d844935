/**
 * What any text a person or a channel sends must be, to be stored and sent again: PostgreSQL's text and jsonb cannot
 * hold a NUL character, and half of a UTF-16 surrogate pair is no character at all (UTF-8 cannot encode it).
 */
export type TextFlaw = "nul_character" | "unpaired_surrogate";

const flawNames: Record<TextFlaw, string> = {
  nul_character: "a NUL character (U+0000)",
  unpaired_surrogate: "an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone)",
};

/** "Must not contain a NUL character (U+0000).", or of keys: "Keys must not contain …". */
export function textFlawMessage(flaw: TextFlaw, subject?: string): string {
  return `${subject ? `${subject} must` : "Must"} not contain ${flawNames[flaw]}.`;
}

// With the u flag a well-formed pair is one code point, so \p{Cs} matches only a surrogate standing alone.
const unpairedSurrogate = /\p{Cs}/u;

export function textFlaw(text: string): TextFlaw | null {
  if (text.includes("\u0000")) return "nul_character";
  if (unpairedSurrogate.test(text)) return "unpaired_surrogate";
  return null;
}
