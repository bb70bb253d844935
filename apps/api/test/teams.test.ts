import { expect, it } from "vitest";
import { teamService } from "../src/teams/team-service";
import { prismaTeamStore } from "../src/teams/team-store";
import { createCampaign, describeEachDatabase, type Harness } from "./harness";

async function user(h: Harness, role: "agent" | "viewer" | "marketer" | "admin", email: string, disabled = false) {
  // Users outlive a test (the harness keeps them): the same one is made again as this test wants it.
  const data = { name: email.split("@")[0] as string, role, disabledAt: disabled ? new Date() : null };
  return h.db.prisma.user.upsert({ where: { email }, create: { email, ...data }, update: data });
}

const teamsRows = (h: Harness) =>
  h.db.prisma.team.findMany({ orderBy: { name: "asc" }, include: { members: { orderBy: { userId: "asc" } } } });

describeEachDatabase("Live Chat teams", (h) => {
  it("creates, renames and lists teams with their members; every change is audited", async () => {
    const created = await h.api.post("/api/v1/teams").send({ name: "  Sales  " });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: "Sales", members: [], createdAt: expect.any(String) });
    const ana = await user(h, "agent", "ana@example.com");
    const mo = await user(h, "marketer", "mo@example.com");
    await h.api.post(`/api/v1/teams/${created.body.id}/members`).send({ userId: mo.id }).expect(201);
    const added = await h.api.post(`/api/v1/teams/${created.body.id}/members`).send({ userId: ana.id }).expect(201);
    expect(added.body.members).toEqual([
      { userId: ana.id, name: "ana", email: "ana@example.com", role: "agent" },
      { userId: mo.id, name: "mo", email: "mo@example.com", role: "marketer" },
    ]);
    // Adding a member again changes nothing.
    await h.api.post(`/api/v1/teams/${created.body.id}/members`).send({ userId: ana.id }).expect(201);
    await h.api.patch(`/api/v1/teams/${created.body.id}`).send({ name: "Sales EMEA" }).expect(200);
    await h.api.post("/api/v1/teams").send({ name: "Billing" }).expect(201);

    // Any signed-in user reads them, an agent included.
    const agent = await h.as("agent");
    const list = (await agent.get("/api/v1/teams").expect(200)).body;
    expect(list.total).toBe(2);
    expect(list.items.map((t: { name: string; members: unknown[] }) => [t.name, t.members.length])).toEqual([
      ["Billing", 0],
      ["Sales EMEA", 2],
    ]);

    const teamEvents = await h.db.prisma.auditEvent.findMany({ where: { targetType: "Teams" } });
    expect(teamEvents.map((a) => a.action).sort()).toEqual([
      "Add a user to a team",
      "Add a user to a team",
      "Add a user to a team",
      "Create a team",
      "Create a team",
      "Rename a team",
    ]);
    expect(teamEvents.filter((a) => a.action === "Rename a team").map((a) => a.targetId)).toEqual([created.body.id]);
  });

  it("refuses a name another team has, saying so in a documented problem, and changes nothing", async () => {
    const sales = (await h.api.post("/api/v1/teams").send({ name: "Sales" }).expect(201)).body;
    const support = (await h.api.post("/api/v1/teams").send({ name: "Support" }).expect(201)).body;
    const before = await teamsRows(h);

    const dup = await h.api.post("/api/v1/teams").send({ name: "Sales" });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toBe("/api/problems#team_name_taken");
    expect(dup.body.errors).toEqual([expect.objectContaining({ path: "body.name", code: "duplicate" })]);
    const rename = await h.api.patch(`/api/v1/teams/${support.id}`).send({ name: "Sales" });
    expect(rename.status).toBe(409);
    expect(rename.body.type).toBe("/api/problems#team_name_taken");
    // Its own name is not taken by itself.
    await h.api.patch(`/api/v1/teams/${sales.id}`).send({ name: "Sales" }).expect(200);

    const empty = await h.api.post("/api/v1/teams").send({ name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ path: "body.name" });
    expect(await teamsRows(h)).toEqual(before);
  });

  it("refuses a member who does not exist, is disabled or is a viewer, and changes nothing", async () => {
    const team = (await h.api.post("/api/v1/teams").send({ name: "Sales" }).expect(201)).body;
    const viewer = await user(h, "viewer", "vi@example.com");
    const disabled = await user(h, "agent", "gone@example.com", true);
    const before = await teamsRows(h);
    const members = `/api/v1/teams/${team.id}/members`;

    const unknown = await h.api.post(members).send({ userId: crypto.randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: "body.userId", code: "unknown_user" })]);

    const off = await h.api.post(members).send({ userId: disabled.id });
    expect(off.status).toBe(409);
    expect(off.body.type).toBe("/api/problems#cannot_join_team");
    expect(off.body.errors).toEqual([expect.objectContaining({ path: "body.userId", code: "user_disabled" })]);

    const looker = await h.api.post(members).send({ userId: viewer.id });
    expect(looker.status).toBe(409);
    expect(looker.body.type).toBe("/api/problems#cannot_join_team");
    expect(looker.body.detail).toBe("A Viewer cannot join a team: only agents, marketers and admins work the inbox.");
    expect(looker.body.errors).toEqual([expect.objectContaining({ path: "body.userId", code: "role_cannot_join" })]);

    const noTeam = await h.api.post(`/api/v1/teams/${crypto.randomUUID()}/members`).send({ userId: viewer.id });
    expect(noTeam.status).toBe(404);
    expect(await teamsRows(h)).toEqual(before);
  });

  it("removes members and deletes teams; an agent's teams are what teamIdsOf answers", async () => {
    const store = prismaTeamStore(h.db.prisma);
    const service = teamService({ teams: store });
    const ana = await user(h, "agent", "ana@example.com");
    const sales = await service.create({ name: "Sales" });
    const support = await service.create({ name: "Support" });
    await service.addMember(sales.id, { userId: ana.id });
    await service.addMember(support.id, { userId: ana.id });
    expect(await store.teamIdsOf(ana.id)).toEqual([sales.id, support.id].sort());

    await h.api.delete(`/api/v1/teams/${sales.id}/members/${ana.id}`).expect(204);
    expect(await store.teamIdsOf(ana.id)).toEqual([support.id]);
    const again = await h.api.delete(`/api/v1/teams/${sales.id}/members/${ana.id}`);
    expect(again.status).toBe(404);

    await h.api.delete(`/api/v1/teams/${support.id}`).expect(204);
    expect(await store.teamIdsOf(ana.id)).toEqual([]);
    expect((await h.api.get(`/api/v1/teams`).expect(200)).body.items.map((t: { name: string }) => t.name)).toEqual([
      "Sales",
    ]);
    expect((await h.api.delete(`/api/v1/teams/${support.id}`)).status).toBe(404);
    // The user stays; only the membership went.
    expect(await h.db.prisma.user.count({ where: { id: ana.id } })).toBe(1);
  });

  it("lets only admins change teams", async () => {
    const marketer = await h.as("marketer");
    const refused = await marketer.post("/api/v1/teams").send({ name: "Sales" });
    expect(refused.status).toBe(403);
    expect(await h.db.prisma.team.count()).toBe(0);
  });

  it("refuses to delete a team a Live Chat entry hands conversations to, naming the entry", async () => {
    const team = (await h.api.post("/api/v1/teams").send({ name: "Sales" }).expect(201)).body;
    const campaign = await createCampaign(h);
    const welcome = (await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`)).body.nodes[0];
    const entries = `/api/v1/campaigns/${campaign.id}/nodes/${welcome.id}/entries`;
    const liveChat = { teamId: team.id, onTimeout: { action: "end", message: "Bye." } };
    const entry = (
      await h.api
        .post(entries)
        .send({ keyword: "9", menuText: "A person", redirectType: "live_chat", liveChat })
        .expect(201)
    ).body;

    const refused = await h.api.delete(`/api/v1/teams/${team.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe("/api/problems#still_referenced");
    expect(refused.body.detail).toBe(
      'Team Sales cannot be deleted: 1 Live Chat entry hands conversations to it ("EliPackage" › Welcome Message › 9. A person). Choose another team there first.',
    );
    expect(refused.body.references.map((r: { entryId: string }) => r.entryId)).toEqual([entry.id]);
    expect(await h.db.prisma.team.count()).toBe(1);

    await h.api
      .patch(`${entries}/${entry.id}`)
      .send({ liveChat: { ...liveChat, teamId: null } })
      .expect(200);
    await h.api.delete(`/api/v1/teams/${team.id}`).expect(204);
  });
});
