import { expect, test } from "../support/fixtures";

test("a marketer builds a Web Polls & Surveys campaign in the browser; the chat reply carries a personal link, the page is answered once (a reused link is refused) and the results show it", async ({
  page,
  seed,
  request,
}) => {
  const keyword = `WEBPOLL${String(Date.now()).slice(-6)}`;
  const sender = await seed.sender();
  const campaign = await seed.campaign({
    senderId: sender.id,
    name: `E2E web poll ${Date.now()}`,
    type: "web_polls_surveys",
    status: "active",
    triggerKeywords: [keyword],
  });

  await page.goto("/campaigns");
  await page.getByRole("link", { name: `Edit ${campaign.name}` }).click();
  await expect(page.getByRole("heading", { name: campaign.name })).toBeVisible();
  const form = page.getByRole("form", { name: "Web Polls & Surveys settings" });
  await form.getByRole("textbox", { name: "Page title" }).fill("Tell us");
  await form.getByRole("textbox", { name: "Link message" }).fill("Your survey");
  await form.getByRole("button", { name: "Save web poll" }).click();
  await expect(form.getByText("The link message must hold {{link}}, where the personal link goes.")).toBeVisible();
  await form.getByRole("textbox", { name: "Link message" }).fill("Your survey: {{link}}");
  await form.getByRole("spinbutton", { name: "Link valid for (hours)" }).fill("24");
  await form.getByRole("button", { name: "Add question" }).click();
  await form.getByRole("textbox", { name: "Question 2 key" }).fill("score");
  await form.getByRole("combobox", { name: "Question 2 type" }).selectOption("rating");
  await form.getByRole("textbox", { name: "Question 2 text" }).fill("Rate us");
  const preview = form.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("listitem", { name: "The link message" })).toContainText("Your survey: http");
  const webPage = preview.getByRole("article", { name: "Web page" });
  await expect(webPage.getByRole("heading", { name: "Tell us" })).toBeVisible();
  await expect(webPage.getByRole("group", { name: "Rate us" })).toBeVisible();
  await form.getByRole("button", { name: "Save web poll" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Web poll saved." })).toBeVisible();

  const res = await request.post("/api/v1/messages/inbound", {
    data: { channel: "sms", from: `+5258${String(Date.now()).slice(-8)}`, to: sender.address, text: keyword },
  });
  expect(res.status(), await res.text()).toBe(200);
  const reply = (await res.json()).replies.map((r: { text: string }) => r.text).join("\n");
  expect(reply).toMatch(/^Your survey: /);
  const link = reply.match(/https?:\/\/\S+\/s\/\S+/)?.[0];
  expect(link).toBeTruthy();

  await page.goto(link as string);
  await expect(page.getByRole("heading", { name: "Tell us" })).toBeVisible();
  await page
    .getByRole("group", { name: "How did you hear about us?" })
    .getByRole("radio", { name: "Social media" })
    .check();
  await page.getByRole("group", { name: "Rate us" }).getByRole("radio", { name: "5" }).check();
  await page.getByRole("button", { name: "Send answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you" })).toBeVisible();

  await page.goto(link as string);
  await expect(page.getByRole("heading", { name: "Already answered" })).toBeVisible();
  await expect(page.getByText(/already used/)).toBeVisible();

  await page.goto(`/campaigns/${campaign.id}/web-poll`);
  const results = page.getByRole("region", { name: "Results" });
  // Responses, In progress, Links sent, Answered on the web.
  await expect(results.getByRole("definition")).toHaveText(["1", "0", "1", "1"]);
  await expect(
    results
      .getByRole("table", { name: "Answers to q1: How did you hear about us?" })
      .getByRole("row", { name: /Social media/ }),
  ).toHaveText(/Social media\s*1\s*100%/);
  await expect(
    results.getByRole("table", { name: "Answers to score: Rate us" }).getByRole("row", { name: /^5/ }),
  ).toHaveText(/5\s*1\s*100%/);
});
