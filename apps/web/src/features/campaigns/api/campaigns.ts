import type { Campaign, CampaignInput, CampaignPatch } from "@switchboard/contracts/campaigns";
import type { CampaignStatus, CampaignType, Channel } from "@switchboard/domain/campaign";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get } from "../../../lib/api-client";

export interface CampaignFilters {
  q?: string;
  type?: CampaignType;
  channel?: Channel;
  status?: CampaignStatus;
  limit?: number;
}

export const campaignKeys = {
  all: ["campaigns"] as const,
  list: (filters: CampaignFilters) => ["campaigns", "list", filters] as const,
};

export const campaignsQuery = (filters: CampaignFilters) =>
  queryOptions({
    queryKey: campaignKeys.list(filters),
    queryFn: () => {
      const params = new URLSearchParams(
        Object.entries(filters)
          .filter(([, v]) => v)
          .map(([k, v]) => [k, String(v)]),
      );
      return get<{ items: Campaign[]; total: number }>(`/api/v1/campaigns?${params}`);
    },
    placeholderData: keepPreviousData,
  });

export const useCampaigns = (filters: CampaignFilters) => useQuery(campaignsQuery(filters));

export const campaignQuery = (id: number) =>
  queryOptions({
    queryKey: [...campaignKeys.all, id] as const,
    queryFn: () => get<Campaign>(`/api/v1/campaigns/${id}`),
  });

export const useCampaign = (id: number) => useQuery(campaignQuery(id));

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
