import { sender, senderInput, senderList, senderParams, senderPatch } from "@switchboard/contracts/senders";
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
      handler: () => senders.list(),
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
      handler: ({ body }) => senders.create(body),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/senders/:senderId",
      tag,
      summary: "Get a sender",
      params: senderParams,
      response: sender,
      handler: ({ params }) => senders.get(params.senderId),
    }),
    route({
      method: "patch",
      access: "admin",
      path: "/api/v1/senders/:senderId",
      tag,
      summary: "Change a sender's name or address",
      params: senderParams,
      body: senderPatch,
      response: sender,
      errors: [409],
      handler: ({ params, body }) => senders.update(params.senderId, body),
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
