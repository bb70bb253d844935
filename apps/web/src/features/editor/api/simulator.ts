import type { simulatorResult } from "@switchboard/contracts/messages";
import { useMutation } from "@tanstack/react-query";
import type { z } from "zod";
import { api } from "../../../lib/api-client";

export type SimulatorResult = z.infer<typeof simulatorResult>;

/** One end-user message to the draft chatbot, through the runtime's simulator channel. */
export function useSimulator(campaignId: number) {
  return useMutation({
    mutationFn: (input: { phoneNumber: string; text: string; replyId?: string }) =>
      api<SimulatorResult>("POST", `/api/v1/campaigns/${campaignId}/simulator`, input),
  });
}
