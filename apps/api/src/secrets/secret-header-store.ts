import type { Db } from "../db/database";
import type { SecretHeader } from "../generated/prisma/client";

/** An admin-made secret header (value sealed) with how many webhook headers send it. */
export type SecretHeaderRow = SecretHeader & { usedBy: number };

/** Admin-made secret headers: the only file of the secret headers feature that touches the database. */
export interface SecretHeaderStore {
  list(): Promise<SecretHeaderRow[]>;
  get(id: string): Promise<SecretHeaderRow | null>;
  idByLabel(label: string): Promise<string | null>;
  create(data: { label: string; name: string; value: string; allowedHosts: string[] }): Promise<SecretHeaderRow>;
  update(
    id: string,
    data: Partial<Pick<SecretHeader, "label" | "name" | "value" | "allowedHosts" | "rotatedAt">>,
  ): Promise<SecretHeaderRow>;
  delete(id: string): Promise<void>;
  /** Gives every webhook header that sends this secret header its (new) name. */
  renameWebhookHeaders(id: string, name: string): Promise<void>;
  /** A webhook header's stored value: its own (sealed when secret), or that of the secret header it sends. */
  webhookHeaderValue(id: string): Promise<string | null>;
}

const withCount = { _count: { select: { usedBy: true } } } as const;
const toRow = ({ _count, ...r }: SecretHeader & { _count: { usedBy: number } }): SecretHeaderRow => ({
  ...r,
  usedBy: _count.usedBy,
});

export function prismaSecretHeaderStore(db: Db): SecretHeaderStore {
  return {
    list: async () => (await db.secretHeader.findMany({ orderBy: { label: "asc" }, include: withCount })).map(toRow),
    async get(id) {
      const row = await db.secretHeader.findUnique({ where: { id }, include: withCount });
      return row ? toRow(row) : null;
    },
    idByLabel: async (label) =>
      (await db.secretHeader.findUnique({ where: { label }, select: { id: true } }))?.id ?? null,
    create: async (data) => toRow(await db.secretHeader.create({ data, include: withCount })),
    update: async (id, data) => toRow(await db.secretHeader.update({ where: { id }, data, include: withCount })),
    async delete(id) {
      await db.secretHeader.delete({ where: { id } });
    },
    async renameWebhookHeaders(id, name) {
      await db.webhookHeader.updateMany({ where: { secretHeaderId: id }, data: { name } });
    },
    async webhookHeaderValue(id) {
      const header = await db.webhookHeader.findUnique({ where: { id }, include: { secretHeader: true } });
      return header ? (header.secretHeader?.value ?? header.value) : null;
    },
  };
}
