import { describeReference } from "@switchboard/domain/references";
import { roleLabels } from "@switchboard/domain/role";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../errors/app-error";
import type { TeamRow, TeamStore } from "./team-store";

/** Who may work a team's inbox: agents, and marketers and admins (who may work every inbox); not viewers. */
const MAY_JOIN = new Set(["agent", "marketer", "admin"]);

const nameTaken = (name: string) =>
  new AppError("team_name_taken", `A team called "${name}" exists already.`, [
    { path: "body.name", code: "duplicate", message: "This name is taken by another team." },
  ]);

/** Live Chat's teams: admins make them and choose their members; an entry hands conversations to one. */
export function teamService(deps: { teams: TeamStore }) {
  const { teams } = deps;

  const view = (t: TeamRow) => ({ ...t, createdAt: t.createdAt.toISOString() });

  const find = async (id: string) => {
    const team = await teams.get(id);
    if (!team) throw AppError.notFound(`Team ${id}`);
    return team;
  };

  /** The store refuses a name taken meanwhile by its unique index; this says it first, in words. */
  const uniqueName = async (name: string, except?: string) => {
    const other = await teams.idByName(name);
    if (other && other !== except) throw nameTaken(name);
  };

  const named = async <T>(name: string, write: () => Promise<T>) => {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    }
  };

  return {
    async list() {
      const rows = await teams.list();
      return { items: rows.map(view), total: rows.length };
    },

    async create(input: { name: string }) {
      await uniqueName(input.name);
      return view(await named(input.name, () => teams.create(input.name)));
    },

    async rename(id: string, input: { name: string }) {
      await find(id);
      await uniqueName(input.name, id);
      return view(await named(input.name, () => teams.rename(id, input.name)));
    },

    /**
     * Refused while a chatbot's Live Chat entry hands conversations to it (they would go nowhere); conversations already
     * waiting for it go to every agent's inbox (their team is set to none).
     */
    async remove(id: string) {
      const team = await find(id);
      const references = await teams.referencesToTeam(id);
      if (references.length > 0) {
        const count =
          references.length === 1 ? "1 Live Chat entry hands" : `${references.length} Live Chat entries hand`;
        throw new AppError(
          "still_referenced",
          `Team ${team.name} cannot be deleted: ${count} conversations to it (${references.map(describeReference).join("; ")}). Choose another team there first.`,
          [],
          references,
        );
      }
      await teams.delete(id);
    },

    async addMember(teamId: string, input: { userId: string }) {
      await find(teamId);
      const user = await teams.user(input.userId);
      if (!user) {
        throw new AppError("validation_failed", `User ${input.userId} does not exist.`, [
          { path: "body.userId", code: "unknown_user", message: "No user has this id." },
        ]);
      }
      if (user.disabled) {
        throw new AppError("cannot_join_team", "A disabled user cannot join a team; enable them first.", [
          { path: "body.userId", code: "user_disabled", message: "This user is disabled." },
        ]);
      }
      if (!MAY_JOIN.has(user.role)) {
        throw new AppError(
          "cannot_join_team",
          `A ${roleLabels[user.role]} cannot join a team: only agents, marketers and admins work the inbox.`,
          [{ path: "body.userId", code: "role_cannot_join", message: `${roleLabels[user.role]}s cannot join a team.` }],
        );
      }
      await teams.addMember(teamId, user.id);
      return view(await find(teamId));
    },

    async removeMember(teamId: string, userId: string) {
      await find(teamId);
      if (!(await teams.removeMember(teamId, userId))) throw AppError.notFound(`User ${userId} in this team`);
    },
  };
}
export type TeamService = ReturnType<typeof teamService>;
