import { campaignParams } from "@switchboard/contracts/campaigns";
import {
  campaignSessionsParams,
  type InboundMessage,
  type InboundResult,
  inboundMessage,
  inboundResult,
  sessionList,
  sessionListQuery,
  sessionParams,
  simulatorMessage,
  simulatorResult,
  transcript,
} from "@switchboard/contracts/messages";
import type { CampaignService } from "../campaigns/campaign-service";
import { route } from "../http/route";
import type { SenderService } from "../senders/sender-service";
import type { RuntimeService } from "./runtime-service";
import type { TranscriptService } from "./transcript-service";

/** Channel traffic: nearly every request the API serves. */
export const INBOUND_PATH = "/api/v1/messages/inbound";

export function runtimeRoutes(
  runtime: RuntimeService,
  transcripts: TranscriptService,
  campaigns: CampaignService,
  senders: SenderService,
  /** Where channel traffic goes: the channels service (an HTTP sender's outbound URL), or straight to the runtime. */
  inbound: (
    message: InboundMessage,
    request: { origin: string; requestId: string | undefined },
  ) => Promise<InboundResult> = (message, request) => runtime.receive(message, request),
) {
  return [
    route({
      method: "post",
      access: "inbound",
      audit: false,
      path: INBOUND_PATH,
      tag: "Conversations",
      summary: "Receive an end user's message",
      description:
        "Called by channel providers. A trigger keyword starts its chatbot, a live session continues, Auto-Reply answers anything else. The response lists the bot's replies, which are also stored. A repeated `messageId` from the same phone number gets the original result and is processed once; the same `messageId` from another number of that sender is refused with 409 and nothing is done. The sender's opt-out keywords (STOP, START, HELP… by default) are honoured: the confirmation is the only reply, and an opted-out number gets no replies until it opts in.",
      body: inboundMessage,
      response: inboundResult,
      status: 200,
      errors: [409],
      handler: ({ body, request }) => inbound(body, request),
    }),
    route({
      method: "post",
      access: "marketer",
      audit: false,
      path: "/api/v1/campaigns/:campaignId/simulator",
      tag: "Conversations",
      summary: "Chat with the draft chatbot (live preview)",
      description:
        "Same engine and storage as real traffic, on the draft, marked test; answers also list the webhooks the turn queued. A Raffle Giveaway, Polls & Surveys or Web Polls & Surveys campaign plays its saved settings as if active; a simulated raffle entry takes no prize.",
      params: campaignParams,
      body: simulatorMessage,
      response: simulatorResult,
      status: 200,
      errors: [409],
      handler: async ({ params, body, request }) => {
        const campaign = await campaigns.get(params.campaignId);
        const sender = await senders.get(campaign.senderId);
        return runtime.simulate(
          { id: campaign.id, channel: campaign.channel, senderAddress: sender.address },
          body,
          request.origin,
        );
      },
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/campaigns/:campaignId/sessions",
      tag: "Conversations",
      summary: "List a campaign's conversations",
      params: campaignSessionsParams,
      query: sessionListQuery,
      response: sessionList,
      handler: ({ params, query }) => transcripts.sessions(params.campaignId, query),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/sessions/:sessionId",
      tag: "Conversations",
      summary: "Read a conversation's transcript",
      params: sessionParams,
      response: transcript,
      handler: ({ params }) => transcripts.transcript(params.sessionId),
    }),
  ];
}
