import type { Question } from "@switchboard/domain/handoff/survey";
import { RATING_MAX, RATING_MIN } from "@switchboard/domain/handoff/survey";
import type { WebPollPage } from "./web-poll-service";

// The public Web Polls & Surveys page: server-rendered HTML, styles inline (the CSP allows inline styles), and one
// small script served from WEB_POLL_SCRIPT_PATH (the CSP allows scripts from 'self' only). No app bundle: the page
// works without the script, which only checks fields before sending and stops a double submit.

/** Where the page and its script are mounted; the router's paths are relative to it. */
export const WEB_POLL_BASE = "/s";
export const WEB_POLL_SCRIPT = "/assets/web-poll.js";
export const WEB_POLL_SCRIPT_PATH = `${WEB_POLL_BASE}${WEB_POLL_SCRIPT}`;

const html = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const styles = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
.q{background:#fff;border:1px solid #d4d9de;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.q legend,.q>label{font-weight:600;padding:0;margin-bottom:.5rem;display:block}
.opt{display:flex;align-items:center;gap:.5rem;min-height:2.75rem}
.opt input{width:1.25rem;height:1.25rem;margin:0}
.rating{display:flex;gap:.5rem;flex-wrap:wrap}
.rating .opt{flex:1 0 2.75rem;justify-content:center;border:1px solid #d4d9de;border-radius:.5rem}
input[type=number],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #8a949e;border-radius:.4rem}
textarea{min-height:6rem}
[aria-invalid=true]{border-color:#b3261e}
.error{color:#b3261e;margin:.5rem 0 0;font-weight:600}
.error:empty{display:none}
button{width:100%;font:inherit;font-weight:600;padding:.8rem;border:0;border-radius:.5rem;background:#0b57d0;color:#fff}
button:disabled{opacity:.6}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.notice{background:#fff;border:1px solid #d4d9de;border-radius:.5rem;padding:1.25rem}
@media (prefers-color-scheme:dark){body{background:#121417;color:#e6e8eb}.q,.notice{background:#1c1f24;border-color:#3a3f46}
input[type=number],textarea{background:#121417;color:inherit}.error{color:#ff8a80}}
`;

function layout(title: string, body: string, withScript = false): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${html(title)}</title><style>${styles}</style>
${withScript ? `<script src="${WEB_POLL_SCRIPT_PATH}" defer></script>` : ""}</head>
<body><main>${body}</main></body></html>`;
}

function field(q: Question, index: number, values: string[], error: string | undefined): string {
  const id = `q-${index}`;
  const errorId = `${id}-error`;
  const invalid = error ? ' aria-invalid="true"' : "";
  const described = ` aria-describedby="${errorId}"`;
  const errorLine = `<p class="error" id="${errorId}" role="alert">${error ? html(error) : ""}</p>`;
  const name = html(q.key);
  const choice = (type: "radio" | "checkbox", value: string, label: string, i: number) =>
    `<label class="opt" for="${id}-${i}"><input type="${type}" id="${id}-${i}" name="${name}" value="${html(value)}"${values.includes(value) ? " checked" : ""}${type === "radio" && i === 0 ? " required" : ""}>${html(label)}</label>`;
  const group = (inner: string, extra = "") =>
    `<fieldset class="q" data-question="${q.type}"${invalid}${described}><legend>${html(q.text)}</legend>${extra}${inner}${errorLine}</fieldset>`;
  switch (q.type) {
    case "single_choice":
      return group(q.choices.map((c, i) => choice("radio", String(i + 1), c, i)).join(""));
    case "multiple_choice":
      return group(
        q.choices.map((c, i) => choice("checkbox", String(i + 1), c, i)).join(""),
        '<p class="hint">Choose one or more.</p>',
      );
    case "rating": {
      const options = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => String(RATING_MIN + i));
      return group(`<div class="rating">${options.map((v, i) => choice("radio", v, v, i)).join("")}</div>`);
    }
    case "free_text":
      return `<div class="q"><label for="${id}">${html(q.text)}</label><textarea id="${id}" name="${name}" maxlength="${q.maxLength}" required${invalid}${described}>${html(values[0] ?? "")}</textarea>${errorLine}</div>`;
    default: {
      const bounds = `${q.min === null ? "" : ` min="${q.min}"`}${q.max === null ? "" : ` max="${q.max}"`}`;
      return `<div class="q"><label for="${id}">${html(q.text)}</label><input type="number" id="${id}" name="${name}" inputmode="${q.integer ? "numeric" : "decimal"}" step="${q.integer ? "1" : "any"}"${bounds} required value="${html(values[0] ?? "")}"${invalid}${described}>${errorLine}</div>`;
    }
  }
}

/** The page for a link's state; `action` is where the form posts (the link itself). */
export function renderWebPollPage(page: WebPollPage, action: string): { status: number; html: string } {
  switch (page.kind) {
    case "form": {
      const fields = page.questions.map((q, i) => field(q, i, page.values[q.key] ?? [], page.errors[q.key])).join("");
      const failed = Object.keys(page.errors).length;
      const summary = failed
        ? `<p class="error" role="alert">${failed === 1 ? "One answer needs" : `${failed} answers need`} your attention.</p>`
        : "";
      const intro = page.intro.trim() ? `<p>${html(page.intro)}</p>` : "";
      return {
        status: failed ? 400 : 200,
        html: layout(
          page.title,
          `<h1>${html(page.title)}</h1>${intro}${summary}<form method="post" action="${html(action)}" novalidate>${fields}<button type="submit">Send answers</button></form>`,
          true,
        ),
      };
    }
    case "thanks":
      return {
        status: 200,
        html: layout(
          page.title,
          `<div class="notice" role="status"><h1>Thank you</h1><p>${html(page.message)}</p></div>`,
        ),
      };
    case "gone":
      return {
        status: 410,
        html: layout(
          "Link not available",
          `<div class="notice"><h1>${page.reason === "expired" ? "This link has expired" : page.reason === "closed" ? "This survey is closed" : "Already answered"}</h1><p>${html(page.message)}</p></div>`,
        ),
      };
    case "invalid":
      return {
        status: 404,
        html: layout(
          "Link not valid",
          `<div class="notice"><h1>This link is not valid</h1><p>Check that you opened the whole link from your message.</p></div>`,
        ),
      };
  }
}

/** Checks each field before sending (the server checks again) and stops a second submit. */
export const webPollScript = `"use strict";
document.addEventListener("DOMContentLoaded",function(){
var form=document.querySelector("form");if(!form)return;
form.addEventListener("submit",function(ev){
var bad=null;
form.querySelectorAll(".q").forEach(function(q){
var err=q.querySelector(".error"),msg="";
var inputs=q.querySelectorAll("input,textarea");
var kind=q.getAttribute("data-question");
if(kind){if(!q.querySelector("input:checked"))msg="Please choose "+(kind==="multiple_choice"?"at least one option.":"an option.");}
else{var f=inputs[0];if(!f.value.trim())msg="Please answer this question.";else if(!f.checkValidity())msg=f.validationMessage;}
err.textContent=msg;(kind?q:inputs[0]).setAttribute("aria-invalid",msg?"true":"false");
if(msg&&!bad)bad=inputs[0];});
if(bad){ev.preventDefault();bad.focus();return;}
var b=form.querySelector("button");if(b.disabled){ev.preventDefault();return;}b.disabled=true;b.textContent="Sending…";
});});
`;
