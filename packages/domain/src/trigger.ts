import { type Channel, channelLabels } from "./campaign";
import { issue, type RuleIssue } from "./issue";
import { normalizeKeyword } from "./menu-entry";

export const TRIGGER_KEYWORDS_MAX = 30;
export const TRIGGER_KEYWORD_LENGTH_MAX = 29;

export function validateTriggerKeywords(keywords: readonly string[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (keywords.length > TRIGGER_KEYWORDS_MAX) {
    issues.push(
      issue(
        ["triggerKeywords"],
        "too_many",
        `A campaign can have at most ${TRIGGER_KEYWORDS_MAX} trigger keywords (it has ${keywords.length}).`,
      ),
    );
  }
  const seen = new Map<string, number>();
  keywords.forEach((raw, index) => {
    const at = ["triggerKeywords", index];
    const keyword = raw.trim();
    if (keyword.length === 0) {
      issues.push(issue(at, "required", "Trigger keywords cannot be empty."));
      return;
    }
    if (keyword.length > TRIGGER_KEYWORD_LENGTH_MAX) {
      issues.push(
        issue(
          at,
          "too_long",
          `Trigger keyword "${keyword}" is ${keyword.length} characters; the limit is ${TRIGGER_KEYWORD_LENGTH_MAX}.`,
        ),
      );
    }
    const key = normalizeKeyword(keyword);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(issue(at, "duplicate_keyword", `Trigger keyword "${keyword}" is listed twice.`));
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}

/** What the uniqueness rules need to know of a campaign. */
export interface TriggerHolder {
  id: string;
  name: string;
  senderId: string;
  channel: Channel;
  triggerKeywords: readonly string[];
  autoReply: boolean;
}

/**
 * Among active campaigns, a trigger keyword and the Auto-Reply each belong to one campaign per sender and channel;
 * otherwise an incoming text could start two chatbots. `others` are the other active campaigns.
 */
export function findTriggerConflicts(candidate: TriggerHolder, others: readonly TriggerHolder[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const rivals = others.filter(
    (o) => o.id !== candidate.id && o.senderId === candidate.senderId && o.channel === candidate.channel,
  );
  const owners = new Map<string, TriggerHolder>();
  for (const rival of rivals) for (const k of rival.triggerKeywords) owners.set(normalizeKeyword(k), rival);
  candidate.triggerKeywords.forEach((keyword, index) => {
    const owner = owners.get(normalizeKeyword(keyword));
    if (owner) {
      issues.push(
        issue(
          ["triggerKeywords", index],
          "keyword_taken",
          `Trigger keyword "${keyword.trim()}" is already used by the active campaign "${owner.name}" (${owner.id}) on this ${channelLabels[candidate.channel]} sender.`,
        ),
      );
    }
  });
  if (candidate.autoReply) {
    const owner = rivals.find((r) => r.autoReply);
    if (owner) {
      issues.push(
        issue(
          ["autoReply"],
          "auto_reply_taken",
          `Auto-Reply is already on for the active campaign "${owner.name}" (${owner.id}) on this ${channelLabels[candidate.channel]} sender.`,
        ),
      );
    }
  }
  return issues;
}
