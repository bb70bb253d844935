import type { Db } from "../db/database";

/** What the installation has that a chatbot file may point at, looked up by id or by name. */
export interface ExchangeStore {
  sender(id: string): Promise<{ id: string; name: string; address: string; channel: string } | null>;
  senderByAddress(address: string): Promise<{ id: string } | null>;
  campaigns(where: { ids: number[]; names: string[] }): Promise<{ id: number; name: string; type: string }[]>;
  integrations(where: { ids: string[]; aliases: string[] }): Promise<{ id: string; alias: string }[]>;
  secretHeaders(where: { ids: string[]; labels: string[] }): Promise<{ id: string; label: string }[]>;
  teams(where: { ids: string[]; names: string[] }): Promise<{ id: string; name: string }[]>;
}

export function prismaExchangeStore(db: Db): ExchangeStore {
  return {
    sender: (id) =>
      db.sender.findUnique({ where: { id }, select: { id: true, name: true, address: true, channel: true } }),
    senderByAddress: (address) => db.sender.findFirst({ where: { address }, select: { id: true } }),
    campaigns: ({ ids, names }) =>
      db.campaign.findMany({
        where: { OR: [{ id: { in: ids } }, { name: { in: names } }] },
        select: { id: true, name: true, type: true },
        orderBy: { id: "asc" },
      }),
    integrations: ({ ids, aliases }) =>
      db.integration.findMany({
        where: { OR: [{ id: { in: ids } }, { alias: { in: aliases } }] },
        select: { id: true, alias: true },
      }),
    secretHeaders: ({ ids, labels }) =>
      db.secretHeader.findMany({
        where: { OR: [{ id: { in: ids } }, { label: { in: labels } }] },
        select: { id: true, label: true },
      }),
    teams: ({ ids, names }) =>
      db.team.findMany({
        where: { OR: [{ id: { in: ids } }, { name: { in: names } }] },
        select: { id: true, name: true },
      }),
  };
}
