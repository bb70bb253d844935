import { describe, expect, it } from "vitest";
import {
  previewQuestions,
  rafflePreview,
  surveyPreview,
  webPollLinkPreview,
} from "../src/features/handoffs/model/preview";
import type { RaffleFormValues } from "../src/features/handoffs/model/raffle-values";
import { blankQuestion, type SurveyFormValues } from "../src/features/handoffs/model/survey-values";

const raffle: RaffleFormValues = {
  type: "raffle_giveaway",
  prizes: [
    { name: " ", quantity: 1 },
    { name: "Cap", quantity: 2 },
  ],
  draw: { mode: "instant", winProbability: 0.5, every: 10 },
  messages: {
    win: "You won {{prize}}! Show {{prize}} at the desk.",
    lose: "No.",
    alreadyEntered: "Again?",
    over: "Done.",
  },
  webhook: null,
};

const survey: SurveyFormValues = {
  type: "polls_surveys",
  questions: [
    { ...blankQuestion(1), key: "plan", text: "Which plan?", choices: "Monthly\nYearly\n" },
    { ...blankQuestion(2), key: "score", type: "rating", text: "Rate us" },
  ],
  messages: { intro: "Two questions.", closing: "Thanks!", alreadyAnswered: "Done already." },
  allowMultipleResponses: false,
  title: "Tell us",
  linkMessage: "Answer here: {{link}}",
  linkValidHours: 72,
};

describe("the hand-off preview", () => {
  it("words the raffle's replies as the runtime does, a win naming the first named prize", () => {
    expect(rafflePreview(raffle).map((m) => [m.when, m.text])).toEqual([
      ["A win (Cap)", "You won Cap! Show Cap at the desk."],
      ["A loss", "No."],
      ["A number already entered", "Again?"],
      ["The raffle is over", "Done."],
    ]);
  });

  it("numbers a survey's choices on SMS and gives them as buttons on WhatsApp", () => {
    const sms = surveyPreview(survey, "sms");
    expect(sms.map((m) => m.when)).toEqual(["Introduction", "Question 1", "Question 2", "Closing"]);
    expect(sms[1]).toMatchObject({
      text: expect.stringContaining("1. Monthly\n2. Yearly"),
      buttons: [],
      shape: "text",
    });
    const whatsapp = surveyPreview(survey, "whatsapp");
    expect(whatsapp[1]).toMatchObject({ text: "Which plan?", buttons: ["Monthly", "Yearly"], shape: "buttons" });
    // Edited: the preview follows the values it is given.
    const edited = { ...survey, messages: { ...survey.messages, intro: "" } };
    expect(surveyPreview(edited, "sms")[0]?.when).toBe("Question 1");
  });

  it("shows a web poll's link message with a sample link, and its page's questions", () => {
    const web = { ...survey, type: "web_polls_surveys" as const };
    expect(webPollLinkPreview(web, "https://sb.example").text).toBe("Answer here: https://sb.example/s/…");
    expect(previewQuestions(web).map((q) => [q.key, q.type])).toEqual([
      ["plan", "single_choice"],
      ["score", "rating"],
    ]);
  });
});
