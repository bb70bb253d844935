/** WhatsApp's customer-service window: free-form messages only within 24 hours of the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function insideServiceWindow(lastInboundAt: Date | null, now: Date): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < SERVICE_WINDOW_MS;
}

/** Why a free-form WhatsApp message was not sent: shown on the message in Conversations and Deliveries. */
export function outsideWindowReason(lastInboundAt: Date | null): string {
  const last = lastInboundAt ? `the user last wrote at ${lastInboundAt.toISOString()}` : "the user never wrote to it";
  return `Outside WhatsApp's 24-hour window: ${last}; templates are not supported yet.`;
}
