import {
  type OptOutSettings,
  optOutSettings,
  type ProviderCredentials,
  type Sender,
  type SenderInput,
  type SenderPatch,
} from "@switchboard/contracts/senders";
import { channelLabels } from "@switchboard/domain/campaign";
import { type Provider, toE164 } from "@switchboard/domain/messaging/provider";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors/app-error";
import type { Sender as SenderRow } from "../generated/prisma/client";
import type { SecretBox } from "../secrets/secret-box";
import type { SenderStore } from "./sender-store";

/** Where providers call us for a sender: its inbound URL and (Twilio) its status callback URL. */
export function providerUrls(base: string, provider: Provider, id: string) {
  if (provider === "twilio_sms" || provider === "twilio_whatsapp")
    return {
      inboundUrl: `${base}/api/v1/providers/twilio/${id}/inbound`,
      statusUrl: `${base}/api/v1/providers/twilio/${id}/status`,
    };
  if (provider === "whatsapp_cloud") return { inboundUrl: `${base}/api/v1/providers/whatsapp/${id}`, statusUrl: null };
  return { inboundUrl: null, statusUrl: null };
}

const parsedOptOuts = new WeakMap<object, Readonly<OptOutSettings>>();
const defaultOptOut: Readonly<OptOutSettings> = Object.freeze(optOutSettings.parse({}));

/**
 * The sender's opt-out settings, the carriers' defaults filling what was never set. Parsed once per stored value:
 * every inbound message reads them (from a sender row cached for a second), and each default the schema fills is a
 * caught validation issue, ≈ 10 µs and garbage per message. Shared, so read-only.
 */
export function optOutOf(row: Pick<SenderRow, "optOut">): Readonly<OptOutSettings> {
  const stored = row.optOut;
  if (stored === null || typeof stored !== "object") return defaultOptOut;
  let parsed = parsedOptOuts.get(stored);
  if (!parsed) {
    parsed = Object.freeze(optOutSettings.parse({ ...stored }));
    parsedOptOuts.set(stored, parsed);
  }
  return parsed;
}

/** Opens a sender's sealed credentials (the send path and an admin's audited reveal only). */
export function openCredentials(box: SecretBox, row: Pick<SenderRow, "credentials">): ProviderCredentials {
  return row.credentials ? (JSON.parse(box.open(row.credentials)) as ProviderCredentials) : {};
}

export function senderService(deps: { store: SenderStore; box: SecretBox; publicUrl: string | null }) {
  const { store, box, publicUrl } = deps;
  const toSender = (row: SenderRow, origin: string): Sender => {
    const provider = row.provider as Provider;
    const credentials = openCredentials(box, row);
    return {
      id: row.id,
      name: row.name,
      channel: row.channel,
      address: row.address,
      provider,
      settings: row.settings as Sender["settings"],
      credentialsSet: Object.keys(credentials).filter((k) => credentials[k as keyof ProviderCredentials] !== undefined),
      optOut: optOutOf(row),
      ...providerUrls(publicUrl ?? origin, provider, row.id),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  };
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
  const seal = (c: ProviderCredentials) => (Object.keys(c).length ? box.seal(JSON.stringify(c)) : null);

  return {
    async list(origin = "") {
      const rows = await store.list();
      return { items: rows.map((r) => toSender(r, origin)), total: rows.length };
    },
    async get(id: string, origin = "") {
      return toSender(await mustGet(id), origin);
    },
    async create(input: SenderInput, origin = "") {
      const provider = input.provider ?? "http";
      const settings = { ...input.settings };
      const address = toE164(input.address) ?? input.address;
      // Meta's console asks for a verify token we then compare: one is made when the admin gives none.
      if (provider === "whatsapp_cloud" && !settings.verifyToken)
        settings.verifyToken = crypto.randomUUID().replaceAll("-", "");
      try {
        const row = await store.create({
          name: input.name,
          channel: input.channel,
          address,
          provider,
          settings,
          credentials: seal(input.credentials ?? {}),
          optOut: input.optOut ?? {},
        });
        return toSender(row, origin);
      } catch (error) {
        if (isUniqueViolation(error)) throw addressTaken(input.channel, address);
        throw error;
      }
    },
    async update(id: string, patch: SenderPatch, origin = "") {
      const current = await mustGet(id);
      const credentials = patch.credentials
        ? seal({ ...openCredentials(box, current), ...patch.credentials })
        : undefined;
      try {
        const row = await store.update(id, {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.address === undefined ? {} : { address: toE164(patch.address) ?? patch.address }),
          ...(patch.settings ? { settings: { ...(current.settings as object), ...patch.settings } } : {}),
          ...(credentials === undefined ? {} : { credentials }),
          ...(patch.optOut ? { optOut: patch.optOut } : {}),
        });
        return toSender(row, origin);
      } catch (error) {
        if (isUniqueViolation(error)) throw addressTaken(current.channel, patch.address ?? current.address);
        throw error;
      }
    },
    /** An admin reads the credentials in clear; the route audits it. */
    async revealCredentials(id: string) {
      return openCredentials(box, await mustGet(id));
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
