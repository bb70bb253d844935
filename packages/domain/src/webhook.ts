import { issue, type RuleIssue } from "./issue";
import { isJsonObject, type JsonObject, jsonFlaws } from "./json";
import { parseUrl, utf8Length } from "./platform";

/** The fields the platform itself sends; a webhook's Body may add fields beside them, never redefine them. */
export const standardPayloadFields = [
  "campaignId",
  "label",
  "phoneNumber",
  "date",
  "response",
  "option",
  "keyword",
] as const;

/** Headers the platform owns: transport framing, and the Standard Webhooks identity and signature. */
export const reservedHeaderNames = [
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
] as const;
export const reservedHeaderPrefix = "webhook-";

export const URL_MAX = 2048;
export const BODY_MAX_BYTES = 16 * 1024;
/** Levels of objects and arrays inside one another in a Body (the Body itself is level 1): deeper cannot be stored. */
export const BODY_DEPTH_MAX = 32;
export const HEADERS_MAX = 20;
export const HEADER_VALUE_MAX = 4096;

export interface WebhookHeader {
  name: string;
  /** Secret values arrive sealed from storage; the sender opens them. */
  value: string;
  secret: boolean;
  /** An admin-made secret header, whose current value is read at send time. */
  secretHeaderId?: string;
}

export interface WebhookConfig {
  url: string;
  body: JsonObject;
  headers: WebhookHeader[];
  /** The endpoint's Standard Webhooks signing secret; set by the platform, never by a request. */
  signingSecret?: string | null;
}

export interface WebhookPolicy {
  /** Plain http:// URLs are refused unless the installation allows them (self-hosters, tests). */
  allowHttp: boolean;
}

export function validateWebhookUrl(raw: string, policy: WebhookPolicy): RuleIssue[] {
  const at = ["url"];
  const value = raw.trim();
  if (value.length === 0) return [issue(at, "required", "URL is required.")];
  if (value.length > URL_MAX) return [issue(at, "too_long", `URL must be at most ${URL_MAX} characters.`)];
  const url = parseUrl(value);
  if (!url) {
    return [issue(at, "invalid_url", "URL must be an absolute address such as https://example.com/hooks/chatbot.")];
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) {
    const allowed = policy.allowHttp ? "https:// or http://" : "https://";
    return [issue(at, "insecure_scheme", `URL must start with ${allowed} (it starts with ${url.protocol}//).`)];
  }
  if (url.username || url.password) {
    return [
      issue(
        at,
        "credentials_in_url",
        "URL must not contain a user name or password; send credentials in a header instead.",
      ),
    ];
  }
  if (!url.hostname) return [issue(at, "invalid_url", "URL must name a host.")];
  return [];
}

/** The Body is parsed JSON text; returns the object when it is acceptable. */
export function validateWebhookBody(body: unknown): RuleIssue[] {
  const at = ["body"];
  if (!isJsonObject(body)) {
    return [issue(at, "not_an_object", 'Body must be a JSON object, such as {"source": "chatbot"}.')];
  }
  const issues: RuleIssue[] = jsonFlaws(body, { maxDepth: BODY_DEPTH_MAX, name: "Body" }).map((i) => ({
    ...i,
    path: [...at, ...i.path],
  }));
  for (const field of standardPayloadFields) {
    if (Object.hasOwn(body, field)) {
      issues.push(
        issue(
          [...at, field],
          "reserved_field",
          `Body cannot define "${field}": the platform sends it in every payload.`,
        ),
      );
    }
  }
  // Serialising recurses: a Body past the depth limit is refused on that alone.
  if (issues.some((i) => i.code === "too_deep")) return issues;
  const bytes = utf8Length(JSON.stringify(body));
  if (bytes > BODY_MAX_BYTES) {
    issues.push(
      issue(at, "too_large", `Body must be at most ${BODY_MAX_BYTES / 1024} KB (it is ${Math.ceil(bytes / 1024)} KB).`),
    );
  }
  return issues;
}

// RFC 9110 token characters.
const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Any control character other than horizontal tab breaks a header line.
const headerValueForbidden = /[\u0000-\u0008\u000A-\u001F\u007F]/;
// HTTP carries header values as Latin-1 bytes: Node refuses to send anything past U+00FF, on every attempt.
const beyondLatin1 = /[^\u0000-\u00FF]/u;

/** Why a header value's characters cannot be sent (line breaks are refused before), or null when they can. */
function headerValueIssue(value: string): Omit<RuleIssue, "path"> | null {
  if (headerValueForbidden.test(value)) {
    return { code: "control_character", message: "Header values cannot contain control characters." };
  }
  const beyond = beyondLatin1.exec(value)?.[0];
  if (beyond !== undefined) {
    const codePoint = beyond.codePointAt(0) ?? 0;
    const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
    // Half a surrogate pair is not shown: it is no character.
    const shown = codePoint >= 0xd800 && codePoint <= 0xdfff ? hex : `"${beyond}" (${hex})`;
    return {
      code: "not_latin1",
      message: `Header values can only use Latin-1 characters (letters, digits, punctuation, accents such as é): ${shown} cannot be sent.`,
    };
  }
  return null;
}

export function validateWebhookHeaders(headers: WebhookHeader[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (headers.length > HEADERS_MAX) {
    issues.push(issue(["headers"], "too_many", `A webhook may have at most ${HEADERS_MAX} headers.`));
  }
  const seen = new Map<string, number>();
  headers.forEach((header, index) => {
    const at = ["headers", index];
    const name = header.name;
    const lower = name.toLowerCase();
    if (/[\r\n]/.test(name) || /[\r\n]/.test(header.value)) {
      issues.push(
        issue(
          [...at, /[\r\n]/.test(name) ? "name" : "value"],
          "line_break",
          "Headers cannot contain line breaks (CR or LF).",
        ),
      );
      return;
    }
    if (name.length === 0) {
      issues.push(issue([...at, "name"], "required", "Header name is required."));
    } else if (!headerNamePattern.test(name)) {
      issues.push(
        issue(
          [...at, "name"],
          "invalid_header_name",
          `"${name}" is not a valid header name: use letters, digits and - _ . ! # $ % & ' * + ^ \` | ~ only.`,
        ),
      );
    } else if ((reservedHeaderNames as readonly string[]).includes(lower)) {
      issues.push(
        issue([...at, "name"], "reserved_header", `${name} is set by the platform and cannot be customised.`),
      );
    } else if (lower.startsWith(reservedHeaderPrefix)) {
      issues.push(
        issue(
          [...at, "name"],
          "reserved_header",
          `Headers starting with "webhook-" are reserved for the platform's signature.`,
        ),
      );
    } else {
      const first = seen.get(lower);
      if (first !== undefined) {
        issues.push(
          issue([...at, "name"], "duplicate_header", `Header ${name} is already defined (header ${first + 1}).`),
        );
      } else {
        seen.set(lower, index);
      }
    }
    const valueIssue = headerValueIssue(header.value);
    if (valueIssue) {
      issues.push(issue([...at, "value"], valueIssue.code, valueIssue.message));
    } else if (header.value.length > HEADER_VALUE_MAX) {
      issues.push(issue([...at, "value"], "too_long", `Header values must be at most ${HEADER_VALUE_MAX} characters.`));
    }
  });
  return issues;
}

export function validateWebhook(config: WebhookConfig, policy: WebhookPolicy): RuleIssue[] {
  return [
    ...validateWebhookUrl(config.url, policy),
    ...validateWebhookBody(config.body),
    ...validateWebhookHeaders(config.headers),
  ];
}

/** How a secret header value is shown to anyone who may not read it: never more than its last 4 characters. */
export function maskSecret(value: string): string {
  const tail = value.length >= 12 ? value.slice(-4) : "";
  return `••••${tail}`;
}
