import { afterEach, expect, it } from "vitest";
import { reportService } from "../src/reports/report-service";
import { pgReportStore } from "../src/reports/report-store";
import { dispatcherFor, run } from "./delivery/fixtures";
import { receiver } from "./delivery/receivers";
import { createSender, describeEachDatabase, type Harness } from "./harness";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The streaming menu: One month (webhook toggle on, then an email question), Six months, One year. */
async function seed(h: Harness, hookUrl: string) {
  const sender = await createSender(h, { address: "+525511111111" });
  const created = await h.api.post("/api/v1/campaigns").send({
    name: "Streaming",
    type: "chatbot",
    channel: "sms",
    senderId: sender.id,
    status: "active",
    triggerKeywords: ["STREAM"],
  });
  expect(created.status).toBe(201);
  const base = `/api/v1/campaigns/${created.body.id}`;
  const [welcome, month, six, year] = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
  await h.api.patch(`${base}/nodes/${welcome?.id}`).send({ message: "Choose your membership:" }).expect(200);
  await h.api.patch(`${base}/nodes/${month?.id}`).send({ label: "One month", message: "Your email?" }).expect(200);
  await h.api.patch(`${base}/nodes/${six?.id}`).send({ label: "Six months", message: "Six months." }).expect(200);
  await h.api.patch(`${base}/nodes/${year?.id}`).send({ label: "One year", message: "A year!" }).expect(200);
  const entries = `${base}/nodes/${welcome?.id}/entries`;
  const one = await h.api
    .post(entries)
    .send({
      keyword: "1",
      menuText: "One month",
      redirectType: "interaction",
      redirectTo: month?.id,
      webhookEnabled: true,
      webhook: { url: hookUrl },
    })
    .expect(201);
  await h.api
    .post(entries)
    .send({ keyword: "2", menuText: "Six months", redirectType: "interaction", redirectTo: six?.id })
    .expect(201);
  await h.api
    .post(entries)
    .send({ keyword: "3", menuText: "One year", redirectType: "interaction", redirectTo: year?.id })
    .expect(201);
  const email = await h.api
    .post(`${base}/nodes/${month?.id}/entries`)
    .send({ keyword: "E", redirectType: "attribute", attribute: "email", redirectTo: six?.id })
    .expect(201);
  const published = await h.api.post(`${base}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  const say = async (from: string, at: string, text: string) => {
    h.clock.now = new Date(at);
    const res = await h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from, to: sender.address, text });
    expect(res.status, h.logs()).toBe(200);
  };
  return {
    id: created.body.id as number,
    base,
    say,
    nodes: { welcome, month, six, year } as Record<string, { id: string }>,
    oneMonth: one.body.id as string,
    email: email.body.id as string,
  };
}

/** Ana twice (One month and her email; later One year), Ben (Six months), Cy (a wrong answer, then silence). */
async function play(bot: Awaited<ReturnType<typeof seed>>) {
  const ana = "+525500000001";
  await bot.say(ana, "2024-06-18T10:00:00Z", "STREAM");
  await bot.say(ana, "2024-06-18T10:01:00Z", "1");
  await bot.say(ana, "2024-06-18T10:02:00Z", "ana@example.com");
  await bot.say("+525500000002", "2024-06-18T10:05:00Z", "STREAM");
  await bot.say("+525500000002", "2024-06-18T10:06:00Z", "2");
  await bot.say("+525500000003", "2024-06-18T11:00:00Z", "STREAM");
  await bot.say("+525500000003", "2024-06-18T11:01:00Z", "9");
  await bot.say(ana, "2024-06-18T12:00:00Z", "STREAM");
  await bot.say(ana, "2024-06-18T12:01:00Z", "3");
}

describeEachDatabase(
  "a chatbot's report",
  (h) => {
    it("counts a played transcript: every total, the day's series, the funnel, the answers and the webhook", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const bot = await seed(h, r.url);
      await play(bot);
      // The simulator's conversations are the marketer's tests: never counted.
      await h.api.post(`${bot.base}/simulator`).send({ text: "STREAM" }).expect(200);
      await h.api.post(`${bot.base}/simulator`).send({ text: "1" }).expect(200);

      const before = await h.api.get(`${bot.base}/report?from=2024-06-18&to=2024-06-18`).expect(200);
      expect(before.body.webhooks[0]).toMatchObject({ deliveries: 1, attempts: 0, successRate: null, p50Ms: null });
      await run(dispatcherFor(h, { now: new Date("2024-06-18T10:01:30Z") }));

      const res = await h.api.get(`${bot.base}/report?from=2024-06-18&to=2024-06-18`).expect(200);
      expect(res.body).toMatchObject({
        campaignId: bot.id,
        timeZone: "UTC",
        from: "2024-06-18",
        to: "2024-06-18",
        flowVersion: 1,
        totals: {
          participants: 3,
          started: 4,
          finished: 3,
          expired: 0,
          handedOff: 0,
          participated: 3,
          participationRate: 0.75,
          messagesIn: 9,
          messagesOut: 9,
        },
        series: [{ period: "2024-06-18", messagesIn: 9, messagesOut: 9, started: 4 }],
      });
      const { welcome, month, six, year } = bot.nodes;
      expect(res.body.funnel).toEqual([
        {
          nodeId: welcome?.id,
          label: "Welcome Message",
          reached: 4,
          share: 1,
          wentOn: 3,
          dropOff: 1,
          dropOffRate: 0.25,
        },
        { nodeId: month?.id, label: "One month", reached: 1, share: 0.25, wentOn: 1, dropOff: 0, dropOffRate: 0 },
        { nodeId: six?.id, label: "Six months", reached: 2, share: 0.5, wentOn: 0, dropOff: 0, dropOffRate: 0 },
        { nodeId: year?.id, label: "One year", reached: 1, share: 0.25, wentOn: 0, dropOff: 0, dropOffRate: 0 },
      ]);
      expect(res.body.answers.map((n: { entries: { label: string; count: number }[] }) => n.entries)).toEqual([
        [
          expect.objectContaining({ label: "One month", count: 1, percent: 1 / 3 }),
          expect.objectContaining({ label: "Six months", count: 1, percent: 1 / 3 }),
          expect.objectContaining({ label: "One year", count: 1, percent: 1 / 3 }),
        ],
        [expect.objectContaining({ entryId: bot.email, label: "E (email)", kind: "question", count: 1, percent: 1 })],
      ]);
      expect(res.body.webhooks).toEqual([
        expect.objectContaining({
          entryId: bot.oneMonth,
          label: "One month",
          deliveries: 1,
          attempts: 1,
          delivered: 1,
          failed: 0,
          successRate: 1,
        }),
      ]);
      expect(res.body.webhooks[0].p50Ms).toBeGreaterThan(0);

      // Hour by hour: 10:00 holds Ana's and Ben's messages, 11:00 Cy's, 12:00 Ana's second conversation.
      const hourly = await h.api.get(`${bot.base}/report?from=2024-06-18&to=2024-06-18&granularity=hour`).expect(200);
      expect(hourly.body.series).toHaveLength(24);
      expect(hourly.body.series.slice(10, 13)).toEqual([
        { period: "2024-06-18T10:00", messagesIn: 5, messagesOut: 5, started: 2 },
        { period: "2024-06-18T11:00", messagesIn: 2, messagesOut: 2, started: 1 },
        { period: "2024-06-18T12:00", messagesIn: 2, messagesOut: 2, started: 1 },
      ]);
      // Another day counts nothing.
      const empty = await h.api.get(`${bot.base}/report?from=2024-06-17&to=2024-06-17`).expect(200);
      expect(empty.body.totals).toMatchObject({ participants: 0, started: 0, participationRate: null });
    });

    it("counts a conversation left past its timeout as expired once, in the hour it expired", async () => {
      const bot = await seed(h, "https://hooks.example.com/x");
      await play(bot);
      // Cy's conversation (last active 11:01) expires after the default 24 hours; he writes two days later, twice.
      await bot.say("+525500000003", "2024-06-20T09:00:00Z", "hello");
      await bot.say("+525500000003", "2024-06-20T09:05:00Z", "hello again");
      const day = async (d: string) => {
        const res = await h.api.get(`${bot.base}/report?from=${d}&to=${d}`);
        expect(res.status, h.logs()).toBe(200);
        return res.body.totals.expired;
      };
      expect(await day("2024-06-18")).toBe(0);
      expect(await day("2024-06-19")).toBe(1);
      expect(await day("2024-06-20")).toBe(0);
    });

    it("starts days at midnight in the installation's time zone (America/Mexico_City, UTC−6)", async () => {
      const bot = await seed(h, "https://hooks.example.com/x");
      // 23:30 on June 18 in Mexico City, then 00:30 on June 19: both on June 19 in UTC.
      await bot.say("+525500000011", "2024-06-19T05:30:00Z", "STREAM");
      await bot.say("+525500000012", "2024-06-19T06:30:00Z", "STREAM");
      const inZone = (timeZone: string) =>
        reportService({ store: pgReportStore(h.db.pool), timeZone, now: () => new Date("2024-06-19T05:59:00Z") });
      const mexico = inZone("America/Mexico_City");
      const d18 = await mexico.report(bot.id, { from: "2024-06-18", to: "2024-06-18", granularity: "day" });
      expect(d18.totals).toMatchObject({ started: 1, participants: 1 });
      expect(d18.today).toBe("2024-06-18");
      const d19 = await mexico.report(bot.id, { from: "2024-06-19", to: "2024-06-19", granularity: "day" });
      expect(d19.totals).toMatchObject({ started: 1, participants: 1 });
      const hours = await mexico.report(bot.id, { from: "2024-06-18", to: "2024-06-19", granularity: "hour" });
      expect(hours.series.filter((s) => s.started > 0).map((s) => s.period)).toEqual([
        "2024-06-18T23:00",
        "2024-06-19T00:00",
      ]);
      const utc = await inZone("UTC").report(bot.id, { from: "2024-06-19", to: "2024-06-19", granularity: "day" });
      expect(utc.totals).toMatchObject({ started: 2, participants: 2 });
      // The API's default range ends today in its zone.
      const defaults = await mexico.report(bot.id, { granularity: "day" });
      expect([defaults.from, defaults.to]).toEqual(["2024-06-12", "2024-06-18"]);
    });

    it("lists a question's free-text answers with search, newest first, by page", async () => {
      const bot = await seed(h, "https://hooks.example.com/x");
      await play(bot);
      await bot.say("+525500000004", "2024-06-18T13:00:00Z", "STREAM");
      await bot.say("+525500000004", "2024-06-18T13:01:00Z", "1");
      await bot.say("+525500000004", "2024-06-18T13:02:00Z", "dee_100%@example.com");
      const answers = (q = "") =>
        h.api.get(`${bot.base}/report/answers?entryId=${bot.email}&from=2024-06-18&to=2024-06-18${q}`).expect(200);
      expect((await answers()).body).toEqual({
        items: [
          { text: "dee_100%@example.com", at: "2024-06-18T13:02:00.000Z" },
          { text: "ana@example.com", at: "2024-06-18T10:02:00.000Z" },
        ],
        total: 2,
        page: 1,
        pageSize: 25,
      });
      expect((await answers("&q=ANA")).body.items.map((i: { text: string }) => i.text)).toEqual(["ana@example.com"]);
      // Wildcards are plain characters: "%" matches only the answer that contains one.
      expect((await answers("&q=%25")).body.total).toBe(1);
      expect((await answers("&q=_1")).body.total).toBe(1);
      expect((await answers("&page=2")).body).toMatchObject({ items: [], total: 2, page: 2 });
    });

    it("lets viewers and read tokens read it, and refuses bad ranges precisely", async () => {
      const bot = await seed(h, "https://hooks.example.com/x");
      await play(bot);
      const viewer = await h.as("viewer");
      const seen = await viewer.get(`${bot.base}/report?from=2024-06-18&to=2024-06-18`).expect(200);
      expect(seen.body.totals.started).toBe(4);
      const token = (
        await h.api
          .post("/api/v1/tokens")
          .send({ name: "bi", scopes: ["read"] })
          .expect(201)
      ).body.secret;
      const viaToken = await (await h.as(null))
        .get(`${bot.base}/report?from=2024-06-18&to=2024-06-18`)
        .set("Authorization", `Bearer ${token}`)
        .expect(200);
      expect(viaToken.body.totals.participants).toBe(3);

      const reversed = await h.api.get(`${bot.base}/report?from=2024-06-19&to=2024-06-18`).expect(400);
      expect(reversed.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(reversed.body.errors).toEqual([expect.objectContaining({ path: "query.to", code: "range_reversed" })]);
      const hourly = await h.api.get(`${bot.base}/report?from=2024-01-01&to=2024-03-01&granularity=hour`).expect(400);
      expect(hourly.body.errors).toEqual([expect.objectContaining({ path: "query.granularity" })]);
      const badDate = await h.api.get(`${bot.base}/report?from=2024-02-30`).expect(400);
      expect(badDate.body.errors).toEqual([expect.objectContaining({ path: "query.from" })]);
      await h.api.get(`${bot.base}/report?granularity=week`).expect(400);
      await h.api.get("/api/v1/campaigns/999999/report").expect(404);
      await h.api.get(`${bot.base}/report/answers`).expect(400);
    });

    it("is documented in the OpenAPI document, with an example", async () => {
      const doc = (await h.api.get("/api/openapi.json")).body;
      const op = doc.paths["/api/v1/campaigns/{campaignId}/report"].get;
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(["campaignId", "from", "to", "granularity"]);
      expect(doc.components.schemas.CampaignReport.examples[0].totals.participationRate).toBe(0.75);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
