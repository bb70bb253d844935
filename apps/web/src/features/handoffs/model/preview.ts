import type { Channel } from "@switchboard/domain/campaign";
import { raffleReply } from "@switchboard/domain/handoff/raffle";
import type { Question } from "@switchboard/domain/handoff/survey";
import { questionReply } from "@switchboard/domain/handoff/survey-chat";
import { numberedText, whatsappShape } from "@switchboard/domain/messaging/render";
import type { RaffleFormValues } from "./raffle-values";
import { type SurveyFormValues, surveyInput } from "./survey-values";

/** One message of the preview: what the end user reads, and on WhatsApp the buttons or list rows it carries. */
export interface PreviewMessage {
  /** When the runtime sends it, in the marketer's words. */
  when: string;
  text: string;
  /** WhatsApp buttons or list rows; empty when the options are numbered lines in the text. */
  buttons: string[];
  shape: "text" | "buttons" | "list";
}

const plain = (when: string, text: string): PreviewMessage => ({ when, text, buttons: [], shape: "text" });

/** The raffle's four replies as the runtime words them (domain raffleReply), a win naming the first prize. */
export function rafflePreview(values: RaffleFormValues): PreviewMessage[] {
  const prize = values.prizes.find((p) => p.name.trim())?.name.trim() ?? "the prize";
  const m = values.messages;
  return [
    plain(`A win (${prize})`, raffleReply(m, { kind: "won", prize })),
    plain("A loss", raffleReply(m, { kind: "lost" })),
    plain("A number already entered", raffleReply(m, { kind: "already_entered" })),
    plain("The raffle is over", raffleReply(m, { kind: "over" })),
  ];
}

/** The survey's questions as questions (the form's values through the document saved), skipping half-typed ones. */
export function previewQuestions(values: SurveyFormValues): Question[] {
  return surveyInput(values, null).questions.map((q) => ({ reprompt: null, ...q }) as Question);
}

/** The chat survey as the runtime sends it: the introduction, each question (domain questionReply), the closing. */
export function surveyPreview(values: SurveyFormValues, channel: Channel): PreviewMessage[] {
  const intro = values.messages.intro.trim() ? [plain("Introduction", values.messages.intro)] : [];
  const questions = previewQuestions(values).map((q, i) => {
    const reply = questionReply(q, channel);
    const shape = channel === "whatsapp" ? whatsappShape(reply) : "text";
    return {
      when: `Question ${i + 1}`,
      text: shape === "text" ? numberedText(reply) : reply.text,
      buttons: shape === "text" ? [] : reply.options.map((o) => o.title),
      shape,
    };
  });
  return [...intro, ...questions, plain("Closing", values.messages.closing)];
}

/** The chat reply of a web poll: the link message with a sample personal link in place of {{link}}. */
export function webPollLinkPreview(values: SurveyFormValues, origin: string): PreviewMessage {
  return plain("The link message", values.linkMessage.replaceAll("{{link}}", `${origin}/s/…`));
}
