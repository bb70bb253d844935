import type { Sender } from "@switchboard/contracts/senders";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { get } from "../lib/api-client";

export const senderKeys = { all: ["senders"] as const };

export const sendersQuery = () =>
  queryOptions({ queryKey: senderKeys.all, queryFn: () => get<{ items: Sender[]; total: number }>("/api/v1/senders") });

export const useSenders = () => useQuery(sendersQuery());
