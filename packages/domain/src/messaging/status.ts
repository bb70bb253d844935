/** What providers report of a message we sent, mapped to our words (Twilio's and Meta's names differ). */
export type ProviderStatus = "sent" | "delivered" | "read" | "failed";

const twilio: Record<string, ProviderStatus> = {
  queued: "sent",
  accepted: "sent",
  sending: "sent",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
  undelivered: "failed",
};

/** Twilio's MessageStatus (queued, sent, delivered, undelivered, failed, read…); null for one we do not track. */
export const fromTwilioStatus = (status: string): ProviderStatus | null => twilio[status.toLowerCase()] ?? null;

/** Meta's statuses[].status (sent, delivered, read, failed); null for others (deleted, warning…). */
export const fromWhatsappStatus = (status: string): ProviderStatus | null =>
  status === "sent" || status === "delivered" || status === "read" || status === "failed" ? status : null;

const rank: Record<ProviderStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Whether a reported status replaces the stored one: callbacks arrive out of order (delivered after read), so a status
 * never goes back; failed is final.
 */
export function statusAdvances(stored: string | null, reported: ProviderStatus): boolean {
  if (stored === null) return true;
  const before = rank[stored as ProviderStatus] ?? 0;
  return rank[reported] > before && stored !== "failed";
}
