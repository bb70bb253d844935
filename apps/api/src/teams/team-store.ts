import type { EntryReference } from "@switchboard/domain/references";
import type { Role } from "@switchboard/domain/role";
import type { Db } from "../db/database";
import { referenceInclude, toEntryReference } from "../db/entry-references";

export interface TeamMemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

export interface TeamRow {
  id: string;
  name: string;
  createdAt: Date;
  members: TeamMemberRow[];
}

/** Live Chat's teams and who is in them: the only file of teams/ that touches the database. */
export interface TeamStore {
  /** Every team by name, members by name. */
  list(): Promise<TeamRow[]>;
  get(id: string): Promise<TeamRow | null>;
  idByName(name: string): Promise<string | null>;
  create(name: string): Promise<TeamRow>;
  rename(id: string, name: string): Promise<TeamRow>;
  delete(id: string): Promise<void>;
  /** Adds the user (a second add changes nothing). */
  addMember(teamId: string, userId: string): Promise<void>;
  /** Whether the user was a member. */
  removeMember(teamId: string, userId: string): Promise<boolean>;
  /** A user as joining a team needs them: their role and whether they are disabled. */
  user(id: string): Promise<{ id: string; role: Role; disabled: boolean } | null>;
  /** The Live Chat entries (of any chatbot's draft) that hand conversations to the team. */
  referencesToTeam(teamId: string): Promise<EntryReference[]>;
  /** The teams an agent belongs to: their inbox shows these teams' conversations. */
  teamIdsOf(userId: string): Promise<string[]>;
}

const withMembers = {
  members: {
    include: { user: { select: { id: true, name: true, email: true, role: true } } },
    orderBy: { user: { name: "asc" } },
  },
} as const;

type LoadedTeam = {
  id: string;
  name: string;
  createdAt: Date;
  members: { user: { id: string; name: string; email: string; role: Role } }[];
};

const toRow = (t: LoadedTeam): TeamRow => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  members: t.members.map(({ user }) => ({ userId: user.id, name: user.name, email: user.email, role: user.role })),
});

export function prismaTeamStore(db: Db): TeamStore {
  return {
    list: async () => (await db.team.findMany({ orderBy: { name: "asc" }, include: withMembers })).map(toRow),
    async get(id) {
      const row = await db.team.findUnique({ where: { id }, include: withMembers });
      return row ? toRow(row) : null;
    },
    idByName: async (name) => (await db.team.findUnique({ where: { name }, select: { id: true } }))?.id ?? null,
    create: async (name) => toRow(await db.team.create({ data: { name }, include: withMembers })),
    rename: async (id, name) => toRow(await db.team.update({ where: { id }, data: { name }, include: withMembers })),
    async delete(id) {
      await db.team.delete({ where: { id } });
    },
    async addMember(teamId, userId) {
      await db.teamMember.createMany({ data: [{ teamId, userId }], skipDuplicates: true });
    },
    removeMember: async (teamId, userId) => (await db.teamMember.deleteMany({ where: { teamId, userId } })).count > 0,
    async user(id) {
      const row = await db.user.findUnique({ where: { id }, select: { id: true, role: true, disabledAt: true } });
      return row ? { id: row.id, role: row.role, disabled: row.disabledAt !== null } : null;
    },
    async referencesToTeam(teamId) {
      const entries = await db.menuEntry.findMany({
        where: { redirectType: "live_chat", liveChat: { path: ["teamId"], equals: teamId } },
        include: referenceInclude,
        orderBy: [{ node: { campaignId: "asc" } }, { node: { position: "asc" } }, { position: "asc" }],
      });
      return entries.map(toEntryReference);
    },
    teamIdsOf: async (userId) =>
      (await db.teamMember.findMany({ where: { userId }, select: { teamId: true }, orderBy: { teamId: "asc" } })).map(
        (m) => m.teamId,
      ),
  };
}
