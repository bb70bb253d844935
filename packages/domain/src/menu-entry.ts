import { issue, type RuleIssue, under } from "./issue";
import type { LiveChatEntrySettings } from "./live-chat/settings";
import { type RedirectType, redirectTargetKind, redirectTypeLabels } from "./redirect-type";
import { validateWebhook, type WebhookConfig, type WebhookPolicy } from "./webhook";

export const KEYWORD_MAX = 10;
export const MENU_TEXT_MAX = 100;
export const ATTRIBUTE_NAME_MAX = 40;

export interface MenuEntry {
  keyword: string;
  menuText: string | null;
  redirectType: RedirectType | null;
  /** A node id (Interaction, Attribute), a campaign's public id (Campaign) or an integration id (Integration). */
  redirectTo: string | null;
  /** The contact attribute an Attribute entry saves the answer under. */
  attribute: string | null;
  /**
   * Redirect Type Campaign: "When finished, continue at" — the node of this chatbot the conversation goes on at when
   * the campaign it was handed to finishes; null or absent: the conversation ends there.
   */
  continueAt?: string | null;
  /** Redirect Type Live Chat: the hand-over message, the team, the timeout and what it does; null or absent otherwise. */
  liveChat?: LiveChatEntrySettings | null;
  /** The toggle: fire the webhook as soon as this entry is chosen. */
  webhookEnabled: boolean;
  /** Kept while the toggle is off, so switching it back on restores the configuration. */
  webhook: WebhookConfig | null;
}

/** What exists around an entry: the rules check Redirect To against it. */
export interface EntryContext {
  /** The node holding the entry. */
  nodeId: string;
  /** The nodes of this chatbot. */
  nodeIds: ReadonlySet<string>;
  /** The public ids of the account's other campaigns. */
  campaignIds: ReadonlySet<string>;
  integrationIds: ReadonlySet<string>;
  /** The teams of the installation; absent: a Live Chat entry's team is not checked (the caller checks it). */
  teamIds?: ReadonlySet<string>;
  policy: WebhookPolicy;
}

const keywordPattern = /^[\p{L}\p{N}]+$/u;
const attributePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An entry has a webhook (and the table shows its link icon) when it asks a question for one or has the toggle on. */
export function entryHasWebhook(entry: Pick<MenuEntry, "redirectType" | "webhookEnabled">): boolean {
  return entry.redirectType === "webhook" || entry.webhookEnabled;
}

/** Whether the toggle may be switched on: both Redirect Type and Redirect To must be set. */
export function webhookToggleAvailable(entry: Pick<MenuEntry, "redirectType" | "redirectTo">): boolean {
  return entry.redirectType !== null && entry.redirectType !== "webhook" && !!entry.redirectTo;
}

/** The Keyword alone: what the table checks as the marketer types, before anything is sent. */
export function validateKeyword(raw: string): RuleIssue[] {
  const keyword = raw.trim();
  if (keyword.length === 0) return [issue(["keyword"], "required", "Keyword is required.")];
  if (keyword.length > KEYWORD_MAX) {
    return [issue(["keyword"], "too_long", `Keyword must be at most ${KEYWORD_MAX} characters.`)];
  }
  if (!keywordPattern.test(keyword)) {
    return [issue(["keyword"], "invalid_keyword", "Keyword must be letters or digits only, such as 1 or A.")];
  }
  return [];
}

export function validateMenuEntry(entry: MenuEntry, ctx: EntryContext): RuleIssue[] {
  const issues: RuleIssue[] = [...validateKeyword(entry.keyword)];
  if (entry.menuText !== null && entry.menuText.length > MENU_TEXT_MAX) {
    issues.push(issue(["menuText"], "too_long", `Menu Text must be at most ${MENU_TEXT_MAX} characters.`));
  }

  const type = entry.redirectType;
  if (type === "webhook") {
    if (entry.menuText?.trim()) {
      issues.push(issue(["menuText"], "not_available", "Menu Text is not available when Redirect Type is Webhook."));
    }
    if (entry.redirectTo) {
      issues.push(
        issue(["redirectTo"], "not_available", "Redirect To is not available when Redirect Type is Webhook."),
      );
    }
  } else {
    issues.push(...validateRedirectTo(entry, ctx));
  }

  if (type === "attribute") {
    if (!entry.attribute) {
      issues.push(issue(["attribute"], "required", "Choose the attribute that saves the answer."));
    } else if (entry.attribute.length > ATTRIBUTE_NAME_MAX || !attributePattern.test(entry.attribute)) {
      issues.push(
        issue(
          ["attribute"],
          "invalid_attribute",
          `Attribute names use letters, digits and _ (not first), at most ${ATTRIBUTE_NAME_MAX} characters.`,
        ),
      );
    }
  } else if (entry.attribute) {
    issues.push(issue(["attribute"], "not_available", "An attribute can only be set when Redirect Type is Attribute."));
  }

  if (entry.continueAt) {
    if (type !== "campaign") {
      issues.push(
        issue(
          ["continueAt"],
          "not_available",
          "When finished, continue at is only available when Redirect Type is Campaign.",
        ),
      );
    } else if (!ctx.nodeIds.has(entry.continueAt)) {
      issues.push(issue(["continueAt"], "unknown_node", "Continue at: that node is not part of this chatbot."));
    }
  }

  issues.push(...validateLiveChat(entry, ctx));

  if (entry.webhookEnabled && !webhookToggleAvailable(entry)) {
    issues.push(
      issue(
        ["webhookEnabled"],
        "toggle_unavailable",
        "The webhook can be switched on only once Redirect Type and Redirect To are both set.",
      ),
    );
  }
  if (entryHasWebhook(entry)) {
    if (!entry.webhook) {
      issues.push(issue(["webhook", "url"], "required", "URL is required: this entry sends a webhook."));
    }
  }
  if (entry.webhook) issues.push(...under(["webhook"], validateWebhook(entry.webhook, ctx.policy)));
  return issues;
}

/** A Live Chat entry's settings point inside this chatbot (the timeout's node) and at a team that exists. */
function validateLiveChat(entry: MenuEntry, ctx: EntryContext): RuleIssue[] {
  const settings = entry.liveChat;
  if (!settings) return [];
  if (entry.redirectType !== "live_chat") {
    return [
      issue(["liveChat"], "not_available", "Live Chat settings are only available when Redirect Type is Live Chat."),
    ];
  }
  const issues: RuleIssue[] = [];
  if (settings.teamId !== null && ctx.teamIds && !ctx.teamIds.has(settings.teamId)) {
    issues.push(
      issue(
        ["liveChat", "teamId"],
        "unknown_team",
        "Team: that team does not exist (any more); choose another, or every agent.",
      ),
    );
  }
  if (settings.onTimeout.action === "bot" && !ctx.nodeIds.has(settings.onTimeout.nodeId)) {
    issues.push(
      issue(
        ["liveChat", "onTimeout", "nodeId"],
        "unknown_node",
        "On timeout, back to the bot at: that node is not part of this chatbot.",
      ),
    );
  }
  return issues;
}

function validateRedirectTo(entry: MenuEntry, ctx: EntryContext): RuleIssue[] {
  const type = entry.redirectType;
  const target = entry.redirectTo;
  if (type === null) {
    return target
      ? [issue(["redirectTo"], "redirect_type_required", "Choose a Redirect Type before Redirect To.")]
      : [];
  }
  const kind = redirectTargetKind[type];
  const label = redirectTypeLabels[type];
  if (kind === null) {
    return target
      ? [issue(["redirectTo"], "not_available", `Redirect To is not available when Redirect Type is ${label}.`)]
      : [];
  }
  // A missing target is a draft; publishing refuses it. A target that is set must exist.
  if (!target) return [];
  switch (kind) {
    case "node":
      if (target === ctx.nodeId) {
        return [
          issue(["redirectTo"], "self_redirect", "Redirect To must be another node of this chatbot, not this one."),
        ];
      }
      return ctx.nodeIds.has(target)
        ? []
        : [
            issue(
              ["redirectTo"],
              "unknown_node",
              "Redirect To must be a node of this chatbot; the one chosen does not exist.",
            ),
          ];
    case "campaign":
      return ctx.campaignIds.has(target)
        ? []
        : [
            issue(
              ["redirectTo"],
              "unknown_campaign",
              `Redirect To must be another existing campaign; campaign ${target} does not exist.`,
            ),
          ];
    case "integration":
      return ctx.integrationIds.has(target)
        ? []
        : [
            issue(
              ["redirectTo"],
              "unknown_integration",
              "Redirect To must be a saved integration; the one chosen does not exist.",
            ),
          ];
  }
}

export function normalizeKeyword(keyword: string): string {
  return keyword.trim().normalize("NFC").toLocaleLowerCase("en");
}

/** Keywords must be unique within a node: the user's answer has to name exactly one entry. */
export function validateNodeKeywords(entries: readonly Pick<MenuEntry, "keyword">[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = normalizeKeyword(entry.keyword);
    if (!key) return;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      issues.push(
        issue(
          ["entries", index, "keyword"],
          "duplicate_keyword",
          `Keyword ${entry.keyword.trim()} is already used by entry ${first + 1} of this node.`,
        ),
      );
    }
  });
  return issues;
}
