import type { Publication, PublishInput } from "@switchboard/contracts/messages";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { campaignKeys } from "../../../api/campaigns";
import { publicationQuery } from "../../../api/publication";
import { api } from "../../../lib/api-client";

export const usePublication = (campaignId: number, enabled: boolean) =>
  useQuery({ ...publicationQuery(campaignId), enabled });

export function usePublish(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PublishInput = {}) =>
      api<Publication>("POST", `/api/v1/campaigns/${campaignId}/publish`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
