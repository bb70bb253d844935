import type { SenderInput, SenderPatch } from "@switchboard/contracts/senders";
import type { Db } from "../db/database";
import type { Sender as SenderRow } from "../generated/prisma/client";

export interface SenderStore {
  list(): Promise<SenderRow[]>;
  get(id: string): Promise<SenderRow | null>;
  create(input: SenderInput): Promise<SenderRow>;
  update(id: string, patch: SenderPatch): Promise<SenderRow>;
  delete(id: string): Promise<void>;
  campaignsUsing(id: string): Promise<{ id: number; name: string }[]>;
}

export function prismaSenderStore(db: Db): SenderStore {
  return {
    list: () => db.sender.findMany({ orderBy: { createdAt: "asc" } }),
    get: (id) => db.sender.findUnique({ where: { id } }),
    create: (input) => db.sender.create({ data: input }),
    update: (id, patch) => db.sender.update({ where: { id }, data: patch }),
    delete: async (id) => {
      await db.sender.delete({ where: { id } });
    },
    campaignsUsing: (id) =>
      db.campaign.findMany({ where: { senderId: id }, select: { id: true, name: true }, orderBy: { id: "asc" } }),
  };
}
