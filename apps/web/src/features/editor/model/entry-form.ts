import { userText } from "@switchboard/contracts/common";
import { type MenuEntry, type MenuEntryPatch, webhookHeaderInput } from "@switchboard/contracts/flow";
import type { RuleIssue } from "@switchboard/domain/issue";
import { isJsonObject, type JsonObject } from "@switchboard/domain/json";
import { KEYWORD_MAX, MENU_TEXT_MAX, validateMenuEntry } from "@switchboard/domain/menu-entry";
import { redirectTypes } from "@switchboard/domain/redirect-type";
import { z } from "zod";
import { parseJsonText } from "./json-text";
import { checkLiveChatForm, liveChatFormShape, toLiveChatForm, toLiveChatSettings } from "./live-chat-form";
import type { Targets } from "./redirect-choices";

/** A header as the panel edits it: a stored secret keeps its value unless a new one is typed. */
export const headerRow = webhookHeaderInput.extend({
  value: userText(),
  secret: z.boolean(),
  /** A stored secret whose value the browser never saw: an empty value means "keep it". */
  storedSecret: z.boolean(),
  /** How the server shows a stored secret (••••1234). */
  masked: z.string().optional(),
});
export type HeaderRow = z.infer<typeof headerRow>;

/** The panel's fields, in the product's words; Body is text until it is sent (its JSON is checked by the domain). */
export const entryFormShape = z.object({
  keyword: userText().max(KEYWORD_MAX),
  menuText: userText().max(MENU_TEXT_MAX),
  redirectType: z.enum([...redirectTypes, ""]),
  redirectTo: z.string(),
  attribute: z.string(),
  continueAt: z.string(),
  webhookEnabled: z.boolean(),
  url: userText(),
  bodyText: z.string(),
  headers: z.array(headerRow),
  /** Redirect Type Live Chat: the hand-over's settings. */
  liveChat: liveChatFormShape,
});
export type EntryForm = z.infer<typeof entryFormShape>;

export function toForm(entry: MenuEntry): EntryForm {
  return {
    keyword: entry.keyword,
    menuText: entry.menuText ?? "",
    redirectType: entry.redirectType ?? "",
    redirectTo: entry.redirectTo ?? "",
    attribute: entry.attribute ?? "",
    continueAt: entry.continueAt ?? "",
    webhookEnabled: entry.webhookEnabled,
    url: entry.webhook?.url ?? "",
    bodyText:
      entry.webhook && Object.keys(entry.webhook.body).length ? JSON.stringify(entry.webhook.body, null, 2) : "",
    headers: (entry.webhook?.headers ?? []).map((h) => ({
      id: h.id,
      name: h.name,
      value: h.secret ? "" : h.value,
      secret: h.secret,
      storedSecret: h.secret,
      secretHeaderId: h.secretHeaderId ?? null,
      ...(h.secret ? { masked: h.value } : {}),
    })),
    liveChat: toLiveChatForm(entry),
  };
}

/** Whether the form describes an entry that sends (or keeps) a webhook configuration. */
export const formHasWebhook = (f: Pick<EntryForm, "redirectType" | "webhookEnabled" | "url">) =>
  f.redirectType === "webhook" || f.webhookEnabled || f.url.trim() !== "";

export function parsedBody(f: Pick<EntryForm, "bodyText">): JsonObject {
  const parsed = parseJsonText(f.bodyText);
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : {};
}

/** The change the panel sends: every field, so the server checks the entry as a whole. */
export function toPatch(f: EntryForm): MenuEntryPatch {
  const type = f.redirectType || null;
  const question = type === "webhook";
  const patch: MenuEntryPatch = {
    keyword: f.keyword.trim(),
    menuText: question || f.menuText.trim() === "" ? null : f.menuText,
    redirectType: type,
    redirectTo: question || f.redirectTo === "" ? null : f.redirectTo,
    attribute: type === "attribute" && f.attribute.trim() ? f.attribute.trim() : null,
    // Only a hand-off returns: any other Redirect Type ends at its target.
    continueAt: type === "campaign" && f.continueAt ? f.continueAt : null,
    webhookEnabled: question ? false : f.webhookEnabled,
    liveChat: type === "live_chat" ? (toLiveChatSettings(f.liveChat) as MenuEntryPatch["liveChat"]) : null,
    webhook: formHasWebhook(f)
      ? {
          url: f.url.trim(),
          body: parsedBody(f),
          headers: f.headers.map((h) =>
            h.secretHeaderId
              ? { ...(h.id ? { id: h.id } : {}), name: h.name.trim(), secret: true, secretHeaderId: h.secretHeaderId }
              : {
                  ...(h.id ? { id: h.id } : {}),
                  name: h.name.trim(),
                  secret: h.secret,
                  ...(h.storedSecret && h.value === "" ? {} : { value: h.value }),
                },
          ),
        }
      : undefined,
  };
  return patch;
}

/** Where a rule's path lands in the form: the webhook's fields sit at the top of the panel's form. */
export function formPath(path: readonly (string | number)[]): string {
  const [head, ...rest] = path[0] === "body" ? path.slice(1) : path;
  // The panel edits opening hours as one row (see live-chat-form.ts): a period's problem shows beside it.
  if (head === "liveChat" && rest[0] === "openingHours")
    return rest[1] === "timeZone" ? "liveChat.hours.timeZone" : "liveChat.hours.to";
  if (head !== "webhook") return [head, ...rest].join(".");
  const [field, ...more] = rest;
  if (field === "body") return "bodyText";
  return [field, ...more].join(".");
}

export interface FormContext {
  nodeId: string;
  targets: Targets;
  allowHttp: boolean;
}

/**
 * The same rules the server applies (the domain's), run as the marketer types; plus what only text has: the Body's
 * JSON syntax, with its line.
 */
export function checkEntryForm(f: EntryForm, ctx: FormContext): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const body = parseJsonText(f.bodyText);
  if (!body.ok)
    issues.push({ path: ["bodyText"], code: "invalid_json", message: `Body is not valid JSON. ${body.message}` });
  const patch = toPatch(f);
  const entry = {
    keyword: patch.keyword ?? "",
    menuText: patch.menuText ?? null,
    redirectType: patch.redirectType ?? null,
    redirectTo: patch.redirectTo ?? null,
    attribute: patch.attribute ?? null,
    webhookEnabled: patch.webhookEnabled ?? false,
    webhook: patch.webhook
      ? {
          url: patch.webhook.url,
          body: body.ok ? (body.value as JsonObject) : {},
          headers: f.headers.map((h) => ({ name: h.name.trim(), value: h.value, secret: h.secret })),
        }
      : null,
  };
  const known = (list: readonly { value: string }[]) => new Set(list.map((c) => c.value));
  const ruleIssues = validateMenuEntry(entry, {
    nodeId: ctx.nodeId,
    nodeIds: known(ctx.targets.nodes),
    campaignIds: known(ctx.targets.campaigns),
    integrationIds: known(ctx.targets.integrations),
    policy: { allowHttp: ctx.allowHttp },
  });
  if (f.redirectType === "live_chat") issues.push(...checkLiveChatForm(f.liveChat));
  for (const i of ruleIssues) {
    // A syntax error already speaks for the Body.
    if (!body.ok && i.path[0] === "webhook" && i.path[1] === "body") continue;
    issues.push({ ...i, path: formPath(i.path).split(".") });
  }
  return issues;
}

/** The panel's schema: the shape from the contracts' header schema, refined by the domain's rules for this entry. */
export function entryFormSchema(ctx: FormContext) {
  return entryFormShape.superRefine((form, zodCtx) => {
    for (const i of checkEntryForm(form, ctx)) zodCtx.addIssue({ code: "custom", path: i.path, message: i.message });
  });
}
