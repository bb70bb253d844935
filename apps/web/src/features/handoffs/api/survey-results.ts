import type { surveyResults } from "@switchboard/contracts/handoffs";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../../../lib/api-client";
import { handoffKeys } from "./handoff-settings";

export type SurveyResultsData = z.infer<typeof surveyResults>;

export const useSurveyResults = (campaignId: number) =>
  useQuery({
    queryKey: handoffKeys.results(campaignId),
    queryFn: () => get<SurveyResultsData>(`/api/v1/campaigns/${campaignId}/survey/results`),
  });

export const surveyResponsesCsvUrl = (campaignId: number) => `/api/v1/campaigns/${campaignId}/survey/responses.csv`;
