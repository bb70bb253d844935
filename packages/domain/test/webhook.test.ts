import { describe, expect, it } from "vitest";
import {
  BODY_DEPTH_MAX,
  maskSecret,
  standardPayloadFields,
  validateWebhook,
  validateWebhookBody,
  validateWebhookHeaders,
  validateWebhookUrl,
} from "../src/webhook";

const strict = { allowHttp: false };
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe("webhook URL", () => {
  it("accepts an absolute https URL", () => {
    expect(validateWebhookUrl("https://hooks.example.com/chatbot?x=1", strict)).toEqual([]);
  });
  it("requires a URL", () => {
    expect(validateWebhookUrl("  ", strict)).toEqual([
      { path: ["url"], code: "required", message: "URL is required." },
    ]);
  });
  it("refuses relative and malformed URLs", () => {
    expect(codes(validateWebhookUrl("/hooks", strict))).toEqual(["invalid_url"]);
    expect(codes(validateWebhookUrl("https://", strict))).toEqual(["invalid_url"]);
  });
  it("refuses plain http unless the installation allows it", () => {
    const [problem] = validateWebhookUrl("http://hooks.example.com/", strict);
    expect(problem?.message).toBe("URL must start with https:// (it starts with http://).");
    expect(validateWebhookUrl("http://hooks.example.com/", { allowHttp: true })).toEqual([]);
  });
  it("refuses other schemes even when http is allowed", () => {
    expect(codes(validateWebhookUrl("ftp://example.com/", { allowHttp: true }))).toEqual(["insecure_scheme"]);
    expect(codes(validateWebhookUrl("javascript:alert(1)", { allowHttp: true }))).toEqual(["insecure_scheme"]);
  });
  it("refuses credentials in the URL", () => {
    expect(codes(validateWebhookUrl("https://user:pw@example.com/", strict))).toEqual(["credentials_in_url"]);
    expect(codes(validateWebhookUrl("https://user@example.com/", strict))).toEqual(["credentials_in_url"]);
  });
  it("refuses URLs over 2048 characters", () => {
    expect(codes(validateWebhookUrl(`https://example.com/${"a".repeat(2040)}`, strict))).toEqual(["too_long"]);
  });
});

describe("webhook Body", () => {
  it("accepts a JSON object of extra parameters", () => {
    expect(validateWebhookBody({ source: "chatbot", nested: { a: [1, 2] } })).toEqual([]);
    expect(validateWebhookBody({})).toEqual([]);
  });
  it("refuses anything but an object", () => {
    for (const value of [[], null, "text", 3, true]) {
      expect(codes(validateWebhookBody(value))).toEqual(["not_an_object"]);
    }
  });
  it.each(standardPayloadFields)("refuses to redefine %s", (field) => {
    const issues = validateWebhookBody({ [field]: "x" });
    expect(issues).toEqual([
      {
        path: ["body", field],
        code: "reserved_field",
        message: `Body cannot define "${field}": the platform sends it in every payload.`,
      },
    ]);
  });
  it("refuses a Body over 16 KB", () => {
    expect(codes(validateWebhookBody({ big: "x".repeat(17_000) }))).toEqual(["too_large"]);
  });
  it("refuses a Body nested deeper than 32 levels, at the first level too deep, without overflowing", () => {
    const nested = (levels: number) => {
      let value: unknown = {};
      for (let i = 1; i < levels; i++) value = { a: value };
      return value;
    };
    expect(validateWebhookBody(nested(BODY_DEPTH_MAX))).toEqual([]);
    expect(validateWebhookBody(nested(BODY_DEPTH_MAX + 1))).toEqual([
      {
        path: ["body", ...Array.from({ length: BODY_DEPTH_MAX }, () => "a")],
        code: "too_deep",
        message: "Body may nest objects and arrays at most 32 levels deep (the Body itself is level 1).",
      },
    ]);
    // Deep enough that JSON.stringify (which recurses) would throw RangeError.
    expect(codes(validateWebhookBody(nested(1_000_000)))).toEqual(["too_deep"]);
  });
  it("refuses NUL characters and unpaired surrogates in the Body's keys and strings", () => {
    expect(validateWebhookBody({ list: ["ok", "a\u0000b"], nested: { "k\ud800": 1 } })).toEqual([
      { path: ["body", "list", 1], code: "nul_character", message: "Must not contain a NUL character (U+0000)." },
      {
        path: ["body", "nested"],
        code: "unpaired_surrogate",
        message:
          "Keys must not contain an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone).",
      },
    ]);
    expect(validateWebhookBody({ party: "🎉", clé: "été" })).toEqual([]);
  });
});

describe("webhook Headers", () => {
  const header = (name: string, value = "v") => ({ name, value, secret: false });

  it("accepts ordinary headers", () => {
    expect(validateWebhookHeaders([header("Authorization", "Bearer abc"), header("X-Api-Key")])).toEqual([]);
  });
  it.each([
    "Host",
    "content-length",
    "Content-Type",
    "Transfer-Encoding",
    "CONNECTION",
    "webhook-id",
    "Webhook-Signature",
  ])("refuses the reserved header %s", (name) => {
    expect(validateWebhookHeaders([header(name)])).toEqual([
      expect.objectContaining({ path: ["headers", 0, "name"], code: "reserved_header" }),
    ]);
  });
  it("refuses CR and LF in names and values", () => {
    expect(validateWebhookHeaders([header("X-A", "a\r\nX-Evil: 1")])).toEqual([
      { path: ["headers", 0, "value"], code: "line_break", message: "Headers cannot contain line breaks (CR or LF)." },
    ]);
    expect(codes(validateWebhookHeaders([header("X-A\nB")]))).toEqual(["line_break"]);
  });
  it("refuses invalid names and empty names", () => {
    expect(codes(validateWebhookHeaders([header("X Api")]))).toEqual(["invalid_header_name"]);
    expect(codes(validateWebhookHeaders([header("X:Api")]))).toEqual(["invalid_header_name"]);
    expect(codes(validateWebhookHeaders([header("")]))).toEqual(["required"]);
  });
  it("refuses the same header twice, whatever its case", () => {
    const issues = validateWebhookHeaders([header("X-Key"), header("x-key")]);
    expect(issues).toEqual([
      {
        path: ["headers", 1, "name"],
        code: "duplicate_header",
        message: "Header x-key is already defined (header 1).",
      },
    ]);
  });
  it.each([
    ["a snowman", "snow☃man", '"☃" (U+2603)'],
    ["an emoji", "party 🎉", '"🎉" (U+1F389)'],
    ["a zero-width space", "zero\u200Bwidth", '"\u200B" (U+200B)'],
    ["half a surrogate pair", "half \ud83c", "U+D83C"],
  ])("refuses a header value with %s: HTTP carries Latin-1 only", (_what, value, shown) => {
    expect(validateWebhookHeaders([header("X-A", value)])).toEqual([
      {
        path: ["headers", 0, "value"],
        code: "not_latin1",
        message: `Header values can only use Latin-1 characters (letters, digits, punctuation, accents such as é): ${shown} cannot be sent.`,
      },
    ]);
  });
  it("keeps header values in Latin-1, accents included", () => {
    expect(validateWebhookHeaders([header("X-A", "café crème ÿ"), header("X-B", "Bearer abc.DEF-123_~+/=")])).toEqual(
      [],
    );
  });
  it("refuses control characters and overlong values", () => {
    expect(codes(validateWebhookHeaders([header("X-A", "a\u0000b")]))).toEqual(["control_character"]);
    expect(codes(validateWebhookHeaders([header("X-A", "bell\u0007")]))).toEqual(["control_character"]);
    expect(codes(validateWebhookHeaders([header("X-A", "del\u007F")]))).toEqual(["control_character"]);
    expect(codes(validateWebhookHeaders([header("X-A", "cr\ronly")]))).toEqual(["line_break"]);
    expect(codes(validateWebhookHeaders([header("X-A", "x".repeat(5000))]))).toEqual(["too_long"]);
    expect(validateWebhookHeaders([header("X-A", "tab\tok")])).toEqual([]);
  });
  it("refuses more than 20 headers", () => {
    const many = Array.from({ length: 21 }, (_, i) => header(`X-${i}`));
    expect(codes(validateWebhookHeaders(many))).toEqual(["too_many"]);
  });
});

describe("a whole webhook", () => {
  it("reports every broken rule with its path", () => {
    const issues = validateWebhook(
      { url: "http://x.example", body: { date: 1 }, headers: [{ name: "Host", value: "a", secret: true }] },
      strict,
    );
    expect(issues.map((i) => i.path.join("."))).toEqual(["url", "body.date", "headers.0.name"]);
  });
});

describe("masking a secret", () => {
  it("shows at most the last 4 characters, and none of a short secret", () => {
    expect(maskSecret("sk_live_1234567890abcd")).toBe("••••abcd");
    expect(maskSecret("short")).toBe("••••");
    expect(maskSecret("")).toBe("••••");
  });
});
