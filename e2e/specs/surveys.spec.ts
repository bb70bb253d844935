import { expect, test } from "../support/fixtures";

test("a marketer builds a Polls & Surveys campaign in the browser; an end user answers over the chat (a wrong answer is reprompted), the results show it and the survey's webhook reaches the sink with the answers", async ({
  page,
  seed,
  sink,
  request,
}) => {
  const keyword = `SURVEY${String(Date.now()).slice(-6)}`;
  const sender = await seed.sender();
  const campaign = await seed.campaign({
    senderId: sender.id,
    name: `E2E survey ${Date.now()}`,
    type: "polls_surveys",
    status: "active",
    triggerKeywords: [keyword],
  });
  // The survey's own webhook is seeded through the API: the page edits the questions and the messages.
  const defaults = await (await request.get(`/api/v1/campaigns/${campaign.id}/handoff`)).json();
  const { campaignId: _c, updatedAt: _u, ...input } = defaults;
  const seeded = await request.put(`/api/v1/campaigns/${campaign.id}/handoff`, {
    data: { ...input, webhook: { url: sink.url, body: {}, headers: [] } },
  });
  expect(seeded.status(), await seeded.text()).toBe(200);

  await page.goto("/campaigns");
  await page.getByRole("link", { name: `Edit ${campaign.name}` }).click();
  await expect(page.getByRole("heading", { name: campaign.name })).toBeVisible();
  const form = page.getByRole("form", { name: "Polls & Surveys settings" });
  await form.getByRole("textbox", { name: "Question 1 key" }).fill("colour");
  await form.getByRole("textbox", { name: "Question 1 text" }).fill("Favourite colour?");
  await form.getByRole("textbox", { name: "Question 1 choices (one per line)" }).fill("Red\nBlue");
  await form.getByRole("button", { name: "Add question" }).click();
  await form.getByRole("textbox", { name: "Question 2 key" }).fill("why");
  await form.getByRole("combobox", { name: "Question 2 type" }).selectOption("free_text");
  await form.getByRole("textbox", { name: "Question 2 text" }).fill("Why?");
  await form.getByRole("button", { name: "Add question" }).click();
  await form.getByRole("combobox", { name: "Question 3 type" }).selectOption("rating");
  await form.getByRole("textbox", { name: "Question 3 key" }).fill("");
  await form.getByRole("button", { name: "Save survey" }).click();
  await expect(form.getByText("The question's key is required.")).toBeVisible();
  await form.getByRole("textbox", { name: "Question 3 key" }).fill("score");
  await form.getByRole("textbox", { name: "Question 3 text" }).fill("Rate us");
  await form.getByRole("textbox", { name: "Question 3 reprompt" }).fill("Only 1 to 5, please.");
  // The rating goes second: the free text last.
  await form.getByRole("button", { name: "Move question 3 up" }).click();
  await form.getByRole("textbox", { name: "Closing message" }).fill("Thanks for answering!");
  const preview = form.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("listitem", { name: "Question 1" })).toContainText("1. Red");
  await expect(preview.getByRole("listitem", { name: "Question 2" })).toContainText("Rate us");
  await expect(preview.getByRole("listitem", { name: "Closing" })).toContainText("Thanks for answering!");
  await form.getByRole("button", { name: "Save survey" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Survey saved." })).toBeVisible();

  const from = `+5257${String(Date.now()).slice(-8)}`;
  const say = async (text: string) => {
    const res = await request.post("/api/v1/messages/inbound", {
      data: { channel: "sms", from, to: sender.address, text },
    });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()).replies.map((r: { text: string }) => r.text).join("\n");
  };
  expect(await say(keyword)).toContain("Favourite colour?\n1. Red\n2. Blue");
  expect(await say("2")).toContain("Rate us\n(1 to 5)");
  expect(await say("9")).toBe("Only 1 to 5, please.\nRate us\n(1 to 5)");
  expect(await say("4")).toBe("Why?");
  expect(await say("Calm and bright")).toBe("Thanks for answering!");

  const [hook] = await sink.waitFor(1);
  expect(hook?.json).toMatchObject({
    campaignId: String(campaign.id),
    phoneNumber: from,
    answers: { colour: "Blue", score: 4, why: "Calm and bright" },
  });
  expect(hook?.headers["webhook-signature"]).toMatch(/^v1,/);

  await page.reload();
  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByRole("definition").first()).toHaveText("1");
  await expect(
    results.getByRole("table", { name: "Answers to colour: Favourite colour?" }).getByRole("row", { name: /Blue/ }),
  ).toHaveText(/Blue\s*1\s*100%/);
  await expect(results.getByRole("list", { name: "Answers to why: Why?" })).toContainText("Calm and bright");
  await expect(results.getByRole("link", { name: "Download responses (CSV)" })).toHaveAttribute(
    "href",
    `/api/v1/campaigns/${campaign.id}/survey/responses.csv`,
  );
  const csv = await request.get(`/api/v1/campaigns/${campaign.id}/survey/responses.csv`);
  expect(await csv.text()).toContain("Calm and bright");
});
