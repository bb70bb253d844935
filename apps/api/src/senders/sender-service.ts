import type { Sender, SenderInput, SenderPatch } from "@switchboard/contracts/senders";
import { channelLabels } from "@switchboard/domain/campaign";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors/app-error";
import type { Sender as SenderRow } from "../generated/prisma/client";
import type { SenderStore } from "./sender-store";

export function toSender(row: SenderRow): Sender {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

export function senderService(store: SenderStore) {
  const mustGet = async (id: string) => {
    const row = await store.get(id);
    if (!row) throw AppError.notFound(`Sender ${id}`);
    return row;
  };
  const addressTaken = (channel: keyof typeof channelLabels, address: string) =>
    new AppError("conflict", `Another ${channelLabels[channel]} sender already has the address ${address}.`, [
      {
        path: "body.address",
        code: "address_taken",
        message: `Another ${channelLabels[channel]} sender already has the address ${address}.`,
      },
    ]);

  return {
    async list() {
      const rows = await store.list();
      return { items: rows.map(toSender), total: rows.length };
    },
    async get(id: string) {
      return toSender(await mustGet(id));
    },
    async create(input: SenderInput) {
      try {
        return toSender(await store.create(input));
      } catch (error) {
        if (isUniqueViolation(error)) throw addressTaken(input.channel, input.address);
        throw error;
      }
    },
    async update(id: string, patch: SenderPatch) {
      const current = await mustGet(id);
      try {
        return toSender(await store.update(id, patch));
      } catch (error) {
        if (isUniqueViolation(error)) throw addressTaken(current.channel, patch.address ?? current.address);
        throw error;
      }
    },
    async delete(id: string) {
      await mustGet(id);
      const users = await store.campaignsUsing(id);
      if (users.length > 0) {
        const list = users.map((c) => `"${c.name}" (${c.id})`).join(", ");
        throw new AppError(
          "still_referenced",
          `This sender cannot be deleted: campaigns use it (${list}). Move them to another sender first.`,
        );
      }
      await store.delete(id);
    },
  };
}
export type SenderService = ReturnType<typeof senderService>;
