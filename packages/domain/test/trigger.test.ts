import { describe, expect, it } from "vitest";
import { findTriggerConflicts, type TriggerHolder, validateTriggerKeywords } from "../src/trigger";

describe("trigger keywords", () => {
  it("accepts up to 30 keywords of up to 29 characters", () => {
    const thirty = Array.from({ length: 30 }, (_, i) => `K${i}`.padEnd(29, "x"));
    expect(validateTriggerKeywords(thirty)).toEqual([]);
  });
  it("refuses a 31st keyword", () => {
    const many = Array.from({ length: 31 }, (_, i) => `K${i}`);
    expect(validateTriggerKeywords(many)).toEqual([
      {
        path: ["triggerKeywords"],
        code: "too_many",
        message: "A campaign can have at most 30 trigger keywords (it has 31).",
      },
    ]);
  });
  it("refuses a keyword of 30 characters", () => {
    expect(validateTriggerKeywords(["x".repeat(30)])).toEqual([
      {
        path: ["triggerKeywords", 0],
        code: "too_long",
        message: `Trigger keyword "${"x".repeat(30)}" is 30 characters; the limit is 29.`,
      },
    ]);
  });
  it("refuses empty and repeated keywords", () => {
    expect(validateTriggerKeywords(["JOIN", " ", "join"]).map((i) => i.code)).toEqual([
      "required",
      "duplicate_keyword",
    ]);
  });
});

describe("trigger conflicts among active campaigns", () => {
  const summer: TriggerHolder = {
    id: "13011",
    name: "Summer Sale",
    senderId: "s1",
    channel: "sms",
    triggerKeywords: ["PROMO", "Sale"],
    autoReply: true,
  };
  const candidate: TriggerHolder = {
    id: "13012",
    name: "Winter",
    senderId: "s1",
    channel: "sms",
    triggerKeywords: ["winter", "promo"],
    autoReply: true,
  };

  it("names the campaign that holds the keyword and the Auto-Reply", () => {
    expect(findTriggerConflicts(candidate, [summer])).toEqual([
      {
        path: ["triggerKeywords", 1],
        code: "keyword_taken",
        message:
          'Trigger keyword "promo" is already used by the active campaign "Summer Sale" (13011) on this SMS sender.',
      },
      {
        path: ["autoReply"],
        code: "auto_reply_taken",
        message: 'Auto-Reply is already on for the active campaign "Summer Sale" (13011) on this SMS sender.',
      },
    ]);
  });
  it("allows the same keyword on another sender or channel", () => {
    expect(findTriggerConflicts(candidate, [{ ...summer, senderId: "s2" }])).toEqual([]);
    expect(findTriggerConflicts(candidate, [{ ...summer, channel: "whatsapp" }])).toEqual([]);
  });
  it("does not conflict with itself", () => {
    expect(findTriggerConflicts(summer, [summer])).toEqual([]);
  });
});
