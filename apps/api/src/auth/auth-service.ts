import type { apiTokenInput, userInput, userPatch } from "@switchboard/contracts/auth";
import { passwordProblem, type Role, type TokenScope } from "@switchboard/domain/role";
import type { z } from "zod";
import { AppError } from "../errors/app-error";
import type { Actor } from "./actor";
import type { ApiToken, AuthStore, LinkPurpose, User } from "./auth-store";
import { hashCredential, hashPassword, newCredential, verifyNothing, verifyPassword } from "./credentials";

/** A session lives 12 hours past its last use, and never longer than 7 days. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** Five wrong passwords in a row lock the account for 15 minutes. */
export const LOCKOUT_AFTER = 5;
export const LOCKOUT_MS = 15 * 60_000;
const LINK_TTL_MS = 72 * 3600_000;
const SETUP_LINK_TTL_MS = 24 * 3600_000;
/** Last-use times are written at most once a minute per session or token: reads stay reads. */
const TOUCH_EVERY_MS = 60_000;
/** API tokens are looked up on the channel's hot path; a revocation reaches other processes within this time. */
const TOKEN_CACHE_MS = 5_000;

export const TOKEN_PREFIX = "sbt_";

export type { LinkPurpose };

export interface SignedIn {
  token: string;
  actor: Extract<Actor, { kind: "user" }>;
}

const toUserView = (u: User, now: Date) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  hasPassword: u.passwordHash !== null,
  disabled: u.disabledAt !== null,
  lockedUntil: u.lockedUntil && u.lockedUntil > now ? u.lockedUntil.toISOString() : null,
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
});

const toTokenView = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes as TokenScope[],
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export function authService({ store, now }: { store: AuthStore; now: () => Date }) {
  const tokenCache = new Map<string, { actor: Actor | null; until: number }>();

  const userActor = (u: User, sessionId: string, csrfToken: string, expiresAt: Date): SignedIn["actor"] => ({
    kind: "user",
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    sessionId,
    csrfToken,
    expiresAt,
  });

  async function startSession(user: User): Promise<SignedIn> {
    const at = now();
    const { token, hash } = newCredential();
    const csrfToken = newCredential().token;
    const expiresAt = new Date(at.getTime() + SESSION_IDLE_MS);
    await store.createSession({ id: hash, userId: user.id, csrfToken, lastSeenAt: at, expiresAt });
    return { token, actor: userActor(user, hash, csrfToken, expiresAt) };
  }

  async function newLink(purpose: LinkPurpose, userId: string | null, ttl = LINK_TTL_MS) {
    const { token, hash } = newCredential();
    const expiresAt = new Date(now().getTime() + ttl);
    await store.createLink({ id: hash, userId, purpose, expiresAt });
    return { path: `/set-password#token=${token}`, expiresAt: expiresAt.toISOString() };
  }

  async function usableLink(token: string) {
    const link = await store.link(hashCredential(token));
    if (!link || link.usedAt || link.expiresAt <= now()) {
      throw new AppError(
        "not_found",
        "This link is not valid: it was used already, has expired, or was replaced. Ask an admin for a new one.",
      );
    }
    return link;
  }

  function checkPassword(password: string, email: string) {
    const problem = passwordProblem(password, email);
    if (problem) {
      throw new AppError("validation_failed", problem, [
        { path: "body.password", code: "weak_password", message: problem },
      ]);
    }
  }

  return {
    /** The actor behind a session cookie, sliding its expiry; null when it is unknown, expired or its user disabled. */
    async sessionActor(token: string): Promise<Actor | null> {
      const id = hashCredential(token);
      const session = await store.session(id);
      const at = now();
      if (!session || session.expiresAt <= at || session.user.disabledAt) return null;
      let expiresAt = session.expiresAt;
      if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        expiresAt = new Date(Math.min(at.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_MAX_MS));
        await store.touchSession(id, at, expiresAt);
      }
      return userActor(session.user, id, session.csrfToken, expiresAt);
    },

    async tokenActor(token: string): Promise<Actor | null> {
      const hash = hashCredential(token);
      const cached = tokenCache.get(hash);
      if (cached && cached.until > Date.now()) return cached.actor;
      const row = await store.tokenByHash(hash);
      const actor: Actor | null =
        row && !row.revokedAt
          ? { kind: "token", id: row.id, name: row.name, scopes: row.scopes as TokenScope[] }
          : null;
      if (row && !row.revokedAt && (!row.lastUsedAt || now().getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS)) {
        await store.touchToken(row.id, now());
      }
      if (tokenCache.size > 10_000) tokenCache.clear();
      tokenCache.set(hash, { actor, until: Date.now() + TOKEN_CACHE_MS });
      return actor;
    },

    async signIn(email: string, password: string): Promise<SignedIn> {
      const user = await store.userByEmail(email);
      const at = now();
      const wrong = () => new AppError("unauthorized", "The email or the password is wrong.");
      if (!user?.passwordHash) {
        await verifyNothing(password);
        throw wrong();
      }
      if (user.lockedUntil && user.lockedUntil > at) {
        const seconds = (user.lockedUntil.getTime() - at.getTime()) / 1000;
        throw new AppError(
          "too_many_requests",
          `This account is locked after ${LOCKOUT_AFTER} wrong passwords until ${user.lockedUntil.toISOString()}; try again then, or ask an admin to reset the password.`,
          [],
          [],
          seconds,
        );
      }
      if (!(await verifyPassword(user.passwordHash, password))) {
        const failed = user.failedSignIns + 1;
        const locked = failed >= LOCKOUT_AFTER;
        await store.updateUser(user.id, {
          failedSignIns: locked ? 0 : failed,
          lockedUntil: locked ? new Date(at.getTime() + LOCKOUT_MS) : user.lockedUntil,
        });
        throw wrong();
      }
      if (user.disabledAt) throw new AppError("forbidden", "This account is disabled; ask an admin.");
      await store.updateUser(user.id, { failedSignIns: 0, lockedUntil: null, lastSignInAt: at });
      return startSession(user);
    },

    async signOut(sessionId: string): Promise<void> {
      await store.deleteSession(sessionId);
    },

    /** First start: with no user at all, either the environment's admin or a one-time setup link. */
    async ensureFirstAdmin(env: {
      email?: string;
      password?: string;
    }): Promise<{ created?: string; setupPath?: string }> {
      if ((await store.userCount()) > 0) return {};
      if (env.email && env.password) {
        const email = env.email.trim().toLowerCase();
        checkPassword(env.password, email);
        await store.createUser({
          email,
          name: email.split("@")[0] ?? email,
          role: "admin",
          passwordHash: await hashPassword(env.password),
        });
        return { created: email };
      }
      // A new start replaces any earlier setup link that was not used.
      await store.deleteUnusedSetupLinks();
      const link = await newLink("setup", null, SETUP_LINK_TTL_MS);
      return { setupPath: link.path };
    },

    async linkStatus(token: string) {
      const link = await usableLink(token);
      return {
        purpose: link.purpose as LinkPurpose,
        email: link.user?.email ?? null,
        expiresAt: link.expiresAt.toISOString(),
      };
    },

    async setup(input: { token: string; email: string; name: string; password: string }): Promise<SignedIn> {
      const link = await usableLink(input.token);
      if (link.purpose !== "setup") throw new AppError("not_found", "This is not a setup link.");
      if ((await store.userCount()) > 0) throw new AppError("conflict", "This installation already has its admin.");
      checkPassword(input.password, input.email);
      const user = await store.setUpFirstAdmin(link.id, now(), {
        email: input.email,
        name: input.name,
        role: "admin",
        passwordHash: await hashPassword(input.password),
      });
      return startSession(user);
    },

    async setPassword(token: string, password: string): Promise<SignedIn> {
      const link = await usableLink(token);
      if (!link.user || link.purpose === "setup") throw new AppError("not_found", "This is not a set-password link.");
      checkPassword(password, link.user.email);
      const passwordHash = await hashPassword(password);
      const user = await store.setPasswordByLink(link.id, now(), link.user.id, passwordHash);
      if (user.disabledAt) throw new AppError("forbidden", "This account is disabled; ask an admin.");
      return startSession(user);
    },

    async listUsers() {
      const rows = await store.users();
      return { items: rows.map((u) => toUserView(u, now())), total: rows.length };
    },

    async createUser(input: z.output<typeof userInput>) {
      if (await store.userByEmail(input.email)) {
        throw new AppError("conflict", `A user with the email ${input.email} exists already.`, [
          { path: "body.email", code: "duplicate", message: "A user with this email exists already." },
        ]);
      }
      const user = await store.createUser({ email: input.email, name: input.name, role: input.role });
      return { user: toUserView(user, now()), link: await newLink("invite", user.id) };
    },

    async updateUser(actor: Actor, id: string, patch: z.output<typeof userPatch>) {
      const user = await store.user(id);
      if (!user) throw AppError.notFound(`User ${id}`);
      const losesAdmin = user.role === "admin" && ((patch.role && patch.role !== "admin") || patch.disabled === true);
      if (losesAdmin && (await store.activeAdminCount()) <= 1) {
        throw new AppError("conflict", "This is the last admin: make another user admin first.");
      }
      if (actor.kind === "user" && actor.id === id && patch.disabled) {
        throw new AppError("conflict", "You cannot disable your own account.");
      }
      const updated = await store.updateUser(id, {
        name: patch.name,
        role: patch.role as Role | undefined,
        disabledAt: patch.disabled === undefined ? undefined : patch.disabled ? (user.disabledAt ?? now()) : null,
      });
      // A role change or a disabling takes effect now, not at the next sign-in.
      if (patch.disabled || (patch.role && patch.role !== user.role)) {
        await store.endSessions(id);
      }
      return toUserView(updated, now());
    },

    /** Deletes a user (their sessions and links go with them). Never yourself, never the last active admin. */
    async deleteUser(actor: Actor, id: string) {
      const user = await store.user(id);
      if (!user) throw AppError.notFound(`User ${id}`);
      if (actor.kind === "user" && actor.id === id) {
        throw new AppError("conflict", "You cannot delete your own account.");
      }
      if (user.role === "admin" && !user.disabledAt && (await store.activeAdminCount()) <= 1) {
        throw new AppError("conflict", "This is the last admin: make another user admin first.");
      }
      await store.deleteUser(id);
    },

    /** Admin-driven reset: the old password and every session stop working; the user sets a new one by the link. */
    async resetPassword(id: string) {
      if (!(await store.user(id))) throw AppError.notFound(`User ${id}`);
      await store.clearPassword(id);
      return newLink("reset", id);
    },

    async listTokens() {
      const rows = await store.tokens();
      return { items: rows.map(toTokenView), total: rows.length };
    },

    async createToken(actor: Actor, input: z.output<typeof apiTokenInput>) {
      const { token, hash } = newCredential(TOKEN_PREFIX);
      const row = await store.createToken({
        name: input.name,
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        tokenHash: hash,
        scopes: [...new Set(input.scopes)],
        createdById: actor.kind === "user" ? actor.id : null,
      });
      return { token: toTokenView(row), secret: token };
    },

    async revokeToken(id: string) {
      const row = await store.token(id);
      if (!row) throw AppError.notFound(`API token ${id}`);
      const updated = await store.revokeToken(id, row.revokedAt ?? now());
      tokenCache.clear();
      return toTokenView(updated);
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
