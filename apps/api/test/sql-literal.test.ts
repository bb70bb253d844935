import pg from "pg";
import { describe, expect, it } from "vitest";
import { literal } from "../src/runtime/sql-literal";

/** A deterministic generator, so a failure names a string that fails again. */
function* strings(count: number): Generator<string> {
  const alphabet = ["'", "\\", '"', "$", "a", "Z", " ", "\n", "é", "ñ", "\u2028", "😀", "--", ";", "E'", "''", "\\'"];
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < count; i++) {
    let text = "";
    const length = next() % 24;
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe("SQL literals for the runtime's simple-protocol statements", () => {
  it("quote every string exactly as the driver's escapeLiteral does", () => {
    for (const text of ["", "plain", "O'Brien", "back\\slash", "\\'; DROP TABLE campaign; --", ...strings(2_000)]) {
      expect(literal(text), JSON.stringify(text)).toBe(pg.escapeLiteral(text));
    }
  });

  it("write dates as quoted ISO timestamps, and the other scalars bare", () => {
    expect(literal(new Date("2026-11-25T14:05:00.123Z"))).toBe("'2026-11-25T14:05:00.123Z'");
    expect([literal(null), literal(undefined), literal(true), literal(false), literal(42), literal(-1.5)]).toEqual([
      "NULL",
      "NULL",
      "TRUE",
      "FALSE",
      "42",
      "-1.5",
    ]);
  });

  it("refuse what has no literal rather than guess", () => {
    expect(() => literal(Number.NaN)).toThrow("Cannot write NaN to SQL");
    expect(() => literal({ a: 1 })).toThrow("Cannot write a object to SQL");
  });
});
