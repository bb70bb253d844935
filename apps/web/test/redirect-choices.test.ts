import { describe, expect, it } from "vitest";
import { campaignTargets } from "../src/features/editor/model/redirect-choices";

describe("Redirect To's campaigns", () => {
  it("lists the hand-off campaigns with their type and status, never a chatbot nor itself", () => {
    const campaigns = [
      { id: 1, name: "Main bot", type: "chatbot", status: "active" },
      { id: 2, name: "Summer raffle", type: "raffle_giveaway", status: "active" },
      { id: 3, name: "Feedback", type: "polls_surveys", status: "draft" },
      { id: 4, name: "Web feedback", type: "web_polls_surveys", status: "ended" },
      { id: 5, name: "Other bot", type: "chatbot", status: "draft" },
    ] as const;
    expect(campaignTargets(campaigns, 1)).toEqual([
      { value: "2", label: "Summer raffle (Raffle Giveaway, Active)" },
      { value: "3", label: "Feedback (Polls & Surveys, Draft)" },
      { value: "4", label: "Web feedback (Web Polls & Surveys, Ended)" },
    ]);
  });
});
