import { afterEach, expect, it } from "vitest";
import { chatbotChoosing, dispatcherFor, run } from "./delivery/fixtures";
import { receiver } from "./delivery/receivers";
import { createCampaign, createSender, describeEachDatabase, type Harness } from "./harness";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A chatbot whose Welcome Message offers 1 → Interaction 1, ready to publish. */
async function publishable(h: Harness, overrides: Record<string, unknown> = {}) {
  const campaign = await createCampaign(h, overrides);
  const base = `/api/v1/campaigns/${campaign.id}`;
  const [welcome, second, ...rest] = (await h.api.get(`${base}/flow`)).body.nodes;
  for (const n of rest) await h.api.delete(`${base}/nodes/${n.id}`).expect(204);
  await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose" }).expect(200);
  await h.api.patch(`${base}/nodes/${second.id}`).send({ message: "Thanks" }).expect(200);
  const entry = (
    await h.api
      .post(`${base}/nodes/${welcome.id}/entries`)
      .send({ keyword: "1", menuText: "One month", redirectType: "interaction", redirectTo: second.id })
      .expect(201)
  ).body;
  return { campaign, base, welcome, second, entry };
}

describeEachDatabase(
  "marketers stay in control of a chatbot",
  (h) => {
    it("refuses a change made from a stale revision with the newer flow, and saves nothing", async () => {
      const { base, welcome } = await publishable(h);
      const loaded = (await h.api.get(`${base}/flow`)).body;
      // The first tab saves from what it loaded: the revision moves on by exactly one.
      await h.api
        .patch(`${base}/nodes/${welcome.id}?revision=${loaded.revision}`)
        .send({ message: "From tab one" })
        .expect(200);
      expect((await h.api.get(`${base}/flow`)).body.revision).toBe(loaded.revision + 1);
      // The second tab still holds the old revision.
      const stale = await h.api
        .patch(`${base}/nodes/${welcome.id}?revision=${loaded.revision}`)
        .send({ message: "From tab two" });
      expect(stale.status).toBe(409);
      expect(stale.headers["content-type"]).toContain("application/problem+json");
      expect(stale.body).toMatchObject({ type: "/api/problems#stale_revision", revision: loaded.revision + 1 });
      expect(stale.body.current.nodes[0]).toMatchObject({ id: welcome.id, message: "From tab one" });
      for (const refused of [
        h.api.delete(
          `${base}/nodes/${welcome.id}/entries/${loaded.nodes[0].entries[0].id}?revision=${loaded.revision}`,
        ),
        h.api.post(`${base}/nodes?revision=${loaded.revision}`).send({}),
      ]) {
        expect((await refused).status).toBe(409);
      }
      const after = (await h.api.get(`${base}/flow`)).body;
      expect(after.nodes[0].message).toBe("From tab one");
      expect(after.nodes[0].entries).toHaveLength(1);
      expect(after.nodes).toHaveLength(2);
      expect(after.revision).toBe(loaded.revision + 1);
    });

    it("publishes and activates a Draft campaign in one call, recording who and why", async () => {
      const { campaign, base } = await publishable(h, { triggerKeywords: ["JOIN"] });
      expect((await h.api.get(base).expect(200)).body).toMatchObject({
        status: "draft",
        live: false,
        changesSincePublish: null,
      });
      const published = await h.api.post(`${base}/publish`).send({ activate: true, note: "First cut" }).expect(201);
      expect(published.body).toMatchObject({ publishedVersion: 1, campaignStatus: "active", activated: true });
      const listed = (await h.api.get("/api/v1/campaigns").expect(200)).body.items.find(
        (c: { id: number }) => c.id === campaign.id,
      );
      expect(listed).toMatchObject({ status: "active", live: true, changesSincePublish: 0 });
      const versions = (await h.api.get(`${base}/versions`).expect(200)).body.items;
      expect(versions).toEqual([
        expect.objectContaining({ version: 1, note: "First cut", publishedBy: "admin@example.com", live: true }),
      ]);
      const [welcome] = (await h.api.get(`${base}/flow`)).body.nodes;
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose again" }).expect(200);
      expect((await h.api.get(base)).body).toMatchObject({ live: true, changesSincePublish: 1 });
      // The publication counts places changed (the comparison's diff), not saves: two saves of one field are one
      // change, and an edit undone is none.
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose once more" }).expect(200);
      expect((await h.api.get(`${base}/publication`)).body).toMatchObject({
        hasUnpublishedChanges: true,
        changesSincePublish: 1,
      });
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ label: "Hello" }).expect(200);
      expect((await h.api.get(`${base}/publication`)).body.changesSincePublish).toBe(2);
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: welcome.message, label: welcome.label });
      expect((await h.api.get(`${base}/publication`)).body).toMatchObject({
        hasUnpublishedChanges: false,
        changesSincePublish: 0,
      });
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose again" }).expect(200);
      // Published without asking to activate: an Active campaign stays so.
      expect((await h.api.post(`${base}/publish`).expect(201)).body).toMatchObject({
        publishedVersion: 2,
        activated: false,
        campaignStatus: "active",
      });
    });

    it("counts each chatbot's changes since publish in the campaign list as the comparison does", async () => {
      const edited = await publishable(h, { name: "Edited twice" });
      const undone = await publishable(h, { name: "Edit undone" });
      const untouched = await publishable(h, { name: "Untouched" });
      const unpublished = await publishable(h, { name: "Never published" });
      const raffle = await createCampaign(h, { type: "raffle_giveaway", name: "Raffle" });
      for (const c of [edited, undone, untouched]) await h.api.post(`${c.base}/publish`).expect(201);
      await h.api.patch(`${edited.base}/nodes/${edited.welcome.id}`).send({ message: "Choose again" }).expect(200);
      await h.api.patch(`${edited.base}/nodes/${edited.second.id}`).send({ message: "Thanks again" }).expect(200);
      await h.api.patch(`${undone.base}/nodes/${undone.welcome.id}`).send({ message: "Changed" }).expect(200);
      await h.api.patch(`${undone.base}/nodes/${undone.welcome.id}`).send({ message: "Choose" }).expect(200);
      const items = (await h.api.get("/api/v1/campaigns?limit=100").expect(200)).body.items as {
        id: number;
        changesSincePublish: number | null;
      }[];
      const counted = (id: number) => items.find((c) => c.id === id)?.changesSincePublish;
      // Revisions moved on for both edited drafts; only the diff tells that one of them is back as published.
      expect(counted(edited.campaign.id)).toBe(2);
      expect(counted(undone.campaign.id)).toBe(0);
      expect(counted(untouched.campaign.id)).toBe(0);
      expect(counted(unpublished.campaign.id)).toBeNull();
      expect(counted(raffle.id)).toBe(0);
      for (const c of [edited, undone, untouched]) {
        const publication = (await h.api.get(`${c.base}/publication`).expect(200)).body;
        expect(counted(c.campaign.id)).toBe(publication.changesSincePublish);
        expect((await h.api.get(c.base).expect(200)).body.changesSincePublish).toBe(publication.changesSincePublish);
      }
    });

    it("refuses an activation whose trigger keywords clash, and then publishes nothing", async () => {
      const sender = await createSender(h);
      await createCampaign(h, { senderId: sender.id, status: "active", triggerKeywords: ["JOIN"], name: "Other" });
      const { base } = await publishable(h, { senderId: sender.id, triggerKeywords: ["JOIN"] });
      const refused = await h.api.post(`${base}/publish`).send({ activate: true });
      expect(refused.status).toBe(409);
      expect(refused.body.errors[0].path).toMatch(/^body\.triggerKeywords/);
      expect((await h.api.get(`${base}/versions`)).body.items).toEqual([]);
      expect((await h.api.get(base)).body).toMatchObject({ status: "draft", publishedVersion: null });
    });

    it("names every refused field of a publish by node id, entry id and field", async () => {
      const { base, welcome, second } = await publishable(h);
      const incomplete = (
        await h.api.post(`${base}/nodes/${second.id}/entries`).send({ keyword: "1", menuText: "Yes" }).expect(201)
      ).body;
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "" }).expect(200);
      const refused = await h.api.post(`${base}/publish`).send({ activate: true });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: "nodes.0.message", target: { nodeId: welcome.id, field: "message" } }),
          expect.objectContaining({
            path: "nodes.1.entries.0.redirectType",
            message: "Interaction 1 › 1: choose a Redirect Type.",
            target: { nodeId: second.id, entryId: incomplete.id, field: "redirectType" },
          }),
        ]),
      );
      expect((await h.api.get(base)).body).toMatchObject({ status: "draft", publishedVersion: null });
    });

    it("compares versions in the marketer's words and restores an old one as the draft", async () => {
      const raffle = await createCampaign(h, { name: "Raffle" });
      const { base, entry, welcome } = await publishable(h);
      await h.api.post(`${base}/publish`).expect(201);
      await h.api
        .patch(`${base}/nodes/${welcome.id}/entries/${entry.id}`)
        .send({
          redirectType: "campaign",
          redirectTo: String(raffle.id),
          webhookEnabled: true,
          webhook: {
            url: "https://crm.example.com/hook",
            headers: [{ name: "X-Api-Key", value: "k-123", secret: true }],
          },
        })
        .expect(200);
      await h.api.post(`${base}/publish`).send({ note: "Raffle hand-off" }).expect(201);
      const compared = (await h.api.get(`${base}/versions/compare?from=1&to=2`).expect(200)).body;
      expect(compared.sentences).toEqual([
        "Welcome Message › 1 One month: Redirect Type changed from Interaction to Campaign; Redirect To changed from Interaction 1 to Raffle; webhook toggle turned on; webhook added",
      ]);
      expect(compared.changes[0]).toMatchObject({ nodeId: welcome.id, entryId: entry.id });
      expect((await h.api.get(`${base}/versions/compare?from=1&to=9`)).status).toBe(404);

      const { revision } = (await h.api.get(`${base}/flow`)).body;
      expect((await h.api.post(`${base}/versions/1/restore`).send({ revision: revision - 1 })).status).toBe(409);
      const restored = (await h.api.post(`${base}/versions/1/restore`).send({ revision }).expect(200)).body;
      expect(restored.revision).toBe(revision + 1);
      expect(restored.nodes[0].entries[0]).toMatchObject({ id: entry.id, redirectType: "interaction", webhook: null });
      // The draft is now version 1 again: nothing to tell between them; version 2 stays live until published.
      expect((await h.api.get(`${base}/versions/compare?from=1&to=0`)).body.changes).toEqual([]);
      expect((await h.api.get(`${base}/versions`)).body.items.map((v: { live: boolean }) => v.live)).toEqual([
        true,
        false,
      ]);
      expect((await h.api.get(`${base}/flow`)).body.revision).toBe(revision + 1);
    });

    it("keeps a conversation running on its version through a restore and a new publish", async () => {
      const sender = await createSender(h);
      const { base, welcome, second, entry } = await publishable(h, { senderId: sender.id, triggerKeywords: ["JOIN"] });
      await h.api.post(`${base}/publish`).send({ activate: true }).expect(201);
      const say = (text: string) =>
        h.api
          .post("/api/v1/messages/inbound")
          .send({ channel: "sms", from: "+525500007777", to: sender.address, text })
          .expect(200);
      expect((await say("JOIN")).body.replies[0].text).toContain("Choose");
      await h.api.patch(`${base}/nodes/${second.id}`).send({ message: "Thanks from version 2" }).expect(200);
      await h.api.post(`${base}/publish`).expect(201);
      await h.api.post(`${base}/versions/1/restore`).expect(200);
      await h.api.patch(`${base}/nodes/${welcome.id}/entries/${entry.id}`).send({ menuText: "Four weeks" }).expect(200);
      await h.api.patch(`${base}/nodes/${second.id}`).send({ message: "Thanks from version 3" }).expect(200);
      await h.api.post(`${base}/publish`).expect(201);
      // The conversation started on version 1 answers from version 1.
      expect((await say("1")).body.replies[0].text).toBe("Thanks");
      const sessions = (await h.api.get(`${base}/sessions`).expect(200)).body.items;
      expect(sessions.map((x: { flowVersion: number }) => x.flowVersion)).toEqual([1]);
      expect((await h.api.get(`${base}/versions`)).body.items.map((v: { version: number }) => v.version)).toEqual([
        3, 2, 1,
      ]);
    });

    it("sends the Body's extras in the order the marketer typed them, through a delivered webhook", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const typed = '{"source":"acceptance","tier":2,"campaign":"spring","a":1}';
      const choose = await chatbotChoosing(h, "ORDER", (next) => ({
        keyword: "1",
        menuText: "One month",
        redirectType: "interaction",
        redirectTo: next,
        webhookEnabled: true,
        webhook: { url: r.url, body: JSON.parse(typed) },
      }));
      const campaign = (await h.api.get("/api/v1/campaigns")).body.items[0];
      const flow = (await h.api.get(`/api/v1/campaigns/${campaign.id}/flow`)).body;
      expect(JSON.stringify(flow.nodes[0].entries[0].webhook.body)).toBe(typed);
      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      expect(r.received).toHaveLength(1);
      const raw = r.received[0]?.body ?? "";
      // The extras follow the standard fields, in the typed order, exactly as typed.
      expect(raw).toContain(typed.slice(1, -1));
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
