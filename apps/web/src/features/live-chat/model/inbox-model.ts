/** The document title: the unread count first, so it shows in a background tab. */
export function inboxTitle(unread: number): string {
  return unread > 0 ? `(${unread}) Inbox — Switchboard` : "Inbox — Switchboard";
}

/** Enter sends; Shift+Enter (and Enter while an input method composes) starts a new line. */
export function sendsOnKey(e: { key: string; shiftKey: boolean; isComposing?: boolean }): boolean {
  return e.key === "Enter" && !e.shiftKey && !e.isComposing;
}

/** "4 min", "1 h 5 min", "12 s": how long someone has waited. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const transcriptKindLabels = { bot: "Bot", user: "User", agent: "Agent", system: "Event" } as const;

export const deliveryStateLabels: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  refused: "Refused",
  cancelled: "Cancelled",
};
