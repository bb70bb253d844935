import { uuid } from "@switchboard/contracts/common";
import {
  revealedSecret,
  secretHeader,
  secretHeaderInput,
  secretHeaderList,
  secretHeaderPatch,
} from "@switchboard/contracts/secret-headers";
import { normalizeAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { validateWebhookHeaders } from "@switchboard/domain/webhook";
import { z } from "zod";
import type { Db } from "../db/database";
import { AppError, assertRules } from "../errors/app-error";
import type { SecretHeader } from "../generated/prisma/client";
import { route } from "../http/route";
import { SecretBox } from "./secret-box";

type Row = SecretHeader & { _count: { usedBy: number } };

const view = (r: Row) => ({
  id: r.id,
  label: r.label,
  name: r.name,
  value: SecretBox.mask(r.value),
  usedBy: r._count.usedBy,
  allowedHosts: r.allowedHosts,
  createdAt: r.createdAt.toISOString(),
  rotatedAt: r.rotatedAt?.toISOString() ?? null,
});

const withCount = { _count: { select: { usedBy: true } } } as const;

/** Admin-made secret headers: admins create, rotate, reveal (audited) and delete them; marketers list and pick them. */
export function secretHeaderService(prisma: Db, box: SecretBox, now: () => Date) {
  const find = async (id: string) => {
    const row = await prisma.secretHeader.findUnique({ where: { id }, include: withCount });
    if (!row) throw AppError.notFound(`Secret header ${id}`);
    return row;
  };
  const check = (name: string, value: string) =>
    assertRules(validateWebhookHeaders([{ name, value, secret: true }]).map((i) => ({ ...i, path: i.path.slice(2) })));
  const uniqueLabel = async (label: string, except?: string) => {
    const other = await prisma.secretHeader.findUnique({ where: { label } });
    if (other && other.id !== except) {
      throw new AppError("conflict", `A secret header labelled "${label}" exists already.`, [
        { path: "body.label", code: "duplicate", message: "This label is taken." },
      ]);
    }
  };
  return {
    async list() {
      const rows = await prisma.secretHeader.findMany({ orderBy: { label: "asc" }, include: withCount });
      return { items: rows.map(view), total: rows.length };
    },
    async create(input: z.output<typeof secretHeaderInput>) {
      check(input.name, input.value);
      await uniqueLabel(input.label);
      const row = await prisma.secretHeader.create({
        data: {
          label: input.label,
          name: input.name,
          value: box.seal(input.value),
          allowedHosts: normalizeAllowedHosts(input.allowedHosts),
        },
        include: withCount,
      });
      return view(row);
    },
    async update(id: string, patch: z.output<typeof secretHeaderPatch>) {
      const current = await find(id);
      if (patch.name !== undefined || patch.value !== undefined) check(patch.name ?? current.name, patch.value ?? "x");
      if (patch.label) await uniqueLabel(patch.label, id);
      const row = await prisma.secretHeader.update({
        where: { id },
        data: {
          label: patch.label,
          name: patch.name,
          // A host taken off the list is refused from the next attempt on (decision 0021).
          ...(patch.allowedHosts ? { allowedHosts: normalizeAllowedHosts(patch.allowedHosts) } : {}),
          // A new value is a rotation: every webhook sending this header sends the new value from its next attempt.
          ...(patch.value !== undefined ? { value: box.seal(patch.value), rotatedAt: now() } : {}),
        },
        include: withCount,
      });
      // Webhook headers show the name they send.
      if (patch.name)
        await prisma.webhookHeader.updateMany({ where: { secretHeaderId: id }, data: { name: patch.name } });
      return view(row);
    },
    async reveal(id: string) {
      return { value: box.open((await find(id)).value) };
    },
    /** An admin reads one secret value typed into a webhook's Headers table. */
    async revealWebhookHeader(id: string) {
      const header = await prisma.webhookHeader.findUnique({ where: { id }, include: { secretHeader: true } });
      if (!header) throw AppError.notFound(`Webhook header ${id}`);
      return { value: box.reveal(header.secretHeader?.value ?? header.value) };
    },
    async remove(id: string) {
      const row = await find(id);
      if (row._count.usedBy > 0) {
        throw new AppError(
          "still_referenced",
          `${row._count.usedBy} webhook header(s) send this secret; remove them from their webhooks first.`,
        );
      }
      await prisma.secretHeader.delete({ where: { id } });
    },
  };
}

export function secretHeaderRoutes(s: ReturnType<typeof secretHeaderService>) {
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
