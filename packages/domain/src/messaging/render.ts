import type { Reply } from "../conversation/engine";

/** Meta's documented limits for interactive messages. */
export const BUTTONS_MAX = 3;
export const BUTTON_TITLE_MAX = 20;
export const LIST_ROWS_MAX = 10;
export const LIST_ROW_TITLE_MAX = 24;
export const LIST_BUTTON_LABEL_MAX = 20;
export const LIST_BUTTON_LABEL = "Choose";

/** How a reply's options go out on WhatsApp. */
export type WhatsappShape = "text" | "buttons" | "list";

/** Reply buttons for ≤ 3 options titled ≤ 20 characters, a list for ≤ 10 titled ≤ 24, numbered text otherwise. */
export function whatsappShape(reply: Pick<Reply, "options">): WhatsappShape {
  const titles = reply.options.map((o) => o.title);
  if (titles.length === 0) return "text";
  if (titles.length <= BUTTONS_MAX && titles.every((t) => [...t].length <= BUTTON_TITLE_MAX)) return "buttons";
  if (titles.length <= LIST_ROWS_MAX && titles.every((t) => [...t].length <= LIST_ROW_TITLE_MAX)) return "list";
  return "text";
}

/**
 * The reply as plain text: a reply of style "text" (SMS) carries its menu lines already; a WhatsApp reply gets its
 * options as numbered lines ("1. Yes") where buttons or a list cannot show them, or on a channel that has neither.
 */
export function numberedText(reply: Pick<Reply, "text" | "options" | "style">): string {
  if (reply.options.length === 0 || reply.style === "text") return reply.text;
  const lines = reply.options.map((o) => `${o.keyword}. ${o.title}`);
  return [reply.text, ...lines].filter((l) => l !== "").join("\n");
}

/** The `messages` request body of the WhatsApp Cloud API for one reply, `callbackData` echoed in its statuses. */
export function whatsappCloudBody(reply: Pick<Reply, "text" | "options" | "style">, to: string, callbackData: string) {
  const base = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to,
    biz_opaque_callback_data: callbackData,
  };
  const shape = whatsappShape(reply);
  const body = { text: reply.text === "" ? "Please choose:" : reply.text };
  if (shape === "buttons") {
    return {
      ...base,
      type: "interactive",
      interactive: {
        type: "button",
        body,
        action: { buttons: reply.options.map((o) => ({ type: "reply", reply: { id: o.id, title: o.title } })) },
      },
    };
  }
  if (shape === "list") {
    return {
      ...base,
      type: "interactive",
      interactive: {
        type: "list",
        body,
        action: {
          button: LIST_BUTTON_LABEL,
          sections: [{ title: "Options", rows: reply.options.map((o) => ({ id: o.id, title: o.title })) }],
        },
      },
    };
  }
  return { ...base, type: "text", text: { preview_url: false, body: numberedText(reply) } };
}

/** The form fields of Twilio's Create Message request for one reply. */
export function twilioFields(text: string, from: string, to: string, statusCallback: string): Record<string, string> {
  return { To: to, From: from, Body: text, StatusCallback: statusCallback };
}

/** The body sent to a customer's own gateway (an HTTP sender's outbound URL). */
export function httpGatewayBody(
  reply: Pick<Reply, "text" | "options" | "style">,
  from: string,
  to: string,
  id: string,
) {
  return { id, from, to, text: reply.text, options: reply.options, style: reply.style };
}
