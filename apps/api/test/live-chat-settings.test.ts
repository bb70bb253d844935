import { readFlowSnapshot } from "@switchboard/domain/conversation/flow-format";
import { expect, it } from "vitest";
import { createCampaign, describeEachDatabase, type Harness } from "./harness";

async function chatbot(h: Harness) {
  const campaign = await createCampaign(h);
  const flow = (await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`)).body;
  const [welcome, one, ...rest] = flow.nodes as { id: string; label: string }[];
  const base = `/api/v1/campaigns/${campaign.id}`;
  // Two nodes with messages, one reachable from the other: a publish has nothing else to refuse.
  for (const node of rest) await h.api.delete(`${base}/nodes/${node.id}`).expect(204);
  await h.api.patch(`${base}/nodes/${welcome?.id}`).send({ message: "Hello! Choose:" }).expect(200);
  await h.api.patch(`${base}/nodes/${one?.id}`).send({ message: "Back with the bot." }).expect(200);
  await h.api
    .post(`${base}/nodes/${welcome?.id}/entries`)
    .send({ keyword: "1", menuText: "Menu", redirectType: "interaction", redirectTo: one?.id })
    .expect(201);
  return {
    campaign,
    base,
    welcome: welcome as { id: string },
    one: one as { id: string; label: string },
    entries: `${base}/nodes/${welcome?.id}/entries`,
  };
}

const settings = (over: Record<string, unknown> = {}) => ({
  handoverMessage: "Connecting you with our sales team.",
  teamId: null,
  timeoutMinutes: 5,
  openingHours: { timeZone: "Europe/Berlin", days: [{ day: 1, from: "09:00", to: "17:00" }] },
  onTimeout: { action: "end", message: "Nobody is free; we will write back." },
  ...over,
});

async function publishedEntry(h: Harness, campaignId: number, entryId: string) {
  const row = await h.db.prisma.flowVersion.findFirst({ where: { campaignId }, orderBy: { version: "desc" } });
  const snapshot = readFlowSnapshot(row?.snapshot);
  return snapshot.nodes.flatMap((n) => n.entries).find((e) => e.id === entryId);
}

describeEachDatabase("a Live Chat entry's settings", (h) => {
  it("stores them, returns them with the flow and copies them into the published version", async () => {
    const bot = await chatbot(h);
    const team = await h.db.prisma.team.create({ data: { name: "Sales" } });
    const input = settings({
      teamId: team.id,
      onTimeout: { action: "bot", message: "Back to the menu.", nodeId: bot.one.id },
    });
    const created = await h.api
      .post(bot.entries)
      .send({ keyword: "9", menuText: "Talk to a person", redirectType: "live_chat", liveChat: input });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.liveChat).toEqual(input);

    const flow = (await h.api.get(`${bot.base}/flow`)).body;
    expect(flow.nodes[0].entries[1].liveChat).toEqual(input);

    const published = await h.api.post(`${bot.base}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect((await publishedEntry(h, bot.campaign.id, created.body.id))?.liveChat).toEqual(input);

    // The defaults of the contracts fill what is left out.
    const patched = await h.api
      .patch(`${bot.entries}/${created.body.id}`)
      .send({ liveChat: { onTimeout: { action: "end", message: "Bye." } } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.liveChat).toEqual({
      handoverMessage: "An agent will be with you shortly.",
      teamId: null,
      timeoutMinutes: 10,
      openingHours: null,
      onTimeout: { action: "end", message: "Bye." },
    });
  });

  it("refuses settings on an entry that is not Live Chat, and drops them when the entry leaves Live Chat", async () => {
    const bot = await chatbot(h);
    const refused = await h.api
      .post(bot.entries)
      .send({ keyword: "8", redirectType: "interaction", redirectTo: bot.one.id, liveChat: settings() });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ path: "body.liveChat", code: "not_available" });

    const entry = (
      await h.api.post(bot.entries).send({ keyword: "9", redirectType: "live_chat", liveChat: settings() }).expect(201)
    ).body;
    const moved = await h.api
      .patch(`${bot.entries}/${entry.id}`)
      .send({ redirectType: "interaction", redirectTo: bot.one.id })
      .expect(200);
    expect(moved.body.liveChat).toBeNull();
    const stored = await h.db.prisma.menuEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(stored.liveChat).toBeNull();
    expect((await h.api.get(`${bot.base}/flow`)).body.nodes[0].entries).toHaveLength(2);
  });

  it("refuses a team that does not exist and a timeout node of another chatbot, saving nothing", async () => {
    const bot = await chatbot(h);
    const other = await chatbot(h);
    const before = (await h.api.get(`${bot.base}/flow`)).body;

    const noTeam = await h.api
      .post(bot.entries)
      .send({ keyword: "9", redirectType: "live_chat", liveChat: settings({ teamId: crypto.randomUUID() }) });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors[0]).toMatchObject({ path: "body.liveChat.teamId", code: "unknown_team" });

    const foreignNode = await h.api.post(bot.entries).send({
      keyword: "9",
      redirectType: "live_chat",
      liveChat: settings({ onTimeout: { action: "bot", message: "Back.", nodeId: other.one.id } }),
    });
    expect(foreignNode.status).toBe(400);
    expect(foreignNode.body.errors[0]).toMatchObject({ path: "body.liveChat.onTimeout.nodeId", code: "unknown_node" });

    expect((await h.api.get(`${bot.base}/flow`)).body).toEqual(before);
  });

  it("refuses to publish an entry whose team was deleted since, and a node its timeout goes back to cannot be deleted", async () => {
    const bot = await chatbot(h);
    const team = await h.db.prisma.team.create({ data: { name: "Support" } });
    const later = (await h.api.post(`${bot.base}/nodes`).send({ message: "Anything else?" }).expect(201)).body;
    const entry = (
      await h.api
        .post(bot.entries)
        .send({
          keyword: "9",
          redirectType: "live_chat",
          liveChat: settings({ teamId: team.id, onTimeout: { action: "bot", message: "Back.", nodeId: later.id } }),
        })
        .expect(201)
    ).body;

    const deleteNode = await h.api.delete(`${bot.base}/nodes/${later.id}`);
    expect(deleteNode.status).toBe(409);
    expect(deleteNode.body.type).toBe("/api/problems#still_referenced");
    expect(deleteNode.body.references.map((r: { entryId: string }) => r.entryId)).toEqual([entry.id]);

    // The API refuses to delete a team an entry names; a restored version may still name one deleted since.
    await h.db.prisma.team.delete({ where: { id: team.id } });
    // Editing something else of the entry is still possible: the team is checked when it is chosen, and at publish.
    await h.api.patch(`${bot.entries}/${entry.id}`).send({ menuText: "A person" }).expect(200);
    const refused = await h.api.post(`${bot.base}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        code: "unknown_team",
        target: { nodeId: bot.welcome.id, entryId: entry.id, field: "liveChat.teamId" },
      }),
    ]);
    expect((await h.api.get(`${bot.base}/versions`)).body.items).toEqual([]);
  });

  it("compares and restores versions with their Live Chat settings", async () => {
    const bot = await chatbot(h);
    const team = await h.db.prisma.team.create({ data: { name: "Billing" } });
    const first = settings({ onTimeout: { action: "bot", message: "Back.", nodeId: bot.one.id } });
    const entry = (
      await h.api.post(bot.entries).send({ keyword: "9", redirectType: "live_chat", liveChat: first }).expect(201)
    ).body;
    await h.api.post(`${bot.base}/publish`).expect(201);
    await h.api
      .patch(`${bot.entries}/${entry.id}`)
      .send({ liveChat: { ...first, teamId: team.id, timeoutMinutes: 30 } })
      .expect(200);

    const compared = (await h.api.get(`${bot.base}/versions/compare?from=1&to=0`)).body;
    expect(
      compared.changes
        .filter((c: { kind: string }) => c.kind === "live_chat_changed")
        .map((c: { what: string }) => c.what),
    ).toEqual(["Live Chat team changed from every agent to Billing", "Live Chat timeout changed from 5 to 30 minutes"]);

    await h.api.post(`${bot.base}/versions/1/restore`).expect(200);
    const restored = (await h.api.get(`${bot.base}/flow`)).body.nodes[0].entries[1];
    expect(restored.liveChat).toEqual(first);
  });

  it("goes into a chatbot file with its team by name, and comes back mapped to a team of this installation", async () => {
    const bot = await chatbot(h);
    const team = await h.db.prisma.team.create({ data: { name: "Sales" } });
    const input = settings({ teamId: team.id, onTimeout: { action: "bot", message: "Back.", nodeId: bot.one.id } });
    await h.api.post(bot.entries).send({ keyword: "9", redirectType: "live_chat", liveChat: input }).expect(201);

    const exported = (await h.api.get(`${bot.base}/export`).expect(200)).body;
    expect(exported.nodes[0].entries[1].liveChat).toEqual({
      handoverMessage: input.handoverMessage,
      team: { id: team.id, name: "Sales" },
      timeoutMinutes: 5,
      openingHours: input.openingHours,
      onTimeout: { action: "bot", message: "Back.", node: "n2" },
    });
    expect(exported.nodes[0].entries[0].liveChat).toBeNull();

    // Elsewhere the team is found by its name (another id); a node ref that is not in the file is refused.
    await h.db.prisma.team.delete({ where: { id: team.id } });
    const elsewhere = await h.db.prisma.team.create({ data: { name: "Sales" } });
    const plan = (await h.api.post("/api/v1/campaign-imports/plan").send({ document: exported }).expect(200)).body;
    expect(plan.needs.find((n: { kind: string }) => n.kind === "team")).toEqual({
      kind: "team",
      key: team.id,
      label: `Team ${team.id} (Sales)`,
      paths: ["document.nodes.0.entries.1.liveChat.team"],
      suggestion: elsewhere.id,
      mapped: true,
    });
    const broken = structuredClone(exported);
    broken.nodes[0].entries[1].liveChat.onTimeout.node = "n7";
    const refused = (await h.api.post("/api/v1/campaign-imports/plan").send({ document: broken }).expect(200)).body;
    expect(refused.problems).toEqual([
      expect.objectContaining({ path: "document.nodes.0.entries.1.liveChat.onTimeout.node", code: "unknown_node" }),
    ]);

    const imported = (
      await h.api
        .post("/api/v1/campaign-imports")
        .send({ document: exported, name: "Copy", senderId: bot.campaign.senderId })
        .expect(201)
    ).body;
    const copy = (await h.api.get(`/api/v1/campaigns/${imported.id}/flow`).expect(200)).body;
    expect(copy.nodes[0].entries[1].liveChat).toEqual({
      ...input,
      teamId: elsewhere.id,
      onTimeout: { action: "bot", message: "Back.", nodeId: copy.nodes[1].id },
    });

    // Mapped to none, the entry goes to every agent.
    const unmapped = (
      await h.api
        .post("/api/v1/campaign-imports")
        .send({
          document: exported,
          name: "Copy 2",
          senderId: bot.campaign.senderId,
          mapping: { teams: { [team.id]: null } },
        })
        .expect(201)
    ).body;
    const second = (await h.api.get(`/api/v1/campaigns/${unmapped.id}/flow`).expect(200)).body;
    expect(second.nodes[0].entries[1].liveChat.teamId).toBeNull();
  });
});
