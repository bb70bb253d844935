import { problem } from "@switchboard/contracts/common";
import { z } from "zod";
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

export function buildOpenApi(routes: Route[], version: string, webhooks: OutgoingWebhook[] = []): Json {
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
      ...(r.access === "public" ? { security: [] } : {}),
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.body, "input") } } } }
        : {}),
      responses,
    };
  }
  const outgoing = Object.fromEntries(
    webhooks.map((w) => [
      w.name,
      {
        post: {
          summary: w.summary,
          description: w.description,
          requestBody: { required: true, content: { "application/json": { schema: toSchema(w.payload, "output") } } },
          responses: { "2XX": { description: "Received; any other answer is retried on the webhook schedule." } },
        },
      },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version,
      description:
        "Build SMS and WhatsApp chatbots and the webhooks they send. Every error is RFC 9457 problem details.",
    },
    servers: [{ url: "/" }],
    paths,
    ...(webhooks.length ? { webhooks: outgoing } : {}),
    // Browsers sign in (the session cookie, and X-CSRF-Token on changes); machines send an API token.
    security: [{ session: [] }, { token: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "sb_session" },
        token: {
          type: "http",
          scheme: "bearer",
          description: "An API token (sbt_…) made by an admin under API tokens.",
        },
      },
    },
  };
}

const accessText: Record<string, string> = {
  public: "**Who:** anyone.",
  viewer: "**Who:** any signed-in user; API tokens with the `read` or `write` scope.",
  marketer: "**Who:** marketers and admins; API tokens with the `write` scope.",
  admin: "**Who:** admins (signed in; API tokens never act as admins).",
  inbound: "**Who:** API tokens with the `inbound` scope; marketers and admins.",
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
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}
