import { describe, expect, it } from "vitest";
import { campaignEndsAt, senderMatchesChannel, validateCampaignName, validateExpiry } from "../src/campaign";
import { nextInteractionLabels, validateNode } from "../src/node";
import { deletionBlockers } from "../src/references";

const now = new Date("2026-01-01T00:00:00Z");

describe("a campaign", () => {
  it("needs a name of at most 100 characters", () => {
    expect(validateCampaignName("EliPackage")).toEqual([]);
    expect(validateCampaignName("  ").map((i) => i.code)).toEqual(["required"]);
    expect(validateCampaignName("x".repeat(101)).map((i) => i.message)).toEqual([
      "Name must be at most 100 characters (it has 101).",
    ]);
  });
  it("expires at a future date or after a number of hours, not both", () => {
    expect(validateExpiry({ expiresAt: new Date("2026-02-01"), expiresAfterHours: null }, now)).toEqual([]);
    expect(
      validateExpiry({ expiresAt: new Date("2025-12-01"), expiresAfterHours: null }, now).map((i) => i.code),
    ).toEqual(["in_the_past"]);
    expect(validateExpiry({ expiresAt: new Date("2026-02-01"), expiresAfterHours: 5 }, now).map((i) => i.code)).toEqual(
      ["expiry_conflict"],
    );
    expect(validateExpiry({ expiresAt: null, expiresAfterHours: 0 }, now).map((i) => i.code)).toEqual(["out_of_range"]);
    expect(validateExpiry({ expiresAt: null, expiresAfterHours: 1.5 }, now).map((i) => i.code)).toEqual([
      "out_of_range",
    ]);
  });
  it("ends at its date, or its duration after activation", () => {
    expect(campaignEndsAt({ expiresAt: null, expiresAfterHours: 48 }, now)?.toISOString()).toBe(
      "2026-01-03T00:00:00.000Z",
    );
    expect(campaignEndsAt({ expiresAt: null, expiresAfterHours: 48 }, null)).toBeNull();
    expect(campaignEndsAt({ expiresAt: null, expiresAfterHours: null }, now)).toBeNull();
  });
  it("uses a sender of its own channel", () => {
    expect(senderMatchesChannel("sms", "sms")).toEqual([]);
    expect(senderMatchesChannel("sms", "whatsapp").map((i) => i.message)).toEqual([
      "This sender is for SMS; a WhatsApp campaign needs a WhatsApp sender.",
    ]);
  });
});

describe("a node", () => {
  const siblings = [
    { id: "w", label: "Welcome Message" },
    { id: "a", label: "Interaction 1" },
  ];
  it("needs a label unique within the chatbot", () => {
    expect(validateNode({ id: "a", label: "Interaction 1", message: "" }, siblings, "sms", 0)).toEqual([]);
    expect(
      validateNode({ id: "a", label: "welcome message", message: "" }, siblings, "sms", 0).map((i) => i.code),
    ).toEqual(["duplicate_label"]);
    expect(validateNode({ id: "a", label: "", message: "" }, siblings, "sms", 0).map((i) => i.code)).toEqual([
      "required",
    ]);
  });
  it("respects its channel's limits", () => {
    expect(
      validateNode({ id: "a", label: "A", message: "x".repeat(1100) }, siblings, "whatsapp", 0).map((i) => i.code),
    ).toEqual(["too_long"]);
  });
  it("gets the next free Interaction labels", () => {
    expect(nextInteractionLabels(["Welcome Message", "Interaction 2"], 3)).toEqual([
      "Interaction 1",
      "Interaction 3",
      "Interaction 4",
    ]);
  });
});

describe("deleting a Redirect To target", () => {
  it("is allowed when nothing points at it", () => {
    expect(deletionBlockers("Interaction 1", [])).toEqual([]);
  });
  it("is refused with the list of entries pointing at it", () => {
    const [problem] = deletionBlockers("Interaction 1", [
      {
        campaignId: "13010",
        campaignName: "EliPackage",
        nodeId: "w",
        nodeLabel: "Welcome Message",
        entryId: "e1",
        keyword: "1",
        menuText: "One month",
      },
      {
        campaignId: "13010",
        campaignName: "EliPackage",
        nodeId: "b",
        nodeLabel: "Interaction 2",
        entryId: "e2",
        keyword: "9",
        menuText: null,
      },
    ]);
    expect(problem?.message).toBe(
      'Interaction 1 cannot be deleted: 2 menu entries point at it ("EliPackage" › Welcome Message › 1. One month; "EliPackage" › Interaction 2 › 9). Change their Redirect To first.',
    );
  });
});
