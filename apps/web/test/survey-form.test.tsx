import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { SurveyForm } from "../src/features/handoffs/components/SurveyForm";
import { SurveyResults } from "../src/features/handoffs/components/SurveyResults";

const settings = {
  type: "polls_surveys" as const,
  campaignId: 7,
  updatedAt: "2026-11-26T00:00:00.000Z",
  questions: [
    {
      key: "colour",
      type: "single_choice" as const,
      text: "Favourite colour?",
      choices: ["Red", "Blue"],
      reprompt: null,
    },
    { key: "score", type: "rating" as const, text: "Rate us", reprompt: "Just 1 to 5, please." },
  ],
  messages: { intro: "", closing: "Thanks!", alreadyAnswered: "You already answered." },
  allowMultipleResponses: false,
  webhook: { url: "https://example.test/hook", body: {}, headers: [] },
};

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

let sent: unknown[] = [];
let answer: () => Response;
beforeEach(() => {
  sent = [];
  answer = () => respond(200, settings);
  vi.stubGlobal("fetch", async (_url: string, init?: RequestInit) => {
    if (init?.body) sent.push(JSON.parse(String(init.body)));
    return answer();
  });
});
afterEach(() => vi.unstubAllGlobals());

const renderWith = (ui: React.ReactNode) =>
  render(<QueryClientProvider client={createQueryClient()}>{ui}</QueryClientProvider>);

describe("the Polls & Surveys form", () => {
  it("shows the contract's messages beside a question's key and choices and sends nothing", async () => {
    renderWith(<SurveyForm campaignId={7} settings={settings} />);
    const key = screen.getByLabelText("Question 1 key");
    await userEvent.clear(key);
    await userEvent.type(key, "1st colour");
    await userEvent.clear(screen.getByLabelText("Question 1 choices (one per line)"));
    await userEvent.type(screen.getByLabelText("Question 1 choices (one per line)"), "Red");
    await userEvent.click(screen.getByRole("button", { name: "Save survey" }));
    expect((await screen.findByText(/A key starts with a letter/)).id).toBe("question-0-key-error");
    expect(screen.getByText("Give at least two choices.").id).toBe("question-0-choices-error");
    expect(key.getAttribute("aria-invalid")).toBe("true");
    expect(sent).toHaveLength(0);
  });

  it("saves the questions in their new order, a number question with its range, and keeps the webhook", async () => {
    renderWith(<SurveyForm campaignId={7} settings={settings} />);
    await userEvent.click(screen.getByRole("button", { name: "Move question 2 up" }));
    await userEvent.click(screen.getByRole("button", { name: "Add question" }));
    await userEvent.selectOptions(screen.getByLabelText("Question 3 type"), "number");
    await userEvent.clear(screen.getByLabelText("Question 3 key"));
    await userEvent.type(screen.getByLabelText("Question 3 key"), "age");
    await userEvent.type(screen.getByLabelText("Question 3 text"), "How old are you?");
    await userEvent.type(screen.getByLabelText("Question 3 lowest number"), "18");
    await userEvent.type(screen.getByLabelText("Question 3 highest number"), "120");
    await userEvent.click(screen.getByLabelText("Question 3: whole numbers only"));
    await userEvent.click(screen.getByLabelText("Allow more than one response per phone number"));
    await userEvent.clear(screen.getByLabelText("Closing message"));
    await userEvent.type(screen.getByLabelText("Closing message"), "Bye!");
    await userEvent.click(screen.getByRole("button", { name: "Save survey" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      type: "polls_surveys",
      questions: [
        { key: "score", type: "rating", text: "Rate us", reprompt: "Just 1 to 5, please." },
        { key: "colour", type: "single_choice", text: "Favourite colour?", choices: ["Red", "Blue"], reprompt: null },
        { key: "age", type: "number", text: "How old are you?", min: 18, max: 120, integer: true, reprompt: null },
      ],
      messages: { intro: "", closing: "Bye!", alreadyAnswered: "You already answered." },
      allowMultipleResponses: true,
      webhook: settings.webhook,
    });
  });

  it("removes a question and places the server's field error beside the key it names", async () => {
    answer = () =>
      respond(400, {
        type: "/api/problems#validation",
        title: "Bad Request",
        status: 400,
        detail: "x",
        errors: [{ path: "body.questions.0.key", code: "duplicate", message: "Keys are unique in a survey." }],
      });
    renderWith(<SurveyForm campaignId={7} settings={settings} />);
    await userEvent.click(screen.getByRole("button", { name: "Remove question 1" }));
    expect(screen.queryByLabelText("Question 2 key")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Save survey" }));
    expect((await screen.findByText("Keys are unique in a survey.")).id).toBe("question-0-key-error");
    expect((sent[0] as { questions: { key: string }[] }).questions.map((q) => q.key)).toEqual(["score"]);
  });
});

describe("the Web Polls & Surveys form", () => {
  const web = {
    ...settings,
    type: "web_polls_surveys" as const,
    title: "Tell us",
    linkMessage: "Answer here: {{link}}",
    linkValidHours: 72,
  };

  it("refuses a link message without {{link}} beside it, then saves the link's settings", async () => {
    answer = () => respond(200, web);
    renderWith(<SurveyForm campaignId={7} settings={web} />);
    const link = screen.getByLabelText("Link message");
    await userEvent.clear(link);
    await userEvent.type(link, "Answer here");
    await userEvent.click(screen.getByRole("button", { name: "Save web poll" }));
    expect((await screen.findByText(/must hold \{\{link\}\}/)).id).toBe("survey-link-message-error");
    expect(sent).toHaveLength(0);
    await userEvent.type(link, ": {{{{link}}");
    await userEvent.clear(screen.getByLabelText("Link valid for (hours)"));
    await userEvent.type(screen.getByLabelText("Link valid for (hours)"), "24");
    await userEvent.click(screen.getByRole("button", { name: "Save web poll" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      type: "web_polls_surveys",
      title: "Tell us",
      linkMessage: "Answer here: {{link}}",
      linkValidHours: 24,
    });
  });
});

describe("a survey's results", () => {
  it("shows each question's counts and percentages, the free texts and the CSV link", async () => {
    answer = () =>
      respond(200, {
        responses: 4,
        bySource: { chat: 1, web: 3 },
        inProgress: 1,
        linksSent: 5,
        questions: [
          {
            key: "colour",
            text: "Favourite colour?",
            type: "single_choice",
            answered: 4,
            counts: [
              { value: "Red", count: 3, percent: 75 },
              { value: "Blue", count: 1, percent: 25 },
            ],
          },
          { key: "why", text: "Why?", type: "free_text", answered: 2, texts: ["Bright", "Calm"] },
        ],
      });
    renderWith(<SurveyResults campaignId={7} web />);
    const table = await screen.findByRole("table", { name: "Answers to colour: Favourite colour?" });
    expect(within(table).getByRole("row", { name: "Red 3 75%" })).toBeTruthy();
    expect(within(table).getByRole("row", { name: "Blue 1 25%" })).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Answers to why: Why?" })).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getAllByRole("definition").map((d) => d.textContent)).toEqual(["4", "1", "5", "3"]);
    expect(screen.getByRole("link", { name: "Download responses (CSV)" }).getAttribute("href")).toBe(
      "/api/v1/campaigns/7/survey/responses.csv",
    );
  });
});
