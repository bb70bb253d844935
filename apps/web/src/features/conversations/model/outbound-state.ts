import type { OutboundMessage } from "@switchboard/contracts/channels";

type State = OutboundMessage["state"];

/** Each outbound message's state in the product's words, the text beside the badge's colour. */
export const outboundStateLabels: Record<State, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  refused: "Refused",
  cancelled: "Cancelled",
};

/** The shared badge colour of each state: on its way, arrived, failed, or given up. */
export const outboundStateBadge: Record<State, string> = {
  queued: "badge-pending",
  sending: "badge-sending",
  sent: "badge-sending",
  delivered: "badge-delivered",
  read: "badge-delivered",
  failed: "badge-failed",
  refused: "badge-failed",
  cancelled: "badge-ended",
};
