import { Webhook } from "standardwebhooks";
import { afterEach, expect, it } from "vitest";
import { createSender, describeEachDatabase, type Harness } from "../harness";
import { dispatcherFor, run } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const senderAddress = "+525533333333";

async function handoff(h: Harness, type: string, name: string, trigger: string, settings: Record<string, unknown>) {
  const sender =
    (await h.db.prisma.sender.findFirst({ where: { address: senderAddress } })) ??
    (await createSender(h, { address: senderAddress }));
  const c = await h.api
    .post("/api/v1/campaigns")
    .send({ type, name, channel: "sms", senderId: sender.id, status: "active", triggerKeywords: [trigger] });
  expect(c.status).toBe(201);
  const saved = await h.api.put(`/api/v1/campaigns/${c.body.id}/handoff`).send({ type, ...settings });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return c.body.id as number;
}

const say = (h: Harness, from: string, text: string) =>
  h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from, to: senderAddress, text });

const verified = async (h: Harness, campaignId: number, got: { body: string; headers: Record<string, unknown> }) => {
  const row = await h.db.prisma.handoffSettings.findUniqueOrThrow({ where: { campaignId } });
  return new Webhook(h.secretBox.open(row.signingSecret as string)).verify(
    got.body,
    got.headers as Record<string, string>,
  ) as Record<string, unknown>;
};

describeEachDatabase(
  "hand-off campaigns' own webhooks",
  (h) => {
    it("sends a raffle entry once, signed, with won and prize, and retries it like every webhook", async () => {
      let failFirst = true;
      const r = await receiver((_req, res) => {
        res.writeHead(failFirst ? 503 : 200).end();
        failFirst = false;
      });
      cleanups.push(r.close);
      const raffle = await handoff(h, "raffle_giveaway", "Summer raffle", "RAFFLE", {
        prizes: [{ name: "Cap", quantity: 5 }],
        draw: { mode: "instant", winProbability: 1 },
        messages: { win: "Won {{prize}}", lose: "Lost", alreadyEntered: "Again", over: "Over" },
        webhook: { url: r.url, body: { source: "sms" }, headers: [{ name: "X-Campaign", value: "summer" }] },
      });
      expect((await say(h, "+525500000007", "RAFFLE")).body.replies[0].text).toBe("Won Cap");
      // An already-entered number is no new entry: nothing more is sent.
      expect((await say(h, "+525500000007", "RAFFLE")).body.replies[0].text).toBe("Again");

      const clock = { now: new Date() };
      await run(dispatcherFor(h, clock));
      expect(r.received).toHaveLength(1);
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1 });
      clock.now = new Date(clock.now.getTime() + 3_600_000);
      await run(dispatcherFor(h, clock));
      expect(r.received).toHaveLength(2);
      const [first, second] = r.received;
      expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
      expect(second?.headers["x-campaign"]).toBe("summer");
      expect(second?.body).toBe(first?.body);
      expect(await verified(h, raffle, first as { body: string; headers: Record<string, unknown> })).toEqual({
        campaignId: String(raffle),
        label: "Summer raffle",
        phoneNumber: "+525500000007",
        date: expect.stringMatching(/Z$/),
        won: true,
        prize: "Cap",
        source: "sms",
      });
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ status: "delivered", mode: "raffle" });
      // Listed with the campaign's deliveries, like every webhook.
      const listed = await h.api.get(`/api/v1/deliveries?campaignId=${raffle}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ mode: "raffle", status: "delivered" })]);
    });

    it("sends a completed survey response once, with its answers keyed by question", async () => {
      const r = await receiver((_req, res) => res.writeHead(204).end());
      cleanups.push(r.close);
      const poll = await handoff(h, "polls_surveys", "Feedback", "POLL", {
        questions: [
          { key: "score", type: "rating", text: "Rate us" },
          { key: "why", type: "free_text", text: "Why?" },
        ],
        messages: { closing: "Thanks!", alreadyAnswered: "Done." },
        webhook: { url: r.url },
      });
      await say(h, "+525500000008", "POLL");
      await say(h, "+525500000008", "4");
      const clock = { now: new Date() };
      await run(dispatcherFor(h, clock));
      expect(r.received).toHaveLength(0);
      expect((await say(h, "+525500000008", "Friendly staff")).body.replies[0].text).toBe("Thanks!");
      clock.now = new Date();
      await run(dispatcherFor(h, clock));
      expect(r.received).toHaveLength(1);
      expect(
        await verified(h, poll, r.received[0] as { body: string; headers: Record<string, unknown> }),
      ).toMatchObject({
        campaignId: String(poll),
        label: "Feedback",
        answers: { score: 4, why: "Friendly staff" },
      });
    });

    it("sends a signed sample survey response on Send test", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end("thanks"));
      cleanups.push(r.close);
      const poll = await handoff(h, "polls_surveys", "Feedback", "POLL", {
        questions: [
          { key: "colour", type: "single_choice", text: "Colour?", choices: ["Red", "Blue"] },
          { key: "visits", type: "number", text: "Visits?", min: 2, max: 9 },
        ],
        messages: { closing: "Thanks!", alreadyAnswered: "Done." },
        webhook: { url: r.url, body: { source: "test" } },
      });
      const sent = await h.api.post(`/api/v1/campaigns/${poll}/handoff/webhook/test`);
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ ok: true, status: 200, responseExcerpt: "thanks" });
      expect(
        await verified(h, poll, r.received[0] as { body: string; headers: Record<string, unknown> }),
      ).toMatchObject({
        campaignId: String(poll),
        phoneNumber: "+525500000000",
        answers: { colour: "Red", visits: 2 },
        source: "test",
      });
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({ test: true, mode: "survey" });
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
