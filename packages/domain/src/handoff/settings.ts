import { defaultRaffleMessages, type RaffleSettings } from "./raffle";
import { defaultSurveyMessages, type Question, type SurveyMessages } from "./survey";
import { LINK_VALID_HOURS_DEFAULT } from "./web-poll-link";

/** The type's own webhook: fired once per completed entry or response. */
export interface HandoffWebhook {
  url: string;
  /** Extra parameters beside the standard fields, as on menu entries. */
  body: Record<string, unknown>;
  headers: { name: string; value: string }[];
}

export interface SurveySettings {
  questions: Question[];
  messages: SurveyMessages;
  /** One response per phone number unless this is on. */
  allowMultipleResponses: boolean;
}

export interface WebSurveySettings extends SurveySettings {
  /** The page's title. */
  title: string;
  /** The chat message that carries the link; `{{link}}` is replaced by it. */
  linkMessage: string;
  linkValidHours: number;
}

export type HandoffSettings =
  | ({ type: "raffle_giveaway"; webhook: HandoffWebhook | null } & RaffleSettings)
  | ({ type: "polls_surveys"; webhook: HandoffWebhook | null } & SurveySettings)
  | ({ type: "web_polls_surveys"; webhook: HandoffWebhook | null } & WebSurveySettings);

export type HandoffType = HandoffSettings["type"];
export const handoffTypes = ["raffle_giveaway", "polls_surveys", "web_polls_surveys"] as const;

/** The format the settings are stored with; older formats are read through readHandoffSettings. */
export const HANDOFF_SETTINGS_FORMAT = 1;

/** A stored settings document as the current format (only format 1 exists so far). */
export function readHandoffSettings(stored: unknown): HandoffSettings {
  const doc = stored as { format?: number; settings?: HandoffSettings };
  if (doc.format !== HANDOFF_SETTINGS_FORMAT || !doc.settings) {
    throw new Error(`Unknown hand-off settings format ${String(doc.format)}.`);
  }
  return doc.settings;
}

export function writeHandoffSettings(settings: HandoffSettings): { format: number; settings: HandoffSettings } {
  return { format: HANDOFF_SETTINGS_FORMAT, settings };
}

/** What a campaign of each type holds before its first save: a form the marketer fills in. */
export function defaultHandoffSettings(type: HandoffType): HandoffSettings {
  const survey: SurveySettings = {
    questions: [
      {
        key: "q1",
        type: "single_choice",
        text: "How did you hear about us?",
        choices: ["Friends", "Social media", "Other"],
        reprompt: null,
      },
    ],
    messages: { ...defaultSurveyMessages },
    allowMultipleResponses: false,
  };
  switch (type) {
    case "raffle_giveaway":
      return {
        type,
        webhook: null,
        prizes: [{ name: "Prize", quantity: 1 }],
        draw: { mode: "instant", winProbability: 0.1 },
        messages: { ...defaultRaffleMessages },
      };
    case "polls_surveys":
      return { type, webhook: null, ...survey };
    case "web_polls_surveys":
      return {
        type,
        webhook: null,
        ...survey,
        title: "Survey",
        linkMessage: "Please answer our short survey: {{link}}",
        linkValidHours: LINK_VALID_HOURS_DEFAULT,
      };
  }
}
