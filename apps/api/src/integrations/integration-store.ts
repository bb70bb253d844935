import type { Db } from "../db/database";
import type { Integration, Prisma } from "../generated/prisma/client";
import type { StoredHeader } from "../secrets/header-merge";
import type { SigningSecrets } from "../secrets/signing-secrets";

/** An integration with how many menu entries redirect to it; its headers are a JSON column, secret values sealed. */
export type IntegrationRow = Omit<Integration, "headers"> & { headers: StoredHeader[]; usedBy: number };

export interface IntegrationData {
  alias: string;
  url: string;
  allowedHosts: string[];
  headers: StoredHeader[];
}

/** Admin-managed endpoints: the only file of integrations/ that touches the database. */
export interface IntegrationStore {
  list(): Promise<IntegrationRow[]>;
  /** Every integration's id and alias, by alias. */
  choices(): Promise<{ id: string; alias: string }[]>;
  get(id: string): Promise<IntegrationRow | null>;
  idByAlias(alias: string): Promise<string | null>;
  create(data: IntegrationData & { signingSecret: string }): Promise<IntegrationRow>;
  update(id: string, data: Partial<IntegrationData>): Promise<IntegrationRow>;
  delete(id: string): Promise<void>;
  setSigningSecrets(id: string, secrets: SigningSecrets): Promise<void>;
}

const withCount = { _count: { select: { usedBy: true } } } as const;

const toRow = ({ _count, headers, ...r }: Integration & { _count: { usedBy: number } }): IntegrationRow => ({
  ...r,
  headers: headers as unknown as StoredHeader[],
  usedBy: _count.usedBy,
});

const json = (headers: StoredHeader[] | undefined) => headers as unknown as Prisma.InputJsonArray | undefined;

export function prismaIntegrationStore(db: Db): IntegrationStore {
  return {
    list: async () => (await db.integration.findMany({ orderBy: { alias: "asc" }, include: withCount })).map(toRow),
    choices: () => db.integration.findMany({ orderBy: { alias: "asc" }, select: { id: true, alias: true } }),
    async get(id) {
      const row = await db.integration.findUnique({ where: { id }, include: withCount });
      return row ? toRow(row) : null;
    },
    idByAlias: async (alias) =>
      (await db.integration.findUnique({ where: { alias }, select: { id: true } }))?.id ?? null,
    create: async ({ headers, ...data }) =>
      toRow(await db.integration.create({ data: { ...data, headers: json(headers) ?? [] }, include: withCount })),
    update: async (id, { headers, ...data }) =>
      toRow(
        await db.integration.update({ where: { id }, data: { ...data, headers: json(headers) }, include: withCount }),
      ),
    async delete(id) {
      await db.integration.delete({ where: { id } });
    },
    async setSigningSecrets(id, secrets) {
      await db.integration.update({ where: { id }, data: secrets });
    },
  };
}
