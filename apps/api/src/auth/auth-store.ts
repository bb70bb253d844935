import type { Db } from "../db/database";
import { AppError } from "../errors/app-error";
import type { ApiToken, PasswordLink, User, UserSession } from "../generated/prisma/client";

export type { ApiToken, User };
export type LinkPurpose = "setup" | "invite" | "reset";

export interface NewUser {
  email: string;
  name: string;
  role: User["role"];
  passwordHash?: string | null;
}

/** Users, their sessions, one-time links and API tokens: the only file of auth/ that touches the database. */
export interface AuthStore {
  session(id: string): Promise<(UserSession & { user: User }) | null>;
  createSession(session: {
    id: string;
    userId: string;
    csrfToken: string;
    lastSeenAt: Date;
    expiresAt: Date;
  }): Promise<void>;
  touchSession(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  deleteSession(id: string): Promise<void>;

  userCount(): Promise<number>;
  activeAdminCount(): Promise<number>;
  users(): Promise<User[]>;
  user(id: string): Promise<User | null>;
  userByEmail(email: string): Promise<User | null>;
  createUser(user: NewUser): Promise<User>;
  updateUser(
    id: string,
    data: Partial<Pick<User, "name" | "role" | "disabledAt" | "failedSignIns" | "lockedUntil" | "lastSignInAt">>,
  ): Promise<User>;
  /** Ends every session of a user (a role change, a disabling, a new password). */
  endSessions(userId: string): Promise<void>;
  /** Deletes a user with their sessions and links; the audit log keeps what they did. */
  deleteUser(id: string): Promise<void>;

  link(id: string): Promise<(PasswordLink & { user: User | null }) | null>;
  createLink(link: { id: string; userId: string | null; purpose: LinkPurpose; expiresAt: Date }): Promise<void>;
  deleteUnusedSetupLinks(): Promise<void>;
  /** Uses a setup link and creates the first admin, atomically: of two racing requests one wins. */
  setUpFirstAdmin(linkId: string, usedAt: Date, admin: NewUser): Promise<User>;
  /** Uses a set-password link, ends the user's sessions and sets the password, atomically. */
  setPasswordByLink(linkId: string, usedAt: Date, userId: string, passwordHash: string): Promise<User>;
  /** Admin reset: no password, no session, no earlier unused link. */
  clearPassword(userId: string): Promise<void>;

  tokens(): Promise<ApiToken[]>;
  token(id: string): Promise<ApiToken | null>;
  tokenByHash(hash: string): Promise<ApiToken | null>;
  createToken(token: {
    name: string;
    prefix: string;
    tokenHash: string;
    scopes: string[];
    createdById: string | null;
  }): Promise<ApiToken>;
  touchToken(id: string, at: Date): Promise<void>;
  revokeToken(id: string, at: Date): Promise<ApiToken>;
}

const linkUsed = () => new AppError("not_found", "This link was used already. Ask an admin for a new one.");

/** Marks a link used; of two requests racing with one link, the second finds it used and changes nothing. */
async function useOnce(tx: Pick<Db, "passwordLink">, id: string, usedAt: Date): Promise<void> {
  const { count } = await tx.passwordLink.updateMany({ where: { id, usedAt: null }, data: { usedAt } });
  if (count !== 1) throw linkUsed();
}

export function prismaAuthStore(db: Db): AuthStore {
  return {
    session: (id) => db.userSession.findUnique({ where: { id }, include: { user: true } }),
    async createSession(session) {
      await db.userSession.create({ data: session });
    },
    async touchSession(id, lastSeenAt, expiresAt) {
      await db.userSession.update({ where: { id }, data: { lastSeenAt, expiresAt } });
    },
    async deleteSession(id) {
      await db.userSession.deleteMany({ where: { id } });
    },

    userCount: () => db.user.count(),
    activeAdminCount: () => db.user.count({ where: { role: "admin", disabledAt: null } }),
    users: () => db.user.findMany({ orderBy: { email: "asc" } }),
    user: (id) => db.user.findUnique({ where: { id } }),
    userByEmail: (email) => db.user.findUnique({ where: { email } }),
    createUser: (user) => db.user.create({ data: user }),
    updateUser: (id, data) => db.user.update({ where: { id }, data }),
    async endSessions(userId) {
      await db.userSession.deleteMany({ where: { userId } });
    },
    async deleteUser(id) {
      await db.user.deleteMany({ where: { id } });
    },

    link: (id) => db.passwordLink.findUnique({ where: { id }, include: { user: true } }),
    async createLink(link) {
      await db.passwordLink.create({ data: link });
    },
    async deleteUnusedSetupLinks() {
      await db.passwordLink.deleteMany({ where: { purpose: "setup" } });
    },
    setUpFirstAdmin: (linkId, usedAt, admin) =>
      db.$transaction(async (tx) => {
        await useOnce(tx, linkId, usedAt);
        return tx.user.create({ data: admin });
      }),
    setPasswordByLink: (linkId, usedAt, userId, passwordHash) =>
      db.$transaction(async (tx) => {
        await useOnce(tx, linkId, usedAt);
        await tx.userSession.deleteMany({ where: { userId } });
        return tx.user.update({ where: { id: userId }, data: { passwordHash, failedSignIns: 0, lockedUntil: null } });
      }),
    async clearPassword(userId) {
      await db.$transaction([
        db.user.update({ where: { id: userId }, data: { passwordHash: null, failedSignIns: 0, lockedUntil: null } }),
        db.userSession.deleteMany({ where: { userId } }),
        db.passwordLink.deleteMany({ where: { userId, usedAt: null } }),
      ]);
    },

    tokens: () => db.apiToken.findMany({ orderBy: { createdAt: "desc" } }),
    token: (id) => db.apiToken.findUnique({ where: { id } }),
    tokenByHash: (tokenHash) => db.apiToken.findUnique({ where: { tokenHash } }),
    createToken: (token) => db.apiToken.create({ data: token }),
    async touchToken(id, at) {
      await db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
    },
    revokeToken: (id, at) => db.apiToken.update({ where: { id }, data: { revokedAt: at } }),
  };
}
