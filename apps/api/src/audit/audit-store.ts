import type { auditQuery } from "@switchboard/contracts/auth";
import type { z } from "zod";
import type { Db } from "../db/database";
import type { AuditEvent } from "../generated/prisma/client";

export type AuditEventData = Omit<AuditEvent, "id" | "detail"> & { detail: Record<string, string> };

/** The audit log's events: the only file of audit/ that touches the database. */
export interface AuditStore {
  add(event: AuditEventData): Promise<void>;
  /** Newest first, filtered as the query says (actor and action match any case), with how many match in all. */
  list(q: z.output<typeof auditQuery>): Promise<{ rows: AuditEvent[]; total: number }>;
}

export function prismaAuditStore(db: Db): AuditStore {
  return {
    async add(event) {
      await db.auditEvent.create({ data: event });
    },
    async list(q) {
      const where = {
        ...(q.actor ? { actorLabel: { contains: q.actor, mode: "insensitive" as const } } : {}),
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.action ? { action: { contains: q.action, mode: "insensitive" as const } } : {}),
        ...(q.since ? { at: { gte: new Date(q.since) } } : {}),
      };
      const [rows, total] = await Promise.all([
        db.auditEvent.findMany({ where, orderBy: { at: "desc" }, take: q.limit }),
        db.auditEvent.count({ where }),
      ]);
      return { rows, total };
    },
  };
}
