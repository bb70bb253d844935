import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonFlaws } from "../src/json";

const limits = { maxDepth: 3, name: "Body" };

describe("flaws of a JSON value", () => {
  it("accepts storable values up to the depth limit", () => {
    expect(jsonFlaws({ a: [1, { b: "ok" }], c: null, d: true }, limits)).toEqual([]);
    expect(jsonFlaws("text", limits)).toEqual([]);
  });

  it("names the first container past the limit, and does not walk into it", () => {
    expect(jsonFlaws({ a: [[{ deeper: "\u0000" }]] }, limits)).toEqual([
      {
        path: ["a", 0, 0],
        code: "too_deep",
        message: "Body may nest objects and arrays at most 3 levels deep (the Body itself is level 1).",
      },
    ]);
  });

  it("reports flawed strings where they are, and flawed keys at the object holding them, in text order", () => {
    expect(jsonFlaws({ a: "x\u0000", b: { "k\ud800": { hidden: "\u0000" }, ok: ["\udc00"] } }, limits)).toEqual([
      { path: ["a"], code: "nul_character", message: "Must not contain a NUL character (U+0000)." },
      {
        path: ["b"],
        code: "unpaired_surrogate",
        message:
          "Keys must not contain an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone).",
      },
      {
        path: ["b", "ok", 0],
        code: "unpaired_surrogate",
        message: "Must not contain an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone).",
      },
    ]);
  });

  it("stops after a few issues", () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, "\u0000"]));
    expect(jsonFlaws(many, limits)).toHaveLength(10);
    expect(jsonFlaws(many, { ...limits, maxIssues: 2 })).toHaveLength(2);
  });

  it("walks a value nested a million levels deep without overflowing the stack", () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(jsonFlaws(deep, { maxDepth: 32, name: "Body" })).toHaveLength(1);
  });

  it("finds a flaw wherever it is put in any value within the limit", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("\u0000", "\ud800"), (value, bad) => {
        const holder = { inner: [value, `x${bad}`] };
        expect(jsonFlaws(holder, { maxDepth: 32, name: "Body", maxIssues: 1000 })).toContainEqual(
          expect.objectContaining({ path: ["inner", 1] }),
        );
      }),
    );
  });
});
