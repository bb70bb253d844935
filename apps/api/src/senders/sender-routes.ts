import {
  revealedCredentials,
  sender,
  senderInput,
  senderList,
  senderParams,
  senderPatch,
} from "@switchboard/contracts/senders";
import { route } from "../http/route";
import type { SenderService } from "./sender-service";

export function senderRoutes(senders: SenderService) {
  const tag = "Senders";
  return [
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/senders",
      tag,
      summary: "List senders",
      response: senderList,
      handler: ({ request }) => senders.list(request.origin),
    }),
    route({
      method: "post",
      access: "admin",
      path: "/api/v1/senders",
      tag,
      summary: "Add a sender",
      body: senderInput,
      response: sender,
      errors: [409],
      handler: ({ body, request }) => senders.create(body, request.origin),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/senders/:senderId",
      tag,
      summary: "Get a sender",
      params: senderParams,
      response: sender,
      handler: ({ params, request }) => senders.get(params.senderId, request.origin),
    }),
    route({
      method: "patch",
      access: "admin",
      path: "/api/v1/senders/:senderId",
      tag,
      summary: "Change a sender's name, address, provider settings, credentials or opt-out keywords",
      description: "A credential left out keeps its stored value; the provider does not change.",
      params: senderParams,
      body: senderPatch,
      response: sender,
      errors: [409],
      handler: ({ params, body, request }) => senders.update(params.senderId, body, request.origin),
    }),
    route({
      method: "post",
      access: "admin",
      audit: true,
      path: "/api/v1/senders/:senderId/credentials/reveal",
      tag,
      summary: "Reveal a sender's provider credentials",
      description: "Admins only; every reveal is written to the audit log.",
      params: senderParams,
      response: revealedCredentials,
      status: 200,
      handler: ({ params }) => senders.revealCredentials(params.senderId),
    }),
    route({
      method: "delete",
      access: "admin",
      path: "/api/v1/senders/:senderId",
      tag,
      summary: "Delete a sender no campaign uses",
      params: senderParams,
      errors: [409],
      handler: ({ params }) => senders.delete(params.senderId),
    }),
  ];
}
