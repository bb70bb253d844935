import { PASSWORD_MAX, roles, tokenScopes } from "@switchboard/domain/role";
import { z } from "zod";
import { listOf, timestamp, userText, uuid } from "./common";

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Must be an email address such as ana@example.com." }).max(254));
const password = z.string().max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`);
const personName = userText().trim().min(1, "Name is required.").max(120, "Names are at most 120 characters.");

export const role = z.enum(roles, { error: "Must be agent, viewer, marketer or admin." });

export const signInInput = z.strictObject({ email, password: password.min(1, "Password is required.") });

/** The signed-in person, and the token their browser sends back in X-CSRF-Token on every change. */
export const currentUser = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role,
    csrfToken: z.string(),
    expiresAt: timestamp,
  })
  .meta({ id: "CurrentUser" });
export type CurrentUser = z.infer<typeof currentUser>;

/** First start: the one-time setup link creates the first admin. */
export const setupInput = z.strictObject({ token: z.string().min(1), email, name: personName, password });
/** A set-password link (invitation or admin-driven reset) being used. */
export const setPasswordInput = z.strictObject({ token: z.string().min(1), password });
export const linkStatus = z.object({
  purpose: z.enum(["setup", "invite", "reset"]),
  email: z.string().nullable(),
  expiresAt: timestamp,
});

export const user = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role,
    hasPassword: z.boolean(),
    disabled: z.boolean(),
    lockedUntil: timestamp.nullable(),
    lastSignInAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "User" });
export type User = z.infer<typeof user>;
export const userList = listOf(user);
export const userInput = z.strictObject({ email, name: personName, role });
export const userPatch = z
  .strictObject({ name: personName, role, disabled: z.boolean() })
  .partial()
  .meta({ id: "UserPatch" });

/** A one-time link to set a password; shown once, to the admin who asked for it. */
export const passwordLink = z.object({ url: z.string(), expiresAt: timestamp }).meta({ id: "PasswordLink" });
export const userCreated = z.object({ user, link: passwordLink });

export const tokenScope = z.enum(tokenScopes, { error: "Scopes are inbound, read, write, metrics and signing." });
export const apiToken = z
  .object({
    id: uuid,
    name: z.string(),
    prefix: z.string().meta({ description: "The token's first characters, to tell tokens apart." }),
    scopes: z.array(tokenScope),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "ApiToken" });
export type ApiToken = z.infer<typeof apiToken>;
export const apiTokenList = listOf(apiToken);
export const apiTokenInput = z.strictObject({
  name: userText().trim().min(1, "Name is required.").max(120),
  scopes: z.array(tokenScope).min(1, "Pick at least one scope."),
});
export const apiTokenCreated = z.object({
  token: apiToken,
  secret: z.string().meta({ description: "Shown once: send it as Authorization: Bearer <secret>." }),
});

export const auditEvent = z
  .object({
    id: uuid,
    at: timestamp,
    actor: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    detail: z.record(z.string(), z.json()),
  })
  .meta({ id: "AuditEvent" });
export const auditQuery = z.strictObject({
  actor: userText().max(254).optional(),
  targetType: userText().max(64).optional(),
  action: userText().max(120).optional(),
  since: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditList = listOf(auditEvent);
