import type { Campaign, CampaignInput, CampaignPatch } from "@switchboard/contracts/campaigns";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { campaignKeys } from "../../../api/campaigns";
import { api } from "../../../lib/api-client";

export function useUpdateCampaign(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: CampaignPatch) => api<Campaign>("PATCH", `/api/v1/campaigns/${id}`, patch),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}

export function useCreateCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignInput) => api<Campaign>("POST", "/api/v1/campaigns", input),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
