import type { auditQuery } from "@switchboard/contracts/auth";
import type { z } from "zod";
import { actorLabel } from "../auth/actor";
import type { AuditRecord } from "../http/route";
import type { AuditStore } from "./audit-store";

/** Who did what and when. Records are written by the route layer after a change succeeded; never with bodies. */
export function auditService(deps: { store: AuditStore; now: () => Date }) {
  const { store, now } = deps;
  return {
    async record(r: AuditRecord): Promise<void> {
      await store.add({
        at: now(),
        actorId: r.actor?.id ?? null,
        actorLabel: actorLabel(r.actor),
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        detail: r.detail,
      });
    },

    async list(q: z.output<typeof auditQuery>) {
      const { rows, total } = await store.list(q);
      return {
        items: rows.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          actor: e.actorLabel,
          action: e.action,
          targetType: e.targetType,
          targetId: e.targetId,
          detail: e.detail as Record<string, string>,
        })),
        total,
      };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
