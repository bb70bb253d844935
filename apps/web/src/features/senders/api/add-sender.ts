import type { Sender, SenderInput } from "@switchboard/contracts/senders";
import { useMutation, useQueryClient } from "@tanstack/react-query";
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
