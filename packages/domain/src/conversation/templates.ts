import { CHATBOT_DOCUMENT_KIND, type ChatbotDocument, type DocumentEntry } from "./chatbot-document";
import { FLOW_FORMAT } from "./flow-format";

export interface ChatbotTemplate {
  id: string;
  name: string;
  description: string;
  document: ChatbotDocument;
}

const RECEIVER = "https://example.com/webhooks/switchboard";

const option = (keyword: string, menuText: string, to: string, webhook = false): DocumentEntry => ({
  keyword,
  menuText,
  redirectType: "interaction",
  redirectTo: { node: to },
  attribute: null,
  webhookEnabled: webhook,
  webhook: webhook ? { url: RECEIVER, body: { source: "chatbot", plan: menuText }, headers: [] } : null,
});

/**
 * The spec's EliPackage streaming menu: three memberships whose choice is sent to a webhook (the toggle), the name
 * question answered by free text (Redirect Type Webhook), and a hand-off to a raffle campaign. The raffle is named,
 * not numbered: an installation with a campaign called "Raffle" gets it, any other leaves Redirect To for the marketer.
 */
const streaming: ChatbotDocument = {
  kind: CHATBOT_DOCUMENT_KIND,
  format: FLOW_FORMAT,
  name: "EliPackage streaming menu",
  channel: "sms",
  sender: null,
  nodes: [
    {
      ref: "n1",
      kind: "welcome",
      label: "Welcome Message",
      message: "Welcome to EliPackage, enter the best option for streaming membership:",
      confirmationText: null,
      entries: [
        option("1", "One month", "n2", true),
        option("2", "Six months", "n2", true),
        option("3", "One year", "n2", true),
      ],
    },
    {
      ref: "n2",
      kind: "interaction",
      label: "Interaction 1",
      message: "Great choice! Can you enter your name, please?",
      confirmationText: "Thank you, we will contact you shortly.",
      entries: [
        {
          keyword: "1",
          menuText: null,
          redirectType: "webhook",
          redirectTo: null,
          attribute: null,
          webhookEnabled: false,
          webhook: { url: RECEIVER, body: { source: "chatbot", question: "name" }, headers: [] },
        },
      ],
    },
    {
      ref: "n3",
      kind: "interaction",
      label: "Interaction 2",
      message: "Want to enter this month's raffle?",
      confirmationText: null,
      entries: [
        {
          keyword: "1",
          menuText: "Join the raffle",
          redirectType: "campaign",
          redirectTo: { campaign: { id: "raffle", name: "Raffle" } },
          attribute: null,
          webhookEnabled: false,
          webhook: null,
        },
        option("2", "No, thanks", "n2"),
      ],
    },
  ],
};

const rating = (keyword: string, menuText: string, to: string): DocumentEntry => ({ ...option(keyword, menuText, to) });

/** A short customer survey: a rating, what to improve, and the answer saved as the contact's attribute. */
const survey: ChatbotDocument = {
  kind: CHATBOT_DOCUMENT_KIND,
  format: FLOW_FORMAT,
  name: "Customer survey",
  channel: "sms",
  sender: null,
  nodes: [
    {
      ref: "n1",
      kind: "welcome",
      label: "Welcome Message",
      message: "Thanks for shopping with us! How was your experience?",
      confirmationText: null,
      entries: [rating("1", "Great", "n2"), rating("2", "Fine", "n2"), rating("3", "Poor", "n3")],
    },
    {
      ref: "n2",
      kind: "interaction",
      label: "Interaction 1",
      message: "Glad to hear it! Anything we could do even better?",
      confirmationText: null,
      entries: [
        {
          keyword: "1",
          menuText: null,
          redirectType: "attribute",
          redirectTo: { node: "n4" },
          attribute: "improvement",
          webhookEnabled: false,
          webhook: null,
        },
      ],
    },
    {
      ref: "n3",
      kind: "interaction",
      label: "Interaction 2",
      message: "Sorry about that. What went wrong?",
      confirmationText: "Thank you, our team will look into it.",
      entries: [
        {
          keyword: "1",
          menuText: null,
          redirectType: "webhook",
          redirectTo: null,
          attribute: null,
          webhookEnabled: false,
          webhook: { url: RECEIVER, body: { source: "survey", topic: "complaint" }, headers: [] },
        },
      ],
    },
    {
      ref: "n4",
      kind: "interaction",
      label: "Interaction 3",
      message: "Thank you for your answers, {{improvement}} is noted!",
      confirmationText: null,
      entries: [],
    },
  ],
};

export const chatbotTemplates: readonly ChatbotTemplate[] = [
  {
    id: "elipackage-streaming",
    name: "EliPackage streaming menu",
    description: "Membership options sent to a webhook, the name question, and a hand-off to a raffle.",
    document: streaming,
  },
  {
    id: "customer-survey",
    name: "Customer survey",
    description: "A rating, a follow-up question saved on the contact, and complaints sent to a webhook.",
    document: survey,
  },
];
