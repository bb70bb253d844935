import { campaignParams } from "@switchboard/contracts/campaigns";
import {
  deliveryDetail,
  deliveryList,
  deliveryListQuery,
  deliveryParams,
  recoverInput,
  recoverResult,
  sendTestResult,
  webhookStats,
} from "@switchboard/contracts/deliveries";
import { entryParams } from "@switchboard/contracts/flow";
import type { Actor } from "../auth/actor";
import type { FlowService } from "../flow/flow-service";
import { route } from "../http/route";
import type { DeliveryService } from "./delivery-service";

/** End users' phone numbers in full for admins only; API tokens never act as admins. */
const readerOf = (actor: Actor | null) => ({ admin: actor?.kind === "user" && actor.role === "admin" });

export function deliveryRoutes(deliveries: DeliveryService, flows: FlowService) {
  const tag = "Deliveries";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/deliveries",
      tag,
      summary: "List webhook deliveries",
      description: "Newest first; filter by campaign, entry, status or test.",
      query: deliveryListQuery,
      response: deliveryList,
      handler: ({ query, actor }) => deliveries.list(query, readerOf(actor)),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/deliveries/:deliveryId",
      tag,
      summary: "A delivery with its attempts",
      params: deliveryParams,
      response: deliveryDetail,
      handler: ({ params, actor }) => deliveries.get(params.deliveryId, readerOf(actor)),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/deliveries/:deliveryId/resend",
      tag,
      summary: "Resend a delivery",
      description: "Same webhook-id, new timestamp and signature, a full set of attempts.",
      params: deliveryParams,
      response: deliveryDetail,
      status: 200,
      errors: [409],
      handler: ({ params, actor }) => deliveries.resend(params.deliveryId, readerOf(actor)),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/deliveries/recover",
      tag,
      summary: "Send again everything that failed since a moment",
      description: "At most 30 days back and 1,000 deliveries per call; `remaining` says whether to call again.",
      body: recoverInput,
      response: recoverResult,
      status: 200,
      handler: ({ body }) => deliveries.recover(body),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/webhook-stats",
      tag,
      summary: "Per entry: deliveries, success rate, latency, failing",
      params: campaignParams,
      response: webhookStats,
      handler: ({ params }) => deliveries.stats(params.campaignId),
    }),
    route({
      method: "post",
      access: "marketer",
      path: "/api/v1/campaigns/:campaignId/nodes/:nodeId/entries/:entryId/webhook/test",
      tag: "Webhooks",
      summary: "Send test",
      description:
        "Sample values through the same sender as production, once, labelled test; answers with the receiver's reply. 409 when a secret it carries may not be sent to the URL's host.",
      params: entryParams,
      response: sendTestResult,
      status: 200,
      errors: [409],
      handler: async ({ params, request }) =>
        deliveries.sendTest(
          await flows.webhookForTest(params.campaignId, params.nodeId, params.entryId),
          request.requestId,
        ),
    }),
  ];
}
