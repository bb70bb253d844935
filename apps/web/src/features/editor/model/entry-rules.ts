import type { MenuEntry } from "@switchboard/contracts/flow";
import { webhookToggleAvailable } from "@switchboard/domain/menu-entry";
import { redirectTargetKind, redirectTypeLabels } from "@switchboard/domain/redirect-type";

type EntryFields = Pick<MenuEntry, "redirectType" | "redirectTo" | "webhookEnabled">;

/** Why a control of the row is unavailable, in words the row shows beside it; null when it is available. */
export interface Availability {
  menuText: string | null;
  redirectTo: string | null;
  webhookToggle: string | null;
}

export function availability(entry: EntryFields): Availability {
  const type = entry.redirectType;
  if (type === "webhook") {
    const why = "Not available: with Redirect Type Webhook this entry asks a question and sends the answer.";
    return { menuText: why, redirectTo: why, webhookToggle: "The Webhook redirect type always sends a webhook." };
  }
  const redirectTo =
    type === null
      ? "Choose a Redirect Type first."
      : redirectTargetKind[type] === null
        ? `Not available with Redirect Type ${redirectTypeLabels[type]}.`
        : null;
  const webhookToggle =
    entry.webhookEnabled || webhookToggleAvailable(entry)
      ? null
      : "Set Redirect Type and Redirect To first: the webhook fires when this option is chosen, then the redirect happens.";
  return { menuText: null, redirectTo, webhookToggle };
}
