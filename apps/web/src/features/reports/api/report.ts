import type { Report, ReportAnswers } from "@switchboard/contracts/reports";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { get } from "../../../lib/api-client";
import type { DateRange } from "../model/report-range";

export const reportKeys = {
  report: (campaignId: number, range: DateRange | null, granularity: string) =>
    ["report", campaignId, range, granularity] as const,
  answers: (campaignId: number, entryId: string, range: DateRange | null, q: string, page: number) =>
    ["report-answers", campaignId, entryId, range, q, page] as const,
};

const rangeParams = (range: DateRange | null): Record<string, string> =>
  range ? { from: range.from, to: range.to } : {};

/** A chatbot's report; without a range, the API's default (the last 7 days up to its today). */
export const useReport = (campaignId: number, range: DateRange | null, granularity: "day" | "hour") =>
  useQuery({
    queryKey: reportKeys.report(campaignId, range, granularity),
    queryFn: () =>
      get<Report>(
        `/api/v1/campaigns/${campaignId}/report?${new URLSearchParams({ ...rangeParams(range), granularity })}`,
      ),
    placeholderData: keepPreviousData,
  });

/** One question's free-text answers, a page at a time, optionally containing `q`. */
export const useReportAnswers = (
  campaignId: number,
  entryId: string,
  range: DateRange | null,
  q: string,
  page: number,
) =>
  useQuery({
    queryKey: reportKeys.answers(campaignId, entryId, range, q, page),
    queryFn: () =>
      get<ReportAnswers>(
        `/api/v1/campaigns/${campaignId}/report/answers?${new URLSearchParams({
          entryId,
          ...rangeParams(range),
          ...(q ? { q } : {}),
          page: String(page),
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
