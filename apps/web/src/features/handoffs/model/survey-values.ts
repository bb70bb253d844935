import type { HandoffSettings, surveySettingsInput, webSurveySettingsInput } from "@switchboard/contracts/handoffs";
import { FREE_TEXT_MAX, type QuestionType } from "@switchboard/domain/handoff/survey";
import type { z } from "zod";

export type SurveySettings = Extract<HandoffSettings, { type: "polls_surveys" | "web_polls_surveys" }>;
export type SurveyInput = z.input<typeof surveySettingsInput> | z.input<typeof webSurveySettingsInput>;
type QuestionInput = SurveyInput["questions"][number];

/**
 * A question in the form keeps every type's fields so changing its type loses nothing; the saved question holds
 * only its type's (the contract's questions are strict objects per type). Choices are typed one per line.
 */
export interface QuestionFormValues {
  key: string;
  type: QuestionType;
  text: string;
  reprompt: string;
  choices: string;
  maxLength: number;
  min: number | null;
  max: number | null;
  integer: boolean;
}

export interface SurveyFormValues {
  type: "polls_surveys" | "web_polls_surveys";
  questions: QuestionFormValues[];
  messages: { intro: string; closing: string; alreadyAnswered: string };
  allowMultipleResponses: boolean;
  title: string;
  linkMessage: string;
  linkValidHours: number;
}

export const questionTypeLabels: Record<QuestionType, string> = {
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
  free_text: "Free text",
  number: "Number",
  rating: "Rating (1 to 5)",
};

export const blankQuestion = (n: number): QuestionFormValues => ({
  key: `question_${n}`,
  type: "single_choice",
  text: "",
  reprompt: "",
  choices: "",
  maxLength: FREE_TEXT_MAX,
  min: null,
  max: null,
  integer: false,
});

export function surveyFormValues(settings: SurveySettings): SurveyFormValues {
  return {
    type: settings.type,
    questions: settings.questions.map((q) => ({
      ...blankQuestion(0),
      key: q.key,
      type: q.type,
      text: q.text,
      reprompt: q.reprompt ?? "",
      ...("choices" in q ? { choices: q.choices.join("\n") } : {}),
      ...(q.type === "free_text" ? { maxLength: q.maxLength } : {}),
      ...(q.type === "number" ? { min: q.min, max: q.max, integer: q.integer } : {}),
    })),
    messages: { ...settings.messages },
    allowMultipleResponses: settings.allowMultipleResponses,
    title: settings.type === "web_polls_surveys" ? settings.title : "",
    linkMessage: settings.type === "web_polls_surveys" ? settings.linkMessage : "",
    linkValidHours: settings.type === "web_polls_surveys" ? settings.linkValidHours : 72,
  };
}

function questionInput(q: QuestionFormValues): QuestionInput {
  const base = { key: q.key, text: q.text, reprompt: q.reprompt.trim() ? q.reprompt : null };
  switch (q.type) {
    case "single_choice":
    case "multiple_choice": {
      const choices = q.choices.split("\n").map((c) => c.trim());
      // A trailing empty line is how a list being typed looks, not an empty choice.
      while (choices.length > 0 && choices.at(-1) === "") choices.pop();
      return { ...base, type: q.type, choices };
    }
    case "free_text":
      return { ...base, type: "free_text", maxLength: q.maxLength };
    case "number":
      return { ...base, type: "number", min: q.min, max: q.max, integer: q.integer };
    case "rating":
      return { ...base, type: "rating" };
  }
}

/** The document the API stores; the webhook is kept as it was (seeded or edited elsewhere). */
export function surveyInput(values: SurveyFormValues, webhook: SurveySettings["webhook"]): SurveyInput {
  const common = {
    questions: values.questions.map(questionInput),
    messages: values.messages,
    allowMultipleResponses: values.allowMultipleResponses,
    webhook,
  };
  return values.type === "polls_surveys"
    ? { type: "polls_surveys", ...common }
    : {
        type: "web_polls_surveys",
        ...common,
        title: values.title,
        linkMessage: values.linkMessage,
        linkValidHours: values.linkValidHours,
      };
}

/** The fields an API error may name, most specific first, so each message lands beside its own field. */
export function surveyErrorFields(questionCount: number): string[] {
  const own = ["key", "type", "text", "reprompt", "choices", "maxLength", "min", "max", "integer"];
  const questions = Array.from({ length: questionCount }, (_, i) => own.map((f) => `questions.${i}.${f}`)).flat();
  return [
    ...questions,
    "questions",
    "messages.intro",
    "messages.closing",
    "messages.alreadyAnswered",
    "allowMultipleResponses",
    "title",
    "linkMessage",
    "linkValidHours",
  ];
}
