import type { HandoffSettings, HandoffSettingsInput } from "@switchboard/contracts/handoffs";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get } from "../../../lib/api-client";

export const handoffKeys = {
  settings: (campaignId: number) => ["handoff", campaignId, "settings"] as const,
  results: (campaignId: number) => ["handoff", campaignId, "results"] as const,
};

export const useHandoffSettings = (campaignId: number) =>
  useQuery({
    queryKey: handoffKeys.settings(campaignId),
    queryFn: () => get<HandoffSettings>(`/api/v1/campaigns/${campaignId}/handoff`),
  });

export function useSaveHandoffSettings(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: HandoffSettingsInput) =>
      api<HandoffSettings>("PUT", `/api/v1/campaigns/${campaignId}/handoff`, input),
    meta: { fieldErrors: true },
    onSuccess: (saved) => {
      client.setQueryData(handoffKeys.settings(campaignId), saved);
      return client.invalidateQueries({ queryKey: handoffKeys.results(campaignId) });
    },
  });
}
