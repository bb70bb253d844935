import { createRequire } from "node:module";
import path from "node:path";
import type { ErrorCode } from "../errors/app-error";
import { statusOf, titleOf } from "./problem";

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** Where the interactive reference's script is served from: our own origin, so machines may be offline. */
export const REFERENCE_SCRIPT_PATH = "/api/docs/reference.js";

/** Scalar's standalone bundle, from the installed npm package (the same file in dev, tests and the production install). */
export function referenceScriptFile(): string {
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return path.join(path.dirname(entry), "browser", "standalone.js");
}

/**
 * The interactive reference: Scalar reads the document from /api/openapi.json. The configuration travels in a
 * non-executed JSON script element, so the page needs no inline script (CSP script-src 'self'); Scalar's default
 * fonts come from its CDN, so they are turned off, and so is everything that would talk to Scalar's servers.
 */
export function renderReferencePage(title: string): string {
  // "Ask AI" would upload the document to Scalar's servers, and the developer tools are for Scalar's own hosting.
  const configuration = JSON.stringify({
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: "never",
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} reference</title></head><body>
<noscript>The interactive reference needs JavaScript; the document itself is at <a href="/api/openapi.json">/api/openapi.json</a> and the errors are explained at <a href="/api/problems">/api/problems</a>.</noscript>
<script id="api-reference" type="application/json" data-url="/api/openapi.json" data-configuration="${esc(configuration)}"></script>
<script src="${REFERENCE_SCRIPT_PATH}"></script>
</body></html>`;
}

/** What each problem means for the caller and what to do about it: a code added to ErrorCode must be explained here. */
const explanationOf: Record<ErrorCode, string> = {
  validation_failed:
    "A field, parameter or header is not valid. `errors` lists one `{path, code, message}` per field (e.g. `body.name`); nothing was changed. Fix the fields named and send again.",
  malformed_json: "The body is not valid JSON. Nothing was changed.",
  bad_signature:
    "A provider route (Twilio, WhatsApp Cloud API) was called without a valid signature of the sender's credentials (`X-Twilio-Signature`, `X-Hub-Signature-256`). Nothing was recorded. Check the sender's credentials and, behind a proxy, `PUBLIC_URL`.",
  not_found:
    "The path names nothing: no such route, or no such object (it was deleted, or the id is wrong). Nothing was changed.",
  conflict:
    "The request conflicts with what is stored (a name already taken, a state that does not allow it). `errors` says which field.",
  still_referenced:
    "The object is still used elsewhere; `references` lists where (e.g. the menu entries that redirect to it). Remove those first.",
  stale_revision:
    "Someone else changed the object since you read it: read it again, apply your change to the new revision and send again.",
  payload_too_large: "The body is larger than 1 MB. Nothing was changed.",
  unsupported_media_type:
    "The body is not UTF-8 JSON (send `Content-Type: application/json`), or is compressed in a way we do not read (gzip, deflate and br are read).",
  unauthorized:
    "No caller: sign in (the session cookie) or send `Authorization: Bearer <API token>`; the token may be unknown or revoked.",
  forbidden: "The caller's role or the API token's scopes do not allow this. Nothing was changed.",
  csrf_failed:
    "A signed-in browser's change came without the `X-CSRF-Token` header matching its session (the token is returned at sign-in and by GET /api/v1/auth/me). API tokens need no CSRF token.",
  too_many_requests: "Too many attempts from this address; wait for the seconds in `Retry-After`.",
  internal:
    "An unexpected error on our side. It was logged with the request's id (`X-Request-Id`); try again or report it.",
  busy: "The database is saturated; nothing was changed. Try again after `Retry-After` seconds.",
  database_unavailable:
    "The database is restarting or unreachable; nothing was changed. Try again after `Retry-After` seconds.",
  not_ready: "The instance is starting or stopping and does not take traffic yet (a readiness probe's answer).",
  live_chat_taken:
    "Two agents pressed Take at once, or someone took it before you: `detail` names who has it. Nothing was changed; the conversation is in their Mine list.",
  live_chat_closed: "The conversation was closed (by an agent or its timeout). Nothing was changed.",
  live_chat_not_taken: "Replying, transferring and closing need the conversation taken first (POST …/take).",
  live_chat_not_yours:
    "Another agent holds the conversation (it may have been transferred meanwhile); ask them to transfer it to you.",
  recipient_opted_out:
    "The end user sent an opt-out keyword (STOP) to this sender: nothing may be sent to the number until it opts in again.",
  outside_whatsapp_window:
    "WhatsApp accepts free-form messages only within 24 hours of the user's last message; wait for the user to write again.",
  reply_too_long:
    "The text is longer than the channel carries (SMS 1,600 characters, WhatsApp 1,024); `errors` names the field. Shorten it.",
  no_outbound_channel:
    "The sender is an HTTP sender without an outbound URL: its replies travel only in the response to the user's own message, so the inbox cannot reach the user. Set the sender's outbound URL.",
  team_name_taken:
    "Team names are unique: another team is called that (`errors` names `body.name`). Nothing was changed; choose another name.",
  cannot_join_team:
    "Only agents, marketers and admins work the Live Chat inbox: a viewer (`errors` code `role_cannot_join`) or a disabled user (`user_disabled`) cannot join a team. Nothing was changed; change the user's role or enable them first.",
};

const codeText = (s: string) => esc(s).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The page every problem's `type` (/api/problems#<code>) points at: one anchor per code. */
export function renderProblemsPage(title: string): string {
  const codes = Object.keys(statusOf) as ErrorCode[];
  const sections = codes
    .map(
      (code) => `<section id="${code}"><h2><a href="#${code}">${esc(titleOf[code])}</a></h2>
<p><code>type: /api/problems#${code}</code> · status <code>${statusOf[code]}</code></p>
<p>${codeText(explanationOf[code])}</p></section>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} problem types</title><style>
:root{color-scheme:light dark}body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:820px;padding:24px}
section{border-top:1px solid #8884;padding:8px 0}section:target{outline:2px solid #1f6feb;outline-offset:4px}h2{font-size:1.15em;margin:8px 0}h2 a{color:inherit}
</style></head><body><main><h1>${esc(title)}: problem types</h1>
<p>Every error is <code>application/problem+json</code> (RFC 9457): <code>type</code> (a link to its section below), <code>title</code>, <code>status</code>, <code>detail</code> (what happened, in words), <code>instance</code> (the path), and for invalid fields <code>errors</code>: one <code>{path, code, message}</code> per field. The full reference is at <a href="/api/docs">/api/docs</a>.</p>
<nav aria-label="Problem types"><ul>${codes.map((c) => `<li><a href="#${c}">${c}</a></li>`).join("")}</ul></nav>
${sections}</main></body></html>`;
}
