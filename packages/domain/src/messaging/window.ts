/** WhatsApp's customer-service window: free-form messages only within 24 hours of the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const OUTSIDE_WINDOW_REASON =
  "Outside WhatsApp's 24-hour customer service window: only an approved template may be sent, and templates are not supported yet.";

export function insideServiceWindow(lastInboundAt: Date | null, now: Date): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < SERVICE_WINDOW_MS;
}
