import { campaign, campaignParams } from "@switchboard/contracts/campaigns";
import { chatbotDocument, importInput, importPlan } from "@switchboard/contracts/chatbot-documents";
import { chatbotTemplateList, fromTemplateInput } from "@switchboard/contracts/templates";
import { writerOf } from "../auth/actor";
import { route } from "../http/route";
import type { ExchangeService } from "./exchange-service";

export function exchangeRoutes(exchange: ExchangeService) {
  const tag = "Import and export";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/export",
      tag,
      summary: "Export a chatbot as a file",
      description:
        "The draft's nodes, entries and webhooks as a JSON document with its format. Never a secret value: an inline secret header by its name only, an admin-made one by id and label, no signing secret.",
      params: campaignParams,
      response: chatbotDocument,
      errors: [409],
      handler: ({ params }) => exchange.export(params.campaignId),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaign-imports/plan",
      tag,
      summary: "Check an import before doing it",
      description:
        "Lists what the file points at outside itself (sender, campaigns, integrations, secret headers, secret values), what this installation suggests for each and whether the mapping answers it, and every problem with its path. Writes nothing.",
      body: importInput,
      response: importPlan,
      status: 200,
      handler: ({ body, actor }) => exchange.plan(body, writerOf(actor)),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaign-imports",
      tag,
      summary: "Import a chatbot as a new campaign",
      description:
        "Creates a Draft chatbot from the file with the mapping. Refused (400) with every problem and its path when anything is unmapped or breaks a rule; then nothing is created.",
      body: importInput,
      response: campaign,
      handler: ({ body, actor }) => exchange.import(body, writerOf(actor)),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/chatbot-templates",
      tag,
      summary: "List chatbot templates",
      response: chatbotTemplateList,
      handler: async () => exchange.templates(),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/chatbot-templates/campaigns",
      tag,
      summary: "New chatbot from a template",
      description:
        "Creates a Draft chatbot from a template on the sender's channel. A campaign the template hands off to is found by name (a Raffle); when this installation has none, that Redirect To stays empty for the marketer.",
      body: fromTemplateInput,
      response: campaign,
      errors: [404],
      handler: ({ body, actor }) => exchange.fromTemplate(body, writerOf(actor)),
    }),
  ];
}
