import type { Db } from "../db/database";
import type { Prisma, Sender as SenderRow } from "../generated/prisma/client";

/** A sender as stored: credentials already sealed by the service. */
export interface SenderData {
  name: string;
  channel: SenderRow["channel"];
  address: string;
  provider: string;
  settings: Record<string, unknown>;
  credentials: string | null;
  optOut: Record<string, unknown>;
}

export interface SenderStore {
  list(): Promise<SenderRow[]>;
  get(id: string): Promise<SenderRow | null>;
  create(data: SenderData): Promise<SenderRow>;
  update(id: string, patch: Partial<SenderData>): Promise<SenderRow>;
  delete(id: string): Promise<void>;
  campaignsUsing(id: string): Promise<{ id: number; name: string }[]>;
}

const json = (v: Record<string, unknown> | undefined) => v as Prisma.InputJsonValue | undefined;

export function prismaSenderStore(db: Db): SenderStore {
  return {
    list: () => db.sender.findMany({ orderBy: { createdAt: "asc" } }),
    get: (id) => db.sender.findUnique({ where: { id } }),
    create: (data) =>
      db.sender.create({
        data: { ...data, settings: json(data.settings) ?? {}, optOut: json(data.optOut) ?? {} },
      }),
    update: (id, patch) =>
      db.sender.update({
        where: { id },
        data: { ...patch, settings: json(patch.settings), optOut: json(patch.optOut) },
      }),
    delete: async (id) => {
      await db.sender.delete({ where: { id } });
    },
    campaignsUsing: (id) =>
      db.campaign.findMany({ where: { senderId: id }, select: { id: true, name: true }, orderBy: { id: "asc" } }),
  };
}
