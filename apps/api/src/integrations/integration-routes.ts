import { uuid } from "@switchboard/contracts/common";
import {
  integration,
  integrationChoices,
  integrationInput,
  integrationList,
  integrationPatch,
  rotateInput,
  signingSecretRotated,
} from "@switchboard/contracts/integrations";
import { integrationCreated, signingSecretShown } from "@switchboard/contracts/signing-secrets";
import { z } from "zod";
import { route } from "../http/route";
import type { IntegrationService } from "./integration-service";

export function integrationRoutes(s: IntegrationService) {
  const tag = "Integrations";
  const params = z.strictObject({ id: uuid });
  return [
    route({
      method: "get",
      path: "/api/v1/integrations",
      tag,
      access: "admin",
      summary: "List integrations with their URLs and headers (secret values masked)",
      response: integrationList,
      handler: () => s.list(),
    }),
    route({
      method: "get",
      path: "/api/v1/integration-choices",
      tag,
      access: "viewer",
      summary: "The integrations an Integration entry may redirect to, by alias",
      response: integrationChoices,
      handler: () => s.choices(),
    }),
    route({
      method: "post",
      path: "/api/v1/integrations",
      tag,
      access: "admin",
      summary: "Create an integration",
      description: "The answer carries its signing secret (whsec_…), shown this once; reveal it later (audited).",
      body: integrationInput,
      response: integrationCreated,
      errors: [409],
      handler: ({ body }) => s.create(body),
    }),
    route({
      method: "patch",
      path: "/api/v1/integrations/:id",
      tag,
      access: "admin",
      summary: "Change an integration",
      params,
      body: integrationPatch,
      response: integration,
      errors: [404, 409],
      handler: ({ params, body }) => s.update(params.id, body),
    }),
    route({
      method: "delete",
      path: "/api/v1/integrations/:id",
      tag,
      access: "admin",
      summary: "Delete an integration no entry redirects to",
      params,
      errors: [404, 409],
      handler: async ({ params }) => {
        await s.remove(params.id);
        return undefined;
      },
    }),
    route({
      method: "post",
      path: "/api/v1/integrations/:id/signing-secret",
      tag,
      access: "signing",
      summary: "Create a new signing secret for an integration (shown once; the old one signs too during the overlap)",
      params,
      body: rotateInput,
      response: signingSecretRotated,
      errors: [404],
      handler: ({ params, body }) => s.rotate(params.id, body.overlapHours),
    }),
    route({
      method: "post",
      path: "/api/v1/integrations/:id/signing-secret/reveal",
      tag,
      access: "admin",
      audit: true,
      summary: "Reveal an integration's signing secret (recorded in the audit log)",
      params,
      response: signingSecretShown,
      status: 200,
      errors: [404],
      handler: ({ params }) => s.revealSigningSecret(params.id),
    }),
  ];
}
