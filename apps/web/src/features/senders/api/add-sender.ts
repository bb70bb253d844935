import type { revealedCredentials, Sender, SenderInput, SenderPatch } from "@switchboard/contracts/senders";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { senderKeys } from "../../../api/senders";
import { api } from "../../../lib/api-client";

export function useCreateSender() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SenderInput) => api<Sender>("POST", "/api/v1/senders", input),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: senderKeys.all }),
  });
}

export function useUpdateSender(senderId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: SenderPatch) => api<Sender>("PATCH", `/api/v1/senders/${senderId}`, patch),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: senderKeys.all }),
  });
}

/** Admins only; the API writes the reveal to the audit log. */
export function useRevealCredentials(senderId: string) {
  return useMutation({
    mutationFn: () =>
      api<z.infer<typeof revealedCredentials>>("POST", `/api/v1/senders/${senderId}/credentials/reveal`),
  });
}
