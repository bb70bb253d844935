import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { textFlaw, textFlawMessage } from "../src/text";

// Node 20 has it; the domain's library settings (ES2023) do not declare it.
const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

describe("text that can be stored", () => {
  it.each([
    ["plain text", "Welcome to EliPackage"],
    ["accents and emoji (surrogate pairs)", "café 🎉 ☃ \u200B"],
    ["other control characters", "tab\tline\nbell\u0007"],
  ])("accepts %s", (_what, text) => {
    expect(textFlaw(text)).toBeNull();
  });

  it.each([
    ["a NUL character", "a\u0000b", "nul_character"],
    ["a lone high surrogate", "a\ud800b", "unpaired_surrogate"],
    ["a lone low surrogate", "\udc00", "unpaired_surrogate"],
    ["a pair in the wrong order", "\ude00\ud83d", "unpaired_surrogate"],
    ["a high surrogate at the end", "party \ud83c", "unpaired_surrogate"],
  ])("refuses %s", (_what, text, flaw) => {
    expect(textFlaw(text)).toBe(flaw);
  });

  it("agrees with well-formed Unicode without NUL, for any UTF-16 text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const storable = isWellFormed(text) && !text.includes("\u0000");
        expect(textFlaw(text) === null).toBe(storable);
      }),
      { numRuns: 2000 },
    );
  });

  it("says what is wrong, of a field or of keys", () => {
    expect(textFlawMessage("nul_character")).toBe("Must not contain a NUL character (U+0000).");
    expect(textFlawMessage("unpaired_surrogate", "Keys")).toBe(
      "Keys must not contain an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone).",
    );
  });
});
