import {
  team,
  teamInput,
  teamList,
  teamMemberInput,
  teamMemberParams,
  teamParams,
} from "@switchboard/contracts/live-chat";
import { route } from "../http/route";
import type { TeamService } from "./team-service";

export function teamRoutes(s: TeamService) {
  const tag = "Teams";
  return [
    route({
      method: "get",
      path: "/api/v1/teams",
      tag,
      access: "session",
      summary: "List Live Chat teams with their members",
      description: "Any signed-in user: agents see who they may transfer to, marketers choose an entry's team.",
      response: teamList,
      handler: () => s.list(),
    }),
    route({
      method: "post",
      path: "/api/v1/teams",
      tag,
      access: "admin",
      summary: "Create a team",
      body: teamInput,
      response: team,
      errors: [409],
      handler: ({ body }) => s.create(body),
    }),
    route({
      method: "patch",
      path: "/api/v1/teams/:teamId",
      tag,
      access: "admin",
      summary: "Rename a team",
      params: teamParams,
      body: teamInput,
      response: team,
      errors: [404, 409],
      handler: ({ params, body }) => s.rename(params.teamId, body),
    }),
    route({
      method: "delete",
      path: "/api/v1/teams/:teamId",
      tag,
      access: "admin",
      summary: "Delete a team",
      description:
        "Refused (409 still_referenced, with the entries) while a chatbot's Live Chat entry hands conversations to it; its waiting conversations go to every agent's inbox.",
      params: teamParams,
      errors: [404, 409],
      handler: async ({ params }) => {
        await s.remove(params.teamId);
        return undefined;
      },
    }),
    route({
      method: "post",
      path: "/api/v1/teams/:teamId/members",
      tag,
      access: "admin",
      summary: "Add a user to a team",
      description:
        "Agents, marketers and admins may join; viewers and disabled users may not (409). Adding a member again changes nothing.",
      params: teamParams,
      body: teamMemberInput,
      response: team,
      errors: [404, 409],
      handler: ({ params, body }) => s.addMember(params.teamId, body),
    }),
    route({
      method: "delete",
      path: "/api/v1/teams/:teamId/members/:userId",
      tag,
      access: "admin",
      summary: "Remove a user from a team",
      params: teamMemberParams,
      errors: [404],
      handler: async ({ params }) => {
        await s.removeMember(params.teamId, params.userId);
        return undefined;
      },
    }),
  ];
}
