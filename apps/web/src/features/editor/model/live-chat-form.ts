import type { MenuEntry } from "@switchboard/contracts/flow";
import { liveChatSettings } from "@switchboard/contracts/live-chat";
import type { RuleIssue } from "@switchboard/domain/issue";
import { DEFAULT_HANDOVER_MESSAGE } from "@switchboard/domain/live-chat/settings";
import { z } from "zod";

/**
 * A Live Chat entry's settings as the panel edits them. Opening hours are one period (from, to) on the days ticked,
 * in one time zone: what nearly every support desk has; the API takes any list of periods.
 */
export const liveChatFormShape = z.object({
  handoverMessage: z.string(),
  teamId: z.string(),
  timeoutMinutes: z.string(),
  onTimeout: z.object({ action: z.enum(["end", "bot"]), message: z.string(), nodeId: z.string() }),
  hours: z.object({
    enabled: z.boolean(),
    timeZone: z.string(),
    days: z.array(z.string()),
    from: z.string(),
    to: z.string(),
  }),
});
export type LiveChatForm = z.infer<typeof liveChatFormShape>;

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export function toLiveChatForm(entry: Pick<MenuEntry, "liveChat">): LiveChatForm {
  const s = entry.liveChat;
  const first = s?.openingHours?.days[0];
  return {
    handoverMessage: s?.handoverMessage ?? DEFAULT_HANDOVER_MESSAGE,
    teamId: s?.teamId ?? "",
    timeoutMinutes: String(s?.timeoutMinutes ?? 10),
    onTimeout: {
      action: s?.onTimeout.action ?? "end",
      message: s?.onTimeout.message ?? "Sorry, no agent is available right now. Please try again later.",
      nodeId: s?.onTimeout.action === "bot" ? s.onTimeout.nodeId : "",
    },
    hours: {
      enabled: !!s?.openingHours,
      timeZone: s?.openingHours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
      days: s?.openingHours ? [...new Set(s.openingHours.days.map((d) => String(d.day)))] : ["1", "2", "3", "4", "5"],
      from: first?.from ?? "09:00",
      to: first?.to ?? "18:00",
    },
  };
}

/** What the API takes (LiveChatSettings), before its own checks. */
export function toLiveChatSettings(f: LiveChatForm): unknown {
  return {
    handoverMessage: f.handoverMessage,
    teamId: f.teamId || null,
    timeoutMinutes: f.timeoutMinutes.trim() === "" ? Number.NaN : Number(f.timeoutMinutes),
    openingHours: f.hours.enabled
      ? {
          timeZone: f.hours.timeZone.trim(),
          days: [...f.hours.days].sort().map((d) => ({ day: Number(d), from: f.hours.from, to: f.hours.to })),
        }
      : null,
    onTimeout:
      f.onTimeout.action === "bot"
        ? { action: "bot", message: f.onTimeout.message, nodeId: f.onTimeout.nodeId }
        : { action: "end", message: f.onTimeout.message },
  };
}

/** The contract's checks, with each problem at the panel's field (`liveChat.…`). */
export function checkLiveChatForm(f: LiveChatForm): RuleIssue[] {
  const parsed = liveChatSettings.safeParse(toLiveChatSettings(f));
  const issues: RuleIssue[] = [];
  if (f.onTimeout.action === "bot" && !f.onTimeout.nodeId)
    issues.push({
      path: ["liveChat", "onTimeout", "nodeId"],
      code: "required",
      message: "Choose the node to go back to.",
    });
  if (f.hours.enabled && f.hours.days.length === 0)
    issues.push({ path: ["liveChat", "hours", "days"], code: "required", message: "Tick at least one day." });
  if (parsed.success) return issues;
  for (const i of parsed.error.issues) {
    const [head, ...rest] = i.path.map(String);
    // Opening hours' periods are one row in the panel: their problems show beside it.
    const path =
      head === "openingHours"
        ? ["liveChat", "hours", rest[0] === "timeZone" ? "timeZone" : "to"]
        : head === "onTimeout" && rest[0] === "nodeId"
          ? ["liveChat", "onTimeout", "nodeId"]
          : ["liveChat", head ?? "", ...rest];
    if (path.join(".") === "liveChat.onTimeout.nodeId" && issues.some((x) => x.path.join(".") === path.join(".")))
      continue;
    issues.push({ path, code: "invalid", message: i.message });
  }
  return issues;
}
