import type { deliveryDetail, deliveryList, recoverResult } from "@switchboard/contracts/deliveries";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { api, get } from "../../../lib/api-client";

export interface DeliveryFilters {
  campaignId?: string;
  entryId?: string;
  status?: string;
  test?: boolean;
  /** Webhooks, or the messages sent to end users through a provider; absent: both. */
  kind?: "webhook" | "message";
}

export const deliveryKeys = {
  all: ["deliveries"] as const,
  list: (f: DeliveryFilters) => ["deliveries", "list", f] as const,
  detail: (id: string) => ["deliveries", "detail", id] as const,
};

export const useDeliveries = (filters: DeliveryFilters) =>
  useQuery({
    queryKey: deliveryKeys.list(filters),
    queryFn: () => {
      const params = new URLSearchParams();
      if (filters.campaignId) params.set("campaignId", filters.campaignId);
      if (filters.entryId) params.set("entryId", filters.entryId);
      if (filters.status) params.set("status", filters.status);
      if (filters.test !== undefined) params.set("test", String(filters.test));
      if (filters.kind) params.set("kind", filters.kind);
      return get<z.infer<typeof deliveryList>>(`/api/v1/deliveries?${params}`);
    },
    placeholderData: keepPreviousData,
    // Deliveries move on their own: keep the view current while it is open.
    refetchInterval: 5_000,
  });

export const useDelivery = (id: string | null) =>
  useQuery({
    queryKey: deliveryKeys.detail(id ?? ""),
    queryFn: () => get<z.infer<typeof deliveryDetail>>(`/api/v1/deliveries/${id}`),
    enabled: !!id,
    refetchInterval: 5_000,
  });

export function useResend() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<z.infer<typeof deliveryDetail>>("POST", `/api/v1/deliveries/${id}/resend`),
    onSuccess: () => client.invalidateQueries({ queryKey: deliveryKeys.all }),
  });
}

export function useRecover() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { since: string; campaignId?: number }) =>
      api<z.infer<typeof recoverResult>>("POST", "/api/v1/deliveries/recover", input),
    onSuccess: () => client.invalidateQueries({ queryKey: deliveryKeys.all }),
  });
}
