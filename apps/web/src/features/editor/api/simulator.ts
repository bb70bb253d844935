import type { simulatorResult } from "@switchboard/contracts/messages";
import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { api } from "../../../lib/api-client";

export type SimulatorResult = z.infer<typeof simulatorResult>;

const SIMULATOR = "simulator";
/** How long a preview message waits for edits being saved before it goes anyway. */
const SAVE_WAIT_MS = 10_000;

/**
 * Resolves once no edit of the editor is being saved. A text field saves when it loses focus, which is exactly when
 * the marketer clicks into the preview: without this, the message could reach the server before the edit and play
 * the draft as it was.
 */
export async function editsSaved(client: QueryClient, waitMs = SAVE_WAIT_MS): Promise<void> {
  const saving = () => client.isMutating({ predicate: (m) => m.options.mutationKey?.[0] !== SIMULATOR }) > 0;
  const until = Date.now() + waitMs;
  while (saving() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/** One end-user message to the draft chatbot, through the runtime's simulator channel, once pending edits are saved. */
export function useSimulator(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: [SIMULATOR, campaignId],
    mutationFn: async (input: { phoneNumber: string; text: string; replyId?: string }) => {
      await editsSaved(client);
      return api<SimulatorResult>("POST", `/api/v1/campaigns/${campaignId}/simulator`, input);
    },
  });
}
