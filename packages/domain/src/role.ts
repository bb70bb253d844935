/**
 * What a signed-in person may do. Viewer, marketer and admin nest (each can do everything the ones before it can);
 * an agent only works the Live Chat inbox of their teams, which marketers and admins may work too.
 */
export const roles = ["agent", "viewer", "marketer", "admin"] as const;
export type Role = (typeof roles)[number];

/**
 * What a machine's API token may do. `inbound` posts end users' messages; `read`/`write` act as a viewer/marketer;
 * `signing` rotates webhooks' and integrations' signing secrets (the one admin task a deployment script automates).
 */
export const tokenScopes = ["inbound", "read", "write", "metrics", "signing"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export function hasRole(role: Role, needed: Role): boolean {
  if (role === "agent") return needed === "agent";
  if (needed === "agent") return role === "marketer" || role === "admin";
  return roles.indexOf(role) >= roles.indexOf(needed);
}

export const roleLabels: Record<Role, string> = {
  agent: "Agent",
  viewer: "Viewer",
  marketer: "Marketer",
  admin: "Admin",
};

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** The one password rule, for the set-password form and the server: long enough, not the email. */
export function passwordProblem(password: string, email = ""): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase())
    return "Do not use your email as password.";
  return null;
}
