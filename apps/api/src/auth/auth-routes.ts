import {
  apiToken,
  apiTokenCreated,
  apiTokenInput,
  apiTokenList,
  currentUser,
  linkStatus,
  passwordLink,
  setPasswordInput,
  setupInput,
  signInInput,
  user,
  userCreated,
  userInput,
  userList,
  userPatch,
} from "@switchboard/contracts/auth";
import { uuid } from "@switchboard/contracts/common";
import { z } from "zod";
import { AppError } from "../errors/app-error";
import { type RequestContext, route } from "../http/route";
import type { Actor } from "./actor";
import type { AuthService, SignedIn } from "./auth-service";

const idParams = z.strictObject({ id: uuid });

const signedIn = (s: SignedIn, request: RequestContext) => {
  request.setSession(s.token, s.actor.expiresAt);
  return toCurrentUser(s.actor);
};

const toCurrentUser = (a: SignedIn["actor"]) => ({
  id: a.id,
  email: a.email,
  name: a.name,
  role: a.role,
  csrfToken: a.csrfToken,
  expiresAt: a.expiresAt.toISOString(),
});

const sessionUser = (actor: Actor | null): SignedIn["actor"] => {
  if (actor?.kind !== "user") throw new AppError("unauthorized", "This needs a signed-in session, not an API token.");
  return actor;
};

export function authRoutes(auth: AuthService) {
  const tag = "Accounts";
  return [
    route({
      method: "post",
      path: "/api/v1/auth/sign-in",
      tag,
      access: "public",
      audit: false,
      summary: "Sign in",
      description:
        "Sets the HttpOnly session cookie. Five wrong passwords in a row lock the account for 15 minutes (429).",
      body: signInInput,
      response: currentUser,
      status: 200,
      errors: [401, 429],
      handler: async ({ body, request }) => signedIn(await auth.signIn(body.email, body.password), request),
    }),
    route({
      method: "post",
      path: "/api/v1/auth/sign-out",
      tag,
      access: "session",
      audit: false,
      summary: "Sign out",
      handler: async ({ actor, request }) => {
        await auth.signOut(sessionUser(actor).sessionId);
        request.clearSession();
        return undefined;
      },
    }),
    route({
      method: "get",
      path: "/api/v1/auth/me",
      tag,
      access: "session",
      summary: "The signed-in user, and the CSRF token their changes must carry",
      response: currentUser,
      errors: [401],
      handler: async ({ actor }) => toCurrentUser(sessionUser(actor)),
    }),
    route({
      method: "get",
      path: "/api/v1/auth/links/:token",
      tag,
      access: "public",
      summary: "What a setup or set-password link is for, if it can still be used",
      params: z.strictObject({ token: z.string().min(1).max(200) }),
      response: linkStatus,
      handler: ({ params }) => auth.linkStatus(params.token),
    }),
    route({
      method: "post",
      path: "/api/v1/auth/setup",
      tag,
      access: "public",
      summary: "Create the first admin with the one-time setup link printed at first start",
      body: setupInput,
      response: currentUser,
      status: 200,
      errors: [404, 409],
      handler: async ({ body, request }) => signedIn(await auth.setup(body), request),
    }),
    route({
      method: "post",
      path: "/api/v1/auth/set-password",
      tag,
      access: "public",
      summary: "Set a password with an invitation or reset link; signs in",
      body: setPasswordInput,
      response: currentUser,
      status: 200,
      errors: [404],
      handler: async ({ body, request }) => signedIn(await auth.setPassword(body.token, body.password), request),
    }),
    route({
      method: "get",
      path: "/api/v1/users",
      tag,
      access: "admin",
      summary: "List users",
      response: userList,
      handler: () => auth.listUsers(),
    }),
    route({
      method: "post",
      path: "/api/v1/users",
      tag,
      access: "admin",
      summary: "Invite a user",
      description: "Answers with a one-time link (valid 72 hours) for the new user to set their password.",
      body: userInput,
      response: userCreated,
      errors: [409],
      handler: async ({ body, request }) => {
        const created = await auth.createUser(body);
        return {
          user: created.user,
          link: { url: request.origin + created.link.path, expiresAt: created.link.expiresAt },
        };
      },
    }),
    route({
      method: "patch",
      path: "/api/v1/users/:id",
      tag,
      access: "admin",
      summary: "Change a user's name or role, or disable them",
      params: idParams,
      body: userPatch,
      response: user,
      errors: [404, 409],
      handler: ({ params, body, actor }) => auth.updateUser(actor as Actor, params.id, body),
    }),
    route({
      method: "delete",
      path: "/api/v1/users/:id",
      tag,
      access: "admin",
      summary: "Delete a user",
      description:
        "Their sessions and unused links go with them; the audit log keeps what they did. Refused (409) for your own account and for the last active admin.",
      params: idParams,
      errors: [404, 409],
      handler: ({ params, actor }) => auth.deleteUser(actor as Actor, params.id),
    }),
    route({
      method: "post",
      path: "/api/v1/users/:id/password-reset",
      tag,
      access: "admin",
      summary: "Reset a user's password",
      description: "Their password and sessions stop working now; the answer holds the one-time link to set a new one.",
      params: idParams,
      response: passwordLink,
      errors: [404],
      handler: async ({ params, request }) => {
        const link = await auth.resetPassword(params.id);
        return { url: request.origin + link.path, expiresAt: link.expiresAt };
      },
    }),
    route({
      method: "get",
      path: "/api/v1/tokens",
      tag,
      access: "admin",
      summary: "List API tokens",
      response: apiTokenList,
      handler: () => auth.listTokens(),
    }),
    route({
      method: "post",
      path: "/api/v1/tokens",
      tag,
      access: "admin",
      summary: "Create an API token",
      description: "The secret is in this answer only; the database keeps its SHA-256.",
      body: apiTokenInput,
      response: apiTokenCreated,
      handler: ({ body, actor }) => auth.createToken(actor as Actor, body),
    }),
    route({
      method: "delete",
      path: "/api/v1/tokens/:id",
      tag,
      access: "admin",
      summary: "Revoke an API token",
      params: idParams,
      response: apiToken,
      errors: [404],
      handler: ({ params }) => auth.revokeToken(params.id),
    }),
  ];
}
