import { describe, expect, it } from "vitest";
import { campaignInput, campaignPatch } from "../src/campaigns";
import { importMapping } from "../src/chatbot-documents";
import { menuEntryInput, webhookInput } from "../src/flow";
import { senderInput } from "../src/senders";

const senderId = "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d";

describe("campaign contracts", () => {
  it("fills a new campaign's defaults", () => {
    expect(campaignInput.parse({ name: " EliPackage ", type: "chatbot", channel: "sms", senderId })).toEqual({
      name: "EliPackage",
      type: "chatbot",
      channel: "sms",
      senderId,
      status: "draft",
      triggerKeywords: [],
      autoReply: false,
      expiresAt: null,
      expiresAfterHours: null,
      sessionTimeoutMinutes: 1440,
      closingText: null,
    });
  });

  it("names the field of each problem", () => {
    const result = campaignInput.safeParse({
      name: "",
      type: "poll",
      channel: "sms",
      senderId: "x",
      triggerKeywords: ["ok", "x".repeat(30)],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "name",
      "senderId",
      "triggerKeywords.1",
      "type",
    ]);
  });

  it("does not let a change set the type or the channel", () => {
    const result = campaignPatch.safeParse({ channel: "whatsapp" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});

describe("sender contracts", () => {
  it("wants an E.164 address", () => {
    expect(senderInput.safeParse({ name: "a", channel: "sms", address: "+525500000000" }).success).toBe(true);
    expect(senderInput.safeParse({ name: "a", channel: "sms", address: "5500000000" }).error?.issues[0]?.message).toBe(
      "Address must be a phone number in international format, such as +525500000000.",
    );
  });
});

describe("menu entry and webhook contracts", () => {
  it("defaults an entry to no redirect and the toggle off", () => {
    expect(menuEntryInput.parse({ keyword: "1" })).toMatchObject({
      menuText: null,
      redirectType: null,
      redirectTo: null,
      webhookEnabled: false,
      webhook: null,
    });
  });

  it("defaults a webhook's Body to an empty object and headers to none, secret off", () => {
    expect(webhookInput.parse({ url: "https://x.example", headers: [{ name: "X-A", value: "1" }] })).toEqual({
      url: "https://x.example",
      body: {},
      headers: [{ name: "X-A", value: "1", secret: false }],
    });
  });

  it("refuses unknown redirect types", () => {
    expect(menuEntryInput.safeParse({ keyword: "1", redirectType: "email" }).success).toBe(false);
  });
});

describe("an import's mapping", () => {
  it("refuses a campaign id past the database's integers, precisely, rather than dropping it", () => {
    const result = importMapping.safeParse({ campaigns: { "7": 2 ** 31 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["campaigns", "7"], message: "No campaign has this id." });
    expect(importMapping.parse({ campaigns: { "7": 2 ** 31 - 1 } }).campaigns).toEqual({ "7": 2 ** 31 - 1 });
  });
});
