import type { deliveryList, sendTestResult, webhookStats } from "@switchboard/contracts/deliveries";
import type { Settings } from "@switchboard/contracts/settings";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { api, get } from "../../../lib/api-client";

const entryPath = (campaignId: number, nodeId: string, entryId: string) =>
  `/api/v1/campaigns/${campaignId}/nodes/${nodeId}/entries/${entryId}`;

export const useSettings = () =>
  useQuery({
    queryKey: ["settings"],
    queryFn: () => get<Settings>("/api/v1/settings"),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Per-entry delivery health: drives the red link icon. */
export const useWebhookStats = (campaignId: number) =>
  useQuery({
    queryKey: ["webhook-stats", campaignId],
    queryFn: () => get<z.infer<typeof webhookStats>>(`/api/v1/campaigns/${campaignId}/webhook-stats`),
    refetchInterval: 30_000,
  });

export const useRecentDeliveries = (campaignId: number, entryId: string) =>
  useQuery({
    queryKey: ["deliveries", "list", { campaignId: String(campaignId), entryId, recent: true }],
    queryFn: () =>
      get<z.infer<typeof deliveryList>>(
        `/api/v1/deliveries?${new URLSearchParams({ campaignId: String(campaignId), entryId, limit: "5" })}`,
      ),
    refetchInterval: 10_000,
  });

export function useSendTest(campaignId: number, nodeId: string, entryId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<z.infer<typeof sendTestResult>>("POST", `${entryPath(campaignId, nodeId, entryId)}/webhook/test`),
    // A refusal naming a field (a host a secret may not reach) is shown beside that field by the panel.
    meta: { fieldErrors: true },
    onSettled: () => client.invalidateQueries({ queryKey: ["deliveries"] }),
  });
}

export function useEnableWebhook(campaignId: number, nodeId: string, entryId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api("POST", `${entryPath(campaignId, nodeId, entryId)}/webhook/enable`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["flow", campaignId] }),
  });
}
