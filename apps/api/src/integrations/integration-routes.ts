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
import { hostAllowed, hostOfUrl, hostRefusal, normalizeAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { validateWebhookHeaders, validateWebhookUrl, type WebhookPolicy } from "@switchboard/domain/webhook";
import { z } from "zod";
import type { Db } from "../db/database";
import type { StoredHeader } from "../dispatch/delivery-rows";
import { AppError, assertRules } from "../errors/app-error";
import type { Integration, Prisma } from "../generated/prisma/client";
import { route } from "../http/route";
import { SecretBox } from "../secrets/secret-box";
import { newSigningSecret } from "../secrets/signature";

type Row = Integration & { _count: { usedBy: number } };
/** An integration's header as stored in its JSON column: secret values sealed. */
type SavedHeader = StoredHeader & { id: string };
const withCount = { _count: { select: { usedBy: true } } } as const;

const view = (r: Row) => ({
  id: r.id,
  alias: r.alias,
  url: r.url,
  headers: (r.headers as unknown as SavedHeader[]).map((h) => ({
    id: h.id,
    name: h.name,
    value: h.secret ? SecretBox.mask(h.value) : h.value,
    secret: h.secret,
    secretHeaderId: h.secretHeaderId ?? null,
  })),
  allowedHosts: r.allowedHosts,
  signingSecretRotatedAt: r.previousSigningSecretUntil ? r.updatedAt.toISOString() : null,
  usedBy: r._count.usedBy,
  createdAt: r.createdAt.toISOString(),
});

/** Admin-managed endpoints that Integration entries call as webhooks; marketers see only their aliases. */
export function integrationService(deps: {
  prisma: Db;
  box: SecretBox;
  policy: WebhookPolicy;
  checkAddress: (url: string) => Promise<string | null>;
  now: () => Date;
}) {
  const { prisma, box, policy, checkAddress, now } = deps;
  const find = async (id: string) => {
    const row = await prisma.integration.findUnique({ where: { id }, include: withCount });
    if (!row) throw AppError.notFound(`Integration ${id}`);
    return row;
  };
  const validated = async (
    input: { alias: string; url: string; headers: z.output<typeof integrationInput>["headers"] },
    stored: SavedHeader[],
    allowed: string[] | undefined,
  ) => {
    const url = input.url.trim();
    const issues = [...validateWebhookUrl(url, policy)];
    const host = issues.length ? null : hostOfUrl(url);
    // Its headers and signing secret go to the hosts the admin allowed, and nowhere else (decision 0021); a new
    // integration with no list is allowed its URL's host.
    const allowedHosts = allowed ? normalizeAllowedHosts(allowed) : host ? [host] : [];
    if (host && !hostAllowed(host, allowedHosts)) {
      issues.push({
        path: ["url"],
        code: "host_not_allowed",
        message: `${hostRefusal(`The integration "${input.alias}"`, host, allowedHosts)} Add it to Allowed hosts first.`,
      });
    }
    const headers = input.headers.map((h) => {
      const kept = h.id ? stored.find((s) => s.id === h.id) : undefined;
      // A kept secret made non-secret needs its value typed again: the sealed one must not turn into plain text.
      const value = h.value ?? (kept?.secret && !h.secret ? undefined : kept?.value);
      if (value === undefined) {
        return { id: h.id ?? crypto.randomUUID(), name: h.name, value: "", secret: h.secret, missing: true };
      }
      return {
        id: kept?.id ?? crypto.randomUUID(),
        name: h.name,
        value,
        secret: h.secret,
        fresh: h.value !== undefined,
      };
    });
    issues.push(
      ...validateWebhookHeaders(
        headers.map((h) => ({ name: h.name, value: "fresh" in h && h.fresh ? h.value : "", secret: h.secret })),
      ),
    );
    headers.forEach((h, i) => {
      if ("missing" in h)
        issues.push({ path: ["headers", i, "value"], code: "required", message: "Header value is required." });
    });
    if (!issues.some((i) => i.path[0] === "url")) {
      const refusal = await checkAddress(url);
      if (refusal) issues.push({ path: ["url"], code: "address_refused", message: refusal });
    }
    assertRules(issues);
    return {
      url,
      allowedHosts,
      headers: headers.map(({ id, name, value, secret, ...rest }) => ({
        id,
        name,
        // New secret values, and kept plain ones now marked secret, are sealed; stored sealed ones stay as they are.
        value: secret && (("fresh" in rest && rest.fresh) || !SecretBox.isSealed(value)) ? box.seal(value) : value,
        secret,
      })) as unknown as Prisma.InputJsonArray,
    };
  };
  const uniqueAlias = async (alias: string, except?: string) => {
    const other = await prisma.integration.findUnique({ where: { alias } });
    if (other && other.id !== except) {
      throw new AppError("conflict", `An integration called "${alias}" exists already.`, [
        { path: "body.alias", code: "duplicate", message: "This alias is taken." },
      ]);
    }
  };
  return {
    async list() {
      const rows = await prisma.integration.findMany({ orderBy: { alias: "asc" }, include: withCount });
      return { items: rows.map(view), total: rows.length };
    },
    async choices() {
      const rows = await prisma.integration.findMany({ orderBy: { alias: "asc" }, select: { id: true, alias: true } });
      return { items: rows };
    },
    async create(input: z.output<typeof integrationInput>) {
      await uniqueAlias(input.alias);
      const data = await validated(input, [], input.allowedHosts);
      const row = await prisma.integration.create({
        data: { alias: input.alias, ...data, signingSecret: box.seal(newSigningSecret()) },
        include: withCount,
      });
      return view(row);
    },
    async update(id: string, patch: z.output<typeof integrationPatch>) {
      const current = await find(id);
      if (patch.alias) await uniqueAlias(patch.alias, id);
      const stored = current.headers as unknown as SavedHeader[];
      // Unchanged headers are kept by id, so stored (sealed) values are neither shown nor sealed again.
      const kept = stored.map(({ id, name, value, secret }) => ({ id, name, secret, ...(secret ? {} : { value }) }));
      const data = await validated(
        { alias: patch.alias ?? current.alias, url: patch.url ?? current.url, headers: patch.headers ?? kept },
        stored,
        patch.allowedHosts ?? current.allowedHosts,
      );
      const row = await prisma.integration.update({
        where: { id },
        data: { alias: patch.alias, ...data },
        include: withCount,
      });
      return view(row);
    },
    async remove(id: string) {
      const row = await find(id);
      if (row._count.usedBy > 0) {
        throw new AppError("still_referenced", `${row._count.usedBy} menu entr(ies) redirect to this integration.`);
      }
      await prisma.integration.delete({ where: { id } });
    },
    /** A new signing secret, shown once; the previous one keeps signing beside it for the overlap. */
    async rotate(id: string, overlapHours: number) {
      const current = await find(id);
      const next = rotation(box, now, current.signingSecret, overlapHours);
      await prisma.integration.update({ where: { id }, data: next.data });
      return next.shown;
    },
  };
}

/**
 * A new signing secret (sealed for storage, in clear for the one answer that shows it), and the previous one kept
 * signing until the overlap ends, so receivers can switch without losing a delivery.
 */
function rotation(box: SecretBox, now: () => Date, previous: string | null, overlapHours: number) {
  const secret = newSigningSecret();
  const until = overlapHours > 0 && previous ? new Date(now().getTime() + overlapHours * 3600_000) : null;
  return {
    data: {
      signingSecret: box.seal(secret),
      previousSigningSecret: until ? previous : null,
      previousSigningSecretUntil: until,
    },
    shown: { secret, previousValidUntil: until?.toISOString() ?? null },
  };
}

/** Rotates a menu entry's webhook signing secret (same rules as an integration's). */
export async function rotateWebhookSecret(
  prisma: Db,
  box: SecretBox,
  now: () => Date,
  entryId: string,
  overlapHours: number,
) {
  const webhook = await prisma.webhook.findUnique({ where: { entryId } });
  if (!webhook) throw AppError.notFound("A webhook on this entry");
  const next = rotation(box, now, webhook.signingSecret, overlapHours);
  await prisma.webhook.update({ where: { entryId }, data: next.data });
  return next.shown;
}

export function integrationRoutes(
  s: ReturnType<typeof integrationService>,
  rotateEntrySecret: (entryId: string, overlapHours: number) => Promise<z.input<typeof signingSecretRotated>>,
) {
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
      body: integrationInput,
      response: integration,
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
      access: "admin",
      summary: "Create a new signing secret for an integration (shown once; the old one signs too during the overlap)",
      params,
      body: rotateInput,
      response: signingSecretRotated,
      errors: [404],
      handler: ({ params, body }) => s.rotate(params.id, body.overlapHours),
    }),
    route({
      method: "post",
      path: "/api/v1/campaigns/:campaignId/nodes/:nodeId/entries/:entryId/webhook/signing-secret",
      tag: "Webhooks",
      access: "admin",
      summary: "Create a new signing secret for a webhook (shown once; the old one signs too during the overlap)",
      params: z.strictObject({ campaignId: z.coerce.number().int(), nodeId: uuid, entryId: uuid }),
      body: rotateInput,
      response: signingSecretRotated,
      errors: [404],
      handler: ({ params, body }) => rotateEntrySecret(params.entryId, body.overlapHours),
    }),
  ];
}
