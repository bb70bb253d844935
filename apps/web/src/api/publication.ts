import type { Publication } from "@switchboard/contracts/messages";
import { queryOptions } from "@tanstack/react-query";
import { get } from "../lib/api-client";
import { campaignKeys } from "./campaigns";

/** A chatbot's draft against its published version: read by the Publish control, refreshed by the editor's changes. */
export const publicationQuery = (campaignId: number) =>
  queryOptions({
    queryKey: [...campaignKeys.all, campaignId, "publication"] as const,
    queryFn: () => get<Publication>(`/api/v1/campaigns/${campaignId}/publication`),
  });
