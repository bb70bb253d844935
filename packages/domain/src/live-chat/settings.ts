import type { OpeningHours } from "./opening-hours";

/** What a waiting conversation does when nobody took it in time: a message, then the bot at a node, or the end. */
export type LiveChatTimeoutAction =
  | { action: "bot"; message: string; nodeId: string }
  | { action: "end"; message: string };

/** A Live Chat entry's settings, as the marketer set them (the contracts' LiveChatSettings). */
export interface LiveChatEntrySettings {
  handoverMessage: string;
  /** null: every agent's inbox. */
  teamId: string | null;
  timeoutMinutes: number;
  openingHours: OpeningHours | null;
  onTimeout: LiveChatTimeoutAction;
}

export const DEFAULT_HANDOVER_MESSAGE = "An agent will be with you shortly.";

/** An entry published before Live Chat had settings: every agent, ten minutes, then the conversation ends. */
export const defaultLiveChatSettings: LiveChatEntrySettings = {
  handoverMessage: DEFAULT_HANDOVER_MESSAGE,
  teamId: null,
  timeoutMinutes: 10,
  openingHours: null,
  onTimeout: { action: "end", message: "Sorry, no agent is available right now. Please try again later." },
};
