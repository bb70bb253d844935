import { problem } from "@switchboard/contracts/common";
import { z } from "zod";
import { exampleOf } from "./openapi-examples";
import { providerPaths, providerTag } from "./openapi-providers";
import type { Route } from "./route";

type Json = Record<string, unknown>;

/** The OpenAPI 3.1 document, generated from the same route table and zod schemas that validate requests. */
/** A request Switchboard sends (OpenAPI's `webhooks`): the payload a receiver gets. */
export interface OutgoingWebhook {
  name: string;
  summary: string;
  description: string;
  payload: z.ZodType;
}

export function buildOpenApi(routes: Route[], version: string, outgoingWebhooks: OutgoingWebhook[] = []): Json {
  const components: Record<string, Json> = {};
  const toSchema = (schema: z.ZodType, io: "input" | "output"): Json => {
    const json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      reused: "inline",
    }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    for (const [name, def] of Object.entries(defs)) components[name] = relink(def);
    const id = (json.id as string | undefined) ?? z.globalRegistry.get(schema)?.id;
    if (id) {
      // A named root comes back either whole or as a $ref to its own definition, extracted above.
      delete json.id;
      if (!json.$ref) components[id] = relink(json);
      return { $ref: `#/components/schemas/${id}` };
    }
    return relink(json);
  };
  const problemRef = toSchema(problem, "output");
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const parameters = [...objectParams(r.params, "path", toSchema), ...objectParams(r.query, "query", toSchema)];
    const success = r.status ?? (r.response ? (r.method === "post" ? 201 : 200) : 204);
    const responses: Record<string, Json> = {
      [success]: r.download
        ? { description: "A file", content: { [r.download.type]: { schema: { type: "string" } } } }
        : r.response
          ? { description: "Success", content: { "application/json": { schema: toSchema(r.response, "output") } } }
          : { description: "Done; no content" },
    };
    const refusals = r.access === "public" ? [] : [401, 403];
    for (const status of [400, ...refusals, ...(r.params ? [404] : []), ...(r.errors ?? []), 500]) {
      responses[status] = {
        description: problemText[status] ?? "Problem",
        content: { "application/problem+json": { schema: problemRef } },
      };
    }
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[r.method] = {
      operationId: `${r.method}${path.replace(/[{}]/g, "").replace(/(?:^|[/_-])(\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: r.summary,
      description: [r.description, accessText[r.access]].filter(Boolean).join("\n\n"),
      ...securityOf(r),
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.body, "input") } } } }
        : {}),
      responses,
    };
  }
  // The hand-off campaigns' own webhooks, described by their payload schemas, beside the menu entries' two.
  const webhooks: Record<string, Record<string, Json>> = webhookDescriptions();
  for (const w of outgoingWebhooks)
    webhooks[w.name] = {
      post: {
        operationId: `webhook${w.name.replace(/\W/g, "")}`,
        summary: w.summary,
        description: `${w.description} Signed and retried like every webhook.`,
        tags: ["Webhooks"],
        security: [],
        parameters: signatureHeaders,
        requestBody: { required: true, content: { "application/json": { schema: toSchema(w.payload, "output") } } },
        responses: {
          "200": { description: "Received (any 2xx)." },
          "410": { description: "Gone: the endpoint is disabled and nothing more is sent to it." },
        },
      },
    };
  // The providers' routes, outside the route table, with their own forms and answers (and examples).
  Object.assign(paths, structuredClone(providerPaths));
  unlinkJsonValue(components);
  addExamples(paths, components);
  addExamples(webhooks, components);
  const tags = [
    ...[...new Set(routes.map((r) => r.tag))].map((name) => ({
      name,
      description: tagText[name] ?? `Operations on ${name.toLowerCase()}.`,
    })),
    providerTag,
  ];
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version,
      description:
        "Build SMS and WhatsApp chatbots and the webhooks they send. Every error is RFC 9457 problem details; each problem's `type` links to its explanation at /api/problems. Request fields with a `default` may be left out; with openapi-typescript, pass `--default-non-nullable false` so that the generated request types say so.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    webhooks,
    // Browsers sign in (the session cookie, and X-CSRF-Token on changes); machines send an API token.
    security: [{ session: [] }, { token: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "sb_session",
          description:
            "The session cookie set by POST /api/v1/auth/sign-in. Every change (POST, PUT, PATCH, DELETE) made with it must also send the `X-CSRF-Token` header: the `csrfToken` returned by sign-in and by GET /api/v1/auth/me. Without it the change is refused with `csrf_failed` (403).",
        },
        token: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (sbt_…) made by an admin under API tokens: `Authorization: Bearer sbt_…`. Its scopes say what it may do (`read`, `write`, `inbound`, `metrics`, `signing`); it needs no CSRF token.",
        },
      },
    },
  };
}

/** Where an operation's security differs from the document's (public operations set none). */
function securityOf(r: Route): Json {
  if (r.access === "public") return { security: [] };
  // Channel providers call the inbound endpoint with a token; the session is for people trying it from the SPA.
  if (r.access === "inbound") return { security: [{ token: [] }, { session: [] }] };
  if (r.access === "session" || r.access === "agent") return { security: [{ session: [] }] };
  return {};
}

const tagText: Record<string, string> = {
  Accounts: "Signing in, users, API tokens and the audit log.",
  Senders: "The phone numbers (SMS) and WhatsApp senders campaigns answer from.",
  Campaigns: "Campaigns: a chatbot on a sender, started by its trigger keywords.",
  Interactions: "The nodes of a campaign's chatbot: what it says, and where each answer leads.",
  "Menu entries": "The options of a menu node: a keyword, a label, a redirect and, optionally, a webhook.",
  Webhooks: "The webhook an entry fires, its headers, test sends and delivery statistics.",
  Publishing: "Publishing a campaign's flow: the version inbound messages run.",
  Conversations: "Inbound messages from channel providers, the simulator, sessions and transcripts.",
  Deliveries: "Every webhook delivery and its attempts, with resending.",
  Integrations: "Named webhook destinations (URL, headers, signing secret) that entries can pick.",
  "Secret headers": "Named secret header values that webhooks reference without seeing them.",
  Operations: "Health, readiness, settings and metrics for operators.",
  "Live Chat": "The agents' inbox: conversations a Live Chat entry handed over, their live events, and teams.",
};

/**
 * z.json() comes out as a schema that refers to itself (a value is an array or object of values): correct, but
 * generated TypeScript clients reject such a type (TS2502). It is declared as any JSON value instead.
 */
function unlinkJsonValue(components: Record<string, Json>) {
  for (const [name, schema] of Object.entries(components)) {
    const ref = `"#/components/schemas/${name}"`;
    if (!JSON.stringify(schema).includes(ref)) continue;
    components[name] = { description: "Any JSON value: an object, array, string, number, boolean or null." };
    if (!name.startsWith("__")) continue;
    const named = JSON.parse(JSON.stringify(components).replaceAll(ref, '"#/components/schemas/JsonValue"'));
    for (const key of Object.keys(components)) delete components[key];
    Object.assign(components, named, { JsonValue: named[name] });
    delete components[name];
  }
}

/** Every request and response body gets an example, generated from its schema where it has none of its own. */
function addExamples(paths: Record<string, Record<string, Json>>, components: Record<string, Json>) {
  const withExample = (content: unknown) => {
    for (const media of Object.values((content ?? {}) as Record<string, Json>)) {
      if (media.example === undefined) media.example = exampleOf(media.schema as Json, components);
    }
  };
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      withExample((op.requestBody as Json | undefined)?.content);
      for (const response of Object.values((op.responses ?? {}) as Record<string, Json>)) withExample(response.content);
    }
  }
}

const signatureHeaders: Json[] = [
  {
    name: "webhook-id",
    in: "header",
    required: true,
    description: "The delivery's id: the same on every attempt, so a receiver can drop repeats.",
    schema: { type: "string" },
    example: "msg_2b7c9e41d0a84f6f",
  },
  {
    name: "webhook-timestamp",
    in: "header",
    required: true,
    description: "When this attempt was signed, in seconds since the Unix epoch; refuse ones too far from now.",
    schema: { type: "string" },
    example: "1781824956",
  },
  {
    name: "webhook-signature",
    in: "header",
    required: true,
    description:
      "Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, with the endpoint's `whsec_` secret; during a rotation's overlap, one per secret separated by spaces. Verify with the `standardwebhooks` package.",
    schema: { type: "string" },
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  },
];

/** The payloads Switchboard POSTs to webhook URLs, fields in the order they are sent. */
function webhookDescriptions(): Record<string, Record<string, Json>> {
  const common = {
    campaignId: { type: "string", description: "The campaign's public id, as a string.", example: "13010" },
    label: { type: "string", description: "The menu entry's label.", example: "Prices" },
    phoneNumber: { type: "string", description: "The user's phone number, E.164.", example: "+15551234567" },
    date: {
      type: "string",
      format: "date-time",
      description: "When the platform received the user's message (UTC, milliseconds).",
      example: "2026-06-18T23:22:36.560Z",
    },
  };
  const payload = (description: string, properties: Json, required: string[]): Json => ({
    type: "object",
    description: `${description} The entry's Body parameters (extra fields) follow the standard ones.`,
    properties,
    required,
    additionalProperties: true,
  });
  const operation = (summary: string, description: string, schema: Json): Record<string, Json> => ({
    post: {
      operationId: `webhook${summary.replace(/\W/g, "")}`,
      summary,
      description: `${description} Sent as \`Content-Type: application/json\` with the entry's headers and the signature headers; any 2xx answer means received, anything else is retried with backoff (410 Gone disables the endpoint).`,
      tags: ["Webhooks"],
      security: [],
      parameters: signatureHeaders,
      requestBody: { required: true, content: { "application/json": { schema } } },
      responses: {
        "200": { description: "Received (any 2xx)." },
        "410": { description: "Gone: the endpoint is disabled and nothing more is sent to it." },
      },
    },
  });
  return {
    option: operation(
      "Option chosen",
      "Fired as soon as a user chooses a menu entry whose webhook toggle is on.",
      payload(
        "The option event.",
        {
          campaignId: common.campaignId,
          label: common.label,
          option: { type: "string", description: "The option's text as the menu shows it.", example: "Prices" },
          keyword: {
            description: "The keyword the user sent: a JSON number when it is digits (1), else a string.",
            anyOf: [{ type: "integer" }, { type: "string" }],
            example: 1,
          },
          phoneNumber: common.phoneNumber,
          date: common.date,
        },
        ["campaignId", "label", "option", "keyword", "phoneNumber", "date"],
      ),
    ),
    response: operation(
      "Response received",
      "Fired with the user's free-text answer to a Webhook-type entry.",
      payload(
        "The response event.",
        {
          campaignId: common.campaignId,
          label: common.label,
          phoneNumber: common.phoneNumber,
          date: common.date,
          response: { type: "string", description: "The user's answer, as sent.", example: "Yes please" },
        },
        ["campaignId", "label", "phoneNumber", "date", "response"],
      ),
    ),
  };
}

const accessText: Record<string, string> = {
  public: "**Who:** anyone.",
  session: "**Who:** any signed-in user, agents included (no API tokens).",
  viewer: "**Who:** viewers, marketers and admins; API tokens with the `read` or `write` scope.",
  agent: "**Who:** agents, marketers and admins (signed in; agents see their teams' conversations only).",
  marketer: "**Who:** marketers and admins; API tokens with the `write` scope.",
  admin: "**Who:** admins (signed in; API tokens never act as admins).",
  inbound: "**Who:** API tokens with the `inbound` scope; marketers and admins.",
  signing: "**Who:** admins; API tokens with the `signing` scope.",
};

const problemText: Record<number, string> = {
  400: "The request is not valid; `errors` names each field",
  401: "Not signed in, or the API token is unknown or revoked",
  403: "The role or the token's scopes do not allow this, or the CSRF token is missing",
  404: "Not found",
  409: "Conflict with the current state; `errors` or `references` say why",
  413: "Request too large",
  415: "Not JSON",
  500: "Unexpected error",
};

function relink(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/'));
}

function objectParams(
  schema: z.ZodType | undefined,
  where: "path" | "query",
  toSchema: (s: z.ZodType, io: "input") => Json,
): Json[] {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    description: (s.description as string | undefined) ?? parameterText[name] ?? idText(name),
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

/** What a parameter means, by name, where its schema says nothing. */
const parameterText: Record<string, string> = {
  id: "The object's id (a UUID).",
  token: "The one-time link's token, from the link an admin was given.",
  action: "Only events with this action (e.g. `user.create`).",
  actor: "Only events by this user (their email) or API token.",
  targetType: "Only events on objects of this type (e.g. `campaign`).",
  since: "Only what happened at or after this time (ISO 8601).",
  limit: "How many items to return at most.",
  offset: "How many items to skip (for the next page).",
  q: "Text the name must contain (case-insensitive).",
  type: "Only campaigns of this type.",
  channel: "Only campaigns on this channel.",
  status: "Only items with this status.",
  test: "`true` for the simulator's test items only, `false` for real ones only.",
  campaignId: "The campaign's public id.",
  entryId: "The menu entry's id.",
};

/** `senderId` → "The sender's id." */
function idText(name: string): string {
  const thing = name
    .replace(/Id$/, "")
    .replace(/([A-Z])/g, " $1")
    .toLowerCase();
  return `The ${thing}'s id.`;
}
