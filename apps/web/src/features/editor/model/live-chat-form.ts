import type { MenuEntry } from "@switchboard/contracts/flow";
import { liveChatSettings } from "@switchboard/contracts/live-chat";
import type { RuleIssue } from "@switchboard/domain/issue";
import { DEFAULT_HANDOVER_MESSAGE } from "@switchboard/domain/live-chat/settings";
import { z } from "zod";

/**
 * A Live Chat entry's settings as the panel edits them: text fields as typed, opening hours as rows of day, from and
 * to (a day may have two rows, a lunch break between them), all in one time zone.
 */
export const liveChatFormShape = z.object({
  handoverMessage: z.string(),
  teamId: z.string(),
  timeoutMinutes: z.string(),
  onTimeout: z.object({ action: z.enum(["end", "bot"]), message: z.string(), nodeId: z.string() }),
  hours: z.object({
    enabled: z.boolean(),
    timeZone: z.string(),
    periods: z.array(z.object({ day: z.string(), from: z.string(), to: z.string() })),
  }),
});
export type LiveChatForm = z.infer<typeof liveChatFormShape>;

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
/** The contract's most periods. */
export const OPENING_PERIODS_MAX = 21;

/** Monday to Friday, nine to six: what a new entry's opening hours start from. */
const OFFICE_HOURS = ["1", "2", "3", "4", "5"].map((day) => ({ day, from: "09:00", to: "18:00" }));

export function toLiveChatForm(entry: Pick<MenuEntry, "liveChat">): LiveChatForm {
  const s = entry.liveChat;
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
      periods: s?.openingHours
        ? s.openingHours.days.map((d) => ({ day: String(d.day), from: d.from, to: d.to }))
        : OFFICE_HOURS,
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
          days: f.hours.periods.map((p) => ({ day: Number(p.day), from: p.from, to: p.to })),
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
  if (f.hours.enabled && f.hours.periods.length === 0)
    issues.push({
      path: ["liveChat", "hours", "periods"],
      code: "required",
      message: "Add at least one opening period.",
    });
  if (parsed.success) return issues;
  for (const i of parsed.error.issues) {
    const path = liveChatFormPath(i.path.map(String));
    if (path.join(".") === "liveChat.onTimeout.nodeId" && issues.some((x) => x.path.join(".") === path.join(".")))
      continue;
    issues.push({ path, code: "invalid", message: i.message });
  }
  return issues;
}

/** Where a problem with the API's LiveChatSettings (path inside them) shows in the panel, under `liveChat.`. */
export function liveChatFormPath(path: readonly string[]): string[] {
  const [head, ...rest] = path;
  if (head !== "openingHours") return ["liveChat", head ?? "", ...rest];
  // The API's openingHours.days are the panel's rows.
  if (rest[0] === "days") return ["liveChat", "hours", "periods", ...rest.slice(1)];
  return ["liveChat", "hours", "timeZone"];
}
