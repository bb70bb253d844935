import type { FlowComparison, FlowVersionSummary } from "@switchboard/contracts/versions";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { campaignKeys } from "../../../api/campaigns";
import { api, get } from "../../../lib/api-client";

const base = (campaignId: number) => `/api/v1/campaigns/${campaignId}/versions`;

export const versionsKey = (campaignId: number) => ["versions", campaignId] as const;

export const useVersions = (campaignId: number) =>
  useQuery({
    queryKey: versionsKey(campaignId),
    queryFn: () => get<{ items: FlowVersionSummary[] }>(base(campaignId)),
  });

/** The changes from one version to another in the marketer's words; 0 is the current draft. */
export const useComparison = (campaignId: number, pair: { from: number; to: number } | null) =>
  useQuery({
    queryKey: [...versionsKey(campaignId), "compare", pair?.from, pair?.to] as const,
    queryFn: () => get<FlowComparison>(`${base(campaignId)}/compare?from=${pair?.from}&to=${pair?.to}`),
    enabled: pair !== null,
  });

export function useRestore(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api<unknown>("POST", `${base(campaignId)}/${version}/restore`, {}),
    onSuccess: async () => {
      // The draft is the restored version now: the editor and Draft-vs-published read it afresh.
      await client.invalidateQueries({ queryKey: ["flow", campaignId] });
      await client.invalidateQueries({ queryKey: campaignKeys.all });
      await client.invalidateQueries({ queryKey: versionsKey(campaignId) });
    },
  });
}
