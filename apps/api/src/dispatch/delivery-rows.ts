// The shapes a delivery has on its way out, shared by the runtime (which commits them), the handoffs, the dispatcher
// and its thread: one definition, in camelCase (the claim statements name their columns so).

/** A header as a delivery stores it: secret values sealed, admin-made secret headers by reference. */
export interface StoredHeader {
  name: string;
  value: string;
  secret: boolean;
  secretHeaderId?: string | null;
}

/**
 * A delivery a conversation turn just committed, whole: what the dispatcher needs to send it without reading its row.
 * When the handoff claims at insert (decision 0017), it is committed already claimed: attempt 1, leased.
 */
export interface CommittedDelivery {
  id: string;
  /** Whose report counts its attempts. */
  campaignId: number;
  entryId: string;
  url: string;
  headers: StoredHeader[];
  payload: string;
  test: boolean;
  signingSecret: string | null;
  attempts: number;
  integrationId: string | null;
  /**
   * `message`: an outbound message to an end user, sent as stored (its provider's body and headers, no webhook
   * signature), after every earlier message of its conversation (decision 0022). Absent: a webhook.
   */
  kind?: "webhook" | "message";
}

/**
 * A delivery claimed for an attempt, with its endpoint's signing secrets as they are now (not when the event
 * happened): a rotation signs every later attempt, with both secrets during its overlap.
 */
export interface ClaimedDelivery extends CommittedDelivery {
  currentSecret: string | null;
  previousSecret: string | null;
  /**
   * A WhatsApp message claimed from the outbox (a retry, or one that waited for an earlier one): when its user last
   * wrote to the sender, read at claim time, for the 24-hour window. Absent for everything else, and for messages a
   * turn hands over at insert (they answer the inbound message just recorded).
   */
  serviceWindow?: { lastInboundAt: Date | null } | undefined;
}
