import type { HandoffSettings } from "@switchboard/contracts/handoffs";
import { describe, expect, it } from "vitest";
import { headerRows, webhookField, withWebhook } from "../src/features/handoffs/model/webhook-values";

const raffle: HandoffSettings = {
  type: "raffle_giveaway",
  campaignId: 13011,
  updatedAt: "2026-11-27T10:00:00.000Z",
  prizes: [{ id: "00000000-0000-4000-8000-000000000001", name: "T-shirt", quantity: 5, awarded: 2, left: 3 }],
  draw: { mode: "instant", winProbability: 0.25 },
  messages: { win: "You won {{prize}}!", lose: "Not this time.", alreadyEntered: "Already in.", over: "Over." },
  webhook: { url: "https://crm.example.com/old", body: { source: "raffle" }, headers: [{ name: "X-Key", value: "k" }] },
};

describe("a hand-off campaign's own webhook", () => {
  it("replaces only the webhook of the settings document, keeping each prize's id", () => {
    const webhook = { url: "https://crm.example.com/new", body: {}, headers: [] };
    const input = withWebhook(raffle, webhook);
    expect(input).toMatchObject({
      type: "raffle_giveaway",
      prizes: [{ id: "00000000-0000-4000-8000-000000000001", name: "T-shirt", quantity: 5 }],
      draw: { mode: "instant", winProbability: 0.25 },
      webhook,
    });
    expect(withWebhook(raffle, null)).toMatchObject({ webhook: null });
  });

  it("edits stored headers as plain rows and places the API's errors at their fields", () => {
    expect(headerRows(raffle.webhook)).toEqual([{ name: "X-Key", value: "k", secret: false, storedSecret: false }]);
    expect(webhookField("body.webhook.url")).toBe("url");
    expect(webhookField("webhook.body")).toBe("body");
    expect(webhookField("body.webhook.headers.1.value")).toBe("headers.1.value");
    expect(webhookField("body.prizes.0.name")).toBeNull();
  });
});
