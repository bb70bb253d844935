import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, secretRedactor } from "../../src/secrets/redact-secrets";

const token = "sk_live_0123456789/+abc";
const redact = (text: string, values: string[] = [`Bearer ${token}`], cut = false) => {
  const redactor = secretRedactor(values);
  if (!redactor) throw new Error("expected a redactor");
  return redactor(text, cut);
};

/** Every spelling a test checks for; the module's own list is not used to judge it. */
const spelled = (value: string) => {
  const json = JSON.stringify(value).slice(1, -1);
  const base64 = Buffer.from(value, "latin1").toString("base64");
  return {
    clear: value,
    upper: value.toUpperCase(),
    lower: value.toLowerCase(),
    json,
    jsonSlashes: json.replaceAll("/", "\\/"),
    uri: encodeURIComponent(value),
    uriLower: encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    form: new URLSearchParams({ v: value }).toString().slice(2),
    base64,
    base64Bare: base64.replace(/=+$/, ""),
    base64url: Buffer.from(value, "latin1").toString("base64url"),
  };
};

describe("hiding the secrets an attempt sent", () => {
  it("has nothing to do when no secret was sent", () => {
    expect(secretRedactor([])).toBeNull();
    expect(secretRedactor([""])).toBeNull();
  });

  it("hides an echoed header value in every spelling, and leaves the rest of the answer as it was", () => {
    const forms = spelled(`Bearer ${token}`);
    for (const [name, form] of Object.entries(forms)) {
      const shown = redact(`{"ok":true,"echo":"${form}","n":1}`);
      expect(shown, name).toBe(`{"ok":true,"echo":"${REDACTED}","n":1}`);
    }
  });

  it("hides a credential echoed without its scheme, and a Basic password decoded", () => {
    expect(redact(`token ${token} is unknown`)).toBe(`token ${REDACTED} is unknown`);
    expect(redact(`TOKEN=${encodeURIComponent(token)}`)).toBe(`TOKEN=${REDACTED}`);
    const basic = `Basic ${Buffer.from("shop:hunter2-secret").toString("base64")}`;
    expect(redact('{"user":"shop","password":"hunter2-secret"}', [basic])).toBe(
      `{"user":"shop","password":"${REDACTED}"}`,
    );
    expect(redact("credentials shop:hunter2-secret", [basic])).toBe(`credentials ${REDACTED}`);
  });

  it("hides a signing secret and its key", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(redact(`secret ${secret}`, [secret])).toBe(`secret ${REDACTED}`);
    expect(redact("key MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw.", [secret])).toBe(`key ${REDACTED}.`);
  });

  it("hides JSON escapes of quotes, backslashes and non-ASCII letters, and HTML escapes", () => {
    const value = 'pa"ss\\wörd<&>123';
    expect(redact(JSON.stringify({ h: value }), [value])).toBe(`{"h":"${REDACTED}"}`);
    const ascii = JSON.stringify(value).replace(
      /[^\x20-\x7e]|[<>&]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    expect(redact(`{"h":${ascii}}`, [value])).toBe(`{"h":"${REDACTED}"}`);
    expect(redact("<td>pa&quot;ss\\wörd&lt;&amp;&gt;123</td>", [value])).toBe(`<td>${REDACTED}</td>`);
  });

  it("hides a value inside a longer base64 text, whatever its offset (an echoed raw request)", () => {
    const value = `Bearer ${token}`;
    for (let offset = 0; offset < 6; offset++) {
      const raw = `${"x".repeat(offset)}POST /hooks HTTP/1.1\r\nAuthorization: ${value}\r\nHost: a\r\n\r\n`;
      const shown = redact(Buffer.from(raw).toString("base64"));
      expect(shown).toContain(REDACTED);
      for (const piece of shown.split(REDACTED))
        for (let skip = 0; skip < 4; skip++) {
          const decoded = Buffer.from(piece.slice(skip), "base64").toString("latin1");
          expect(decoded).not.toContain(token.slice(0, 8));
          expect(decoded).not.toContain(token.slice(-8));
        }
    }
  });

  it("hides the beginning of a secret where an answer was cut short, and only then", () => {
    const text = `{"headers":{"Authorization":"Bearer ${token.slice(0, 7)}`;
    expect(redact(text, undefined, true)).toBe(`{"headers":{"Authorization":"${REDACTED}`);
    expect(redact(text)).toBe(text);
    // Three characters say nothing of a secret.
    expect(redact('{"a":"Bea', undefined, true)).toBe('{"a":"Bea');
  });

  it("leaves an answer without secrets alone", () => {
    const answer = '{"received":true,"id":"0b7e1c2a","message":"Bearer tokens welcome"}';
    expect(redact(answer)).toBe(answer);
  });

  it("never leaves a spelling of a generated secret in a generated answer", () => {
    const secret = fc.string({ unit: fc.constantFrom(..."abcXYZ0189+/=_-.~ :\"'\\<>&é"), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(secret, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (value, before, after) => {
        const redactor = secretRedactor([value]);
        if (!redactor) return;
        for (const form of Object.values(spelled(value))) {
          // What is left around the markers (the marker's own letters are no leak).
          const left = redactor(`${before}${form}${after}`).split(REDACTED).join("\u0000");
          expect(left.toLowerCase()).not.toContain(form.toLowerCase());
        }
      }),
      { numRuns: 500 },
    );
  });
});
