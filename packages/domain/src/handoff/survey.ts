/** Polls & Surveys (over the chat or on the web page): questions, answer checks, reprompts and results. */

export const QUESTIONS_MAX = 50;
export const CHOICES_MAX = 10;
export const QUESTION_TEXT_MAX = 1000;
export const CHOICE_TEXT_MAX = 100;
export const FREE_TEXT_MAX = 1000;
export const QUESTION_KEY_MAX = 40;
export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const questionKeyPattern = /^[A-Za-z][A-Za-z0-9_]*$/;

export const questionTypes = ["single_choice", "multiple_choice", "free_text", "number", "rating"] as const;
export type QuestionType = (typeof questionTypes)[number];

interface QuestionBase {
  /** The key of this question's answer in `answers` (webhook payloads, exports). */
  key: string;
  text: string;
  /** Sent before the question again when an answer is not valid; a default per type when empty. */
  reprompt: string | null;
}

export type Question =
  | (QuestionBase & { type: "single_choice" | "multiple_choice"; choices: string[] })
  | (QuestionBase & { type: "free_text"; maxLength: number })
  | (QuestionBase & { type: "number"; min: number | null; max: number | null; integer: boolean })
  | (QuestionBase & { type: "rating" });

export type AnswerValue = string | string[] | number;
export type Answers = Record<string, AnswerValue>;

export interface SurveyMessages {
  /** Sent with the first question (chat) or at the top of the page (web). */
  intro: string;
  /** Sent once the last question is answered (chat), or shown on the thank-you page (web). */
  closing: string;
  /** Sent when a phone number that already answered comes back and more responses are not allowed. */
  alreadyAnswered: string;
}

export const defaultSurveyMessages: SurveyMessages = {
  intro: "",
  closing: "Thank you for your answers!",
  alreadyAnswered: "You have already answered this survey. Thank you!",
};

export type ParsedAnswer = { ok: true; value: AnswerValue } | { ok: false; message: string };

/** The message a wrong answer gets before the question is asked again. */
export function repromptOf(q: Question): string {
  if (q.reprompt?.trim()) return q.reprompt;
  switch (q.type) {
    case "single_choice":
      return `Please answer with a number from 1 to ${q.choices.length}.`;
    case "multiple_choice":
      return `Please answer with one or more numbers from 1 to ${q.choices.length}, separated by commas.`;
    case "free_text":
      return `Please answer with some text (at most ${q.maxLength} characters).`;
    case "number":
      return `Please answer with ${q.integer ? "a whole number" : "a number"}${rangeText(q.min, q.max)}.`;
    case "rating":
      return `Please answer with a rating from ${RATING_MIN} to ${RATING_MAX}.`;
  }
}

function rangeText(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return ` from ${min} to ${max}`;
  if (min !== null) return ` of at least ${min}`;
  if (max !== null) return ` of at most ${max}`;
  return "";
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();

/** A choice named by its number or its text (any case or accents). */
function choiceOf(choices: readonly string[], raw: string): string | null {
  const t = raw.trim();
  if (/^\d+$/.test(t)) return choices[Number(t) - 1] ?? null;
  const folded = fold(t);
  return folded ? (choices.find((c) => fold(c) === folded) ?? null) : null;
}

/** A typed answer (chat text, or a web field's value) checked against its question. */
export function parseAnswer(q: Question, raw: string | readonly string[]): ParsedAnswer {
  const fail = (message: string): ParsedAnswer => ({ ok: false, message });
  switch (q.type) {
    case "single_choice": {
      const picked = typeof raw === "string" ? choiceOf(q.choices, raw) : null;
      return picked === null ? fail(repromptOf(q)) : { ok: true, value: picked };
    }
    case "multiple_choice": {
      const parts = typeof raw === "string" ? raw.split(/[,;\s]+/).filter((p) => p.length > 0) : [...raw];
      if (parts.length === 0) return fail(repromptOf(q));
      const picked: string[] = [];
      for (const part of parts) {
        const choice = choiceOf(q.choices, part);
        if (choice === null) return fail(repromptOf(q));
        if (!picked.includes(choice)) picked.push(choice);
      }
      // In the question's order, whatever order they were typed in.
      return { ok: true, value: q.choices.filter((c) => picked.includes(c)) };
    }
    case "free_text": {
      const text = typeof raw === "string" ? raw.trim() : "";
      if (text.length === 0 || text.length > q.maxLength) return fail(repromptOf(q));
      return { ok: true, value: text };
    }
    case "number": {
      const text = typeof raw === "string" ? raw.trim().replace(",", ".") : "";
      if (!/^-?\d+(\.\d+)?$/.test(text)) return fail(repromptOf(q));
      const n = Number(text);
      if (q.integer && !Number.isInteger(n)) return fail(repromptOf(q));
      if ((q.min !== null && n < q.min) || (q.max !== null && n > q.max)) return fail(repromptOf(q));
      return { ok: true, value: n };
    }
    case "rating": {
      const text = typeof raw === "string" ? raw.trim() : "";
      if (!/^\d$/.test(text)) return fail(repromptOf(q));
      const n = Number(text);
      return n >= RATING_MIN && n <= RATING_MAX ? { ok: true, value: n } : fail(repromptOf(q));
    }
  }
}

/** A question as the chat sends it: its text, then numbered choices (or the rating scale). */
export function questionText(q: Question): string {
  switch (q.type) {
    case "single_choice":
    case "multiple_choice":
      return [
        q.text,
        ...q.choices.map((c, i) => `${i + 1}. ${c}`),
        ...(q.type === "multiple_choice" ? ["(Several numbers, separated by commas.)"] : []),
      ].join("\n");
    case "rating":
      return `${q.text}\n(${RATING_MIN} to ${RATING_MAX})`;
    default:
      return q.text;
  }
}

/** Settings that the schema cannot check alone: unique keys, a range whose minimum is not above its maximum. */
export function questionIssues(questions: readonly Question[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.key.toLowerCase())) {
      issues.push({ path: ["questions", i, "key"], message: `Another question already has the key "${q.key}".` });
    }
    seen.add(q.key.toLowerCase());
    if (q.type === "number" && q.min !== null && q.max !== null && q.min > q.max) {
      issues.push({ path: ["questions", i, "max"], message: "The maximum must not be below the minimum." });
    }
    if (
      (q.type === "single_choice" || q.type === "multiple_choice") &&
      new Set(q.choices.map(fold)).size < q.choices.length
    ) {
      issues.push({ path: ["questions", i, "choices"], message: "Two choices have the same text." });
    }
  });
  return issues;
}

/** Whether a phone number that answered before may answer again. */
export function mayRespond(completedBefore: number, allowMultiple: boolean): boolean {
  return allowMultiple || completedBefore === 0;
}

export type QuestionResult =
  | {
      key: string;
      text: string;
      type: "single_choice" | "multiple_choice" | "rating";
      answered: number;
      counts: { value: string; count: number; percent: number }[];
    }
  | { key: string; text: string; type: "free_text"; answered: number; texts: string[] }
  | {
      key: string;
      text: string;
      type: "number";
      answered: number;
      average: number | null;
      min: number | null;
      max: number | null;
    };

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/**
 * Results per question over completed responses, chat and web alike: counts and percentages of those who answered
 * (multiple choice: a person may count for several choices), free text listed, numbers summarised.
 */
export function surveyResults(questions: readonly Question[], responses: readonly Answers[]): QuestionResult[] {
  return questions.map((q): QuestionResult => {
    const values = responses.map((r) => r[q.key]).filter((v) => v !== undefined);
    const answered = values.length;
    switch (q.type) {
      case "single_choice":
      case "multiple_choice": {
        const counts = q.choices.map((c) => {
          const count = values.filter((v) => (Array.isArray(v) ? v.includes(c) : v === c)).length;
          return { value: c, count, percent: percent(count, answered) };
        });
        return { key: q.key, text: q.text, type: q.type, answered, counts };
      }
      case "rating": {
        const counts = [1, 2, 3, 4, 5].map((n) => {
          const count = values.filter((v) => v === n).length;
          return { value: String(n), count, percent: percent(count, answered) };
        });
        return { key: q.key, text: q.text, type: "rating", answered, counts };
      }
      case "free_text":
        return { key: q.key, text: q.text, type: "free_text", answered, texts: values.map(String) };
      default: {
        // The number question.
        const nums = values.filter((v): v is number => typeof v === "number");
        const sum = nums.reduce((a, b) => a + b, 0);
        return {
          key: q.key,
          text: q.text,
          type: "number",
          answered,
          average: nums.length ? Math.round((sum / nums.length) * 100) / 100 : null,
          min: nums.length ? Math.min(...nums) : null,
          max: nums.length ? Math.max(...nums) : null,
        };
      }
    }
  });
}

/** Answers a Send test sends: the first choice, the lowest number allowed, a top rating, a sample text. */
export function sampleAnswers(questions: readonly Question[]): Answers {
  return Object.fromEntries(
    questions.map((q): [string, AnswerValue] => {
      switch (q.type) {
        case "single_choice":
          return [q.key, q.choices[0] ?? ""];
        case "multiple_choice":
          return [q.key, q.choices.slice(0, 1)];
        case "free_text":
          return [q.key, "Sample answer"];
        case "rating":
          return [q.key, RATING_MAX];
        default:
          return [q.key, q.min ?? q.max ?? 1];
      }
    }),
  );
}
