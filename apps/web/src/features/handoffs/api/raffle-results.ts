import type { raffleResults } from "@switchboard/contracts/handoffs";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../../../lib/api-client";
import { handoffKeys } from "./handoff-settings";

export const useRaffleResults = (campaignId: number) =>
  useQuery({
    queryKey: handoffKeys.results(campaignId),
    queryFn: () => get<z.infer<typeof raffleResults>>(`/api/v1/campaigns/${campaignId}/raffle/results`),
  });

export const raffleEntriesCsvUrl = (campaignId: number) => `/api/v1/campaigns/${campaignId}/raffle/entries.csv`;
