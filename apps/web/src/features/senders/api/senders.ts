import type { Sender, SenderInput } from "@switchboard/contracts/senders";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get } from "../../../lib/api-client";

export const senderKeys = { all: ["senders"] as const };

export const sendersQuery = () =>
  queryOptions({ queryKey: senderKeys.all, queryFn: () => get<{ items: Sender[]; total: number }>("/api/v1/senders") });

export const useSenders = () => useQuery(sendersQuery());

export function useCreateSender() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SenderInput) => api<Sender>("POST", "/api/v1/senders", input),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: senderKeys.all }),
  });
}
