import { describe, expect, it } from "vitest";
import {
  countSms,
  messageStats,
  validateChannelLimits,
  validateWhatsappOptionTitle,
  whatsappMenuStyle,
} from "../src/channel-limits";

describe("SMS segments", () => {
  it("fits 160 GSM-7 characters in one segment and splits longer texts by 153", () => {
    expect(countSms("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1, remainingInSegment: 0 });
    expect(countSms("a".repeat(161))).toMatchObject({ segments: 2, remainingInSegment: 145 });
    expect(countSms("a".repeat(306))).toMatchObject({ segments: 2, remainingInSegment: 0 });
    expect(countSms("a".repeat(307))).toMatchObject({ segments: 3 });
  });
  it("counts extension characters twice", () => {
    expect(countSms("€[]").units).toBe(6);
    expect(countSms("{".repeat(81))).toMatchObject({ encoding: "GSM-7", units: 162, segments: 2 });
  });
  it("falls back to UCS-2 for other characters: 70 per segment, 67 when split", () => {
    expect(countSms("Olá, ¿cómo estás? 😀")).toMatchObject({ encoding: "UCS-2" });
    expect(countSms("ó".repeat(70))).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(countSms("ó".repeat(71))).toMatchObject({ segments: 2 });
  });
  it("reports no segment for an empty text", () => {
    expect(countSms("")).toMatchObject({ segments: 0 });
  });
});

describe("WhatsApp limits", () => {
  it("refuses texts over 1024 characters", () => {
    expect(validateChannelLimits("whatsapp", "x".repeat(1024), 0)).toEqual([]);
    expect(validateChannelLimits("whatsapp", "x".repeat(1025), 0)).toEqual([
      {
        path: ["message"],
        code: "too_long",
        message: "WhatsApp messages are limited to 1024 characters (this one has 1025).",
      },
    ]);
  });
  it("refuses menus of more than 10 options", () => {
    expect(validateChannelLimits("whatsapp", "hi", 11).map((i) => i.code)).toEqual(["too_many_options"]);
    expect(validateChannelLimits("whatsapp", "hi", 10)).toEqual([]);
  });
  it("sends up to 3 options with titles of at most 20 characters as buttons, others as a list", () => {
    expect(whatsappMenuStyle(["One month", "Six months", "One year"])).toBe("buttons");
    expect(whatsappMenuStyle(["a", "b", "c", "d"])).toBe("list");
    expect(whatsappMenuStyle(["x".repeat(21)])).toBe("list");
  });
  it("refuses an option title over 24 characters, on the field that gives the title", () => {
    expect(validateWhatsappOptionTitle("whatsapp", { keyword: "1", menuText: "x".repeat(24) })).toEqual([]);
    expect(validateWhatsappOptionTitle("whatsapp", { keyword: "1", menuText: "x".repeat(32) })).toEqual([
      {
        path: ["menuText"],
        code: "too_long",
        message: "WhatsApp shows an option's title in at most 24 characters (this one has 32); shorten the Menu Text.",
      },
    ]);
    // Characters, not UTF-16 units: 24 emoji fit.
    expect(validateWhatsappOptionTitle("whatsapp", { keyword: "1", menuText: "🎁".repeat(24) })).toEqual([]);
    expect(validateWhatsappOptionTitle("sms", { keyword: "1", menuText: "x".repeat(32) })).toEqual([]);
  });
  it("lets SMS texts run to several segments", () => {
    expect(validateChannelLimits("sms", "x".repeat(1025), 20)).toEqual([]);
    expect(validateChannelLimits("sms", "x".repeat(1601), 0).map((i) => i.code)).toEqual(["too_long"]);
  });
});

describe("message stats", () => {
  it("reports SMS segments and encoding", () => {
    expect(messageStats("sms", "a".repeat(161))).toEqual({
      characters: 161,
      segments: 2,
      encoding: "GSM-7",
      limit: 1600,
    });
    expect(messageStats("sms", "¿Cómo estás?")).toMatchObject({ segments: 1, encoding: "UCS-2" });
  });
  it("reports WhatsApp's 1024-character limit without segments", () => {
    expect(messageStats("whatsapp", "hola")).toEqual({ characters: 4, segments: null, encoding: null, limit: 1024 });
  });
});
