import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { createSender, describeEachDatabase, type Harness } from "./harness";

const senderAddress = "+525511111111";
const hooks = "https://hooks.example.com/handoffs";

/**
 * The spec's diagram on one SMS sender: a chatbot (MENU) whose option 2 hands over to a Raffle Giveaway and comes back
 * to Interaction 1, option 3 to a Polls & Surveys campaign, option 5 to a Web Polls & Surveys campaign.
 */
async function seed(h: Harness, raffleDraw: Record<string, unknown> = { mode: "instant", winProbability: 1 }) {
  const sender = await createSender(h, { address: senderAddress });
  const ok = async (req: PromiseLike<{ status: number; body: unknown }>, status = 200) => {
    const res = await req;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as { id: number } & Record<string, unknown>;
  };
  const campaign = (body: Record<string, unknown>) =>
    ok(h.api.post("/api/v1/campaigns").send({ channel: "sms", senderId: sender.id, status: "active", ...body }), 201);
  const raffle = await campaign({ type: "raffle_giveaway", name: "Summer raffle", triggerKeywords: ["RAFFLE"] });
  await ok(
    h.api.put(`/api/v1/campaigns/${raffle.id}/handoff`).send({
      type: "raffle_giveaway",
      prizes: [{ name: "Cap", quantity: 1 }],
      draw: raffleDraw,
      messages: { win: "You won a {{prize}}!", lose: "Not this time.", alreadyEntered: "Already in.", over: "Over." },
      webhook: { url: hooks, body: { source: "raffle" } },
    }),
  );
  const poll = await campaign({ type: "polls_surveys", name: "Feedback" });
  await ok(
    h.api.put(`/api/v1/campaigns/${poll.id}/handoff`).send({
      type: "polls_surveys",
      questions: [
        { key: "score", type: "rating", text: "Rate us" },
        { key: "visits", type: "number", text: "Visits per month?", min: 0, max: 31, integer: true },
        { key: "likes", type: "multiple_choice", text: "What do you like?", choices: ["Price", "Speed", "Staff"] },
      ],
      messages: {
        intro: "Three quick questions.",
        closing: "Thanks for your answers!",
        alreadyAnswered: "Done already.",
      },
      webhook: { url: hooks },
    }),
  );
  const web = await campaign({ type: "web_polls_surveys", name: "Web feedback" });
  await ok(
    h.api.put(`/api/v1/campaigns/${web.id}/handoff`).send({
      type: "web_polls_surveys",
      title: "Tell us",
      linkMessage: "Answer here: {{link}}",
      questions: [
        { key: "score", type: "rating", text: "Rate us" },
        { key: "colour", type: "single_choice", text: "Favourite colour?", choices: ["Red", "Blue"] },
        { key: "comment", type: "free_text", text: "Anything else?" },
      ],
      messages: { closing: "Thank you!", alreadyAnswered: "Done already." },
      linkValidHours: 2,
      webhook: { url: hooks },
    }),
  );
  const bot = await campaign({ type: "chatbot", name: "EliPackage", triggerKeywords: ["MENU"] });
  const base = `/api/v1/campaigns/${bot.id}`;
  const nodes = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
  const [welcome, back, spare, extra] = nodes;
  await ok(h.api.patch(`${base}/nodes/${spare?.id}`).send({ message: "Spare." }));
  await ok(h.api.delete(`${base}/nodes/${extra?.id}`), 204);
  await ok(h.api.patch(`${base}/nodes/${welcome?.id}`).send({ message: "Welcome to EliPackage:" }));
  await ok(h.api.patch(`${base}/nodes/${back?.id}`).send({ message: "Back in the menu." }));
  await ok(
    h.api
      .post(`${base}/nodes/${back?.id}/entries`)
      .send({ keyword: "1", menuText: "Start over", redirectType: "interaction", redirectTo: welcome?.id }),
    201,
  );
  const entries = `${base}/nodes/${welcome?.id}/entries`;
  await ok(
    h.api.post(entries).send({
      keyword: "2",
      menuText: "Raffle",
      redirectType: "campaign",
      redirectTo: String(raffle.id),
      continueAt: back?.id,
    }),
    201,
  );
  await ok(
    h.api
      .post(entries)
      .send({ keyword: "3", menuText: "Survey", redirectType: "campaign", redirectTo: String(poll.id) }),
    201,
  );
  await ok(
    h.api.post(entries).send({
      keyword: "5",
      menuText: "Web survey",
      redirectType: "campaign",
      redirectTo: String(web.id),
      webhookEnabled: true,
      webhook: { url: hooks },
    }),
    201,
  );
  await ok(
    h.api.post(entries).send({ keyword: "9", menuText: "Spare", redirectType: "interaction", redirectTo: spare?.id }),
    201,
  );
  await ok(h.api.post(`${base}/publish`), 201);
  return { raffle: raffle.id, poll: poll.id, web: web.id, bot: bot.id, nodes };
}

async function say(h: Harness, from: string, text: string) {
  const res = await h.api.post("/api/v1/messages/inbound").send({ channel: "sms", from, to: senderAddress, text });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.replies as { text: string }[]).map((r) => r.text);
}

async function payloads(h: Harness, campaignId: number) {
  const rows = await h.db.prisma.delivery.findMany({ where: { campaignId }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({ mode: r.mode, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

describeEachDatabase("campaign hand-offs at runtime", (h) => {
  it("hands option 2 to the raffle in the same turn and comes back at the node picked; once per phone number", async () => {
    const s = await seed(h);
    await say(h, "+525500000001", "MENU");
    expect(await say(h, "+525500000001", "2")).toEqual(["You won a Cap!", "Back in the menu.\n1. Start over"]);
    // The conversation goes on in the chatbot.
    expect((await say(h, "+525500000001", "1"))[0]).toContain("Welcome to EliPackage:");
    await say(h, "+525500000002", "MENU");
    expect(await say(h, "+525500000002", "2")).toEqual(["Over.", "Back in the menu.\n1. Start over"]);
    expect(await say(h, "+525500000001", "RAFFLE")).toEqual(["Already in."]);
    const results = (await h.api.get(`/api/v1/campaigns/${s.raffle}/raffle/results`)).body;
    expect(results).toEqual({
      participants: 1,
      winners: 1,
      prizes: [{ name: "Cap", quantity: 1, awarded: 1 }],
      prizesLeft: 0,
      over: true,
    });
    const sent = await payloads(h, s.raffle);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mode).toBe("raffle");
    expect(Object.keys(sent[0]?.payload ?? {})).toEqual([
      "campaignId",
      "label",
      "phoneNumber",
      "date",
      "won",
      "prize",
      "source",
    ]);
    expect(sent[0]?.payload).toMatchObject({
      campaignId: String(s.raffle),
      label: "Summer raffle",
      phoneNumber: "+525500000001",
      won: true,
      prize: "Cap",
    });
    const csv = await h.api.get(`/api/v1/campaigns/${s.raffle}/raffle/entries.csv`);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text.split("\r\n")[1]).toMatch(/^1,\+525500000001,true,Cap,/);
    // The chatbot's report names the hand-offs its options lead to, with what came of them.
    const report = (await h.api.get(`/api/v1/campaigns/${s.bot}/report`).expect(200)).body;
    expect(report.handoffs).toContainEqual({
      campaignId: s.raffle,
      name: "Summer raffle",
      type: "raffle_giveaway",
      entries: 1,
      winners: 1,
      completed: null,
    });
    expect(report.handoffs.find((x: { type: string }) => x.type === "web_polls_surveys")).toMatchObject({
      entries: 0,
      completed: 0,
      winners: null,
    });
  });

  it("draws every Nth participant", async () => {
    const s = await seed(h, { mode: "every_nth", every: 2 });
    expect(await say(h, "+525500000011", "RAFFLE")).toEqual(["Not this time."]);
    expect(await say(h, "+525500000012", "RAFFLE")).toEqual(["You won a Cap!"]);
    expect(await say(h, "+525500000013", "RAFFLE")).toEqual(["Over."]);
    const entries = (await h.api.get(`/api/v1/campaigns/${s.raffle}/raffle/entries?won=true`)).body;
    expect(entries.items.map((e: { number: number; phoneNumber: string }) => [e.number, e.phoneNumber])).toEqual([
      [2, "+525500000012"],
    ]);
  });

  it("asks a survey's questions one at a time, reprompts a wrong answer in the session, and takes one response per phone", async () => {
    const s = await seed(h);
    const me = "+525500000003";
    await say(h, me, "MENU");
    expect(await say(h, me, "3")).toEqual(["Three quick questions.", "Rate us\n(1 to 5)"]);
    expect(await say(h, me, "9")).toEqual(["Please answer with a rating from 1 to 5.\nRate us\n(1 to 5)"]);
    expect(await say(h, me, "4")).toEqual(["Visits per month?"]);
    expect(await say(h, me, "forty")).toEqual(["Please answer with a whole number from 0 to 31.\nVisits per month?"]);
    expect(await say(h, me, "12")).toEqual([
      "What do you like?\n1. Price\n2. Speed\n3. Staff\n(Several numbers, separated by commas.)",
    ]);
    expect(await say(h, me, "3, 1")).toEqual(["Thanks for your answers!"]);
    // Over: the next text is not an answer any more.
    expect(await say(h, me, "5")).toEqual([]);
    await say(h, me, "MENU");
    expect(await say(h, me, "3")).toEqual(["Done already."]);

    const results = (await h.api.get(`/api/v1/campaigns/${s.poll}/survey/results`)).body;
    expect(results.responses).toBe(1);
    expect(results.bySource).toEqual({ chat: 1, web: 0 });
    expect(results.questions[0].counts[3]).toEqual({ value: "4", count: 1, percent: 100 });
    expect(results.questions[1]).toMatchObject({ key: "visits", average: 12 });
    expect(results.questions[2].counts.map((c: { count: number }) => c.count)).toEqual([1, 0, 1]);
    const sent = await payloads(h, s.poll);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toMatchObject({
      campaignId: String(s.poll),
      label: "Feedback",
      phoneNumber: me,
      answers: { score: 4, visits: 12, likes: ["Price", "Staff"] },
    });
    const csv = (await h.api.get(`/api/v1/campaigns/${s.poll}/survey/responses.csv`)).text.split("\r\n");
    expect(csv[0]).toBe("phoneNumber,source,completedAt,score,visits,likes");
    expect(csv[1]).toMatch(/^\+525500000003,chat,.*,4,12,Price; Staff$/);
  });

  it("answers option 5 with a personal web poll link, and fires the entry's toggle webhook as before", async () => {
    const s = await seed(h);
    await say(h, "+525500000004", "MENU");
    const [reply] = await say(h, "+525500000004", "5");
    expect(reply).toMatch(/^Answer here: http:\/\/127\.0\.0\.1:\d+\/s\/[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
    const option = await payloads(h, s.bot);
    expect(option.map((d) => d.payload.option)).toEqual(["Web survey"]);
    const links = await h.db.prisma.webPollLink.findMany({ where: { campaignId: s.web } });
    expect(links).toHaveLength(1);
    expect(links[0]?.phoneNumber).toBe("+525500000004");
  });

  it("serves the web poll on its personal link: validation beside each field, one submission, then a clear page", async () => {
    const s = await seed(h);
    const me = "+525500000005";
    await say(h, me, "MENU");
    const [reply] = await say(h, me, "5");
    const link = new URL(/http\S+/.exec(reply ?? "")?.[0] ?? "");
    const anon = await h.as(null);

    const page = await anon.get(link.pathname);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.text).toContain("<legend>Rate us</legend>");
    expect(page.text).toContain('<label for="q-2">Anything else?</label>');
    const script = await anon.get("/s/assets/web-poll.js");
    expect(script.status).toBe(200);
    // Everything a phone downloads for the page, compressed, stays far below 100 KB.
    expect(gzipSync(page.text).length + gzipSync(script.text).length).toBeLessThan(100 * 1024);

    const wrong = await anon.post(link.pathname).type("form").send("score=7&colour=1");
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('id="q-0-error" role="alert">Please answer with a rating from 1 to 5.</p>');
    expect(wrong.text).toContain(
      'id="q-2-error" role="alert">Please answer with some text (at most 1000 characters).</p>',
    );
    expect(wrong.text).toContain('value="1" checked');

    const ok = await anon.post(link.pathname).type("form").send("score=5&colour=2&comment=Great+service");
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("Thank you!");
    const again = await anon.post(link.pathname).type("form").send("score=1&colour=1&comment=again");
    expect(again.status).toBe(410);
    expect(again.text).toContain("already used");
    expect((await anon.get(link.pathname)).status).toBe(410);

    const results = (await h.api.get(`/api/v1/campaigns/${s.web}/survey/results`)).body;
    expect(results).toMatchObject({ responses: 1, bySource: { chat: 0, web: 1 }, linksSent: 1 });
    expect(results.questions[2]).toMatchObject({ key: "comment", texts: ["Great service"] });
    const sent = await payloads(h, s.web);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toMatchObject({
      campaignId: String(s.web),
      label: "Web feedback",
      phoneNumber: me,
      answers: { score: 5, colour: "Blue", comment: "Great service" },
    });
    // Stored with the conversation that sent the link.
    const response = await h.db.prisma.surveyResponse.findFirstOrThrow({ where: { campaignId: s.web } });
    const transcript = (await h.api.get(`/api/v1/sessions/${response.sessionId}`)).body;
    expect(JSON.stringify(transcript)).toContain("[Web Polls & Surveys] score: 5");

    // A second link for the same phone number: one response per phone number.
    await say(h, me, "MENU");
    expect(await say(h, me, "5")).toEqual(["Done already."]);
  });

  it("refuses an expired link and a link whose token was altered with a page, not an error", async () => {
    await seed(h);
    await say(h, "+525500000006", "MENU");
    const [reply] = await say(h, "+525500000006", "5");
    const link = new URL(/http\S+/.exec(reply ?? "")?.[0] ?? "");
    const anon = await h.as(null);
    const altered = `${link.pathname.slice(0, -2)}${link.pathname.endsWith("AA") ? "BB" : "AA"}`;
    const forged = await anon.get(altered);
    expect(forged.status).toBe(404);
    expect(forged.text).toContain("This link is not valid");
    expect((await anon.get("/s/not-a-token")).status).toBe(404);

    h.clock.now = new Date(Date.now() + 3 * 3_600_000);
    const expired = await anon.post(link.pathname).type("form").send("score=5&colour=1&comment=late");
    expect(expired.status).toBe(410);
    expect(expired.text).toContain("This link has expired");
    expect(await h.db.prisma.surveyResponse.count()).toBe(0);
  });

  it("refuses to end or delete a hand-off campaign a published chatbot points to, listing the entries", async () => {
    const s = await seed(h);
    const end = await h.api.patch(`/api/v1/campaigns/${s.raffle}`).send({ status: "ended" });
    expect(end.status).toBe(409);
    expect(end.body.references).toEqual([
      expect.objectContaining({
        campaignId: String(s.bot),
        campaignName: "EliPackage",
        keyword: "2",
        menuText: "Raffle",
      }),
    ]);
    expect(end.body.detail).toContain('Campaign "Summer raffle" cannot be ended');
    const del = await h.api.delete(`/api/v1/campaigns/${s.poll}`);
    expect(del.status).toBe(409);
    expect(del.body.references[0]).toMatchObject({ keyword: "3", menuText: "Survey" });
    expect((await h.api.get(`/api/v1/campaigns/${s.raffle}`)).body.status).toBe("active");
    // Once the chatbot is ended itself, nothing live points at the raffle.
    expect((await h.api.patch(`/api/v1/campaigns/${s.bot}`).send({ status: "ended" })).status).toBe(200);
    expect((await h.api.patch(`/api/v1/campaigns/${s.raffle}`).send({ status: "ended" })).status).toBe(200);
  });

  it("plays a survey and a web poll in the simulator, marked test and never counted", async () => {
    const s = await seed(h);
    const sim = (id: number, text: string) => h.api.post(`/api/v1/campaigns/${id}/simulator`).send({ text });
    const first = await sim(s.poll, "hello");
    expect(first.status).toBe(200);
    expect(first.body.replies.map((r: { text: string }) => r.text)).toEqual([
      "Three quick questions.",
      "Rate us\n(1 to 5)",
    ]);
    expect((await sim(s.poll, "5")).body.replies[0].text).toBe("Visits per month?");
    expect((await sim(s.poll, "3")).body.replies[0].text).toContain("What do you like?");
    const done = await sim(s.poll, "2");
    expect(done.body.replies[0].text).toBe("Thanks for your answers!");
    expect(done.body.webhooks).toEqual([expect.objectContaining({ mode: "survey" })]);
    expect((await h.api.get(`/api/v1/campaigns/${s.poll}/survey/results`)).body.responses).toBe(0);

    const web = await sim(s.web, "hello");
    const link = new URL(/http\S+/.exec(web.body.replies[0].text)?.[0] ?? "");
    const page = await (await h.as(null)).get(link.pathname);
    expect(page.status).toBe(200);
    // The editor's preview frames the real page.
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect((await h.api.get(`/api/v1/campaigns/${s.web}/survey/results`)).body.linksSent).toBe(0);

    // A simulated raffle entry takes no prize.
    expect((await sim(s.raffle, "go")).body.replies[0].text).toBe("You won a Cap!");
    expect((await h.api.get(`/api/v1/campaigns/${s.raffle}/raffle/results`)).body).toMatchObject({
      participants: 0,
      prizesLeft: 1,
    });
  });

  it("stores one submission when a link is posted twice at once", async () => {
    const s = await seed(h);
    await say(h, "+525500000009", "MENU");
    const [reply] = await say(h, "+525500000009", "5");
    const path = new URL(/http\S+/.exec(reply ?? "")?.[0] ?? "").pathname;
    const anon = await h.as(null);
    const form = "score=3&colour=1&comment=twice";
    const statuses = (
      await Promise.all([anon.post(path).type("form").send(form), anon.post(path).type("form").send(form)])
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 410]);
    expect(await h.db.prisma.surveyResponse.count({ where: { campaignId: s.web } })).toBe(1);
    expect(await h.db.prisma.delivery.count({ where: { campaignId: s.web } })).toBe(1);
  });

  it("answers a raffle past its end date as over, recording no entry", async () => {
    const s = await seed(h);
    const endsAt = new Date(Date.now() + 60_000);
    expect((await h.api.patch(`/api/v1/campaigns/${s.raffle}`).send({ expiresAt: endsAt.toISOString() })).status).toBe(
      200,
    );
    h.clock.now = new Date(endsAt.getTime() + 1);
    expect(await say(h, "+525500000010", "RAFFLE")).toEqual(["Over."]);
    expect(await h.db.prisma.raffleEntry.count()).toBe(0);
    expect((await h.api.get(`/api/v1/campaigns/${s.raffle}/raffle/results`)).body.over).toBe(true);
  });

  it("checks When finished, continue at: a node of this chatbot, with Redirect Type Campaign only", async () => {
    const s = await seed(h);
    const base = `/api/v1/campaigns/${s.bot}`;
    const flow = (await h.api.get(`${base}/flow`)).body;
    const welcome = flow.nodes[0];
    const raffleEntry = welcome.entries.find((e: { keyword: string }) => e.keyword === "2");
    expect(raffleEntry.continueAt).toBe(s.nodes[1]?.id);
    const other = await h.api
      .patch(`${base}/nodes/${welcome.id}/entries/${raffleEntry.id}`)
      .send({ continueAt: "3f1c2a9e-1b2c-4d5e-8f90-123456789abc" });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ path: "body.continueAt", code: "unknown_node" });
    const webhookEntry = await h.api
      .post(`${base}/nodes/${welcome.id}/entries`)
      .send({ keyword: "7", redirectType: "webhook", continueAt: s.nodes[1]?.id, webhook: { url: hooks } });
    expect(webhookEntry.status).toBe(400);
    expect(webhookEntry.body.errors[0]).toMatchObject({ path: "body.continueAt", code: "not_available" });
    // The node it continues at cannot be deleted while the entry points at it.
    const refused = await h.api.delete(`${base}/nodes/${s.nodes[1]?.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.references).toEqual([expect.objectContaining({ keyword: "2", menuText: "Raffle" })]);
    // Changing the Redirect Type away from Campaign drops it.
    const moved = await h.api
      .patch(`${base}/nodes/${welcome.id}/entries/${raffleEntry.id}`)
      .send({ redirectType: "interaction", redirectTo: s.nodes[1]?.id });
    expect(moved.status).toBe(200);
    expect(moved.body.continueAt).toBeNull();
  });
});
