import type { Campaign } from "@switchboard/contracts/campaigns";
import type { CampaignStatus, CampaignType, Channel } from "@switchboard/domain/campaign";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { get } from "../lib/api-client";

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
