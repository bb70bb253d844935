import { hasRole, type Role, type TokenScope } from "@switchboard/domain/role";

/** Who is calling: a signed-in person (by session cookie) or a machine (by API token). */
export type Actor =
  | {
      kind: "user";
      id: string;
      email: string;
      name: string;
      role: Role;
      sessionId: string;
      csrfToken: string;
      expiresAt: Date;
    }
  | { kind: "token"; id: string; name: string; scopes: readonly TokenScope[] };

/**
 * What a route requires. Roles nest (admin ⊃ marketer ⊃ viewer); tokens act through scopes: `read` as a viewer, `write`
 * as a marketer, never as an admin. `inbound` is the channel's entry point (tokens with that scope, or marketers).
 * `signing` is rotating a signing secret: admins, and tokens an admin gave the `signing` scope. `session` is any
 * signed-in person, agents included (their own account); `agent` is the Live Chat inbox: agents, marketers, admins.
 */
export type Access = "public" | "session" | Role | "inbound" | "metrics" | "signing";

export function allows(actor: Actor | null, access: Access): boolean {
  if (access === "public") return true;
  if (!actor) return false;
  if (actor.kind === "user") {
    if (access === "session") return true;
    if (access === "inbound") return hasRole(actor.role, "marketer");
    if (access === "metrics" || access === "signing") return actor.role === "admin";
    return hasRole(actor.role, access);
  }
  const scopes = actor.scopes;
  switch (access) {
    case "inbound":
      return scopes.includes("inbound");
    case "metrics":
      return scopes.includes("metrics");
    case "signing":
      return scopes.includes("signing");
    case "viewer":
      return scopes.includes("read") || scopes.includes("write");
    case "marketer":
      return scopes.includes("write");
    default:
      return false;
  }
}

/** The name the audit log and problem details use for an actor. */
export function actorLabel(actor: Actor | null): string {
  if (!actor) return "anonymous";
  return actor.kind === "user" ? actor.email : `token ${actor.name}`;
}

/** Secret header values are entered by admins only (marketers pick admin-made secret headers). */
export const writerOf = (actor: Actor | null) => ({
  mayWriteSecrets: actor?.kind === "user" && actor.role === "admin",
});
