import { describe, expect, it } from "vitest";
import { formatWait, inboxTitle, sendsOnKey } from "../src/features/live-chat/model/inbox-model";

describe("the inbox", () => {
  it("puts the unread count first in the page title", () => {
    expect(inboxTitle(0)).toBe("Inbox — Switchboard");
    expect(inboxTitle(3)).toBe("(3) Inbox — Switchboard");
  });

  it("sends on Enter, and starts a new line on Shift+Enter or while composing", () => {
    expect(sendsOnKey({ key: "Enter", shiftKey: false })).toBe(true);
    expect(sendsOnKey({ key: "Enter", shiftKey: true })).toBe(false);
    expect(sendsOnKey({ key: "Enter", shiftKey: false, isComposing: true })).toBe(false);
    expect(sendsOnKey({ key: "a", shiftKey: false })).toBe(false);
  });

  it("shows waiting times in seconds, minutes or hours", () => {
    expect(formatWait(42)).toBe("42 s");
    expect(formatWait(4 * 60 + 5)).toBe("4 min");
    expect(formatWait(65 * 60)).toBe("1 h 5 min");
  });
});
