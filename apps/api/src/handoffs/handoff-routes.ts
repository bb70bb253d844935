import { campaignParams } from "@switchboard/contracts/campaigns";
import { sendTestResult } from "@switchboard/contracts/deliveries";
import {
  handoffSettings,
  handoffSettingsInput,
  raffleEntryList,
  raffleEntryQuery,
  rafflePayloadDoc,
  raffleResults,
  signingSecretShown,
  surveyPayloadDoc,
  surveyResponseList,
  surveyResponseQuery,
  surveyResults,
} from "@switchboard/contracts/handoffs";
import type { DeliveryService } from "../delivery/delivery-service";
import type { OutgoingWebhook } from "../http/openapi";
import { route } from "../http/route";
import type { HandoffService } from "./handoff-service";

export function handoffRoutes(handoffs: HandoffService, deliveries: Pick<DeliveryService, "sendTest">) {
  const tag = "Campaign hand-offs";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/handoff",
      tag,
      summary: "Get a hand-off campaign's settings",
      description:
        "Raffle Giveaway (prizes with what is awarded and left, how winners are drawn, messages), Polls & Surveys and Web Polls & Surveys (questions, messages, one response per phone number unless allowed). Before the first save, the type's defaults. 409 for a chatbot.",
      params: campaignParams,
      response: handoffSettings,
      errors: [409],
      handler: ({ params }) => handoffs.get(params.campaignId),
    }),
    route({
      method: "put",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId/handoff",
      tag,
      summary: "Save a hand-off campaign's settings",
      description:
        "`type` must be the campaign's. A prize's quantity cannot go below what was awarded. The optional `webhook` fires once per completed raffle entry (`won`, `prize`) or survey response (`answers` keyed by question key) — see the RaffleWebhookPayload and SurveyWebhookPayload schemas — signed (Standard Webhooks) and retried like every webhook; its signing secret is made on the first save with a webhook and shown by the signing-secret operation.",
      params: campaignParams,
      body: handoffSettingsInput,
      response: handoffSettings,
      status: 200,
      errors: [409],
      handler: ({ params, body }) => handoffs.put(params.campaignId, body),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId/handoff/webhook/signing-secret",
      tag,
      summary: "Make a new signing secret for the campaign's webhook (shown once)",
      params: campaignParams,
      response: signingSecretShown,
      status: 200,
      errors: [409],
      handler: ({ params }) => handoffs.rotateSigningSecret(params.campaignId),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId/handoff/webhook/test",
      tag,
      summary: "Send test of the campaign's webhook",
      description:
        "A sample raffle entry (won, the first prize) or survey response (a sample answer per question) through the same sender as production, once, labelled test; answers with the receiver's reply.",
      params: campaignParams,
      response: sendTestResult,
      status: 200,
      errors: [409],
      handler: async ({ params, request }) =>
        deliveries.sendTest(await handoffs.webhookForTest(params.campaignId), request.requestId),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/raffle/results",
      tag,
      summary: "A raffle's participants, winners and prizes left",
      params: campaignParams,
      response: raffleResults,
      errors: [409],
      handler: ({ params }) => handoffs.raffleResults(params.campaignId),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/raffle/entries",
      tag,
      summary: "A raffle's participants (winners with `won=true`), in order of entry",
      params: campaignParams,
      query: raffleEntryQuery,
      response: raffleEntryList,
      errors: [409],
      handler: ({ params, query }) => handoffs.raffleEntries(params.campaignId, query),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/raffle/entries.csv",
      tag,
      summary: "Export a raffle's participants and winners as CSV",
      params: campaignParams,
      download: { type: "text/csv", filename: (p: { campaignId: number }) => `raffle-${p.campaignId}-entries.csv` },
      status: 200,
      errors: [409],
      handler: ({ params }) => handoffs.raffleEntriesCsv(params.campaignId),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/survey/results",
      tag,
      summary: "A survey's results per question (chat and web answers together)",
      params: campaignParams,
      response: surveyResults,
      errors: [409],
      handler: ({ params }) => handoffs.surveyResults(params.campaignId),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/survey/responses",
      tag,
      summary: "A survey's completed responses",
      params: campaignParams,
      query: surveyResponseQuery,
      response: surveyResponseList,
      errors: [409],
      handler: ({ params, query }) => handoffs.surveyResponses(params.campaignId, query),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/survey/responses.csv",
      tag,
      summary: "Export a survey's responses as CSV (one column per question key)",
      params: campaignParams,
      download: { type: "text/csv", filename: (p: { campaignId: number }) => `survey-${p.campaignId}-responses.csv` },
      status: 200,
      errors: [409],
      handler: ({ params }) => handoffs.surveyResponsesCsv(params.campaignId),
    }),
  ];
}

const signing =
  "Signed like every webhook (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` with the campaign webhook's signing secret) and retried on the same schedule; listed under Deliveries.";

/** The payloads the hand-off campaigns' own webhooks send, for the API reference's Webhooks section. */
export const handoffWebhooks: OutgoingWebhook[] = [
  {
    name: "raffleEntry",
    summary: "A Raffle Giveaway entry was drawn",
    description: `Once per entry that was drawn (won or lost; not for an already-entered number or a raffle that is over). The spec's fields (label: the raffle's name), then \`won\` and \`prize\` (null for a loss), then the Body's extra parameters. ${signing}`,
    payload: rafflePayloadDoc,
  },
  {
    name: "surveyResponse",
    summary: "A Polls & Surveys or Web Polls & Surveys response was completed",
    description: `Once per completed response, over the chat or on the web page. The spec's fields (label: the survey's name), then \`answers\` keyed by question key (single choice and free text: a string; multiple choice: a list of the choices; number and rating: a number), then the Body's extra parameters. ${signing}`,
    payload: surveyPayloadDoc,
  },
];
