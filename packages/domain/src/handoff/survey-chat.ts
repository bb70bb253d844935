import type { Channel } from "../campaign";
import { whatsappMenuStyle } from "../channel-limits";
import type { Reply } from "../conversation/engine";
import { type Question, questionText, repromptOf } from "./survey";

/**
 * A question as a chat message. On WhatsApp a single choice comes as buttons or a list (the reply id is the choice's
 * number); everywhere else the choices are numbered lines. `lead` goes first (the reprompt after a wrong answer).
 */
export function questionReply(q: Question, channel: Channel, lead?: string): Reply {
  const prefix = lead ? `${lead}\n` : "";
  if (channel === "whatsapp" && q.type === "single_choice") {
    const options = q.choices.map((c, i) => ({ id: String(i + 1), keyword: String(i + 1), title: c }));
    return { text: `${prefix}${q.text}`, options, style: whatsappMenuStyle(q.choices) };
  }
  return { text: `${prefix}${questionText(q)}`, options: [], style: "text" };
}

/** The reply to a wrong answer: the reprompt, then the question again. */
export function repromptReply(q: Question, channel: Channel): Reply {
  return questionReply(q, channel, repromptOf(q));
}
