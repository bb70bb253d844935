import { auditList, auditQuery } from "@switchboard/contracts/auth";
import type { z } from "zod";
import { actorLabel } from "../auth/actor";
import type { Db } from "../db/database";
import type { AuditRecord } from "../http/route";
import { route } from "../http/route";

/** Who did what and when. Records are written by the route layer after a change succeeded; never with bodies. */
export function auditLog(prisma: Db, now: () => Date) {
  return {
    async record(r: AuditRecord): Promise<void> {
      await prisma.auditEvent.create({
        data: {
          at: now(),
          actorId: r.actor?.id ?? null,
          actorLabel: actorLabel(r.actor),
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          detail: r.detail,
        },
      });
    },

    async list(q: z.output<typeof auditQuery>) {
      const where = {
        ...(q.actor ? { actorLabel: { contains: q.actor, mode: "insensitive" as const } } : {}),
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.action ? { action: { contains: q.action, mode: "insensitive" as const } } : {}),
        ...(q.since ? { at: { gte: new Date(q.since) } } : {}),
      };
      const [rows, total] = await Promise.all([
        prisma.auditEvent.findMany({ where, orderBy: { at: "desc" }, take: q.limit }),
        prisma.auditEvent.count({ where }),
      ]);
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

export type AuditLog = ReturnType<typeof auditLog>;

export function auditRoutes(audit: AuditLog) {
  return [
    route({
      method: "get",
      path: "/api/v1/audit",
      tag: "Accounts",
      access: "admin",
      summary: "The audit log: who created, changed, published, deleted or revealed what, newest first",
      query: auditQuery,
      response: auditList,
      handler: ({ query }) => audit.list(query),
    }),
  ];
}
