import { expect, it } from "vitest";
import { createCampaign, describeEachDatabase } from "./harness";

const raffle = {
  type: "raffle_giveaway",
  prizes: [
    { name: "T-shirt", quantity: 5 },
    { name: "Cap", quantity: 2 },
  ],
  draw: { mode: "instant", winProbability: 0.25 },
  messages: { win: "You won {{prize}}!", lose: "Not this time.", alreadyEntered: "Already in.", over: "Over." },
};

const survey = {
  type: "polls_surveys",
  questions: [
    { key: "colour", type: "single_choice", text: "Favourite colour?", choices: ["Red", "Blue"] },
    { key: "age", type: "number", text: "Your age?", min: 18, max: 120, integer: true },
  ],
  messages: { closing: "Thanks!", alreadyAnswered: "You answered already." },
};

describeEachDatabase("hand-off settings", (h) => {
  it("gives a new raffle the type's defaults, then saves and reads back its settings", async () => {
    const c = await createCampaign(h, { type: "raffle_giveaway", name: "Summer raffle" });
    const before = await h.api.get(`/api/v1/campaigns/${c.id}/handoff`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ type: "raffle_giveaway", campaignId: c.id, webhook: null });
    const saved = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send(raffle);
    expect(saved.status).toBe(200);
    expect(saved.body.prizes).toEqual([
      { id: expect.any(String), name: "T-shirt", quantity: 5, awarded: 0, left: 5 },
      { id: expect.any(String), name: "Cap", quantity: 2, awarded: 0, left: 2 },
    ]);
    const read = await h.api.get(`/api/v1/campaigns/${c.id}/handoff`);
    expect(read.body).toMatchObject({ draw: raffle.draw, messages: raffle.messages });
  });

  it("keeps a prize's awarded count when it is renamed (known by its id), even when two names swap", async () => {
    const c = await createCampaign(h, { type: "raffle_giveaway", name: "Rename raffle" });
    const first = (await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send(raffle)).body;
    const [shirt, cap] = first.prizes as { id: string; name: string; quantity: number }[];
    if (!shirt || !cap) throw new Error("two prizes");
    await h.db.prisma.rafflePrize.update({ where: { id: cap.id }, data: { awarded: 2 } });
    await h.db.prisma.rafflePrize.update({ where: { id: shirt.id }, data: { awarded: 1 } });
    // The two names swap, and the cap is renamed again on the next save.
    const swapped = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send({
      ...raffle,
      prizes: [
        { id: shirt.id, name: "Cap", quantity: 5 },
        { id: cap.id, name: "T-shirt", quantity: 2 },
      ],
    });
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
    expect(swapped.body.prizes).toEqual([
      { id: shirt.id, name: "Cap", quantity: 5, awarded: 1, left: 4 },
      { id: cap.id, name: "T-shirt", quantity: 2, awarded: 2, left: 0 },
    ]);
    const renamed = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send({
      ...raffle,
      prizes: [{ id: cap.id, name: "Blue cap", quantity: 2 }],
    });
    expect(renamed.body.prizes).toEqual([{ id: cap.id, name: "Blue cap", quantity: 2, awarded: 2, left: 0 }]);
    // Shrinking it below its awards is still refused, under its new name.
    const shrunk = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send({
      ...raffle,
      prizes: [{ id: cap.id, name: "Blue cap", quantity: 1 }],
    });
    expect(shrunk.status).toBe(400);
    expect(shrunk.body.errors[0]).toMatchObject({ path: "body.prizes.0.quantity", code: "below_awarded" });
    const results = (await h.api.get(`/api/v1/campaigns/${c.id}/raffle/results`)).body;
    expect(results.prizes).toEqual([{ name: "Blue cap", quantity: 2, awarded: 2 }]);
    // A client that sends no ids is understood by name.
    const byName = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send({
      ...raffle,
      prizes: [{ name: "Blue cap", quantity: 3 }],
    });
    expect(byName.body.prizes).toEqual([{ id: cap.id, name: "Blue cap", quantity: 3, awarded: 2, left: 1 }]);
  });

  it("refuses settings of another type, and broken questions, changing nothing", async () => {
    const c = await createCampaign(h, { type: "polls_surveys", name: "Poll" });
    const wrongType = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send(raffle);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ path: "body.type", code: "type_mismatch" })]);
    const repeated = await h.api.put(`/api/v1/campaigns/${c.id}/handoff`).send({
      ...survey,
      questions: [survey.questions[0], { ...survey.questions[1], key: "colour", min: 10, max: 5 }],
    });
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "body.questions.1.key",
      "body.questions.1.max",
    ]);
    const badChoice = await h.api
      .put(`/api/v1/campaigns/${c.id}/handoff`)
      .send({ ...survey, questions: [{ ...survey.questions[0], choices: ["Only one"] }] });
    expect(badChoice.body.errors[0]).toMatchObject({ path: "body.questions.0.choices", code: "too_small" });
    const read = await h.api.get(`/api/v1/campaigns/${c.id}/handoff`);
    expect(read.body.questions[0].key).toBe("q1");
  });

  it("refuses a chatbot (409) and a web link message without {{link}}", async () => {
    const bot = await createCampaign(h);
    expect((await h.api.get(`/api/v1/campaigns/${bot.id}/handoff`)).status).toBe(409);
    const web = await createCampaign(h, { type: "web_polls_surveys", name: "Web poll" });
    const res = await h.api
      .put(`/api/v1/campaigns/${web.id}/handoff`)
      .send({ ...survey, type: "web_polls_surveys", title: "Tell us", linkMessage: "Answer here" });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: "body.linkMessage" });
  });

  it("checks the type webhook's URL like every webhook and makes its signing secret once", async () => {
    const c = await createCampaign(h, { type: "polls_surveys", name: "Poll" });
    const plain = await h.api
      .put(`/api/v1/campaigns/${c.id}/handoff`)
      .send({ ...survey, webhook: { url: "http://example.com/hook" } });
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0].path).toBe("body.webhook.url");
    const ok = await h.api
      .put(`/api/v1/campaigns/${c.id}/handoff`)
      .send({ ...survey, webhook: { url: "https://example.com/hook", body: { source: "sms" } } });
    expect(ok.status).toBe(200);
    expect(ok.body.webhook).toEqual({ url: "https://example.com/hook", body: { source: "sms" }, headers: [] });
    expect(JSON.stringify(ok.body)).not.toContain("whsec_");
    const secret = await h.api.post(`/api/v1/campaigns/${c.id}/handoff/webhook/signing-secret`);
    expect(secret.body.secret).toMatch(/^whsec_/);
  });

  it("documents the type webhooks' payloads in the API reference", async () => {
    const doc = (await h.api.get("/api/openapi.json")).body;
    expect(Object.keys(doc.webhooks)).toEqual(["option", "response", "raffleEntry", "surveyResponse"]);
    expect(doc.components.schemas.RaffleWebhookPayload.properties).toHaveProperty("prize");
    expect(doc.components.schemas.SurveyWebhookPayload.properties).toHaveProperty("answers");
    expect(doc.paths["/api/v1/campaigns/{campaignId}/raffle/entries.csv"].get.responses["200"].content).toHaveProperty(
      "text/csv",
    );
  });
});
