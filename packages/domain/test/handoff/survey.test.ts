import { describe, expect, it } from "vitest";
import {
  mayRespond,
  parseAnswer,
  type Question,
  questionIssues,
  repromptOf,
  surveyResults,
} from "../../src/handoff/survey";
import { questionReply, repromptReply } from "../../src/handoff/survey-chat";

const single: Question = {
  key: "colour",
  type: "single_choice",
  text: "Colour?",
  choices: ["Red", "Blue", "Verde"],
  reprompt: null,
};
const multi: Question = {
  key: "likes",
  type: "multiple_choice",
  text: "Likes?",
  choices: ["Price", "Speed", "Staff"],
  reprompt: null,
};
const free: Question = {
  key: "why",
  type: "free_text",
  text: "Why?",
  maxLength: 10,
  reprompt: "Tell us in a few words.",
};
const num: Question = { key: "age", type: "number", text: "Age?", min: 18, max: 120, integer: true, reprompt: null };
const rating: Question = { key: "score", type: "rating", text: "Rate us", reprompt: null };

describe("survey answers", () => {
  it("takes a single choice by number or by text in any case and accents", () => {
    expect(parseAnswer(single, " 2 ")).toEqual({ ok: true, value: "Blue" });
    expect(parseAnswer(single, "VERDÉ")).toEqual({ ok: true, value: "Verde" });
    expect(parseAnswer(single, "4")).toEqual({ ok: false, message: "Please answer with a number from 1 to 3." });
    expect(parseAnswer(single, "")).toMatchObject({ ok: false });
  });

  it("takes several choices, in the question's order, once each", () => {
    expect(parseAnswer(multi, "3, 1 1")).toEqual({ ok: true, value: ["Price", "Staff"] });
    expect(parseAnswer(multi, ["2"])).toEqual({ ok: true, value: ["Speed"] });
    expect(parseAnswer(multi, "1,9")).toMatchObject({ ok: false });
    expect(parseAnswer(multi, " ")).toMatchObject({ ok: false });
  });

  it("takes free text up to its length, with the question's own reprompt", () => {
    expect(parseAnswer(free, "  Fast  ")).toEqual({ ok: true, value: "Fast" });
    expect(parseAnswer(free, "x".repeat(11))).toEqual({ ok: false, message: "Tell us in a few words." });
    expect(parseAnswer(free, "   ")).toMatchObject({ ok: false });
  });

  it("takes a number in its range, whole when asked", () => {
    expect(parseAnswer(num, "42")).toEqual({ ok: true, value: 42 });
    expect(parseAnswer(num, "17")).toEqual({ ok: false, message: "Please answer with a whole number from 18 to 120." });
    expect(parseAnswer(num, "20.5")).toMatchObject({ ok: false });
    expect(parseAnswer(num, "forty")).toMatchObject({ ok: false });
    const decimal: Question = { ...num, integer: false, min: null, max: 10 };
    expect(parseAnswer(decimal, "-2,5")).toEqual({ ok: true, value: -2.5 });
    expect(repromptOf(decimal)).toBe("Please answer with a number of at most 10.");
  });

  it("takes a rating from 1 to 5", () => {
    expect(parseAnswer(rating, "5")).toEqual({ ok: true, value: 5 });
    expect(parseAnswer(rating, "0")).toMatchObject({ ok: false });
    expect(parseAnswer(rating, "6")).toEqual({ ok: false, message: "Please answer with a rating from 1 to 5." });
  });

  it("allows one response per phone number unless more are allowed", () => {
    expect(mayRespond(0, false)).toBe(true);
    expect(mayRespond(1, false)).toBe(false);
    expect(mayRespond(3, true)).toBe(true);
  });

  it("finds repeated keys, an inverted range and repeated choices", () => {
    expect(
      questionIssues([single, { ...num, key: "COLOUR", min: 5, max: 1 }, { ...multi, choices: ["A", "a"] }]).map((i) =>
        i.path.join("."),
      ),
    ).toEqual(["questions.1.key", "questions.1.max", "questions.2.choices"]);
  });
});

describe("survey over the chat", () => {
  it("numbers the choices on SMS and offers buttons on WhatsApp; a reprompt leads the question again", () => {
    expect(questionReply(single, "sms").text).toBe("Colour?\n1. Red\n2. Blue\n3. Verde");
    const wa = questionReply(single, "whatsapp");
    expect(wa).toMatchObject({ text: "Colour?", style: "buttons" });
    expect(wa.options.map((o) => o.id)).toEqual(["1", "2", "3"]);
    expect(repromptReply(rating, "sms").text).toBe("Please answer with a rating from 1 to 5.\nRate us\n(1 to 5)");
  });
});

describe("survey results", () => {
  it("counts choices and ratings with percentages of those who answered, lists free text, sums up numbers", () => {
    const results = surveyResults(
      [single, multi, free, num, rating],
      [
        { colour: "Red", likes: ["Price", "Staff"], why: "Cheap", age: 30, score: 5 },
        { colour: "Red", likes: ["Staff"], age: 40, score: 4 },
        { colour: "Blue", score: 5 },
        {},
      ],
    );
    expect(results[0]).toMatchObject({
      answered: 3,
      counts: [
        { value: "Red", count: 2, percent: 66.7 },
        { value: "Blue", count: 1, percent: 33.3 },
        { value: "Verde", count: 0, percent: 0 },
      ],
    });
    expect(results[1]).toMatchObject({ answered: 2, counts: [{ count: 1 }, { count: 0 }, { count: 2, percent: 100 }] });
    expect(results[2]).toEqual({ key: "why", text: "Why?", type: "free_text", answered: 1, texts: ["Cheap"] });
    expect(results[3]).toMatchObject({ answered: 2, average: 35, min: 30, max: 40 });
    expect(results[4]).toMatchObject({ answered: 3 });
    expect((results[4] as { counts: { count: number }[] }).counts.map((c) => c.count)).toEqual([0, 0, 0, 1, 2]);
  });
});
