import { campaignParams } from "@switchboard/contracts/campaigns";
import { report, reportAnswers, reportAnswersQuery, reportQuery } from "@switchboard/contracts/reports";
import { route } from "../http/route";
import type { ReportService } from "./report-service";

export function reportRoutes(reports: ReportService) {
  const tag = "Reports";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/report",
      tag,
      summary: "A chatbot's report",
      description:
        "Participants, conversations, messages per day, the funnel of its nodes, the answers per option and each option's webhook health, over local days of the installation's time zone (`REPORT_TIME_ZONE`). Read from rollups kept as messages and attempts are written; simulator conversations are not counted. Example: `GET /api/v1/campaigns/13010/report?from=2024-06-01&to=2024-06-30&granularity=day`.",
      params: campaignParams,
      query: reportQuery,
      response: report,
      handler: ({ params, query }) => reports.report(params.campaignId, query),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/report/answers",
      tag,
      summary: "The free-text answers to one question",
      description:
        "What end users answered a Webhook or Attribute question, newest first, 25 a page; `q` keeps the answers that contain it. Example: `GET /api/v1/campaigns/13010/report/answers?entryId=<entry>&q=gmail`.",
      params: campaignParams,
      query: reportAnswersQuery,
      response: reportAnswers,
      handler: ({ params, query }) => reports.answers(params.campaignId, query),
    }),
  ];
}
