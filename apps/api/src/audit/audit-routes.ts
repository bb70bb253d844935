import { auditList, auditQuery } from "@switchboard/contracts/auth";
import { route } from "../http/route";
import type { AuditService } from "./audit-service";

export function auditRoutes(audit: AuditService) {
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
