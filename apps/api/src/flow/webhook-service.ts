import type { webhookInput } from "@switchboard/contracts/flow";
import type { z } from "zod";
import { AppError } from "../errors/app-error";
import type { Writer } from "../secrets/header-merge";
import { rotatedSigningSecrets } from "../secrets/signing-secrets";
import { type FlowService, MARKETER } from "./flow-service";
import type { FlowStore } from "./flow-store";

/** The webhook of one entry, as its own resource: a thin view over the entry, and its signing secret. */
export function webhookService(deps: {
  flow: FlowService;
  flows: FlowStore;
  /** Seals the signing secret before it is stored. */
  seal: (plain: string) => string;
  /** Opens a stored signing secret, for the admin who creates or reveals it. */
  open: (sealed: string) => string;
  now: () => Date;
}) {
  const { flow, flows, seal, open, now } = deps;
  const secretOf = async (entryId: string) => {
    const webhook = await flows.webhookSigningSecret(entryId);
    if (!webhook?.signingSecret) throw AppError.notFound("A webhook on this entry");
    return { webhook, secret: open(webhook.signingSecret) };
  };
  return {
    async get(campaignId: number, nodeId: string, entryId: string) {
      const { nodes } = await flow.getFlow(campaignId);
      const entry = nodes.find((n) => n.id === nodeId)?.entries.find((e) => e.id === entryId);
      if (!entry) throw AppError.notFound(`Menu entry ${entryId} of node ${nodeId}`);
      if (!entry.webhook) throw AppError.notFound(`A webhook on entry ${entry.keyword}`);
      return entry.webhook;
    },
    async put(
      campaignId: number,
      nodeId: string,
      entryId: string,
      input: z.output<typeof webhookInput>,
      writer: Writer = MARKETER,
      revision?: number,
    ) {
      const existed = (await flows.webhookSigningSecret(entryId)) !== null;
      const entry = await flow.updateEntry(campaignId, nodeId, entryId, { webhook: input }, writer, revision);
      const saved = entry.webhook as NonNullable<typeof entry.webhook>;
      // The secret is shown to an admin once, on the save that created it; later only by an audited reveal.
      if (existed || !writer.mayWriteSecrets) return saved;
      return { ...saved, signingSecret: (await secretOf(entryId)).secret };
    },
    /** A menu entry's change; when it creates the entry's webhook, an admin sees its signing secret this once. */
    async updateEntry(
      campaignId: number,
      nodeId: string,
      entryId: string,
      patch: Parameters<FlowService["updateEntry"]>[3],
      writer: Writer = MARKETER,
      revision?: number,
    ) {
      const existed = (await flows.webhookSigningSecret(entryId)) !== null;
      const entry = await flow.updateEntry(campaignId, nodeId, entryId, patch, writer, revision);
      if (existed || !entry.webhook || !writer.mayWriteSecrets) return entry;
      return { ...entry, webhook: { ...entry.webhook, signingSecret: (await secretOf(entryId)).secret } };
    },
    async delete(campaignId: number, nodeId: string, entryId: string, revision?: number) {
      await flow.updateEntry(campaignId, nodeId, entryId, { webhook: null }, MARKETER, revision);
    },
    async enable(campaignId: number, nodeId: string, entryId: string) {
      await this.get(campaignId, nodeId, entryId);
      await flow.enableWebhook(entryId);
      return this.get(campaignId, nodeId, entryId);
    },
    /** An admin reads an entry's webhook signing secret (the route audits it). */
    async revealSigningSecret(entryId: string) {
      const { webhook, secret } = await secretOf(entryId);
      const until = webhook.previousSigningSecretUntil;
      return { secret, previousValidUntil: until && until > now() ? until.toISOString() : null };
    },
    /** A new signing secret for an entry's webhook, shown once; the previous one keeps signing during the overlap. */
    async rotateSigningSecret(entryId: string, overlapHours: number) {
      const webhook = await flows.webhookSigningSecret(entryId);
      if (!webhook) throw AppError.notFound("A webhook on this entry");
      const next = rotatedSigningSecrets(seal, now(), webhook.signingSecret, overlapHours);
      await flows.setWebhookSigningSecrets(entryId, next.stored);
      return next.shown;
    },
  };
}
export type WebhookService = ReturnType<typeof webhookService>;
