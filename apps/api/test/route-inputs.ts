import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";

/** The subset of JSON Schema that the OpenAPI document generated from the contracts uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** What the seeded database holds, so that generated requests reach past "not found" into the services and stores. */
export interface Seeds {
  /** Real ids per path parameter: by name (campaignId, nodeId, …), or for `:id` by the collection before it (users). */
  params: Record<string, string[]>;
  /** Path parameters that belong together (a campaign, one of its nodes, one of that node's entries). */
  nested: Record<string, string>[];
  /** Strings worth trying in any text field: ids, phone numbers, URLs, emails, keywords, the test password. */
  strings: string[];
  /** Values that fit a field of that name (email, url, to, redirectTo, …), so that more requests pass validation. */
  fields: Record<string, string[]>;
  /** Valid bodies per operation ("post /api/v1/senders"), for routes whose rules random fields seldom satisfy. */
  examples: Record<string, Record<string, unknown>[]>;
  /** Valid query strings per operation, for query rules that random values seldom satisfy (a range of days). */
  queries: Record<string, string[]>;
  uuids: string[];
  integers: number[];
}

/** A request's variable parts; the caller (session or token) is added when it is sent. */
export interface RequestInput {
  params: Record<string, string>;
  /** Raw, already percent-encoded (or deliberately malformed) query string, without "?". */
  query: string;
  body: BodyInput;
  headers: Record<string, string>;
  cookie: CookieInput;
  /** For a signed-in caller: the session's CSRF token, none, or a wrong one. */
  csrf: "session" | "missing" | "wrong";
}

export type BodyInput =
  | { kind: "none" }
  | { kind: "json"; value: unknown; contentType: string | null }
  | { kind: "raw"; bytes: Buffer; contentType: string | null }
  | { kind: "encoded"; value: unknown; encoding: string; compressed: boolean };

/** The Cookie header: the caller's own session cookie kept, replaced or dropped, with other cookies around it. */
export interface CookieInput {
  session: { kind: "keep" } | { kind: "drop" } | { kind: "replace"; value: string };
  before: string[];
  after: string[];
}

// Text that broke a service somewhere: NUL and lone surrogates (PostgreSQL text holds neither; the contracts refuse
// them), characters outside Latin-1 (HTTP header values), malformed percent-encoding, quoting and template syntax.
// The refused ones are rarer, so that most text passes validation and reaches the database.
const REFUSED_FRAGMENTS = ["\u0000", "\ud800", "\udfff", "\udc00\ud800"];
const FRAGMENTS = [
  "😀",
  "👩‍👩‍👧",
  "☃",
  "\u200b",
  "\ufeff",
  "\u202e",
  "\r\n",
  "\t",
  "%E0%A4%A",
  "%00",
  "' OR '1'='1",
  '"',
  "\\",
  "{{contact.name}}",
  "$" + "{x}",
  "<script>",
  "../",
  "ñ",
  "𝕏",
  " ",
];

const fragment = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...REFUSED_FRAGMENTS) },
  { weight: 8, arbitrary: fc.constantFrom(...FRAGMENTS) },
);

/** Any text: short mixes of generated code points and the fragments above, or one repeated up to 10,000 characters. */
export const nastyText: fc.Arbitrary<string> = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fragment), { maxLength: 6 }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...FRAGMENTS, "a"), fc.integer({ min: 1_000, max: 10_000 }))
        .map(([f, n]) => [f.repeat(Math.ceil(n / f.length)).slice(0, n)]),
    },
  )
  .map((parts) => parts.join(""));

/** A value nested `depth` deep, as objects or arrays; written out by toJson (JSON.stringify's recursion is too short). */
export class Nested {
  constructor(
    readonly depth: number,
    readonly arrays: boolean,
  ) {}
}

export const deeplyNested = fc
  .tuple(fc.integer({ min: 30, max: 5_000 }), fc.boolean())
  .map(([depth, arrays]) => new Nested(depth, arrays));

/** JSON text of a generated value; `undefined` (a missing body) becomes the empty string. */
export function toJson(value: unknown): string {
  if (value instanceof Nested) {
    return value.arrays
      ? `${"[".repeat(value.depth)}"bottom"${"]".repeat(value.depth)}`
      : `${'{"a":'.repeat(value.depth)}"bottom"${"}".repeat(value.depth)}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v) || "null").join(",")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v) || "null"}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "";
}

/** Values of the wrong type or out of every range. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 63),
    "",
    "0",
    "true",
    "null",
    [],
    {},
    [null],
  ),
  nastyText,
  deeplyNested,
  fc.jsonValue({ maxDepth: 3 }),
);

const UNKNOWN_KEYS = ["__proto__", "constructor", "id", "revision", "extra", "", "a.b", "0"];

/** Sets a key as an own property, "__proto__" included (plain assignment would set the prototype instead). */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

interface Shaping {
  components: Record<string, JsonSchema>;
  seeds: Seeds;
  depth: number;
  /** The property the value is for (an array's items keep their array's name): picks seeded values that fit it. */
  field: string | null;
}

/**
 * Values shaped like the schema: mostly valid (so they reach the service and the database) with nasty text in every
 * string, sometimes with a wrong value at any depth, a required field missing or an unknown one added.
 */
export function shapedLike(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  seeds: Seeds,
  field: string | null = null,
): fc.Arbitrary<unknown> {
  return shapedOrWrong(schema, { components, seeds, depth: 0, field });
}

/** A valid example with one of its fields (or one more) replaced by a generated value of the same schema. */
export function nearExamples(
  examples: Record<string, unknown>[],
  shape: fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.constantFrom(...examples), shape, fc.nat()).map(([example, generated, n]) => {
    const object: Record<string, unknown> = { ...example };
    if (generated === null || typeof generated !== "object" || Array.isArray(generated)) return object;
    const keys = Object.keys(generated);
    const key = keys[n % (keys.length + 1)];
    return key === undefined ? object : withKey(object, key, (generated as Record<string, unknown>)[key]);
  });
}

function shapedOrWrong(schema: JsonSchema, at: Shaping): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 30, arbitrary: shaped(schema, at) }, { weight: 1, arbitrary: wrongValue });
}

function shaped(schema: JsonSchema, at: Shaping): fc.Arbitrary<unknown> {
  const next = (s: JsonSchema, field = at.field) => shapedOrWrong(s, { ...at, depth: at.depth + 1, field });
  if (schema.$ref) {
    const target = at.components[schema.$ref.replace("#/components/schemas/", "")];
    return target && at.depth < 8 ? shaped(target, at) : wrongValue;
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => shaped(b, at)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => shaped({ ...schema, type }, at)));
  switch (schema.type) {
    case "object":
      return objectLike(schema, next);
    case "array": {
      const max = Math.min(schema.maxItems ?? 4, 4);
      const items = schema.items ? next(schema.items) : wrongValue;
      const length = { minLength: Math.min(schema.minItems ?? 0, max), maxLength: max };
      // Mostly without repeats: lists of keywords or hosts refuse duplicates, and would hide the rest of the input.
      return fc.oneof({ weight: 3, arbitrary: fc.uniqueArray(items, length) }, fc.array(items, length));
    }
    case "string":
      return stringLike(schema, at);
    case "integer":
    case "number":
      return numberLike(schema, at.seeds);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      // Any JSON (a webhook's Body, which should be an object): objects of small values or of seeded strings, other
      // JSON, or nesting thousands deep.
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc.dictionary(fc.oneof(nastyText, fc.constantFrom("a")), fc.jsonValue({ maxDepth: 2 })),
        },
        { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...at.seeds.strings, "a"), nastyText, { maxKeys: 4 }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        { weight: 1, arbitrary: deeplyNested },
        { weight: 1, arbitrary: deeplyNested.map((deep) => ({ plan: deep })) },
      );
  }
}

function objectLike(
  schema: JsonSchema,
  next: (s: JsonSchema, field?: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, next(s, k)]));
  const required = (schema.required ?? []).filter((k) => k in properties);
  const record = fc.record(model, { requiredKeys: required });
  const extra =
    typeof schema.additionalProperties === "object"
      ? fc.dictionary(fc.oneof(nastyText, fc.constantFrom(...UNKNOWN_KEYS)), next(schema.additionalProperties), {
          maxKeys: 3,
        })
      : fc.constant({});
  return fc
    .tuple(record, extra, fc.nat(39), fc.constantFrom(...UNKNOWN_KEYS), wrongValue)
    .map(([value, more, dice, key, junk]) => {
      const object: Record<string, unknown> = {};
      for (const [k, v] of Object.entries({ ...value, ...more })) withKey(object, k, v);
      // One in forty: a required field missing; one in forty: a field the contract does not know.
      if (dice === 0 && required.length > 0) delete object[required[0] as string];
      if (dice === 1) withKey(object, key, junk);
      return object;
    });
}

function stringLike(schema: JsonSchema, at: Shaping): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  // Cut to the maximum length without splitting a surrogate pair (lone surrogates come from the fragments).
  const fit = (s: string) => {
    if (s.length < min) return s.padEnd(min, "a");
    const cut = s.slice(0, max);
    return /[\ud800-\udbff]$/.test(cut) && s.length > max ? cut.slice(0, -1) : cut;
  };
  const fitting = at.field ? at.seeds.fields[at.field] : undefined;
  if (schema.format === "uuid") {
    return fc.oneof(
      { weight: fitting?.length ? 6 : 0, arbitrary: fc.constantFrom(...(fitting?.length ? fitting : [""])) },
      { weight: 2, arbitrary: fc.constantFrom(...at.seeds.uuids) },
      { weight: 1, arbitrary: fc.uuid() },
    );
  }
  if (schema.format === "date-time") {
    return fc
      .oneof(
        fc.date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }),
        fc.integer({ min: -40 * 86_400, max: 3_600 }).map((s) => new Date(Date.now() + s * 1000)),
      )
      .map((d) => d.toISOString());
  }
  const candidates: fc.WeightedArbitrary<string>[] = [
    { weight: 2, arbitrary: nastyText.map(fit) },
    { weight: 1, arbitrary: fc.constantFrom(...at.seeds.strings).map(fit) },
  ];
  if (fitting?.length) candidates.push({ weight: 5, arbitrary: fc.constantFrom(...fitting) });
  if (schema.pattern) {
    try {
      candidates.push({ weight: 3, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) });
    } catch {
      // A pattern fast-check cannot generate from: the other candidates remain.
    }
  }
  return fc.oneof(...candidates);
}

function numberLike(schema: JsonSchema, seeds: Seeds): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? -(2 ** 31)) + 1, -(2 ** 31));
  const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum ?? 2 ** 31) - 1, 2 ** 31 - 1);
  // The schema's own bounds, and PostgreSQL integer's (an int column holds 2^31 - 1 at most).
  const bounds = [schema.minimum, schema.maximum, 2 ** 31 - 1, 2 ** 31].filter(
    (n): n is number =>
      n !== undefined &&
      n >= (schema.minimum ?? (schema.exclusiveMinimum ?? -Infinity) + 1) &&
      n <= (schema.maximum ?? (schema.exclusiveMaximum ?? Infinity) - 1),
  );
  const arbitraries: fc.Arbitrary<number>[] = [fc.integer({ min, max })];
  if (bounds.length > 0) arbitraries.push(fc.constantFrom(...bounds));
  const seeded = seeds.integers.filter((n) => n >= min && n <= max);
  if (seeded.length > 0) arbitraries.push(fc.constantFrom(...seeded));
  if (schema.type === "number") arbitraries.push(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
  return fc.oneof(...arbitraries);
}

/** Percent-encodes every byte but unreserved characters; a lone surrogate goes as UTF-8's replacement character. */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

// Path segments and query pieces that are malformed as they stand (never encoded again).
const RAW_SEGMENTS = [
  "%E0%A4%A",
  "%ED%A0%80",
  "%C0%AF",
  "%",
  "%zz",
  "%00",
  "%2e%2e",
  "%2F",
  "..",
  "0",
  "-1",
  "1e3",
  "0x10",
  "%201",
  "NaN",
  "2147483648",
  "99999999999999999999",
  "9007199254740991",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
];

const junkSegment = fc.oneof(
  fc.constantFrom(...RAW_SEGMENTS),
  nastyText.map((t) => percentEncode(t.slice(0, 300)) || "x"),
  fc.uuid(),
);

/** Real ids of the right kind most of the time (consistent along nested paths), otherwise junk. */
export function pathParams(path: string, seeds: Seeds): fc.Arbitrary<Record<string, string>> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  if (names.length === 0) return fc.constant({});
  const real = (name: string) => {
    const key = name === "id" ? (path.split(`/{${name}}`)[0]?.split("/").pop() ?? name) : name;
    return (seeds.params[key] ?? []).map(percentEncode);
  };
  const one = (name: string) => {
    const values = real(name);
    return values.length === 0
      ? junkSegment
      : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: junkSegment });
  };
  const independent = fc.record(Object.fromEntries(names.map((n) => [n, one(n)])));
  const nested = seeds.nested.filter((tuple) => names.every((n) => n in tuple || real(n).length > 0));
  if (nested.length === 0 || !names.some((n) => n in (nested[0] as Record<string, string>))) return independent;
  const together = fc
    .tuple(fc.constantFrom(...nested), independent)
    .map(([tuple, rest]) => Object.fromEntries(names.map((n) => [n, tuple[n] ?? (rest[n] as string)])));
  return fc.oneof({ weight: 3, arbitrary: together }, { weight: 2, arbitrary: independent });
}

const RAW_QUERY = [
  "a=%E0%A4%A",
  "%ED%A0%80=1",
  "limit=1&limit=2",
  "__proto__=x",
  "constructor[prototype][x]=1",
  "=",
  "&&",
  "%",
  "a",
  "limit=%00",
  "limit=1e309",
  "limit=-0",
  "offset=99999999999999999999",
  "offset=9007199254740991",
  "campaignId=2147483648",
  "q=%F0%9F%98%80",
  "status=__proto__",
  "test=TRUE",
];

/** The operation's query parameters (shaped or junk), some raw malformed pieces, in any order. */
export function queryString(
  parameters: { name: string; schema: JsonSchema }[],
  components: Record<string, JsonSchema>,
  seeds: Seeds,
): fc.Arbitrary<string> {
  const value = (schema: JsonSchema, name: string) =>
    fc
      .oneof({ weight: 4, arbitrary: shapedLike(schema, components, seeds, name) }, { weight: 1, arbitrary: nastyText })
      .map((v) => (typeof v === "string" ? v : toJson(v)));
  const named = fc.record(Object.fromEntries(parameters.map((p) => [p.name, value(p.schema, p.name)])), {
    requiredKeys: [],
  });
  return fc
    .tuple(
      named,
      fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, fc.array(fc.constantFrom(...RAW_QUERY), { maxLength: 2 })),
      fc.boolean(),
    )
    .map(([values, raw, rawFirst]) => {
      const pairs = Object.entries(values).map(([k, v]) => `${k}=${percentEncode(v ?? "")}`);
      return (rawFirst ? [...raw, ...pairs] : [...pairs, ...raw]).join("&");
    });
}

const CONTENT_TYPES = [
  "application/json; charset=utf-8",
  "Application/JSON",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  'application/json; charset="',
  "application/merge-patch+json",
  "application/json, text/plain",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "json",
  "",
];

const RAW_BODIES = [
  "",
  "{",
  '{"a":',
  "nul",
  "[1,]",
  '{"a":1,}',
  "{a:1}",
  "'single'",
  "\u0000",
  "\ufeff{}",
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  "1e999999",
  '{"position":1e999,"keyword":"1"}',
  '{"campaignId":123456789012345678901234567890}',
  '"\\ud800"',
  '{"name":"\\u0000"}',
  '"\\uZZZZ"',
  "[".repeat(100_000),
  `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
  `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`,
  "null",
  "0",
  '"text"',
  "[]",
].map((text) => Buffer.from(text, "utf8"));

const rawBytes = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...RAW_BODIES) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
  // UTF-16 and invalid UTF-8 bytes where UTF-8 JSON is expected.
  {
    weight: 1,
    arbitrary: fc.constantFrom(Buffer.from('{"name":"x"}', "utf16le"), Buffer.from([0xff, 0xfe, 0x7b, 0x7d])),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(1_100_000, 0x61)) },
);

const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constant("application/json") },
  fc.constantFrom(...CONTENT_TYPES),
);

/** A body shaped like the route's (or any JSON when it takes none), raw junk, or one with a Content-Encoding. */
export function bodyInput(shape: fc.Arbitrary<unknown>, takesBody: boolean): fc.Arbitrary<BodyInput> {
  return fc.oneof(
    {
      weight: takesBody ? 14 : 2,
      arbitrary: shape.map((value): BodyInput => ({ kind: "json", value, contentType: "application/json" })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shape, fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: null, freq: 8 }))
        .map(([value, type]): BodyInput => ({ kind: "json", value, contentType: type })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(rawBytes, fc.option(contentType, { nil: null, freq: 6 }))
        .map(([bytes, type]): BodyInput => ({ kind: "raw", bytes, contentType: type })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shape, fc.constantFrom("gzip", "br", "deflate", "identity", "x-unknown", "gzip, br"), fc.boolean())
        .map(([value, encoding, compressed]): BodyInput => ({ kind: "encoded", value, encoding, compressed })),
    },
    { weight: takesBody ? 1 : 6, arbitrary: fc.constant<BodyInput>({ kind: "none" }) },
  );
}

/** The bytes and headers of a body as the client sends them. */
export function renderBody(body: BodyInput): { bytes: Buffer | null; headers: Record<string, string> } {
  switch (body.kind) {
    case "none":
      return { bytes: null, headers: {} };
    case "json":
      return {
        bytes: Buffer.from(toJson(body.value), "utf8"),
        headers: body.contentType === null ? {} : { "content-type": body.contentType },
      };
    case "raw":
      return { bytes: body.bytes, headers: body.contentType === null ? {} : { "content-type": body.contentType } };
    case "encoded": {
      const plain = Buffer.from(toJson(body.value), "utf8");
      const compress: Record<string, (b: Buffer) => Buffer> = {
        gzip: gzipSync,
        br: brotliCompressSync,
        deflate: deflateSync,
      };
      const squeeze = body.compressed ? compress[body.encoding] : undefined;
      return {
        bytes: squeeze ? squeeze(plain) : plain,
        headers: { "content-type": "application/json", "content-encoding": body.encoding },
      };
    }
  }
}

/** Header values HTTP can carry (Latin-1 without control characters), including UTF-8 bytes read as Latin-1. */
const headerValue = fc.oneof(
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
      .map((c) => String.fromCharCode(c)),
    maxLength: 40,
  }),
  nastyText.map((t) =>
    Buffer.from(t.slice(0, 200), "utf8")
      .toString("latin1")
      .replace(/[^\t\x20-\x7e\x80-\xff]/g, ""),
  ),
);

export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.record(
      {
        accept: fc.constantFrom("*/*", "application/problem+json", "text/html", "", "application/json;q=0"),
        "accept-encoding": fc.constantFrom("gzip", "br", "identity;q=0", "*"),
        host: fc.constantFrom("localhost", "evil.example", "[::1]:99999", "a b", "ÿ", "x".repeat(300)),
        origin: fc.constantFrom("https://evil.example", "null"),
        "x-forwarded-for": fc.constantFrom("1.2.3.4, ::1", "not-an-ip", "::ffff:10.0.0.1"),
        "x-forwarded-proto": fc.constantFrom("https", "gopher"),
        "x-request-id": headerValue,
        "user-agent": headerValue,
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,16}$/), headerValue, { maxKeys: 2 }),
  )
  .map(([known, more]) => ({ ...more, ...known }));

// The session cookie's name is fixed by the API (auth/authenticate.ts).
const SESSION_JUNK = ["%E0%A4%A", "%", "%zz", "%00", '"quoted"', "", "a".repeat(5_000), "%ED%A0%80"];
const OTHER_COOKIES = ["a=%E0%A4%A", "sb_session=%E0%A4%A", "noequals", "=", "x=1", ' sb_session = "x" ', "ÿ=ÿ"];

export const cookieInput: fc.Arbitrary<CookieInput> = fc.record({
  session: fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: "keep" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "drop" as const }) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...SESSION_JUNK),
          headerValue.map((v) => v.replace(/;/g, "")),
        )
        .map((value) => ({ kind: "replace" as const, value })),
    },
  ),
  before: fc.array(fc.constantFrom(...OTHER_COOKIES), { maxLength: 2 }),
  after: fc.array(fc.constantFrom(...OTHER_COOKIES), { maxLength: 2 }),
});

export const csrfInput = fc.oneof(
  { weight: 8, arbitrary: fc.constant("session" as const) },
  fc.constantFrom("missing" as const, "wrong" as const),
);
