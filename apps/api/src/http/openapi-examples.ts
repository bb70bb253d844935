// JSON Schema is walked generically here: any node may hold any keyword.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

/** Values that read as the product's own, by property name: a generated example should look like a real one. */
const byName: Record<string, unknown> = {
  name: "Spring promotion",
  label: "Menu",
  phoneNumber: "+15551234567",
  from: "+15551234567",
  address: "+15551234567",
  to: "+15557654321",
  text: "Hello",
  keyword: "START",
  option: "Prices",
  response: "Yes please",
  url: "https://hooks.example.com/switchboard",
  email: "ada@example.com",
  password: "correct horse battery staple",
  messageId: "SM1a2b3c4d5e6f",
  campaignId: 13010,
  title: "Welcome",
  body: { source: "switchboard" },
};

/** An example value for a JSON Schema: its own example, default, const or first enum value, else one built from its type. */
export function exampleOf(schema: Json, schemas: Record<string, Json>, name = "", depth = 0): unknown {
  if (!schema || typeof schema !== "object" || depth > 40) return null;
  if (schema.$ref) {
    const target = schemas[String(schema.$ref).split("/").at(-1) as string];
    return exampleOf(target ?? {}, schemas, name, depth + 1);
  }
  if ("example" in schema) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ("default" in schema) return schema.default;
  const choices = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (choices?.length) {
    const choice = choices.find((c) => c.type !== "null") ?? choices[0];
    return exampleOf(choice as Json, schemas, name, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((s: Json) => exampleOf(s, schemas, name, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, s] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        out[key] = exampleOf(s, schemas, key, depth + 1);
      }
      return out;
    }
    case "array": {
      const item = exampleOf(schema.items ?? {}, schemas, name, depth + 1);
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case "string":
      return stringExample(schema, name);
    case "integer":
    case "number": {
      const named = byName[name];
      const value = typeof named === "number" ? named : 1;
      return Math.min(Math.max(value, schema.minimum ?? value), schema.maximum ?? value);
    }
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return name in byName ? byName[name] : {};
  }
}

function stringExample(schema: Json, name: string): string {
  const byFormat: Record<string, string> = {
    uuid: "3f0c8a52-6d1e-4a8b-9c2f-1b7e5d4a9c10",
    "date-time": "2026-06-18T23:22:36.560Z",
    date: "2026-06-18",
    email: "ada@example.com",
    uri: "https://hooks.example.com/switchboard",
    url: "https://hooks.example.com/switchboard",
  };
  const named = byName[name];
  let value = byFormat[schema.format] ?? (typeof named === "string" ? named : name ? `${name} value` : "text");
  if (schema.minLength && value.length < schema.minLength) value = value.padEnd(schema.minLength, "x");
  if (schema.maxLength && value.length > schema.maxLength) value = value.slice(0, schema.maxLength);
  // A patterned string (a phone number, a header name) needs a value of that shape: the first of ours that fits.
  if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) {
    const fits = patternCandidates.find((c) => new RegExp(schema.pattern, "u").test(c));
    if (fits) value = fits;
  }
  return value;
}

const patternCandidates = [
  "+15551234567",
  "X-Api-Key",
  "START",
  "sbt_0123456789abcdef",
  // A Twilio account SID: AC and 32 hex digits.
  "AC0123456789abcdef0123456789abcdef",
  // A time of day (Live Chat's opening hours).
  "09:00",
  "a",
  "1",
];
