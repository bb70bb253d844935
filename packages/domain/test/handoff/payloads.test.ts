import { describe, expect, it } from "vitest";
import { rafflePayload, surveyPayload } from "../../src/handoff/payloads";
import { serializePayload } from "../../src/payload";

const common = {
  campaignId: 13011,
  label: "Summer raffle",
  phoneNumber: "+525500000000",
  receivedAt: new Date("2024-06-18T23:22:36.560Z"),
};

describe("hand-off webhook payloads", () => {
  it("sends the spec's fields, then won and prize, then the Body's extras (never over a standard field)", () => {
    expect(serializePayload(rafflePayload({ ...common, won: true, prize: "Cap" }, { source: "sms", won: "x" }))).toBe(
      '{"campaignId":"13011","label":"Summer raffle","phoneNumber":"+525500000000","date":"2024-06-18T23:22:36.560Z","won":true,"prize":"Cap","source":"sms"}',
    );
    expect(JSON.parse(serializePayload(rafflePayload({ ...common, won: false, prize: null })))).toMatchObject({
      won: false,
      prize: null,
    });
  });

  it("sends a survey's answers keyed by question", () => {
    const payload = surveyPayload({ ...common, answers: { score: 5, likes: ["Price"], why: "Fast" } });
    expect(serializePayload(payload)).toBe(
      '{"campaignId":"13011","label":"Summer raffle","phoneNumber":"+525500000000","date":"2024-06-18T23:22:36.560Z","answers":{"score":5,"likes":["Price"],"why":"Fast"}}',
    );
  });
});
