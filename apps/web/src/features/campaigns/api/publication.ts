import type { Publication } from "@switchboard/contracts/messages";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, get } from "../../../lib/api-client";
import { campaignKeys } from "./campaigns";

export const publicationQuery = (campaignId: number) =>
  queryOptions({
    queryKey: [...campaignKeys.all, campaignId, "publication"] as const,
    queryFn: () => get<Publication>(`/api/v1/campaigns/${campaignId}/publication`),
  });

export const usePublication = (campaignId: number, enabled: boolean) =>
  useQuery({ ...publicationQuery(campaignId), enabled });

export function usePublish(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Publication>("POST", `/api/v1/campaigns/${campaignId}/publish`),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
