import {
  campaign,
  campaignInput,
  campaignList,
  campaignListQuery,
  campaignParams,
  campaignPatch,
} from "@switchboard/contracts/campaigns";
import { route } from "../http/route";
import type { CampaignService } from "./campaign-service";

export function campaignRoutes(campaigns: CampaignService) {
  const tag = "Campaigns";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns",
      tag,
      summary: "List campaigns",
      description: "Newest first. `q` matches the name (any case) or the id.",
      query: campaignListQuery,
      response: campaignList,
      handler: ({ query }) => campaigns.list(query),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaigns",
      tag,
      summary: "Create a campaign",
      description: "A chatbot starts with its Welcome Message and 3 Interactions (SMS) or 5 (WhatsApp).",
      body: campaignInput,
      response: campaign,
      errors: [409],
      handler: ({ body }) => campaigns.create(body),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId",
      tag,
      summary: "Get a campaign",
      params: campaignParams,
      response: campaign,
      handler: ({ params }) => campaigns.get(params.campaignId),
    }),
    route({
      method: "patch",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId",
      tag,
      summary: "Change a campaign",
      description:
        "Type and channel are fixed at creation. Send `revision` to be refused (409) if someone saved in between. Ending a campaign that active, published chatbots redirect to is refused (409, with `references`).",
      params: campaignParams,
      body: campaignPatch,
      response: campaign,
      errors: [409],
      handler: ({ params, body }) => campaigns.update(params.campaignId, body),
    }),
    route({
      method: "delete",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId",
      tag,
      summary: "Delete a campaign",
      description: "Refused (409, with `references`) while other campaigns' entries redirect to it.",
      params: campaignParams,
      errors: [409],
      handler: ({ params }) => campaigns.delete(params.campaignId),
    }),
  ];
}
