import { uuid } from "@switchboard/contracts/common";
import {
  revealedSecret,
  secretHeader,
  secretHeaderInput,
  secretHeaderList,
  secretHeaderPatch,
} from "@switchboard/contracts/secret-headers";
import { z } from "zod";
import { route } from "../http/route";
import type { SecretHeaderService } from "./secret-header-service";

export function secretHeaderRoutes(s: SecretHeaderService) {
  const tag = "Secret headers";
  const params = z.strictObject({ id: uuid });
  return [
    route({
      method: "get",
      path: "/api/v1/secret-headers",
      tag,
      access: "viewer",
      summary: "List secret headers (values masked)",
      response: secretHeaderList,
      handler: () => s.list(),
    }),
    route({
      method: "post",
      path: "/api/v1/secret-headers",
      tag,
      access: "admin",
      summary: "Create a secret header",
      body: secretHeaderInput,
      response: secretHeader,
      errors: [409],
      handler: ({ body }) => s.create(body),
    }),
    route({
      method: "patch",
      path: "/api/v1/secret-headers/:id",
      tag,
      access: "admin",
      summary: "Rename, relabel, rotate (new value) a secret header, or change the hosts it may be sent to",
      params,
      body: secretHeaderPatch,
      response: secretHeader,
      errors: [404, 409],
      handler: ({ params, body }) => s.update(params.id, body),
    }),
    route({
      method: "post",
      path: "/api/v1/secret-headers/:id/reveal",
      tag,
      access: "admin",
      audit: true,
      summary: "Reveal a secret header's value (recorded in the audit log)",
      params,
      response: revealedSecret,
      status: 200,
      errors: [404],
      handler: ({ params }) => s.reveal(params.id),
    }),
    route({
      method: "post",
      path: "/api/v1/webhook-headers/:id/reveal",
      tag,
      access: "admin",
      audit: true,
      summary: "Reveal a webhook header's secret value (recorded in the audit log)",
      params,
      response: revealedSecret,
      status: 200,
      errors: [404],
      handler: ({ params }) => s.revealWebhookHeader(params.id),
    }),
    route({
      method: "delete",
      path: "/api/v1/secret-headers/:id",
      tag,
      access: "admin",
      summary: "Delete a secret header no webhook sends",
      params,
      errors: [404, 409],
      handler: async ({ params }) => {
        await s.remove(params.id);
        return undefined;
      },
    }),
  ];
}
