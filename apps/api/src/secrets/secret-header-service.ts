import type { secretHeaderInput, secretHeaderPatch } from "@switchboard/contracts/secret-headers";
import { normalizeAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { validateWebhookHeaders } from "@switchboard/domain/webhook";
import type { z } from "zod";
import { AppError, assertRules } from "../errors/app-error";
import { SecretBox } from "./secret-box";
import type { SecretHeaderRow, SecretHeaderStore } from "./secret-header-store";

const view = (r: SecretHeaderRow) => ({
  id: r.id,
  label: r.label,
  name: r.name,
  value: SecretBox.mask(r.value),
  usedBy: r.usedBy,
  allowedHosts: r.allowedHosts,
  createdAt: r.createdAt.toISOString(),
  rotatedAt: r.rotatedAt?.toISOString() ?? null,
});

/** Admin-made secret headers: admins create, rotate, reveal (audited) and delete them; marketers list and pick them. */
export function secretHeaderService(deps: { secretHeaders: SecretHeaderStore; box: SecretBox; now: () => Date }) {
  const { secretHeaders, box, now } = deps;
  const find = async (id: string) => {
    const row = await secretHeaders.get(id);
    if (!row) throw AppError.notFound(`Secret header ${id}`);
    return row;
  };
  const check = (name: string, value: string) =>
    assertRules(validateWebhookHeaders([{ name, value, secret: true }]).map((i) => ({ ...i, path: i.path.slice(2) })));
  const uniqueLabel = async (label: string, except?: string) => {
    const other = await secretHeaders.idByLabel(label);
    if (other && other !== except) {
      throw new AppError("conflict", `A secret header labelled "${label}" exists already.`, [
        { path: "body.label", code: "duplicate", message: "This label is taken." },
      ]);
    }
  };
  return {
    async list() {
      const rows = await secretHeaders.list();
      return { items: rows.map(view), total: rows.length };
    },
    async create(input: z.output<typeof secretHeaderInput>) {
      check(input.name, input.value);
      await uniqueLabel(input.label);
      const row = await secretHeaders.create({
        label: input.label,
        name: input.name,
        value: box.seal(input.value),
        allowedHosts: normalizeAllowedHosts(input.allowedHosts),
      });
      return view(row);
    },
    async update(id: string, patch: z.output<typeof secretHeaderPatch>) {
      const current = await find(id);
      if (patch.name !== undefined || patch.value !== undefined) check(patch.name ?? current.name, patch.value ?? "x");
      if (patch.label) await uniqueLabel(patch.label, id);
      const row = await secretHeaders.update(id, {
        label: patch.label,
        name: patch.name,
        // A host taken off the list is refused from the next attempt on (decision 0021).
        ...(patch.allowedHosts ? { allowedHosts: normalizeAllowedHosts(patch.allowedHosts) } : {}),
        // A new value is a rotation: every webhook sending this header sends the new value from its next attempt.
        ...(patch.value !== undefined ? { value: box.seal(patch.value), rotatedAt: now() } : {}),
      });
      // Webhook headers show the name they send.
      if (patch.name) await secretHeaders.renameWebhookHeaders(id, patch.name);
      return view(row);
    },
    async reveal(id: string) {
      return { value: box.open((await find(id)).value) };
    },
    /** An admin reads one secret value typed into a webhook's Headers table. */
    async revealWebhookHeader(id: string) {
      const value = await secretHeaders.webhookHeaderValue(id);
      if (value === null) throw AppError.notFound(`Webhook header ${id}`);
      return { value: box.reveal(value) };
    },
    async remove(id: string) {
      const row = await find(id);
      if (row.usedBy > 0) {
        throw new AppError(
          "still_referenced",
          `${row.usedBy} webhook header(s) send this secret; remove them from their webhooks first.`,
        );
      }
      await secretHeaders.delete(id);
    },
  };
}
export type SecretHeaderService = ReturnType<typeof secretHeaderService>;
